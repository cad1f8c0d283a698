import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TracesData } from '../pdata/model.ts';
import type { AttributeFilter, TelemetryStore, TraceQuery } from './api.ts';
import { bool, dbl, hex, int, MS, nowNs, resource, SECOND, span, str, tempStore, traces } from './testdata/telemetry.ts';

// searchTraces: each condition, that all conditions hold for the same span, the
// attribute operators on every value type and on resource attributes, and the
// per-trace summary.

let handle: Awaited<ReturnType<typeof tempStore>>;
let store: TelemetryStore;
const t0 = nowNs() - 120n * SECOND;
const [T1, T2, T3] = [hex(16), hex(16), hex(16)];
const payments = resource('payment-api');
const inventory = resource('inventory', [int('k8s.replicas', 3), dbl('cpu.limit', 0.5)]);
inventory.attributes[1] = str('deployment.environment', 'staging');

let seeded: TracesData[] = [];

before(async () => {
  handle = await tempStore();
  store = handle.store;
  const t1Root = hex(8);
  const t2Root = hex(8);
  const data: TracesData[] = [
    // T1: one fast EUR charge and one slow, failing USD charge.
    traces(payments, [
      span({ traceId: T1, spanId: t1Root, name: 'POST /payments', kind: 2, startTimeUnixNano: t0, endTimeUnixNano: t0 + 300n * MS }),
      span({ traceId: T1, parentSpanId: t1Root, name: 'payment.charge', startTimeUnixNano: t0 + MS, endTimeUnixNano: t0 + 11n * MS,
        attributes: [str('payment.currency', 'EUR'), dbl('payment.amount', 12.5), int('http.response.status_code', 200), bool('retry', false)] }),
      span({ traceId: T1, parentSpanId: t1Root, name: 'payment.charge', startTimeUnixNano: t0 + 20n * MS, endTimeUnixNano: t0 + 520n * MS,
        attributes: [str('payment.currency', 'USD'), dbl('payment.amount', 250), int('http.response.status_code', 402), bool('retry', true)],
        status: { code: 2, message: 'declined' } }),
    ]),
    // T2: inventory root calling payment-api.
    traces(inventory, [
      span({ traceId: T2, spanId: t2Root, name: 'GET /items/{item_id}', kind: 2, startTimeUnixNano: t0 + SECOND, endTimeUnixNano: t0 + SECOND + 50n * MS,
        attributes: [str('http.route', '/items/{item_id}'), int('http.response.status_code', 200)], status: { code: 1, message: '' } }),
    ]),
    traces(payments, [
      span({ traceId: T2, parentSpanId: t2Root, name: 'payment.validate', startTimeUnixNano: t0 + SECOND + 5n * MS, endTimeUnixNano: t0 + SECOND + 60n * MS }),
    ]),
    // T3: a slow EUR payment, in one span.
    traces(payments, [
      span({ traceId: T3, name: 'POST /payments', kind: 2, startTimeUnixNano: t0 + 2n * SECOND, endTimeUnixNano: t0 + 2n * SECOND + 600n * MS,
        attributes: [str('payment.currency', 'EUR'), dbl('payment.amount', 30)] }),
    ]),
  ];
  seeded = data;
  await Promise.all(data.map((d) => store.writer.writeTraces(d)));
});
after(async () => {
  await handle.close();
});

async function search(q: Partial<TraceQuery> = {}): Promise<string[]> {
  const found = await store.reader.searchTraces({ startNs: t0 - SECOND, endNs: t0 + 60n * SECOND, attributes: [], limit: 20, ...q });
  return found.map((t) => t.traceId);
}
const attr = (key: string, op: AttributeFilter['op'], value: string): Partial<TraceQuery> => ({ attributes: [{ key, op, value }] });

describe('searchTraces conditions', () => {
  test('no condition: every trace in range, newest first', async () => {
    assert.deepStrictEqual(await search(), [T3, T2, T1]);
    assert.deepStrictEqual(await search({ limit: 1 }), [T3]);
    assert.deepStrictEqual(await search({ startNs: t0 + SECOND + 500n * MS }), [T3]);
  });

  test('service and span name', async () => {
    assert.deepStrictEqual(await search({ service: 'inventory' }), [T2]);
    assert.deepStrictEqual(await search({ service: 'payment-api' }), [T3, T2, T1]);
    assert.deepStrictEqual(await search({ spanName: 'payment.charge' }), [T1]);
    assert.deepStrictEqual(await search({ spanName: 'nope' }), []);
  });

  test('duration bounds', async () => {
    assert.deepStrictEqual(await search({ minDurationNs: 400n * MS }), [T3, T1]);
    assert.deepStrictEqual(await search({ maxDurationNs: 20n * MS }), [T1]);
    assert.deepStrictEqual(await search({ minDurationNs: 40n * MS, maxDurationNs: 60n * MS }), [T2]);
  });

  test('status', async () => {
    assert.deepStrictEqual(await search({ status: 'error' }), [T1]);
    assert.deepStrictEqual(await search({ status: 'ok' }), [T2]);
    assert.deepStrictEqual(await search({ status: 'unset' }), [T3, T2, T1]);
  });

  test('all conditions hold for the same span', async () => {
    // T1 has an EUR span (fast) and a slow span (USD): not one span with both.
    assert.deepStrictEqual(await search({ ...attr('payment.currency', '=', 'EUR'), minDurationNs: 400n * MS }), [T3]);
    assert.deepStrictEqual(await search({ ...attr('payment.currency', '=', 'USD'), status: 'error', spanName: 'payment.charge' }), [T1]);
    assert.deepStrictEqual(await search({ ...attr('payment.currency', '=', 'EUR'), status: 'error' }), []);
    assert.deepStrictEqual(
      await search({ attributes: [{ key: 'payment.currency', op: '=', value: 'EUR' }, { key: 'payment.amount', op: '>', value: '100' }] }),
      [],
    );
  });
});

describe('attribute operators', () => {
  test('= on strings, ints, doubles and bools', async () => {
    assert.deepStrictEqual(await search(attr('payment.currency', '=', 'EUR')), [T3, T1]);
    assert.deepStrictEqual(await search(attr('http.response.status_code', '=', '402')), [T1]);
    assert.deepStrictEqual(await search(attr('http.response.status_code', '=', '200')), [T2, T1]);
    assert.deepStrictEqual(await search(attr('payment.amount', '=', '12.5')), [T1]);
    assert.deepStrictEqual(await search(attr('payment.amount', '=', '30')), [T3]);
    assert.deepStrictEqual(await search(attr('retry', '=', 'true')), [T1]);
    assert.deepStrictEqual(await search(attr('retry', '=', 'false')), [T1]);
    assert.deepStrictEqual(await search(attr('http.route', '=', '/items/{item_id}')), [T2]);
    assert.deepStrictEqual(await search(attr('missing', '=', '')), [], 'a missing key is not an empty string');
    assert.deepStrictEqual(await search(attr('missing', '=', '0')), [], 'a missing key is not 0');
    assert.deepStrictEqual(await search(attr('missing', '=', 'false')), [], 'a missing key is not false');
  });

  test('!= means the key exists with another value', async () => {
    assert.deepStrictEqual(await search(attr('payment.currency', '!=', 'EUR')), [T1]);
    assert.deepStrictEqual(await search(attr('payment.currency', '!=', 'GBP')), [T3, T1]);
    assert.deepStrictEqual(await search(attr('http.response.status_code', '!=', '200')), [T1]);
    assert.deepStrictEqual(await search(attr('retry', '!=', 'true')), [T1]);
    assert.deepStrictEqual(await search(attr('missing', '!=', 'x')), []);
  });

  test('> and < compare int and double attributes', async () => {
    assert.deepStrictEqual(await search(attr('http.response.status_code', '>', '300')), [T1]);
    assert.deepStrictEqual(await search(attr('http.response.status_code', '<', '300')), [T2, T1]);
    assert.deepStrictEqual(await search(attr('payment.amount', '>', '100')), [T1]);
    assert.deepStrictEqual(await search(attr('payment.amount', '<', '20')), [T1]);
    assert.deepStrictEqual(await search(attr('payment.amount', '>', '12.4')), [T3, T1]);
    assert.deepStrictEqual(await search(attr('payment.amount', '<', '-1')), [], 'a missing key is not 0');
    assert.deepStrictEqual(await search(attr('missing', '<', '5')), [], 'a missing key is not 0 (< 5)');
    assert.deepStrictEqual(await search(attr('missing', '>', '-5')), [], 'a missing key is not 0 (> -5)');
    assert.deepStrictEqual(await search(attr('payment.currency', '>', 'A')), [], 'strings do not compare');
  });

  test('resource attributes', async () => {
    assert.deepStrictEqual(await search(attr('deployment.environment', '=', 'staging')), [T2]);
    assert.deepStrictEqual(await search(attr('deployment.environment', '!=', 'staging')), [T3, T2, T1]);
    assert.deepStrictEqual(await search(attr('k8s.replicas', '>', '2')), [T2]);
    assert.deepStrictEqual(await search(attr('k8s.replicas', '=', '3')), [T2]);
    assert.deepStrictEqual(await search(attr('cpu.limit', '<', '1')), [T2]);
    assert.deepStrictEqual(await search({ ...attr('deployment.environment', '=', 'staging'), spanName: 'payment.validate' }), [],
      'the resource condition and the span name must hold for one span');
  });
});

describe('trace summaries', () => {
  test('root, start, duration, counts and services', async () => {
    const found = await store.reader.searchTraces({ startNs: t0 - SECOND, endNs: t0 + 60n * SECOND, attributes: [], limit: 20 });
    const byId = new Map(found.map((t) => [t.traceId, t]));
    assert.deepStrictEqual(byId.get(T1), {
      traceId: T1, rootServiceName: 'payment-api', rootSpanName: 'POST /payments', startTimeUnixNano: t0,
      durationNano: 520n * MS, spanCount: 3, errorCount: 1, services: ['payment-api'],
    });
    assert.deepStrictEqual(byId.get(T2), {
      traceId: T2, rootServiceName: 'inventory', rootSpanName: 'GET /items/{item_id}', startTimeUnixNano: t0 + SECOND,
      durationNano: 60n * MS, spanCount: 2, errorCount: 0, services: ['inventory', 'payment-api'],
    });
  });

  test('the summary covers the whole trace, not only the matching span', async () => {
    const [t1] = await store.reader.searchTraces({ startNs: t0 - SECOND, endNs: t0 + 60n * SECOND, spanName: 'payment.charge', attributes: [], limit: 5 });
    assert.equal(t1?.spanCount, 3);
    assert.equal(t1?.rootSpanName, 'POST /payments');
  });
});

describe('at-least-once delivery', () => {
  test('a request stored twice (a sender retried it) is read back once', async () => {
    await store.writer.writeTraces(seeded[3]!);
    const trace = await store.reader.getTrace(T3);
    assert.equal(trace!.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)).length, 1);
    const [summary] = await store.reader.searchTraces({ startNs: t0 - SECOND, endNs: t0 + 60n * SECOND, attributes: [], limit: 1 });
    assert.equal(summary!.traceId, T3);
    assert.equal(summary!.spanCount, 1);
  });
});
