import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ExportTraceServiceRequest } from '../../bench/otlp-protobufjs.ts';
import { startInProcess } from '../helpers/tracehouse.ts';
import type { RunningTracehouse } from '../helpers/tracehouse.ts';
import { sendTempoSeed } from './seed.ts';
import type { SeedName, Seeded } from './seed.ts';

// The Tempo API (src/api/tempo-routes.ts) against seed-shaped traces sent by the
// OpenTelemetry JS SDK: a TraceQL corpus with known answers, in the response
// shapes Grafana's Tempo data source parses (Tempo's api_docs and tempo.proto),
// the protobuf trace by id decoded with protobufjs and the OTLP .proto, and 400s
// naming what is not supported.

let th: RunningTracehouse;
let seed: Seeded;
const baseMs = Date.now() - 60_000;
const range = `start=${Math.floor(baseMs / 1000) - 60}&end=${Math.floor(baseMs / 1000) + 120}`;

before(async () => {
  th = await startInProcess();
  seed = await sendTempoSeed(th.otlpUrl, baseMs);
});
after(async () => {
  await th?.stop();
});

async function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${th.apiUrl}${path}`, { headers });
}
async function json<T = any>(path: string): Promise<T> {
  const res = await get(path);
  assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
  return (await res.json()) as T;
}
const search = (q: string, extra = '') => json(`/api/search?q=${encodeURIComponent(q)}&${range}${extra}`);
const names = (traces: { traceID: string }[]) => traces.map((t) => (Object.entries(seed.ids).find(([, id]) => id === t.traceID)?.[0] ?? t.traceID) as SeedName).sort();

const CHECKOUTS: SeedName[] = ['declined', 'eur', 'slow', 'usd'];
const ALL: SeedName[] = [...CHECKOUTS, 'worker'].sort() as SeedName[];

const corpus: [string, SeedName[]][] = [
  ['{}', ALL],
  ['{ true }', ALL],
  ['{ name = "payment.charge" }', CHECKOUTS],
  ['{ status = error }', ['declined']],
  ['{ span.payment.currency = "EUR" }', ['declined', 'eur']],
  ['{ span.payment.currency = "EUR" && duration > 5ms }', ['declined', 'eur']],
  ['{ .payment.currency = "EUR" } && { duration > 1s }', []],
  ['{ duration > 1s }', ['slow']],
  ['{ duration >= 1518ms && name = "payment.charge" }', ['slow']],
  ['{ duration < 7ms && name = "payment.validate" }', CHECKOUTS],
  ['{ kind = consumer }', ['worker']],
  ['{ kind = server && resource.service.name = "payment-api" }', CHECKOUTS],
  ['{ resource.service.name = "worker" }', ['worker']],
  ['{ resource.service.name =~ "pay.*" }', CHECKOUTS],
  ['{ resource.service.name =~ "pay" }', []],
  ['{ resource.service.name !~ "pay.*|frontend" }', ['worker']],
  ['{ name != "GET /checkout" && kind = server }', CHECKOUTS],
  ['{ span.payment.amount > 1000 }', ['declined']],
  ['{ span.payment.amount <= 42.25 }', ['eur', 'usd']],
  ['{ span.payment.retries = 3 }', ['declined']],
  ['{ span.payment.retries >= 1 }', ['declined', 'slow']],
  ['{ span.payment.card.tokenized = false }', ['declined']],
  ['{ .http.response.status_code = 402 }', ['declined']],
  ['{ .deployment.environment = "production" && name = "process order" }', ['worker']],
  ['{ resource.service.version = "2.1.0" && name = "payment.charge" }', CHECKOUTS],
  ['{ span.db.system = "postgresql" }', CHECKOUTS],
  ['{ span.db.system != "postgresql" }', []],
  ['{ span.payment.currency != "EUR" }', ['slow', 'usd']],
  ['{ span.payment.currency != nil }', CHECKOUTS],
  ['{ span.nothing.here = nil && name = "process order" }', ['worker']],
  ['{ rootName = "GET /checkout" }', CHECKOUTS],
  ['{ rootServiceName = "worker" }', ['worker']],
  ['{ traceDuration > 1s }', ['slow']],
  ['{ traceDuration < 50ms && rootServiceName = "frontend" }', ['declined', 'eur', 'usd']],
  ['{ span:name = "payment.validate" && trace:rootService = "frontend" }', CHECKOUTS],
  ['{ statusMessage = "card declined" }', ['declined']],
  ['{ name = "POST /payments" } > { name = "payment.charge" }', CHECKOUTS],
  ['{ name = "GET /checkout" } > { name = "payment.charge" }', []],
  ['{ name = "GET /checkout" } >> { name = "SELECT payments" }', CHECKOUTS],
  ['{ name = "SELECT payments" } >> { name = "GET /checkout" }', []],
  ['{ name = "payment.validate" } ~ { name = "payment.charge" }', CHECKOUTS],
  ['{ name = "payment.validate" } ~ { name = "SELECT payments" }', []],
  ['{ name = "payment.charge" } < { name = "POST /payments" }', CHECKOUTS],
  ['{ status = error } && { span.payment.currency = "EUR" }', ['declined']],
  ['{ status = error } || { kind = consumer }', ['declined', 'worker']],
  ['({ span.payment.currency = "EUR" } && { status = error }) || { duration > 1s }', ['declined', 'slow']],
  ['{ status = error || span.payment.retries > 0 }', ['declined', 'slow']],
  ['{ name = "payment.charge" && status = ok }', ['eur', 'slow', 'usd']],
  ['{ status = unset && kind = consumer }', ['worker']],
  ['{ resource.service.name = "payment-api" } | count() = 4', CHECKOUTS],
  ['{ resource.service.name = "payment-api" } | count() > 4', []],
  ['{ name = "payment.charge" } | avg(duration) > 1s', ['slow']],
  ['{ resource.service.name = "payment-api" } | max(duration) > 1s', ['slow']],
  ['{ kind = server } | min(duration) < 40ms', ['declined', 'eur', 'usd']],
  // The worker's spans arrived twice: a span is (trace id, span id), counted once.
  ['{ resource.service.name = "worker" } | count() = 2', ['worker']],
  ['{ resource.service.name = "worker" } | sum(duration) = 140ms', ['worker']],
];

test(`TraceQL corpus: ${corpus.length} queries against seeded traces`, async () => {
  assert.ok(corpus.length >= 40);
  for (const [q, expected] of corpus) {
    const body = await search(q);
    assert.deepEqual(names(body.traces), [...expected].sort(), q);
  }
});

test('search result shape: root, duration, spanSets with matched spans and compared attributes; limit and spss', async () => {
  const body = await search('{ span.payment.currency = "EUR" } | select(resource.service.version, span.payment.amount)', '&spss=1');
  const declined = body.traces.find((t: any) => t.traceID === seed.ids.declined);
  assert.equal(declined.rootServiceName, 'frontend');
  assert.equal(declined.rootTraceName, 'GET /checkout');
  assert.equal(declined.durationMs, 40);
  assert.equal(declined.startTimeUnixNano, (BigInt(baseMs + 1000) * 1_000_000n).toString());
  assert.equal(declined.spanSets[0].matched, 1);
  const [span] = declined.spanSet.spans;
  assert.equal(span.name, 'payment.validate');
  assert.equal(span.durationNanos, '6000000');
  assert.deepEqual(span.attributes, [
    { key: 'service.version', value: { stringValue: '2.1.0' } },
    { key: 'payment.currency', value: { stringValue: 'EUR' } },
  ]);
  assert.deepEqual(declined.serviceStats, { frontend: { spanCount: 1 }, 'payment-api': { spanCount: 4, errorCount: 2 } });
  const many = await search('{ resource.service.name = "payment-api" }', '&spss=2&limit=2');
  assert.equal(many.traces.length, 2);
  assert.deepEqual(names(many.traces), ['eur', 'slow'], 'newest first');
  for (const t of many.traces) assert.equal(t.spanSets[0].spans.length, 2);
  assert.equal(many.traces[0].spanSets[0].matched, 4);
});

test('search by tags, minDuration/maxDuration and start/end in seconds', async () => {
  const byTags = await json(`/api/search?tags=${encodeURIComponent('service.name=payment-api http.response.status_code=402')}&${range}`);
  assert.deepEqual(names(byTags.traces), ['declined']);
  const slow = await json(`/api/search?tags=${encodeURIComponent('name=payment.charge')}&minDuration=1s&${range}`);
  assert.deepEqual(names(slow.traces), ['slow']);
  const fast = await json(`/api/search?q=${encodeURIComponent('{ kind = server }')}&maxDuration=100ms&${range}`);
  assert.deepEqual(names(fast.traces), ['declined', 'eur', 'usd', 'worker'].filter((n) => n !== 'worker') as SeedName[]);
  const later = await json(`/api/search?q=%7B%7D&start=${Math.floor(baseMs / 1000) + 4}&end=${Math.floor(baseMs / 1000) + 120}`);
  assert.deepEqual(names(later.traces), ['eur', 'worker']);
});

test('trace by id: Tempo protobuf (v1 Trace, v2 TraceByIDResponse) decoded with the OTLP .proto, v2 JSON; Jaeger JSON on the shared path', async () => {
  const id = seed.ids.declined;
  const v1 = await get(`/api/traces/${id}`, { Accept: 'application/protobuf' });
  assert.equal(v1.status, 200);
  assert.equal(v1.headers.get('content-type'), 'application/protobuf');
  const decoded = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(new Uint8Array(await v1.arrayBuffer())), { longs: String, bytes: String }) as any;
  const spans = decoded.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans));
  assert.equal(spans.length, 5);
  assert.deepEqual(spans.map((s: any) => Buffer.from(s.traceId, 'base64').toString('hex')), Array(5).fill(id));
  const charge = spans.find((s: any) => s.name === 'payment.charge');
  assert.equal(charge.status.code, 2);
  assert.equal(BigInt(charge.endTimeUnixNano) - BigInt(charge.startTimeUnixNano), 18_000_000n);

  const v2 = await get(`/api/v2/traces/${id}`, { Accept: 'application/protobuf' });
  const bytes = new Uint8Array(await v2.arrayBuffer());
  assert.equal(bytes[0], 0x0a, 'TraceByIDResponse field 1, length-delimited');
  const inner = ExportTraceServiceRequest.decode(bytes.subarray(1 + varintLength(bytes, 1)));
  assert.equal((inner.toJSON() as any).resourceSpans.length, 2);

  const v2json = await json(`/api/v2/traces/${id}`);
  assert.equal(v2json.trace.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans)).length, 5);
  assert.equal((await get('/api/v2/traces/0123456789abcdef0123456789abcdef')).status, 404);
  assert.equal((await get('/api/v2/traces/nothex')).status, 400);

  // Jaeger's UI asks the same path for JSON: it gets Jaeger's {data: [...]}.
  const jaeger = await get(`/api/traces/${id}`);
  assert.equal(jaeger.status, 200);
  const jbody = (await jaeger.json()) as any;
  assert.ok(Array.isArray(jbody.data), 'Jaeger v1 shape');
});

function varintLength(bytes: Uint8Array, at: number): number {
  let n = 0;
  while ((bytes[at + n]! & 0x80) !== 0) n++;
  return n + 1;
}

test('echo, buildinfo, tags and tag values (v1 names, v2 scopes and typed values)', async () => {
  assert.equal(await (await get('/api/echo')).text(), 'echo');
  assert.match((await json('/api/status/buildinfo')).version, /^\d+\.\d+\.\d+/);
  const tags = await json(`/api/search/tags?${range}`);
  for (const t of ['payment.currency', 'service.name', 'db.system']) assert.ok(tags.tagNames.includes(t), t);
  const v2 = await json(`/api/v2/search/tags?${range}`);
  const scopes = Object.fromEntries(v2.scopes.map((s: any) => [s.name, s.tags]));
  assert.ok(scopes.resource.includes('service.name'));
  assert.ok(scopes.span.includes('payment.amount') && !scopes.span.includes('service.name'));
  assert.ok(scopes.intrinsic.includes('duration'));
  assert.deepEqual((await json(`/api/v2/search/tags?scope=intrinsic&${range}`)).scopes.map((s: any) => s.name), ['intrinsic']);
  const services = await json(`/api/search/tag/service.name/values?${range}`);
  assert.deepEqual([...services.tagValues].sort(), ['frontend', 'payment-api', 'worker']);
  const retries = await json(`/api/v2/search/tag/span.payment.retries/values?${range}`);
  assert.deepEqual(retries.tagValues.map((v: any) => `${v.type}:${v.value}`).sort(), ['int:0', 'int:1', 'int:3']);
  const status = await json(`/api/v2/search/tag/status/values?${range}`);
  assert.deepEqual(status.tagValues.map((v: any) => v.value), ['error', 'ok', 'unset']);
  const spanNames = await json(`/api/v2/search/tag/name/values?${range}`);
  assert.ok(spanNames.tagValues.some((v: any) => v.value === 'payment.charge' && v.type === 'string'));
});

test('TraceQL metrics: count_over_time, rate by service, histogram and quantile of duration, in Tempo series shape', async () => {
  const qr = (q: string, step = '60s') => json(`/api/metrics/query_range?q=${encodeURIComponent(q)}&${range}&step=${step}`);
  const count = await qr('{ name = "payment.charge" } | count_over_time()');
  assert.equal(count.series.length, 1);
  assert.deepEqual(count.series[0].labels, [{ key: '__name__', value: { stringValue: 'count_over_time' } }]);
  assert.equal(count.series[0].samples.reduce((s: number, x: any) => s + x.value, 0), 4);
  assert.match(count.series[0].samples[0].timestampMs, /^\d+$/);
  const rate = await qr('{ kind = server } | rate() by (resource.service.name)');
  const byService = Object.fromEntries(rate.series.map((s: any) => [s.labels[0].value.stringValue, s.samples.reduce((a: number, x: any) => a + x.value, 0) * 60]));
  assert.deepEqual(byService, { frontend: 4, 'payment-api': 4 });
  const worker = await qr('{ resource.service.name = "worker" } | count_over_time() by (name)');
  assert.deepEqual(worker.series.map((s: any) => [s.labels[0].key, s.labels[0].value.stringValue, s.samples.reduce((a: number, x: any) => a + x.value, 0)]).sort(), [['name', 'process order', 1], ['name', 'update inventory', 1]]);
  assert.equal(rate.series[0].labels[0].key, 'resource.service.name');
  const hist = await qr('{ name = "payment.charge" } | histogram_over_time(duration)');
  const buckets = Object.fromEntries(hist.series.map((s: any) => [s.labels.find((l: any) => l.key === '__bucket').value.doubleValue, s.samples.reduce((a: number, x: any) => a + x.value, 0)]));
  // 18 ms -> 2^25 ns, 1518 ms -> 2^31 ns (Tempo's Log2Bucketize), in seconds.
  assert.deepEqual(buckets, { [2 ** 25 / 1e9]: 3, [2 ** 31 / 1e9]: 1 });
  const instant = await json(`/api/metrics/query?q=${encodeURIComponent('{ status = error } | count_over_time() by (name)')}&${range}`);
  assert.deepEqual(instant.series.map((x: any) => [x.labels, x.value]).sort((a: any, b: any) => a[0][0].value.stringValue.localeCompare(b[0][0].value.stringValue)), [
    [[{ key: 'name', value: { stringValue: 'payment.charge' } }], 1],
    [[{ key: 'name', value: { stringValue: 'POST /payments' } }], 1],
  ]);
  const quant = await qr('{ name = "payment.charge" } | quantile_over_time(duration, 0.5, 0.99)', '300s');
  const ps = Object.fromEntries(quant.series.map((s: any) => [s.labels.find((l: any) => l.key === 'p').value.doubleValue, Math.max(...s.samples.map((x: any) => x.value))]));
  assert.ok(ps[0.5] > 2 ** 24 / 1e9 && ps[0.5] <= 2 ** 25 / 1e9, `p50 ${ps[0.5]}`);
  assert.ok(ps[0.99] > 2 ** 30 / 1e9 && ps[0.99] <= 2 ** 31 / 1e9, `p99 ${ps[0.99]}`);
});

test('unsupported or invalid TraceQL is a 400 naming the construct', async () => {
  const cases: [string, RegExp, string?][] = [
    ['{ event.name = "x" }', /event\. scope/],
    ['{ name = "a"', /syntax error/],
    ['{} | by(name)', /by\(\)/],
    ['{ span.a =~ "(" }', /invalid regular expression/],
    ['{ name = 1 }', /name = a int value/],
    ['{} | coalesce()', /coalesce/],
    ['{ .a = 1 } << { .b = 2 }', /spanset operator <</],
    ['{ .a = 1 } | max(span.x) > 2', /max\(\) of anything but duration/],
    ['{} | max_over_time(duration)', /metrics function max_over_time/, 'metrics'],
    ['{ name = "x" }', /not a metrics query/, 'metrics'],
    ['{ name = "x" } | rate()', /metrics query: send it to \/api\/metrics\/query_range/],
  ];
  for (const [q, message, where] of cases) {
    const path = where === 'metrics' ? `/api/metrics/query_range?q=${encodeURIComponent(q)}&${range}` : `/api/search?q=${encodeURIComponent(q)}&${range}`;
    const res = await get(path);
    const text = await res.text();
    assert.equal(res.status, 400, `${q}: ${res.status} ${text}`);
    assert.match(text, message, q);
  }
  assert.equal((await get(`/api/search?q=%7B%7D&start=later`)).status, 400);
  assert.match(await (await get(`/api/search?q=%7B%7D&spss=0`)).text(), /invalid parameter spss/);
  assert.equal((await get(`/api/search?tags=${encodeURIComponent('a="unterminated')}`)).status, 400);
});
