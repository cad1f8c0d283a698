import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TracesData } from '../../pdata/model.ts';
import { ExportRequestStats, observeTraceRequests } from './export-requests.ts';

const request = (spansByService: Record<string, number>): TracesData => ({
  resourceSpans: Object.entries(spansByService).map(([name, n]) => ({
    resource: { attributes: [{ key: 'service.name', value: { type: 'string', value: name } }], droppedAttributesCount: 0 },
    scopeSpans: [{ scope: { name: 's', version: '', attributes: [], droppedAttributesCount: 0 }, spans: new Array(n).fill({}), schemaUrl: '' }],
    schemaUrl: '',
  })),
}) as unknown as TracesData;

const minute = 60_000;
const t0 = 1_764_620_400_000;

test('requests and spans are counted per service of each request, by minute', () => {
  const stats = new ExportRequestStats(t0);
  stats.record(request({ a: 1 }), t0);
  stats.record(request({ a: 1, b: 5 }), t0 + 1000);
  stats.record(request({ a: 3 }), t0 + minute);
  assert.deepEqual(stats.summary('a', t0, t0 + 2 * minute), { requests: 3, spans: 5, singleSpanRequests: 2, peakRequestsPerMinute: 2, countingSinceMs: t0 });
  assert.deepEqual(stats.summary('b', t0, t0 + 2 * minute), { requests: 1, spans: 5, singleSpanRequests: 0, peakRequestsPerMinute: 1, countingSinceMs: t0 });
  // A range that starts after the first minute sees only the second.
  assert.equal(stats.summary('a', t0 + minute, t0 + 2 * minute).requests, 1);
  assert.equal(stats.summary('unknown', t0, t0 + minute).requests, 0);
});

test('minutes older than 24 hours are dropped as new ones arrive', () => {
  const stats = new ExportRequestStats(t0);
  stats.record(request({ a: 1 }), t0);
  stats.record(request({ a: 1 }), t0 + 24 * 60 * minute);
  assert.equal(stats.summary('a', 0, t0 + 25 * 60 * minute).requests, 1);
});

test('the observer counts, then hands the request on unchanged', async () => {
  const stats = new ExportRequestStats(t0);
  const seen: TracesData[] = [];
  const consumer = observeTraceRequests({ consumeTraces: async (d) => { seen.push(d); return {}; } }, stats);
  const data = request({ a: 2 });
  await consumer.consumeTraces(data);
  assert.equal(seen[0], data);
  assert.equal(stats.summary('a', 0, Date.now() + minute).spans, 2);
});

test('a request the pipeline refuses is not counted (its resend will be)', async () => {
  const stats = new ExportRequestStats(t0);
  const consumer = observeTraceRequests({ consumeTraces: () => Promise.reject(new Error('storage unavailable')) }, stats);
  await assert.rejects(consumer.consumeTraces(request({ a: 1 })));
  assert.equal(stats.summary('a', 0, Date.now() + minute).requests, 0);
});
