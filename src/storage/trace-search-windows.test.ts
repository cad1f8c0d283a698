import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TelemetryStore, TraceQuery } from './api.ts';
import { hex, MS, nowNs, resource, SECOND, span, str, tempStore, traces } from './testdata/telemetry.ts';

// searchTraces reads its range backwards in growing windows (trace-reader.ts,
// newestMatches): matches anywhere in the range are found, newest first, a trace
// crossing a window boundary once, and summaries take in spans before the match.

const MINUTE = 60n * SECOND;
const HOUR = 60n * MINUTE;
const end = nowNs();
const eur = [str('payment.currency', 'EUR')];
const gbp = [str('payment.currency', 'GBP')];
const [RECENT, CROSSING, HOURS_AGO, DAY_AGO, USD, BUSY, QUIET] = [hex(16), hex(16), hex(16), hex(16), hex(16), hex(16), hex(16)];
const crossingRoot = hex(8);

let handle: Awaited<ReturnType<typeof tempStore>>;
let store: TelemetryStore;

before(async () => {
  handle = await tempStore({ retentionHours: 48 });
  store = handle.store;
  const api = resource('payment-api');
  await store.writer.writeTraces(
    traces(api, [
      span({ traceId: RECENT, name: 'payment.validate', startTimeUnixNano: end - 5n * MINUTE, attributes: eur }),
      // No trace id (a sender may leave it empty): matches, but is no trace to list.
      span({ traceId: '', name: 'payment.validate', startTimeUnixNano: end - 2n * MINUTE, attributes: eur }),
      span({ traceId: USD, name: 'payment.validate', startTimeUnixNano: end - 4n * MINUTE, attributes: [str('payment.currency', 'USD')] }),
      // Root 8 minutes before its matching child, which sits 1 s inside the
      // 16-minute window; the other match and the root are in the next one.
      span({ traceId: CROSSING, spanId: crossingRoot, name: 'POST /batch', kind: 2, startTimeUnixNano: end - 24n * MINUTE, endTimeUnixNano: end - 14n * MINUTE }),
      span({ traceId: CROSSING, parentSpanId: crossingRoot, name: 'payment.validate', startTimeUnixNano: end - 16n * MINUTE + SECOND, attributes: eur }),
      span({ traceId: CROSSING, parentSpanId: crossingRoot, name: 'payment.validate', startTimeUnixNano: end - 17n * MINUTE, attributes: eur }),
      span({ traceId: HOURS_AGO, name: 'payment.validate', startTimeUnixNano: end - 3n * HOUR, endTimeUnixNano: end - 3n * HOUR + 10n * MS, attributes: eur }),
      span({ traceId: DAY_AGO, name: 'payment.validate', startTimeUnixNano: end - 20n * HOUR, endTimeUnixNano: end - 20n * HOUR + 10n * MS, attributes: eur }),
      // In the last minute (one window), for the GBP search: a trace whose 30 matching
      // spans are newer than the one match of an older trace.
      ...Array.from({ length: 30 }, (_, i) =>
        span({ traceId: BUSY, name: 'payment.charge', startTimeUnixNano: end - 40n * SECOND + BigInt(i) * SECOND, attributes: gbp })),
      span({ traceId: QUIET, name: 'payment.charge', startTimeUnixNano: end - 50n * SECOND, attributes: gbp }),
    ]),
  );
});
after(async () => {
  await handle.close();
});

const search = async (q: Partial<TraceQuery>) =>
  (await store.reader.searchTraces({ startNs: end - 24n * HOUR, endNs: end, attributes: [{ key: 'payment.currency', op: '=', value: 'EUR' }], limit: 20, ...q }));

test('matches anywhere in the range, newest first, each trace once', async () => {
  const found = await search({});
  assert.deepStrictEqual(found.map((t) => t.traceId), [RECENT, CROSSING, HOURS_AGO, DAY_AGO]);
});

test('a small limit returns the newest', async () => {
  assert.deepStrictEqual((await search({ limit: 1 })).map((t) => t.traceId), [RECENT]);
  assert.deepStrictEqual((await search({ limit: 2 })).map((t) => t.traceId), [RECENT, CROSSING]);
});

test('a range ending in the past searches backwards from its own end', async () => {
  assert.deepStrictEqual((await search({ endNs: end - 2n * HOUR })).map((t) => t.traceId), [HOURS_AGO, DAY_AGO]);
  assert.deepStrictEqual((await search({ startNs: end - 21n * HOUR, endNs: end - 19n * HOUR })).map((t) => t.traceId), [DAY_AGO]);
});

test('a summary counts the spans before the first match', async () => {
  const crossing = (await search({})).find((t) => t.traceId === CROSSING);
  assert.equal(crossing?.spanCount, 3);
  assert.equal(crossing?.rootSpanName, 'POST /batch');
  assert.equal(crossing?.startTimeUnixNano, end - 24n * MINUTE);
});

test('a trace with many matching spans does not hide an older one in the same window', async () => {
  // limit 2: the window's newest 20 matching spans are all BUSY's, so it is grouped by trace.
  const found = await search({ limit: 2, attributes: [{ key: 'payment.currency', op: '=', value: 'GBP' }] });
  assert.deepStrictEqual(found.map((t) => t.traceId), [BUSY, QUIET]);
  assert.equal(found[0]?.spanCount, 30);
});
