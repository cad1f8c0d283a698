import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startInProcess } from '../helpers/tracehouse.ts';
import type { RunningTracehouse } from '../helpers/tracehouse.ts';
import { assertMatrix, assertStreams, assertVector, entries, lineCount, lokiGet } from './loki-client.ts';
import { checkoutLine, declinedLine, REQUESTS, seedRequests, sendSeed, t0Ns } from './seed.ts';

// The LogQL corpus: queries over seed-shaped logs (seed.ts, sent with the
// OpenTelemetry JS SDK) with answers known from how the seed was made, checked in
// the shapes Grafana's Loki data source parses (loki-client.ts).

let th: RunningTracehouse;
const reqs = seedRequests();
const S = 1_000_000_000n;
const range = { start: String(t0Ns - 60n * S), end: String(t0Ns + 600n * S), limit: '1000' };
const count = (pred: (r: (typeof reqs)[number]) => boolean) => reqs.filter(pred).length;
const declined = reqs.filter((r) => r.declined);
const PAYMENT_LINES = REQUESTS + declined.length + 1;

before(async () => {
  th = await startInProcess();
  await sendSeed(th.otlpUrl);
  // At-least-once delivery: the same request sent twice is stored twice and read once.
  const dupe = {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'dupe-svc' } }] },
        scopeLogs: [{ logRecords: [0, 1, 2].map((i) => ({ timeUnixNano: String(t0Ns + BigInt(i) * S), severityNumber: 9, body: { stringValue: `dupe ${i}` } })) }],
      },
    ],
  };
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${th.otlpUrl}/v1/logs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(dupe) });
    assert.equal(res.status, 200);
  }
});
after(async () => {
  await th?.stop();
});

const logs = (query: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  lokiGet(th.apiUrl, '/loki/api/v1/query_range', { ...range, query, ...extra }, headers);
// (t0 - 5m, t0 + 5m] holds every seeded line (the last is at t0 + 290 s).
const instant = (query: string, timeNs = t0Ns + 300n * S) => lokiGet(th.apiUrl, '/loki/api/v1/query', { query, time: String(timeNs) });
const vectorValues = async (query: string) =>
  Object.fromEntries(assertVector(await instant(query)).map((s) => [JSON.stringify(s.metric), Number(s.value[1])]));

// Log queries: [query, lines expected].
const lineCases: Array<[string, number]> = [
  ['{service_name="payment-api"}', PAYMENT_LINES],
  ['{service_name="checkout"}', 10],
  ['{service_name=~"pay.*"}', PAYMENT_LINES],
  ['{service_name!="checkout", deployment_environment="production"}', PAYMENT_LINES],
  ['{deployment_environment="staging"}', 10],
  ['{k8s_pod_name="payment-api-7d9f"}', PAYMENT_LINES],
  ['{service_name=~"payment-api|checkout"}', PAYMENT_LINES + 10],
  ['{service_name="payment-api", service_version!~"2\\\\..*"}', PAYMENT_LINES],
  ['{service_name="payment-api"} |= "declined"', declined.length],
  ['{service_name="payment-api"} != "declined"', PAYMENT_LINES - declined.length],
  ['{service_name="payment-api"} |~ "amount=2[0-9]{2}"', count((r) => r.declined && r.amount >= 200 && r.amount < 300)],
  ['{service_name="payment-api"} !~ "level=(error|warn)"', PAYMENT_LINES - declined.length],
  ['{service_name="payment-api"} |= "EUR" or "cache"', count((r) => r.currency === 'EUR') + count((r) => r.declined && r.currency === 'EUR') + 1],
  ['{service_name="payment-api"} |= "DECLINED"', 0],
  ['{service_name="payment-api"} |~ "(?i)DECLINED"', declined.length],
  ['{service_name="payment-api"} |= "payment" |= "declined" != "USD"', count((r) => r.declined && r.currency === 'EUR')],
  ['{service_name="payment-api"} | json | currency="EUR"', count((r) => r.currency === 'EUR')],
  ['{service_name="payment-api"} | json | http_status >= 400', declined.length],
  ['{service_name="payment-api"} | json | amount > 300', count((r) => r.amount > 300)],
  ['{service_name="payment-api"} | json | amount >= 300 and currency="USD"', count((r) => r.amount >= 300 && r.currency === 'USD')],
  ['{service_name="payment-api"} | json | currency="EUR" or amount < 120', count((r) => r.currency === 'EUR' || r.amount < 120)],
  ['{service_name="payment-api"} | json | level="info" | currency!="EUR"', count((r) => r.currency !== 'EUR')],
  ['{service_name="payment-api"} | json | detected_level_extracted="info"', REQUESTS],
  ['{service_name="payment-api"} | json | currency=~"E.*", amount <= 150', count((r) => r.currency === 'EUR' && r.amount <= 150)],
  ['{service_name="payment-api"} | logfmt | level="error"', declined.length],
  ['{service_name="payment-api"} | logfmt | status == 402', declined.length],
  ['{service_name="payment-api"} | logfmt | msg="payment declined"', declined.length],
  ['{service_name="payment-api"} | logfmt | currency=~"E.."', count((r) => r.declined && r.currency === 'EUR')],
  [`{service_name="payment-api"} | trace_id="${reqs[3]!.traceId}"`, 1],
  [`{service_name="payment-api"} | trace_id="${reqs[0]!.traceId}"`, 2],
  [`{service_name="payment-api"} | span_id="${reqs[0]!.chargeSpanId}"`, 1],
  [`{service_name="payment-api"} | trace_id=~"${reqs[0]!.traceId.slice(0, 24)}.*" | detected_level="error"`, declined.length],
  ['{service_name="payment-api"} | detected_level="error"', declined.length],
  ['{service_name="payment-api"} | severity_text="INFO"', REQUESTS],
  ['{service_name="payment-api"} | payment_currency="EUR"', count((r) => r.currency === 'EUR')],
  ['{service_name="payment-api"} | payment_amount > 250', count((r) => r.amount > 250)],
  ['{service_name="payment-api"} | exception_type="PaymentDeclinedError"', declined.length],
  ['{service_name="payment-api"} | exception_type=""', PAYMENT_LINES - declined.length],
  ['{service_name="payment-api"} | __error__=""', PAYMENT_LINES],
  ['{service_name="payment-api"} | json | line_format "{{.currency}}" |= "EUR"', count((r) => r.currency === 'EUR')],
  ['{service_name="payment-api"} | line_format "{{ upper .detected_level }}: {{__line__}}" |= "ERROR: level=error"', declined.length],
  ['{service_name="payment-api"} | json currency="currency", st="http.status" | st="402"', declined.length],
  ['{service_name="payment-api"} | json amt="amount" | amt > 320', count((r) => r.amount > 320)],
  ['{service_name="payment-api"} | logfmt lvl="level" | lvl="error"', declined.length],
  ['{service_name="checkout"} |= "user=u3"', 1],
  ['{service_name="checkout"} | logfmt | user=~"u[0-4]"', 5],
  ['{service_name="dupe-svc"}', 3],
];

for (const [query, expected] of lineCases) {
  test(`lines: ${query}`, async () => {
    assert.equal(lineCount(assertStreams(await logs(query))), expected);
  });
}

test('streams without categorize-labels: every label in the stream, one stream per label set', async () => {
  const streams = assertStreams(await logs(`{service_name="payment-api"} | trace_id="${reqs[0]!.traceId}" | logfmt`));
  assert.equal(streams.length, 2);
  const error = streams.find((s) => s.stream.detected_level === 'error')!;
  assert.deepEqual(error.stream, {
    service_name: 'payment-api',
    service_version: '1.0.0',
    deployment_environment: 'production',
    k8s_pod_name: 'payment-api-7d9f',
    exception_type: 'PaymentDeclinedError',
    trace_id: reqs[0]!.traceId,
    span_id: reqs[0]!.chargeSpanId,
    severity_text: 'ERROR',
    detected_level: 'error',
    level: 'error',
    msg: 'payment declined',
    currency: 'EUR',
    amount: '100',
    status: '402',
  });
  assert.deepEqual(error.values, [[String(t0Ns + 2_000_000n), declinedLine(reqs[0]!)]]);
});

test('categorize-labels (Grafana): stream labels apart from structured metadata and parsed labels', async () => {
  const answer = await logs(`{service_name="payment-api"} | trace_id="${reqs[3]!.traceId}" | json`, {}, { 'X-Loki-Response-Encoding-Flags': 'categorize-labels' });
  const streams = assertStreams(answer);
  assert.deepEqual(answer.body.data.encodingFlags, ['categorize-labels']);
  assert.equal(streams.length, 1);
  assert.deepEqual(streams[0]!.stream, { service_name: 'payment-api', service_version: '1.0.0', deployment_environment: 'production', k8s_pod_name: 'payment-api-7d9f' });
  const [ts, line, extra] = streams[0]!.values[0]!;
  assert.equal(ts, String(t0Ns + 30n * S + 1_000_000n));
  assert.equal(line, reqs[3]!.body);
  assert.deepEqual(extra?.structuredMetadata, { trace_id: reqs[3]!.traceId, span_id: reqs[3]!.validateSpanId, severity_text: 'INFO', detected_level: 'info', payment_currency: 'EUR', payment_amount: '130' });
  assert.deepEqual(extra?.parsed, { level: 'info', msg: 'validating payment', amount: '130', currency: 'EUR', http_status: '200', detected_level_extracted: 'info' });
});

test('drop and keep remove labels from the streams', async () => {
  const dropped = assertStreams(await logs('{service_name="payment-api"} | drop trace_id, span_id, payment_amount | detected_level="error"'));
  assert.equal(lineCount(dropped), declined.length);
  for (const s of dropped) assert.deepEqual(Object.keys(s.stream).filter((k) => k.endsWith('_id') || k === 'payment_amount'), []);
  const kept = assertStreams(await logs('{service_name="payment-api"} | keep service_name, detected_level'));
  assert.deepEqual(kept.map((s) => s.stream.detected_level).sort(), ['debug', 'error', 'info']);
  for (const s of kept) assert.deepEqual(Object.keys(s.stream).sort(), ['detected_level', 'service_name']);
  assert.equal(lineCount(kept), PAYMENT_LINES);
});

test("Grafana's log volume query: sum by (level, detected_level) over | drop __error__", async () => {
  assert.deepEqual(await vectorValues('sum by (level, detected_level) (count_over_time({service_name="payment-api"} | drop __error__ [10m]))'), {
    '{"detected_level":"info"}': REQUESTS,
    '{"detected_level":"error"}': declined.length,
    '{"detected_level":"debug"}': 1,
  });
});

test('line_format renders labels and the line; a map body reads as plain JSON', async () => {
  const formatted = entries(assertStreams(await logs('{service_name="payment-api"} | json | line_format "{{.currency}} {{.amount}}" |~ "^[A-Z]+ [0-9]+$"', { direction: 'forward', limit: '2' })));
  assert.deepEqual(formatted.map((e) => e.line), ['EUR 100', 'USD 110']);
  const map = entries(assertStreams(await logs('{service_name="payment-api"} | detected_level="debug"')));
  assert.deepEqual(map.map((e) => e.line), ['{"event":"cache_miss","key":"k1"}']);
});

test('direction and limit: backward gives the newest lines first, forward the oldest', async () => {
  const newest = entries(assertStreams(await logs('{service_name="checkout"}', { limit: '3' })));
  assert.deepEqual(newest.map((e) => e.line), [checkoutLine(9), checkoutLine(8), checkoutLine(7)]);
  const oldest = entries(assertStreams(await logs('{service_name="checkout"}', { limit: '2', direction: 'forward' })));
  assert.deepEqual(oldest.map((e) => e.line), [checkoutLine(0), checkoutLine(1)]);
  assert.deepEqual(oldest.map((e) => e.ts), [t0Ns, t0Ns + 30n * S]);
});

test('times as RFC3339 and float seconds, POST form as Loki accepts', async () => {
  const startIso = new Date(Number((t0Ns + 60n * S) / 1_000_000n)).toISOString();
  const endSeconds = `${(t0Ns + 120n * S) / S}.5`;
  const answer = await logs('{service_name="checkout"}', { start: startIso, end: endSeconds });
  assert.equal(lineCount(assertStreams(answer)), 3); // 60 s, 90 s, 120 s
  const form = new URLSearchParams({ query: '{service_name="checkout"}', start: range.start, end: range.end, limit: '4' });
  const res = await fetch(`${th.apiUrl}/loki/api/v1/query_range`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form });
  assert.equal(lineCount(assertStreams({ status: res.status, text: '', body: await res.json() })), 4);
});

test('health check: vector(1)+vector(1) is 2, as an instant query', async () => {
  const result = assertVector(await lokiGet(th.apiUrl, '/loki/api/v1/query', { query: 'vector(1)+vector(1)' }));
  assert.equal(result.length, 1);
  assert.deepEqual(result[0]!.metric, {});
  assert.equal(result[0]!.value[1], '2');
});

test('arithmetic with LogQL precedence; a scalar instant query answers resultType scalar', async () => {
  const cases: Array<[string, string]> = [['2 * 3 + 1', '7'], ['1 + 2 * 3', '7'], ['(1 + 2) * 3', '9'], ['2 ^ 3 ^ 2', '512'], ['10 - 4 - 3', '3'], ['1 + 2 * 3 ^ 2 - 4 % 3', '18']];
  for (const [query, expected] of cases) {
    const answer = await instant(query);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.data.resultType, 'scalar');
    assert.deepEqual(answer.body.data.result, [Number(t0Ns / 1_000_000n) / 1000 + 300, expected], query);
  }
  assert.deepEqual(await vectorValues(`sum(count_over_time({service_name="payment-api"} |= "declined" [10m])) * 2 + 1`), { '{}': 2 * declined.length + 1 });
});

test('metric: sum(count_over_time) of the declined lines, instant', async () => {
  assert.deepEqual(await vectorValues('sum(count_over_time({service_name="payment-api"} |= "declined" [10m]))'), { '{}': declined.length });
});

test('metric: sum by (detected_level) (count_over_time)', async () => {
  assert.deepEqual(await vectorValues('sum by (detected_level) (count_over_time({service_name="payment-api"}[10m]))'), {
    '{"detected_level":"info"}': REQUESTS,
    '{"detected_level":"error"}': declined.length,
    '{"detected_level":"debug"}': 1,
  });
});

test('metric: sum by (service_name) (rate) over resource labels', async () => {
  const v = await vectorValues('sum by (service_name) (rate({deployment_environment=~".+"}[10m]))');
  assert.deepEqual(Object.keys(v).sort(), ['{"service_name":"checkout"}', '{"service_name":"payment-api"}']);
  assert.ok(Math.abs(v['{"service_name":"payment-api"}']! - PAYMENT_LINES / 600) < 1e-12);
  assert.ok(Math.abs(v['{"service_name":"checkout"}']! - 10 / 600) < 1e-12);
});

test('metric: bytes_over_time and bytes_rate count the line bytes', async () => {
  const bytes = Array.from({ length: 10 }, (_, i) => Buffer.byteLength(checkoutLine(i))).reduce((a, b) => a + b, 0);
  assert.deepEqual(await vectorValues('sum(bytes_over_time({service_name="checkout"}[10m]))'), { '{}': bytes });
  assert.deepEqual(await vectorValues('sum(bytes_rate({service_name="checkout"}[10m]))'), { '{}': bytes / 600 });
});

test('metric: a range query steps through (t - range, t] windows', async () => {
  const m = assertMatrix(
    await lokiGet(th.apiUrl, '/loki/api/v1/query_range', { query: 'sum(count_over_time({service_name="payment-api"} | json | currency="EUR" [1m]))', start: String(t0Ns), end: String(t0Ns + 360n * S), step: '60' }),
  );
  const t0s = Number(t0Ns / S);
  assert.deepEqual(m, [{ metric: {}, values: [1, 2, 3, 4, 5].map((k) => [t0s + 60 * k, '2']) }]);
});

test('metric: a step shorter than the range slides the window', async () => {
  const m = assertMatrix(
    await lokiGet(th.apiUrl, '/loki/api/v1/query_range', { query: 'sum(count_over_time({service_name="payment-api"} |= "validating" [1m]))', start: String(t0Ns), end: String(t0Ns + 300n * S), step: '30s' }),
  );
  const t0s = Number(t0Ns / S);
  assert.deepEqual(m[0]!.values, [[t0s + 30, '3'], ...[2, 3, 4, 5, 6, 7, 8, 9, 10].map((k) => [t0s + 30 * k, '6'])]);
});

test('metric: topk, avg, min, max and count over sum by', async () => {
  const inner = 'sum by (detected_level) (count_over_time({service_name="payment-api"}[10m]))';
  assert.deepEqual(await vectorValues(`topk(1, ${inner})`), { '{"detected_level":"info"}': REQUESTS });
  assert.deepEqual(await vectorValues(`avg(${inner})`), { '{}': PAYMENT_LINES / 3 });
  assert.deepEqual(await vectorValues(`min(${inner})`), { '{}': 1 });
  assert.deepEqual(await vectorValues(`max(${inner})`), { '{}': REQUESTS });
  assert.deepEqual(await vectorValues(`count(${inner})`), { '{}': 3 });
});

test('metric: sum without drops the named labels; arithmetic with scalars', async () => {
  const v = await vectorValues('sum without (trace_id, span_id, severity_text, detected_level, payment_currency, payment_amount, exception_type) (count_over_time({service_name="payment-api"}[10m]))');
  assert.deepEqual(v, { [JSON.stringify({ service_version: '1.0.0', deployment_environment: 'production', k8s_pod_name: 'payment-api-7d9f', service_name: 'payment-api' })]: PAYMENT_LINES });
  assert.deepEqual(await vectorValues(`sum(count_over_time({service_name="payment-api"}[10m])) / ${PAYMENT_LINES} * 2`), { '{}': 2 });
  assert.deepEqual(await vectorValues('sum(count_over_time({service_name="dupe-svc"}[10m]))'), { '{}': 3 });
});

test('metric: count_over_time without aggregation keeps one series per label set', async () => {
  const v = assertVector(await instant(`count_over_time({service_name="payment-api"} |= "declined" [10m])`));
  assert.equal(v.length, declined.length);
  assert.deepEqual(new Set(v.map((s) => s.metric.trace_id)), new Set(declined.map((r) => r.traceId)));
});

test('labels, label values, series, index/stats, buildinfo', async () => {
  const labels = await lokiGet(th.apiUrl, '/loki/api/v1/labels', range);
  assert.deepEqual(labels.body, { status: 'success', data: ['deployment_environment', 'k8s_pod_name', 'service_name', 'service_version'] });
  const values = await lokiGet(th.apiUrl, '/loki/api/v1/label/service_name/values', range);
  assert.deepEqual(values.body.data, ['checkout', 'dupe-svc', 'payment-api']);
  const env = await lokiGet(th.apiUrl, '/loki/api/v1/label/deployment_environment/values', { ...range, query: '{service_name="checkout"}' });
  assert.deepEqual(env.body.data, ['staging']);
  const series = await lokiGet(th.apiUrl, '/loki/api/v1/series', { ...range, 'match[]': '{deployment_environment="staging"}' });
  assert.deepEqual(series.body, { status: 'success', data: [{ deployment_environment: 'staging', service_name: 'checkout' }] });
  const stats = await lokiGet(th.apiUrl, '/loki/api/v1/index/stats', { ...range, query: '{service_name="checkout"}' });
  const bytes = Array.from({ length: 10 }, (_, i) => Buffer.byteLength(checkoutLine(i))).reduce((a, b) => a + b, 0);
  assert.deepEqual(stats.body, { streams: 1, chunks: 1, entries: 10, bytes });
  const build = await lokiGet(th.apiUrl, '/loki/api/v1/status/buildinfo');
  assert.equal(typeof build.body.version, 'string');
});
