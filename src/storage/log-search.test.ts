import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LogsData } from '../pdata/model.ts';
import type { LogQuery, TelemetryStore } from './api.ts';
import { dbl, hex, int, logRecord, MS, nowNs, resource, SECOND, str, tempStore } from './testdata/telemetry.ts';

// searchLogs: each filter on its own and together, newest first, limit.

let handle: Awaited<ReturnType<typeof tempStore>>;
let store: TelemetryStore;
const t0 = nowNs() - 60n * SECOND;
const traceId = hex(16);
const spanId = hex(8);
const scope = { name: 'logger', version: '', attributes: [], droppedAttributesCount: 0 };

const declined = logRecord({ timeUnixNano: t0, severityNumber: 17, severityText: 'ERROR', traceId, spanId,
  body: { type: 'string', value: 'Payment DECLINED: USD 80' }, attributes: [str('payment.currency', 'USD'), dbl('payment.amount', 80)] });
const charged = logRecord({ timeUnixNano: t0 + MS, severityNumber: 9, traceId, spanId: hex(8),
  body: { type: 'kvlist', value: [str('msg', 'Charge OK'), str('currency', 'EUR')] }, attributes: [int('http.response.status_code', 200)] });
const stock = logRecord({ timeUnixNano: t0 + 2n * MS, severityNumber: 13, severityText: 'WARN',
  body: { type: 'string', value: 'stock low: 42%_x left' } });

before(async () => {
  handle = await tempStore();
  store = handle.store;
  const payments: LogsData = { resourceLogs: [{ resource: resource('payment-api'), scopeLogs: [{ scope, logRecords: [declined, charged], schemaUrl: '' }], schemaUrl: '' }] };
  const inventory: LogsData = {
    resourceLogs: [{ resource: resource('inventory', [str('team', 'stock')]), scopeLogs: [{ scope, logRecords: [stock], schemaUrl: '' }], schemaUrl: '' }],
  };
  await Promise.all([store.writer.writeLogs(payments), store.writer.writeLogs(inventory)]);
});
after(async () => {
  await handle.close();
});

async function bodies(q: Partial<LogQuery> = {}): Promise<string[]> {
  const found = await store.reader.searchLogs({ startNs: t0 - SECOND, endNs: t0 + SECOND, attributes: [], limit: 100, ...q });
  return found.map((l) => (l.record.body.type === 'string' ? l.record.body.value : l.record.body.type));
}

test('newest first, limit, time range', async () => {
  assert.deepStrictEqual(await bodies(), ['stock low: 42%_x left', 'kvlist', 'Payment DECLINED: USD 80']);
  assert.deepStrictEqual(await bodies({ limit: 1 }), ['stock low: 42%_x left']);
  assert.deepStrictEqual(await bodies({ endNs: t0 + MS }), ['Payment DECLINED: USD 80']);
});

test('trace id, span id, service, severity', async () => {
  assert.deepStrictEqual(await bodies({ traceId }), ['kvlist', 'Payment DECLINED: USD 80']);
  assert.deepStrictEqual(await bodies({ spanId }), ['Payment DECLINED: USD 80']);
  assert.deepStrictEqual(await bodies({ service: 'inventory' }), ['stock low: 42%_x left']);
  assert.deepStrictEqual(await bodies({ minSeverity: 13 }), ['stock low: 42%_x left', 'Payment DECLINED: USD 80']);
  assert.deepStrictEqual(await bodies({ minSeverity: 18 }), []);
});

test('text is a case-insensitive substring of the body, JSON text for structured bodies', async () => {
  assert.deepStrictEqual(await bodies({ text: 'declined' }), ['Payment DECLINED: USD 80']);
  assert.deepStrictEqual(await bodies({ text: 'charge ok' }), ['kvlist']);
  assert.deepStrictEqual(await bodies({ text: 'EUR' }), ['kvlist']);
  assert.deepStrictEqual(await bodies({ text: 'ü' }), []);
});

test('LIKE wildcards in the text match themselves', async () => {
  assert.deepStrictEqual(await bodies({ text: '42%_x' }), ['stock low: 42%_x left']);
  assert.deepStrictEqual(await bodies({ text: '%' }), ['stock low: 42%_x left']);
  assert.deepStrictEqual(await bodies({ text: 'low_ 42' }), []);
  assert.deepStrictEqual(await bodies({ text: '\\' }), []);
});

test('attribute filters on the record and its resource', async () => {
  assert.deepStrictEqual(await bodies({ attributes: [{ key: 'payment.currency', op: '=', value: 'USD' }] }), ['Payment DECLINED: USD 80']);
  assert.deepStrictEqual(await bodies({ attributes: [{ key: 'payment.amount', op: '>', value: '50' }] }), ['Payment DECLINED: USD 80']);
  assert.deepStrictEqual(await bodies({ attributes: [{ key: 'http.response.status_code', op: '=', value: '200' }] }), ['kvlist']);
  assert.deepStrictEqual(await bodies({ attributes: [{ key: 'team', op: '=', value: 'stock' }] }), ['stock low: 42%_x left']);
  assert.deepStrictEqual(await bodies({ attributes: [{ key: 'service.name', op: '!=', value: 'inventory' }] }), ['kvlist', 'Payment DECLINED: USD 80']);
});

test('filters combine', async () => {
  assert.deepStrictEqual(await bodies({ traceId, minSeverity: 10, text: 'usd' }), ['Payment DECLINED: USD 80']);
  assert.deepStrictEqual(await bodies({ service: 'inventory', text: 'declined' }), []);
});

test('the result carries resource, scope and service', async () => {
  const [log] = await store.reader.searchLogs({ startNs: t0 - SECOND, endNs: t0 + SECOND, service: 'inventory', attributes: [], limit: 1 });
  assert.equal(log?.serviceName, 'inventory');
  assert.deepStrictEqual(log?.scope, scope);
  assert.ok(log?.resource.attributes.some((kv) => kv.key === 'team'));
});
