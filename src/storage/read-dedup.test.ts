import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LogsData, MetricsData, TracesData } from '../pdata/model.ts';
import type { TelemetryStore } from './api.ts';
import { hex, logRecord, MS, nowNs, resource, SECOND, span, str, tempStore, traces } from './testdata/telemetry.ts';

// OTLP delivery is at-least-once: a sender retries a request whose answer it
// lost, or one refused with 503 after its rows landed, so the same request can be
// stored twice. Every read surface counts and returns what was sent once. The
// duplicates here are made the way they happen: the same request written twice
// through the real writer.

let handle: Awaited<ReturnType<typeof tempStore>>;
let store: TelemetryStore;
const t0 = nowNs() - 300n * SECOND;
const range = { startNs: t0 - SECOND, endNs: t0 + 60n * SECOND };
const traceId = hex(16);
const rootId = hex(8);
const scope = { name: 'dedup', version: '1', attributes: [], droppedAttributesCount: 0 };

const spans: TracesData = traces(resource('dedup-api'), [
  span({ traceId, spanId: rootId, name: 'GET /orders', kind: 2, startTimeUnixNano: t0, endTimeUnixNano: t0 + 50n * MS, status: { code: 2, message: 'boom' } }),
  span({ traceId, parentSpanId: rootId, name: 'db.query', startTimeUnixNano: t0 + MS, endTimeUnixNano: t0 + 40n * MS }),
  span({ traceId, parentSpanId: rootId, name: 'db.query', startTimeUnixNano: t0 + 41n * MS, endTimeUnixNano: t0 + 45n * MS }),
]);
const sameLine = (timeUnixNano: bigint) => logRecord({ timeUnixNano, traceId, spanId: rootId, body: { type: 'string', value: 'order failed' }, attributes: [str('order.id', '42')] });
const logs: LogsData = {
  resourceLogs: [
    {
      resource: resource('dedup-api'),
      // The same line logged twice a nanosecond apart is two records, not a duplicate.
      scopeLogs: [{ scope, logRecords: [sameLine(t0), sameLine(t0 + 1n)], schemaUrl: '' }],
      schemaUrl: '',
    },
  ],
};
const gauge = (value: number): MetricsData => ({
  resourceMetrics: [
    {
      resource: resource('dedup-api'),
      scopeMetrics: [
        {
          scope,
          metrics: [
            {
              name: 'queue.depth', description: '', unit: '1', metadata: [],
              data: { type: 'gauge', dataPoints: [0n, 1n].map((i) => ({
                attributes: [str('queue', 'orders')], startTimeUnixNano: 0n, timeUnixNano: t0 + i * SECOND, flags: 0, exemplars: [],
                value: { type: 'int' as const, value: BigInt(value) + i },
              })) },
            },
          ],
          schemaUrl: '',
        },
      ],
      schemaUrl: '',
    },
  ],
});

before(async () => {
  handle = await tempStore();
  store = handle.store;
  for (let i = 0; i < 2; i++) {
    await store.writer.writeTraces(spans);
    await store.writer.writeLogs(logs);
  }
  await store.writer.writeMetrics(gauge(7));
  // A retry whose value differs cannot be told from a duplicate of the series
  // at the same times: the series holds one value per timestamp.
  await store.writer.writeMetrics(gauge(7));
});
after(async () => {
  await handle.close();
});

describe('a request stored twice is read once', () => {
  test('services: spanCount counts each span once', async () => {
    assert.deepEqual(await store.reader.listServices(range), [{ name: 'dedup-api', spanCount: 3 }]);
  });

  test('trace by id and search: each span once; counts and duration of the summary', async () => {
    const trace = await store.reader.getTrace(traceId);
    assert.equal(trace!.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)).length, 3);
    const found = await store.reader.searchTraces({ ...range, spanName: 'db.query', attributes: [], limit: 10 });
    assert.equal(found.length, 1);
    assert.equal(found[0]!.spanCount, 3);
    assert.equal(found[0]!.errorCount, 1);
    assert.equal(found[0]!.durationNano, 50n * MS);
  });

  test('logs: a record equal in every field once; the same line a nanosecond later stays a record of its own', async () => {
    const found = await store.reader.searchLogs({ ...range, service: 'dedup-api', attributes: [], limit: 100 });
    assert.deepEqual(found.map((l) => l.record.timeUnixNano), [t0 + 1n, t0]);
    // The limit counts distinct records.
    assert.equal((await store.reader.searchLogs({ ...range, service: 'dedup-api', attributes: [], limit: 2 })).length, 2);
  });

  test('logs: the limit still counts distinct records when copies crowd the newest rows', async () => {
    // More copies at the top than the first read fetches (newest-distinct.ts asks again, deeper).
    const crowdT = t0 + 30n * SECOND;
    const copies: LogsData = {
      resourceLogs: [{ resource: resource('crowd-api'), scopeLogs: [{ scope, logRecords: [
        ...Array.from({ length: 150 }, () => sameLine(crowdT)),
        sameLine(crowdT - SECOND),
      ], schemaUrl: '' }], schemaUrl: '' }],
    };
    await store.writer.writeLogs(copies);
    const found = await store.reader.searchLogs({ ...range, service: 'crowd-api', attributes: [], limit: 2 });
    assert.deepEqual(found.map((l) => l.record.timeUnixNano), [crowdT, crowdT - SECOND]);
  });

  test('metric points: one point per series and timestamp', async () => {
    const got = await store.reader.metricPoints({ ...range, name: 'queue.depth', attributes: [], limit: 100 });
    const points = got.resourceMetrics.flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.flatMap((m) => (m.data?.type === 'gauge' ? m.data.dataPoints : []))));
    assert.deepEqual(points.map((p) => p.timeUnixNano), [t0 + SECOND, t0]);
  });
});
