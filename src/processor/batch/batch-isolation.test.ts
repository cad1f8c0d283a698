import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TracesConsumer } from '../../consumer/consumer.ts';
import { PermanentError, StorageRefusedDataError } from '../../consumer/errors.ts';
import { createStoreExporter } from '../../exporter/store/store-exporter.ts';
import type { ResourceSpans, TracesData } from '../../pdata/model.ts';
import { hex, MS, nowNs, resource, span as storedSpan, tempStore, traces as storedTraces } from '../../storage/testdata/telemetry.ts';
import { settingsFor, span, spanNames, traces } from '../test-pdata.ts';
import { batchProcessorFactory } from './factory.ts';
import type { BatchConfig } from './factory.ts';

// A batch merges several callers' requests into one downstream call; when that
// call is refused permanently, only the caller whose data is bad may get the error.

const config: BatchConfig = { timeoutMs: 50, sendBatchSize: 100_000, sendBatchMaxSize: 0 };

test('batch -> tracehouse exporter on real chDB: the request the engine refuses fails alone, the others are stored', async () => {
  const h = await tempStore({ groupCommitWaitMs: 5 });
  try {
    const exporter: TracesConsumer = { ...createStoreExporter(h.store.writer, { retentionNs: 24n * 3600n * 1_000_000_000n }), capabilities: { mutatesData: false } };
    const batch = batchProcessorFactory.createTracesProcessor(settingsFor('batch'), config, exporter);
    await batch.start();
    const requests = Array.from({ length: 8 }, (_, i) => {
      const traceId = hex(16);
      // The engine refuses the JSON escape of a lone surrogate (CANNOT_PARSE_ESCAPE_SEQUENCE).
      const name = i === 5 ? 'GET \ud800' : 'POST /payments';
      const t = nowNs();
      return { traceId, data: storedTraces(resource('payment-api'), [0, 1].map((k) => storedSpan({ traceId, name, startTimeUnixNano: t + BigInt(k) * MS }))) };
    });
    const results = await Promise.allSettled(requests.map((r) => batch.consumeTraces(r.data)));
    await batch.shutdown();

    results.forEach((r, i) => {
      if (i === 5) {
        assert.equal(r.status, 'rejected');
        assert.ok((r as PromiseRejectedResult).reason instanceof StorageRefusedDataError, String((r as PromiseRejectedResult).reason));
      } else {
        assert.equal(r.status, 'fulfilled', `request ${i}: ${String((r as PromiseRejectedResult).reason)}`);
      }
    });
    for (const [i, r] of requests.entries()) {
      if (i === 5) continue;
      const stored = await h.store.reader.getTrace(r.traceId);
      assert.equal(stored?.resourceSpans[0]?.scopeSpans[0]?.spans.length, 2, `request ${i} is stored`);
    }
  } finally {
    await h.close();
  }
});

/** Refuses a batch holding a span named "bad*"; records what it accepted. */
function refusingDownstream(capabilities: TracesConsumer['capabilities'], mutate: boolean) {
  const accepted: TracesData[] = [];
  let calls = 0;
  const consumer: TracesConsumer = {
    ...(capabilities === undefined ? {} : { capabilities }),
    async consumeTraces(data) {
      calls++;
      // In place, as the attributes processor's `hash` would: not idempotent.
      if (mutate) for (const rs of data.resourceSpans) for (const ss of rs.scopeSpans) for (const s of ss.spans) s.name += '#';
      if (spanNames(data).some((n) => n.startsWith('bad'))) throw new PermanentError('bad span name');
      accepted.push(data);
      return {};
    },
  };
  return { consumer, accepted, calls: () => calls };
}

test('a downstream that mutates: the resent parts are the originals, each mutated once', async () => {
  const down = refusingDownstream(undefined, true); // undeclared: may mutate
  const batch = batchProcessorFactory.createTracesProcessor(settingsFor('batch'), config, down.consumer);
  await batch.start();
  const names = ['a', 'b', 'bad', 'c', 'd'];
  const results = await Promise.allSettled(names.map((n) => batch.consumeTraces(traces({ spans: [span(`${n}1`), span(`${n}2`)] }))));
  await batch.shutdown();
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
  );
  assert.ok((results[2] as PromiseRejectedResult).reason instanceof PermanentError);
  const stored = down.accepted.flatMap(spanNames).sort();
  assert.deepEqual(stored, ['a1#', 'a2#', 'b1#', 'b2#', 'c1#', 'c2#', 'd1#', 'd2#']);
  assert.ok(down.calls() <= 7, `${down.calls()} sends for 5 requests and one bad`);
});

test('a downstream that declares it does not mutate: no copies, the callers\' own objects are resent', async () => {
  const down = refusingDownstream({ mutatesData: false }, false);
  const batch = batchProcessorFactory.createTracesProcessor(settingsFor('batch'), config, down.consumer);
  await batch.start();
  const sent = ['a', 'bad', 'b'].map((n) => traces({ spans: [span(`${n}1`)] }));
  const results = await Promise.allSettled(sent.map((d) => batch.consumeTraces(d)));
  await batch.shutdown();
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
  const resent = new Set<ResourceSpans>(down.accepted.flatMap((d) => d.resourceSpans));
  assert.ok(resent.has(sent[0]!.resourceSpans[0]!) && resent.has(sent[2]!.resourceSpans[0]!), 'the same objects, not copies');
});

test('a retryable failure is not bisected: every request in the batch gets it', async () => {
  let calls = 0;
  const batch = batchProcessorFactory.createTracesProcessor(settingsFor('batch'), config, {
    capabilities: { mutatesData: false },
    async consumeTraces() {
      calls++;
      throw new Error('engine down');
    },
  });
  await batch.start();
  const results = await Promise.allSettled(['a', 'b', 'c'].map((n) => batch.consumeTraces(traces({ spans: [span(n)] }))));
  await batch.shutdown();
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'rejected']);
  assert.equal(calls, 1);
});
