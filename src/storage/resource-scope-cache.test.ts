import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from './store.ts';
import { hex, nowNs, resource, SECOND, span, str, tempStore, traces } from './testdata/telemetry.ts';

// Trace and log reads take resources and scopes from a cache by id after the
// first read (resource-scope.ts): a repeated read, and a read in another store
// (another database: a tenant's), still gets each row's own resource.

test('repeated reads and a second store get each trace its own resource', async () => {
  const a = await tempStore();
  const b = { store: await openStore({ dataDir: a.dir, database: 'other_tenant' }) };
  try {
    const t0 = nowNs() - 60n * SECOND;
    const write = async (store: typeof a.store, env: string) => {
      const traceId = hex(16);
      await store.writer.writeTraces(traces(resource('payment-api', [str('deployment.environment', env)]), [span({ traceId, name: 'GET /', startTimeUnixNano: t0 })]));
      return traceId;
    };
    const envOf = async (store: typeof a.store, traceId: string) =>
      (await store.reader.getTrace(traceId))?.resourceSpans[0]?.resource.attributes.find((kv) => kv.key === 'deployment.environment')?.value;
    const [prod, staging] = [await write(a.store, 'prod'), await write(a.store, 'staging')];
    const shared = await write(b.store, 'prod'); // the same resource, so the same id, in another store
    for (let round = 0; round < 2; round++) {
      assert.deepStrictEqual(await envOf(a.store, prod), { type: 'string', value: 'prod' });
      assert.deepStrictEqual(await envOf(a.store, staging), { type: 'string', value: 'staging' });
      assert.deepStrictEqual(await envOf(b.store, shared), { type: 'string', value: 'prod' });
    }
  } finally {
    await b.store.close();
    await a.close();
  }
});
