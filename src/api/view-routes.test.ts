import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { silentLogger } from '../lib/log.ts';
import type { LogsData, TracesData } from '../pdata/model.ts';
import { dbl, hex, int, logRecord, MS, nowNs, resource, SECOND, span, str, tempStore, traces } from '../storage/testdata/telemetry.ts';
import { createQueryApi } from './query-api.ts';
import type {
  AttributeKeysResponse,
  AttributeValuesResponse,
  ErrorResponse,
  LogHistogramResponse,
  OperationsResponse,
  ServiceStatsResponse,
  SpanDetailResponse,
  TraceLogsResponse,
  TraceTreeResponse,
} from './types.ts';

// The web UI's endpoints in-process (app.request) over a real chDB store loaded
// through the real writer; data shaped like the seed's payment-api.

let handle: Awaited<ReturnType<typeof tempStore>>;
let app: ReturnType<typeof createQueryApi>;
const t0 = (nowNs() / SECOND - 600n) * SECOND;
const ms = (ns: bigint) => (ns / MS).toString();
const range = `start=${ms(t0 - 60n * SECOND)}&end=${ms(t0 + 60n * SECOND)}`;
const TRACE = hex(16);
const [ROOT, CHARGE, DB, LOST] = [hex(8), hex(8), hex(8), hex(8)];
const payments = resource('payment-api');

before(async () => {
  handle = await tempStore();
  app = createQueryApi({ reader: handle.store.reader, logger: silentLogger, nowNs: () => t0 + 60n * SECOND });
  // The slow EUR payment: POST /payments -> payment.charge (fails, exception) and a query.
  const slow: TracesData = traces(payments, [
    span({ traceId: TRACE, spanId: ROOT, name: 'POST /payments', kind: 2, startTimeUnixNano: t0, endTimeUnixNano: t0 + 100n * MS,
      attributes: [str('http.route', '/payments'), str('payment.currency', 'EUR'), dbl('payment.amount', 120.5)], status: { code: 2, message: '' } }),
    span({ traceId: TRACE, spanId: DB, parentSpanId: ROOT, name: 'SELECT accounts', kind: 3, startTimeUnixNano: t0 + 5n * MS, endTimeUnixNano: t0 + 25n * MS }),
    span({ traceId: TRACE, spanId: CHARGE, parentSpanId: ROOT, name: 'payment.charge', startTimeUnixNano: t0 + 30n * MS, endTimeUnixNano: t0 + 95n * MS,
      attributes: [str('payment.currency', 'EUR'), int('payment.retries', 2), dbl('fee.delta', -0)], status: { code: 2, message: 'card declined' },
      events: [{ timeUnixNano: t0 + 90n * MS, name: 'exception', droppedAttributesCount: 0, attributes: [
        str('exception.type', 'CardDeclined'), str('exception.message', 'card <img src=x onerror=alert(1)> declined'),
        str('exception.stacktrace', 'CardDeclined: declined\n    at charge (pay.js:10:5)')] }],
      links: [{ traceId: hex(16), spanId: hex(8), traceState: '', attributes: [], droppedAttributesCount: 0, flags: 0 }] }),
    // Its parent was never received.
    span({ traceId: TRACE, spanId: LOST, parentSpanId: hex(8), name: 'late.callback', startTimeUnixNano: t0 + 40n * MS, endTimeUnixNano: t0 + 50n * MS }),
  ]);
  const fast = (i: number, currency: string, ok: boolean): TracesData =>
    traces(payments, [
      span({ traceId: hex(16), name: 'POST /payments', kind: 2, startTimeUnixNano: t0 + BigInt(i) * SECOND, endTimeUnixNano: t0 + BigInt(i) * SECOND + 10n * MS,
        attributes: [str('payment.currency', currency), dbl('payment.amount', 10 * i)], status: { code: ok ? 0 : 2, message: '' } }),
    ]);
  const health = traces(payments, [span({ traceId: hex(16), name: 'GET /health', kind: 2, startTimeUnixNano: t0 + 2n * SECOND })]);
  // A job without SERVER spans: its roots are its requests. A library with only child spans has none.
  const batch = traces(resource('nightly-batch'), [
    span({ traceId: hex(16), name: 'settle', kind: 1, startTimeUnixNano: t0 + 3n * SECOND, endTimeUnixNano: t0 + 3n * SECOND + 40n * MS }),
  ]);
  const lib = traces(resource('ledger-lib'), [span({ traceId: hex(16), parentSpanId: hex(8), name: 'ledger.write', startTimeUnixNano: t0 })]);
  const data = [slow, slow, fast(1, 'USD', true), fast(2, 'EUR', true), fast(3, 'USD', false), health, batch, lib];
  // `slow` twice: at-least-once delivery stores it twice; it must count once.
  for (const d of data) await handle.store.writer.writeTraces(d);
  const logs: LogsData = {
    resourceLogs: [{ resource: payments, schemaUrl: '', scopeLogs: [{ scope: { name: 'app', version: '', attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', logRecords: [
      logRecord({ timeUnixNano: t0 + 91n * MS, traceId: TRACE, spanId: CHARGE, severityNumber: 17, severityText: 'ERROR', body: { type: 'string', value: 'charge failed' } }),
      logRecord({ timeUnixNano: t0 + 31n * MS, traceId: TRACE, spanId: CHARGE, body: { type: 'string', value: 'charging' } }),
      logRecord({ timeUnixNano: t0 + MS, traceId: TRACE, spanId: ROOT, severityNumber: 5, severityText: 'DEBUG' }),
      logRecord({ timeUnixNano: t0 + 30n * SECOND, severityNumber: 13, severityText: 'WARN' }),
      logRecord({ timeUnixNano: t0 + 31n * SECOND, severityNumber: 0, severityText: '' }),
    ] }] }],
  };
  // Twice, as a retried export stores it: every record must read and count once.
  await handle.store.writer.writeLogs(logs);
  await handle.store.writer.writeLogs(logs);
});
after(async () => {
  await handle.close();
});

async function get<T>(path: string, status = 200): Promise<T> {
  const res = await app.request(path);
  const body = (await res.json()) as T;
  assert.equal(res.status, status, `${path}: ${JSON.stringify(body)}`);
  return body;
}

describe('services', () => {
  test('per service: server spans, else root spans, deduplicated, with sparklines', async () => {
    const body = await get<ServiceStatsResponse>(`/api/v1/services/stats?${range}&buckets=12`);
    assert.deepEqual(body.services.map((s) => [s.name, s.basis, s.requestCount, s.errorCount]), [
      ['ledger-lib', 'root', 0, 0],
      ['nightly-batch', 'root', 1, 0],
      ['payment-api', 'server', 5, 2],
    ]);
    const api = body.services[2]!;
    assert.equal(api.errorRate, 0.4);
    assert.ok(Math.abs(api.ratePerSecond - 5 / 120) < 1e-9);
    assert.ok(api.p50Ns >= 10_000_000 && api.p99Ns <= 100_000_000 && api.p50Ns <= api.p95Ns && api.p95Ns <= api.p99Ns, JSON.stringify(api));
    assert.equal(api.sparkline.stepNs, 10_000_000_000);
    assert.equal(api.sparkline.ratePerSecond.length, 12);
    // All five requests start in [t0, t0 + 4s): bucket 6 of [t0 - 60s, t0 + 60s).
    assert.equal(api.sparkline.ratePerSecond[6], 0.5);
    assert.equal(api.sparkline.errorRate[6], 0.4);
    assert.equal(api.sparkline.p95Ns[0], null);
    assert.equal(typeof api.sparkline.p95Ns[6], 'number');
  });

  test('per operation of a service, busiest first', async () => {
    const body = await get<OperationsResponse>(`/api/v1/services/payment-api/operations?${range}`);
    assert.equal(body.basis, 'server');
    assert.deepEqual(body.operations.map((o) => [o.name, o.requestCount, o.errorCount]), [
      ['POST /payments', 4, 2],
      ['GET /health', 1, 0],
    ]);
    assert.equal(body.operations[0]!.sparkline.ratePerSecond.length, 30);
    const batch = await get<OperationsResponse>(`/api/v1/services/nightly-batch/operations?${range}&buckets=1`);
    assert.equal(batch.basis, 'root');
    assert.deepEqual(batch.operations.map((o) => [o.name, o.requestCount, o.sparkline.ratePerSecond]), [['settle', 1, [1 / 120]]]);
    const none = await get<OperationsResponse>(`/api/v1/services/${encodeURIComponent('no such <service>')}/operations?${range}`);
    assert.deepEqual(none.operations, []);
  });

  test('a bad bucket count is a 400 naming it', async () => {
    const body = await get<ErrorResponse>(`/api/v1/services/stats?buckets=0`, 400);
    assert.equal(body.error.parameter, 'buckets');
  });
});

describe('attribute autocomplete', () => {
  test('keys with their types and scope, most frequent first', async () => {
    const body = await get<AttributeKeysResponse>(`/api/v1/attributes/keys?${range}&service=payment-api`);
    const span = body.keys.filter((k) => k.scope === 'span');
    assert.deepEqual(span.slice(0, 2).map((k) => [k.key, k.types, k.count]), [
      ['payment.currency', ['string'], 5],
      ['payment.amount', ['double'], 4],
    ]);
    assert.ok(span.some((k) => k.key === 'payment.retries' && k.types[0] === 'int'));
    assert.ok(body.keys.some((k) => k.scope === 'resource' && k.key === 'service.name'));
    const filtered = await get<AttributeKeysResponse>(`/api/v1/attributes/keys?${range}&scope=span&q=AMOU`);
    assert.deepEqual(filtered.keys.map((k) => k.key), ['payment.amount']);
  });

  test('values of a key, spelled as the attr filter takes them', async () => {
    const body = await get<AttributeValuesResponse>(`/api/v1/attributes/payment.currency/values?${range}`);
    assert.deepEqual(body.values, [
      { value: 'EUR', type: 'string', count: 3 },
      { value: 'USD', type: 'string', count: 2 },
    ]);
    const amounts = await get<AttributeValuesResponse>(`/api/v1/attributes/payment.amount/values?${range}&q=120`);
    assert.deepEqual(amounts.values, [{ value: '120.5', type: 'double', count: 1 }]);
    // Any key, URL-encoded: a slash or a percent sign stays part of the key.
    const odd = await get<AttributeValuesResponse>(`/api/v1/attributes/${encodeURIComponent('no/such %key')}/values?${range}`);
    assert.deepEqual(odd, { key: 'no/such %key', values: [] });
    const resource = await get<AttributeValuesResponse>(`/api/v1/attributes/service.name/values?${range}&scope=resource`);
    assert.deepEqual(resource.values.map((v) => v.value).sort(), ['ledger-lib', 'nightly-batch', 'payment-api']);
  });

  test('bad scope and limit are 400s naming them', async () => {
    assert.equal((await get<ErrorResponse>('/api/v1/attributes/keys?scope=event', 400)).error.parameter, 'scope');
    assert.equal((await get<ErrorResponse>('/api/v1/attributes/x/values?limit=5000', 400)).error.parameter, 'limit');
  });
});

describe('trace view', () => {
  test('the tree: depth-first, orphans at the root level, self time, critical path, stats, log counts', async () => {
    const body = await get<TraceTreeResponse>(`/api/v1/traces/${TRACE}/tree`);
    assert.equal(body.spanCount, 4);
    assert.equal(body.durationNs, 100_000_000);
    assert.equal(body.startUnixNano, t0.toString());
    const rows = body.spans.map((s) => [body.names[s.name], s.parent, s.depth, s.orphan, s.selfNs, s.critical, s.logCount]);
    assert.deepEqual(rows, [
      ['POST /payments', -1, 0, false, 15_000_000, true, 1],
      ['SELECT accounts', 0, 1, false, 20_000_000, true, 0],
      ['payment.charge', 0, 1, false, 65_000_000, true, 2],
      ['late.callback', -1, 0, true, 10_000_000, false, 0],
    ]);
    assert.deepEqual(body.services, ['payment-api']);
    const charge = body.spans[2]!;
    assert.deepEqual(charge.eventsNs, [90_000_000]);
    assert.equal(charge.hasException, true);
    assert.equal(charge.status, 2);
    assert.equal(charge.kind, 1);
    assert.deepEqual(body.criticalPath, [
      { span: 0, startNs: 0, endNs: 5_000_000 },
      { span: 1, startNs: 5_000_000, endNs: 25_000_000 },
      { span: 0, startNs: 25_000_000, endNs: 30_000_000 },
      { span: 2, startNs: 30_000_000, endNs: 95_000_000 },
      { span: 0, startNs: 95_000_000, endNs: 100_000_000 },
    ]);
    assert.deepEqual(body.stats[0], {
      service: 'payment-api', operation: 'payment.charge', count: 1, errorCount: 1, totalNs: 65_000_000, minNs: 65_000_000, maxNs: 65_000_000,
      selfNs: 65_000_000, selfShare: 0.65, totalShare: 0.65,
    });
    assert.equal(body.errorCount, 2);
  });

  test('a large tree goes gzipped to a client that accepts it', async () => {
    const traceId = hex(16);
    const rootId = hex(8);
    const start = t0 + 20n * SECOND;
    await handle.store.writer.writeTraces(traces(payments, [
      span({ traceId, spanId: rootId, name: 'POST /payments', kind: 2, startTimeUnixNano: start, endTimeUnixNano: start + SECOND }),
      ...Array.from({ length: 999 }, (_, i) => span({ traceId, parentSpanId: rootId, name: `step ${i % 10}`, startTimeUnixNano: start + BigInt(i) * MS })),
    ]));
    const plain = await app.request(`/api/v1/traces/${traceId}/tree`);
    assert.equal(plain.headers.get('Content-Encoding'), null);
    const text = await plain.text();
    assert.ok(text.length > 64 * 1024, String(text.length));
    const zipped = await app.request(`/api/v1/traces/${traceId}/tree`, { headers: { 'Accept-Encoding': 'br;q=1, gzip;q=0.5' } });
    assert.equal(zipped.headers.get('Content-Encoding'), 'gzip');
    assert.equal(zipped.headers.get('Vary'), 'Accept-Encoding');
    assert.equal(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString(), text);
    const refused = await app.request(`/api/v1/traces/${traceId}/tree`, { headers: { 'Accept-Encoding': 'gzip;q=0' } });
    assert.equal(refused.headers.get('Content-Encoding'), null);
    assert.equal((JSON.parse(await refused.text()) as TraceTreeResponse).spanCount, 1000);
  });

  test('one span in full: typed attributes, resource, scope, exception, links', async () => {
    const body = await get<SpanDetailResponse>(`/api/v1/traces/${TRACE}/spans/${CHARGE.toUpperCase()}`);
    assert.equal(body.name, 'payment.charge');
    assert.equal(body.parentSpanId, ROOT);
    assert.equal(body.durationNs, 65_000_000);
    assert.deepEqual(body.status, { code: 2, message: 'card declined' });
    assert.deepEqual(body.attributes, [
      { key: 'payment.currency', type: 'string', value: 'EUR' },
      { key: 'payment.retries', type: 'int', value: 2 },
      { key: 'fee.delta', type: 'double', value: -0 },
    ]);
    // A stored -0.0 stays -0 on the wire (JSON.stringify would write 0).
    const text = await (await app.request(`/api/v1/traces/${TRACE}/spans/${CHARGE}`)).text();
    assert.match(text, /"key":"fee\.delta","type":"double","value":-0\}/);
    assert.ok(body.resource.attributes.some((a) => a.key === 'service.name' && a.value === 'payment-api'));
    assert.equal(body.scope.name, 'payment-api');
    assert.equal(body.events[0]!.offsetNs, 60_000_000);
    assert.deepEqual(body.events[0]!.exception, {
      type: 'CardDeclined',
      message: 'card <img src=x onerror=alert(1)> declined',
      stacktrace: 'CardDeclined: declined\n    at charge (pay.js:10:5)',
    });
    assert.equal(body.links.length, 1);
  });

  test('unknown trace or span is a 404; a bad id a 400 naming it', async () => {
    await get<ErrorResponse>(`/api/v1/traces/${hex(16)}/tree`, 404);
    await get<ErrorResponse>(`/api/v1/traces/${TRACE}/spans/${hex(8)}`, 404);
    assert.equal((await get<ErrorResponse>('/api/v1/traces/xyz/tree', 400)).error.parameter, 'traceId');
    assert.equal((await get<ErrorResponse>(`/api/v1/traces/${TRACE}/spans/123`, 400)).error.parameter, 'spanId');
  });

  test('the logs of a trace, oldest first, grouped by span', async () => {
    const body = await get<TraceLogsResponse>(`/api/v1/traces/${TRACE}/logs`);
    assert.deepEqual(body.logs.map((l) => l.body), ['hello', 'charging', 'charge failed']);
    assert.deepEqual(body.bySpan, { [ROOT]: [0], [CHARGE]: [1, 2] });
    assert.equal(body.truncated, false);
    const first = await get<TraceLogsResponse>(`/api/v1/traces/${TRACE}/logs?limit=2`);
    assert.equal(first.logs.length, 2);
    assert.equal(first.truncated, true);
  });
});

describe('log histogram', () => {
  test('counts per bucket and severity band, every bucket present', async () => {
    const body = await get<LogHistogramResponse>(`/api/v1/logs/histogram?${range}&step=30s`);
    assert.equal(body.stepNs, 30_000_000_000);
    assert.equal(body.total, 5);
    const start = BigInt(body.startUnixNano);
    assert.equal(start % (30n * SECOND), 0n);
    assert.ok(start <= t0 - 60n * SECOND);
    const at = (ns: bigint) => Number((ns - start) / (30n * SECOND));
    assert.equal(body.counts.error[at(t0)], 1);
    assert.equal(body.counts.info[at(t0)], 1);
    assert.equal(body.counts.debug[at(t0)], 1);
    assert.equal(body.counts.warn[at(t0 + 30n * SECOND)], 1);
    assert.equal(body.counts.unset[at(t0 + 31n * SECOND)], 1);
    assert.equal(body.bucketStartUnixNano.length, body.counts.fatal.length);
    const errors = await get<LogHistogramResponse>(`/api/v1/logs/histogram?${range}&minSeverity=error&traceId=${TRACE}`);
    assert.equal(errors.total, 1);
    const text = await get<LogHistogramResponse>(`/api/v1/logs/histogram?${range}&q=CHARG`);
    assert.equal(text.total, 2);
  });

  test('without a step, about 60 buckets of whole seconds', async () => {
    const body = await get<LogHistogramResponse>(`/api/v1/logs/histogram?${range}`);
    assert.equal(body.stepNs, 2_000_000_000);
    assert.ok(body.bucketStartUnixNano.length >= 60 && body.bucketStartUnixNano.length <= 61, String(body.bucketStartUnixNano.length));
    assert.equal(body.total, 5);
  });

  test('a step giving too many buckets, or none, is a 400 naming step', async () => {
    assert.equal((await get<ErrorResponse>(`/api/v1/logs/histogram?${range}&step=1ms`, 400)).error.parameter, 'step');
    assert.equal((await get<ErrorResponse>(`/api/v1/logs/histogram?${range}&step=0s`, 400)).error.parameter, 'step');
    assert.equal((await get<ErrorResponse>(`/api/v1/logs/histogram?${range}&step=soon`, 400)).error.parameter, 'step');
  });
});
