import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseTraceql } from '../query/traceql/parse.ts';
import { hex, MS, nowNs, resource, SECOND, span, str, tempStore, traces } from './testdata/telemetry.ts';

// The windowed TraceQL search (tempo-reader.ts): newest windows first, older ones
// read only while fewer than `limit` traces were found; a span written twice counts once.

let t: Awaited<ReturnType<typeof tempStore>>;
const now = nowNs();
const MINUTE = 60n * SECOND;
const ids = { recent: hex(16), hourAgo: hex(16), dayAgo: hex(16) };

before(async () => {
  t = await tempStore();
  const at = { recent: now - MINUTE, hourAgo: now - 70n * MINUTE, dayAgo: now - 20n * 60n * MINUTE };
  for (const [name, traceId] of Object.entries(ids) as [keyof typeof ids, string][]) {
    const root = span({ traceId, name: 'POST /payments', startTimeUnixNano: at[name], kind: 2, attributes: [str('payment.currency', 'EUR')] });
    const data = traces(resource('payment-api'), [root, span({ traceId, name: 'payment.charge', parentSpanId: root.spanId, startTimeUnixNano: at[name] + MS })]);
    await t.store.writer.writeTraces(data);
    if (name === 'recent') await t.store.writer.writeTraces(data);
  }
});
after(async () => {
  await t?.close();
});

const search = async (q: string, limit: number) => {
  const p = parseTraceql(q);
  return t.store.reader.traceqlSearch({ spanset: p.spanset, fields: [], startNs: now - 24n * 60n * MINUTE, endNs: now, limit, spansPerSpanset: 3 });
};

test('older windows are read until the limit is met, newest first', async () => {
  assert.deepEqual((await search('{ span.payment.currency = "EUR" }', 10)).map((r) => r.traceId), [ids.recent, ids.hourAgo, ids.dayAgo]);
  assert.deepEqual((await search('{ span.payment.currency = "EUR" }', 2)).map((r) => r.traceId), [ids.recent, ids.hourAgo]);
  assert.deepEqual((await search('{ name = "POST /payments" } > { name = "payment.charge" }', 1)).map((r) => r.traceId), [ids.recent]);
});

test('a span written twice counts once', async () => {
  const [recent] = await search('{ resource.service.name = "payment-api" } | count() = 2', 1);
  assert.equal(recent?.traceId, ids.recent);
  assert.equal(recent?.matched, 2);
  assert.deepEqual(recent?.serviceStats, [{ service: 'payment-api', spanCount: 2, errorCount: 0 }]);
});
