import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createQueryApi } from '../api/query-api.ts';
import { silentLogger } from '../lib/log.ts';
import type { HistogramDataPoint, MetricsData } from '../pdata/model.ts';
import type { TelemetryStore } from './api.ts';
import { openStoreWithInternals } from './store.ts';
import { histogramMetrics, str, tempStore } from './testdata/telemetry.ts';

// Migration 011 (metric_series, the attributes of each series): the window
// statements take a series' labels from it (metric-window-sql.ts), so points
// stored before the migration must be in it once the migration ran, and points
// stored after it get there with their insert. A store that went through 011 with
// old points answers as one that never had them before 011.

const T = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
const ns = (ms: number) => BigInt(ms) * 1_000_000n;

function histograms(routes: string[]): MetricsData {
  const points: HistogramDataPoint[] = routes.flatMap((route, r) =>
    Array.from({ length: 60 }, (_, k) => ({
      attributes: [str('http.route', route)],
      startTimeUnixNano: ns(T - 1000),
      timeUnixNano: ns(T + k * 15_000),
      count: BigInt(3 * k * (r + 1)),
      sum: k * 0.5,
      bucketCounts: [BigInt(k * (r + 1)), BigInt(2 * k * (r + 1)), 0n],
      explicitBounds: [0.1, 1],
      exemplars: [],
      flags: 0,
      min: undefined,
      max: undefined,
    })));
  return histogramMetrics('payment-api', 'req.duration', points);
}

/** The query API's answers to a sum by route and to the per-series rate (both window statements). */
async function answers(store: TelemetryStore): Promise<Array<Array<{ metric: Record<string, string>; values: unknown[] }>>> {
  const app = createQueryApi({ reader: store.reader, logger: silentLogger });
  const out = [];
  for (const query of ['sum by (le, http_route) (rate(req_duration_seconds_bucket[5m]))', 'rate(req_duration_seconds_bucket[5m])']) {
    const params = { query, start: String((T + 5 * 60_000) / 1000), end: String((T + 14 * 60_000) / 1000), step: '60' };
    const body = (await (await app.request(`/api/v1/query_range?${new URLSearchParams(params)}`)).json()) as {
      status: string; data: { result: Array<{ metric: Record<string, string>; values: unknown[] }> };
    };
    assert.equal(body.status, 'success', JSON.stringify(body));
    out.push(body.data.result.sort((a, b) => JSON.stringify(a.metric).localeCompare(JSON.stringify(b.metric))));
  }
  return out;
}

const routesOf = (result: Array<{ metric: Record<string, string> }>) => [...new Set(result.map((s) => s.metric.http_route))].sort();

test('011 fills metric_series from the points already stored; later inserts add their series', { timeout: 60_000 }, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracehouse-migrate-011-'));
  let expected;
  try {
    const old = await openStoreWithInternals({ dataDir: dir }, { migrateThrough: 10 });
    await old.store.writer.writeMetrics(histograms(['/a', '/b']));
    await old.store.close();

    const reopened = await openStoreWithInternals({ dataDir: dir });
    assert.deepEqual(reopened.internals.appliedMigrations, [11, 12]);
    const before = await answers(reopened.store);
    for (const result of before) assert.deepEqual(routesOf(result), ['/a', '/b'], 'every series has its route label');
    assert.ok(before[1]!.every((s) => s.metric.job === 'payment-api' && s.metric.le !== undefined));

    await reopened.store.writer.writeMetrics(histograms(['/c']));
    const after = await answers(reopened.store);
    for (const result of after) assert.deepEqual(routesOf(result), ['/a', '/b', '/c'], 'a series stored after 011 has its route label');
    expected = after;
    await reopened.store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  // The same points in a store that never lacked metric_series.
  const fresh = await tempStore();
  try {
    await fresh.store.writer.writeMetrics(histograms(['/a', '/b']));
    await fresh.store.writer.writeMetrics(histograms(['/c']));
    assert.deepEqual(await answers(fresh.store), expected);
  } finally {
    await fresh.close();
  }
});
