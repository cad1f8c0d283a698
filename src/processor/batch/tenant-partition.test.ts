import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConsumeResult } from '../../consumer/consumer.ts';
import type { TracesData } from '../../pdata/model.ts';
import { currentTenant, runAsTenant } from '../../tenancy/tenant-context.ts';
import { settingsFor, span, spanNames, traces } from '../test-pdata.ts';
import { batchProcessorFactory } from './factory.ts';
import type { BatchConfig } from './factory.ts';

// A batch is sent from a timer or from another request's call: each batch must
// hold one tenant's data and be sent as that tenant, whoever started it.

const config: BatchConfig = { timeoutMs: 30, sendBatchSize: 5, sendBatchMaxSize: 0 };

test('batch: requests of different tenants never share a batch, and each batch is sent as its tenant', async () => {
  const sent: { tenant: string | undefined; names: string[] }[] = [];
  const next = {
    capabilities: { mutatesData: false },
    async consumeTraces(data: TracesData): Promise<ConsumeResult> {
      sent.push({ tenant: currentTenant(), names: spanNames(data) });
      return {};
    },
  };
  const batch = batchProcessorFactory.createTracesProcessor(settingsFor('batch'), config, next);
  await batch.start();
  const tenants = [undefined, 'acme', 'globex'] as const;
  // Interleaved: 3 spans per request, so a size trigger (5) fires inside another tenant's call.
  const requests = Array.from({ length: 12 }, (_, i) => {
    const tenant = tenants[i % 3];
    const names = [0, 1, 2].map((k) => `${tenant ?? 'default'}/${i}/${k}`);
    return runAsTenant(tenant, () => batch.consumeTraces(traces({ spans: names.map((n) => span(n)) })));
  });
  await Promise.all(requests);
  await batch.shutdown();

  assert.ok(sent.length >= 3);
  for (const b of sent) {
    const owners = new Set(b.names.map((n) => n.split('/')[0]));
    assert.equal(owners.size, 1, `one tenant per batch: ${b.names.join(', ')}`);
    assert.equal([...owners][0], b.tenant ?? 'default', 'sent as the tenant whose data it holds');
  }
  const stored = sent.flatMap((b) => b.names).sort();
  assert.equal(stored.length, 36, 'every span sent once');
  // Merging still happens within a tenant: fewer batches than requests.
  assert.ok(sent.length < 12, `${sent.length} batches`);
});
