import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BreakdownResponse, CompareResponse, CompareResult } from '../src/api/types.ts';
import { LARGE_AMOUNT, sendAnalysisSeed } from './helpers/analysis-seed.ts';
import type { SeedSummary } from './helpers/analysis-seed.ts';
import { startInProcess } from './helpers/tracehouse.ts';
import type { RunningTracehouse } from './helpers/tracehouse.ts';

// Root cause (issue 11) over seed-shaped traces from the OpenTelemetry JS SDK with
// planted causes (helpers/analysis-seed.ts): the breakdown and the comparison must
// name each cause, where it was found, and nothing on the clean control service.

let th: RunningTracehouse;
let seed: SeedSummary;

before(async () => {
  th = await startInProcess();
  seed = await sendAnalysisSeed(th.otlpUrl, 600);
});
after(async () => {
  await th?.stop();
});

async function get<T>(path: string): Promise<T> {
  const res = await fetch(`${th.apiUrl}${path}`);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as T;
}

const significant = (c: CompareResponse) => c.results.filter((r) => r.significance.significant);
const label = (r: CompareResult) => (r.kind === 'value' ? `${r.key}=${r.value}` : `${r.key}${r.threshold.op}${r.threshold.value}`);

test('breakdown: the slowest 5% of POST /payments spend their time in payment.charge', async () => {
  const b = await get<BreakdownResponse>('/api/v1/analysis/breakdown?service=payment-api');
  assert.equal(b.matchedTraces, 600);
  assert.equal(b.analyzedTraces, 600);
  assert.equal(b.sample, null);
  assert.ok(Math.abs(b.slowTraces - 30) <= 1, `slow traces: ${b.slowTraces}`);
  const top = b.operations[0]!;
  assert.equal(top.name, 'payment.charge');
  assert.ok(top.slow.share > 0.5, `payment.charge share of the slow set: ${top.slow.share}`);
  assert.equal(top.slow.criticalPathFraction, 1);
  const itself = b.operations.find((o) => o.itself)!;
  assert.equal(itself.name, 'POST /payments');
  // Every operation once a trace: 4 spans, shares adding up to 1.
  assert.deepEqual(b.operations.map((o) => o.all.traces), [600, 600, 600, 600]);
  const sum = b.operations.reduce((s, o) => s + o.all.share, 0);
  assert.ok(Math.abs(sum - 1) < 1e-9);
  // validate is where large amounts are slow: second in the slow set, well above its share of all.
  const validate = b.operations.find((o) => o.name === 'payment.validate')!;
  assert.ok(validate.slow.share > 1.5 * validate.all.share);
});

test('breakdown from a named span: payment.validate has no children, all of it is itself', async () => {
  const b = await get<BreakdownResponse>('/api/v1/analysis/breakdown?service=payment-api&spanName=payment.validate');
  assert.deepEqual(b.operations.map((o) => [o.name, o.itself]), [['payment.validate', true]]);
});

test('breakdown of a search result set: traces with a span where payment.currency=EUR, from their roots', async () => {
  const b = await get<BreakdownResponse>('/api/v1/analysis/breakdown?service=payment-api&traceAttr=payment.currency%3DEUR');
  assert.equal(b.analyzedTraces, seed.eurTraceIds.length);
  assert.equal(b.operations[0]!.name, 'payment.charge');
  assert.ok(b.operations[0]!.all.share > 0.9);
});

test('compare, slowest 5%: payment.currency = EUR on payment.validate first, then payment.amount by threshold', async () => {
  const c = await get<CompareResponse>('/api/v1/analysis/compare?service=payment-api');
  assert.ok(Math.abs(c.selection.traces - 30) <= 1, `selected: ${c.selection.traces}`);
  assert.equal(c.selection.traces + c.baseline.traces, 600);
  const [first, second] = c.results;
  assert.equal(first?.kind, 'value');
  assert.equal(label(first!), 'payment.currency=EUR');
  assert.deepEqual(first!.foundOn, { scope: 'span', service: 'payment-api', spanName: 'payment.validate', label: 'payment.validate span attribute (payment-api)' });
  assert.ok(first!.significance.significant);
  assert.equal(first!.kind === 'value' && first.baselineFraction, 0);
  for (const id of first!.exampleTraceIds) assert.ok(seed.eurTraceIds.includes(id), `example ${id} is an EUR trace`);
  assert.ok(first!.exampleTraceIds.length > 0);
  assert.equal(second?.kind, 'number');
  if (second?.kind !== 'number') return;
  assert.equal(second.key, 'payment.amount');
  assert.equal(second.threshold.op, '>');
  assert.ok(second.threshold.value >= 195 && second.threshold.value < 300, `threshold ${second.threshold.value}`);
  assert.ok(second.significance.significant);
  // Examples are selected traces above the threshold: large amounts (or an EUR payment just above it).
  assert.ok(second.exampleTraceIds.length > 0);
  for (const id of second.exampleTraceIds) assert.ok(seed.largeAmountTraceIds.includes(id) || seed.eurTraceIds.includes(id));
  assert.deepEqual(significant(c).map(label), ['payment.currency=EUR', `payment.amount>${second.threshold.value}`]);
  assert.ok(LARGE_AMOUNT > second.threshold.value);
  // Ids and timestamps are recognised and left out, with the reason.
  assert.deepEqual(c.leftOut.map((l) => l.key), ['payment.transaction_id', 'request.start_time', 'user.id']);
  assert.match(c.leftOut[0]!.reason, /high cardinality/);
});

test('compare, errors: JPY payments fail', async () => {
  const c = await get<CompareResponse>('/api/v1/analysis/compare?service=payment-api&selection=errors');
  assert.equal(c.selection.traces, seed.jpyTraceIds.length);
  const jpy = c.results.find((r) => label(r) === 'payment.currency=JPY')!;
  assert.ok(jpy.significance.significant);
  assert.equal(jpy.foundOn.spanName, 'payment.validate');
  assert.equal(jpy.significance.z, Math.max(...c.results.map((r) => r.significance.z)));
  // The status code the failure sets is the only other thing the errors share.
  assert.deepEqual(significant(c).map(label).sort(), ['http.response.status_code=402', 'payment.currency=JPY']);
});

test('compare, a filter as the selection: EUR traces share the slow charge, found on the validate span', async () => {
  const c = await get<CompareResponse>('/api/v1/analysis/compare?service=payment-api&selection=filter&selectionMinDuration=250ms');
  assert.equal(c.selection.traces, seed.eurTraceIds.length);
  assert.equal(label(c.results[0]!), 'payment.currency=EUR');
});

test('the clean control service: nothing significant, slow or failing', async () => {
  for (const selection of ['slow', 'errors']) {
    const c = await get<CompareResponse>(`/api/v1/analysis/compare?service=catalog-api&selection=${selection}`);
    assert.ok(c.selection.traces > 0);
    assert.deepEqual(significant(c).map(label), [], selection);
  }
  const b = await get<BreakdownResponse>('/api/v1/analysis/breakdown?service=catalog-api');
  assert.deepEqual(b.operations.map((o) => o.name), ['catalog.lookup', 'GET /items/{id}']);
});

test('a span stored twice counts once', async () => {
  // Resend the same SDK spans: at-least-once delivery.
  const before = await get<BreakdownResponse>('/api/v1/analysis/breakdown?service=catalog-api');
  const trace = await get<{ resourceSpans: unknown[] }>(`/api/v1/traces/${seed.eurTraceIds[0]}`);
  const res = await fetch(`${th.otlpUrl}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(trace) });
  assert.equal(res.status, 200);
  const b = await get<BreakdownResponse>('/api/v1/analysis/breakdown?service=payment-api');
  assert.equal(b.analyzedTraces, 600);
  assert.deepEqual(b.operations.map((o) => o.all.spans), [600, 600, 600, 600]);
  assert.equal(before.analyzedTraces, 600);
});

test('bad parameters are named', async () => {
  for (const [query, parameter] of [
    ['', 'service'],
    ['service=payment-api&selection=fastest', 'selection'],
    ['service=payment-api&selection=filter', 'selection'],
    ['service=payment-api&selection=filter&selectionAttr=nokey', 'selectionAttr'],
    ['service=payment-api&minDuration=soon', 'minDuration'],
  ] as const) {
    const res = await fetch(`${th.apiUrl}/api/v1/analysis/compare?${query}`);
    assert.equal(res.status, 400, query);
    const body = (await res.json()) as { error: { parameter: string } };
    assert.equal(body.error.parameter, parameter, query);
  }
});
