import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createQueryApi } from '../../src/api/query-api.ts';
import { silentLogger } from '../../src/lib/log.ts';
import type { HistogramDataPoint, MetricsData } from '../../src/pdata/model.ts';
import { openStore } from '../../src/storage/index.ts';
import { histogramMetrics, str } from '../../src/storage/testdata/telemetry.ts';
import { tempDir } from '../helpers/tracehouse.ts';

// A point stored twice (an exporter's retry after a lost acknowledgement) counts
// once in the windows computed in SQL (src/storage/metric-window-sql.ts): the
// same histogram written once and written twice answer identically, over the
// aligned path (60 s step, a [5m] range) and the unaligned one (37 s step), with
// a counter drop and a restart (new start time) inside the range.

const T = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
const ns = (ms: number) => BigInt(ms) * 1_000_000n;

function data(): MetricsData {
  const points: HistogramDataPoint[] = [];
  for (const route of ['/a', '/b']) {
    for (let k = 0; k < 80; k++) {
      // A drop at k = 30 (same start time: a reset by value), a restart at k = 55.
      const startMs = k < 55 ? T - 1000 : T + 55 * 15_000 - 500;
      const n = k < 30 ? k : k < 55 ? k - 30 : k - 55;
      const counts = [BigInt(n), BigInt(2 * n + (route === '/a' ? 1 : 0)), BigInt(n % 7)];
      points.push({
        attributes: [str('http.route', route)],
        startTimeUnixNano: ns(startMs),
        timeUnixNano: ns(T + k * 15_000),
        count: counts.reduce((a, b) => a + b, 0n),
        sum: n * 0.3,
        bucketCounts: counts,
        explicitBounds: [0.1, 1],
        exemplars: [],
        flags: 0,
        min: undefined,
        max: undefined,
      });
    }
  }
  return histogramMetrics('dup', 'req.duration', points);
}

async function answers(writes: number): Promise<unknown[]> {
  const dir = await tempDir();
  try {
    const store = await openStore({ dataDir: dir.dir });
    try {
      for (let i = 0; i < writes; i++) await store.writer.writeMetrics(data());
      const app = createQueryApi({ reader: store.reader, logger: silentLogger });
      const out: unknown[] = [];
      for (const query of ['sum by (le, http_route) (rate(req_duration_seconds_bucket[5m]))', 'increase(req_duration_seconds_bucket[5m])']) {
        for (const step of ['60', '37']) {
          const params = { query, start: String((T + 5 * 60_000) / 1000), end: String((T + 20 * 60_000) / 1000), step };
          const res = await app.request(`/api/v1/query_range?${new URLSearchParams(params)}`);
          const body = (await res.json()) as { status: string; data: { result: unknown[] } };
          assert.equal(body.status, 'success', JSON.stringify(body));
          assert.ok(body.data.result.length > 0, `${query} step ${step}: no series`);
          out.push(body.data.result);
        }
      }
      return out;
    } finally {
      await store.close();
    }
  } finally {
    await dir.remove();
  }
}

test('points stored twice count once in SQL rate windows', { timeout: 60_000 }, async () => {
  const once = await answers(1);
  const twice = await answers(2);
  assert.deepEqual(twice, once);
});
