import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { ClickHouseClient } from '@clickhouse/client';
import type { MetricsData, NumberDataPoint } from '../pdata/model.ts';
import type { StoredMetricInfo } from './metric-series-api.ts';
import { openStoreWithInternals } from './store.ts';
import { str, tempStore } from './testdata/telemetry.ts';

// The PromQL catalog (metricCatalogSql) reads whole minutes from metric_catalog
// (012_metric_catalog.sql) and only the partial minutes at the range's ends from
// the points. It must name exactly the metrics that have a point in [start, end]:
// checked against the GROUP BY over the points themselves (the statement before
// 012) on ranges that start and end on, just before and just after minute
// boundaries, inside one minute, and across gaps.

const MINUTE = 60_000;
const T = Math.floor((Date.now() - 2 * 3_600_000) / MINUTE) * MINUTE;
const ns = (ms: number) => BigInt(ms) * 1_000_000n;

function gauge(name: string, unit: string, times: number[]): MetricsData {
  const dataPoints: NumberDataPoint[] = times.map((ms, i) => ({
    attributes: [str('k', String(i % 2))],
    startTimeUnixNano: 0n,
    timeUnixNano: ns(ms),
    value: { type: 'double', value: i },
    exemplars: [],
    flags: 0,
  }));
  return {
    resourceMetrics: [{
      resource: { attributes: [str('service.name', 'payment-api')], droppedAttributesCount: 0 },
      scopeMetrics: [{
        scope: { name: 's', version: '', attributes: [], droppedAttributesCount: 0 },
        metrics: [{ name, description: `${name} described`, unit, metadata: [], data: { type: 'gauge', dataPoints } }],
        schemaUrl: '',
      }],
      schemaUrl: '',
    }],
  };
}

// Points on, just before and just after minute boundaries, and a gap of minutes
// 6-19 in which only one metric has points.
const DATA: MetricsData[] = [
  gauge('edge.first', '1', [T, T + MINUTE - 1, T + 5 * MINUTE + 30_000]),
  gauge('edge.second', 's', [T + MINUTE, T + 2 * MINUTE + 1, T + 20 * MINUTE + 59_999]),
  gauge('gap.filler', 'By', [T + 10 * MINUTE + 15_000, T + 12 * MINUTE]),
];

/** Ranges [start, end] in ms: boundaries exact and off by one ms, sub-minute, gaps, empty. */
function ranges(): Array<[number, number]> {
  const marks = [T - 1, T, T + 1, T + MINUTE - 1, T + MINUTE, T + MINUTE + 1, T + 2 * MINUTE, T + 2 * MINUTE + 1,
    T + 5 * MINUTE + 29_999, T + 5 * MINUTE + 30_000, T + 6 * MINUTE, T + 10 * MINUTE + 15_000, T + 12 * MINUTE,
    T + 12 * MINUTE + 1, T + 20 * MINUTE, T + 20 * MINUTE + 59_999, T + 21 * MINUTE];
  const out: Array<[number, number]> = [];
  for (const a of marks) for (const b of marks) if (a <= b) out.push([a, b]);
  return out;
}

/** The catalog as a GROUP BY over every point in the range (what 012 replaced). */
async function reference(client: ClickHouseClient, startMs: number, endMs: number): Promise<StoredMetricInfo[]> {
  const rs = await client.query({
    query: `SELECT MetricName, toString(Kind) AS Kind, AggregationTemporality, IsMonotonic, MetricUnit, any(MetricDescription) AS Description
      FROM metric_points
      WHERE Timestamp >= fromUnixTimestamp64Milli({s:Int64}) AND Timestamp <= fromUnixTimestamp64Milli({e:Int64})
      GROUP BY MetricName, Kind, AggregationTemporality, IsMonotonic, MetricUnit ORDER BY MetricName, Kind`,
    query_params: { s: startMs, e: endMs },
    format: 'JSONCompactEachRow',
  });
  return (await rs.json<unknown[]>()).map((r) => ({
    name: String(r[0]), kind: r[1] as StoredMetricInfo['kind'], temporality: Number(r[2]), monotonic: r[3] === true,
    unit: String(r[4]), description: String(r[5]),
  }));
}

/** A range end as an offset from T. */
const at = (ms: number) => `T${ms - T >= 0 ? '+' : ''}${ms - T}`;

async function assertExact(reader: { metricCatalog(s: number, e: number): Promise<StoredMetricInfo[]> }, client: ClickHouseClient): Promise<number> {
  let nonEmpty = 0;
  for (const [s, e] of ranges()) {
    const expected = await reference(client, s, e);
    assert.deepEqual(await reader.metricCatalog(s, e), expected, `range [${at(s)}, ${at(e)}]`);
    if (expected.length > 0) nonEmpty++;
  }
  return nonEmpty;
}

test('the catalog names exactly the metrics with a point in the range, at every minute edge', { timeout: 120_000 }, async () => {
  const h = await tempStore();
  try {
    for (const d of DATA) await h.store.writer.writeMetrics(d);
    // A second copy of a point (at-least-once delivery) changes nothing.
    await h.store.writer.writeMetrics(DATA[0]!);
    const read = h.internals.connections.read;
    const nonEmpty = await assertExact(h.store.reader, read);
    assert.ok(nonEmpty > 50, `most ranges hold points (${nonEmpty})`);
    // The same after the catalog's parts have merged into one row a minute.
    await h.internals.connections.write.command({ query: 'OPTIMIZE TABLE metric_catalog FINAL' });
    await assertExact(h.store.reader, read);
  } finally {
    await h.close();
  }
});

test('012 fills metric_catalog from the points already stored; later inserts add their minutes', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracehouse-migrate-012-'));
  try {
    const old = await openStoreWithInternals({ dataDir: dir }, { migrateThrough: 11 });
    for (const d of DATA.slice(0, 2)) await old.store.writer.writeMetrics(d);
    await old.store.close();

    const reopened = await openStoreWithInternals({ dataDir: dir });
    try {
      assert.deepEqual(reopened.internals.appliedMigrations, [12]);
      const read = reopened.internals.connections.read;
      assert.deepEqual((await reopened.store.reader.metricCatalog(T, T + 30 * MINUTE)).map((m) => m.name), ['edge.first', 'edge.second']);
      for (const d of DATA.slice(2)) await reopened.store.writer.writeMetrics(d);
      await assertExact(reopened.store.reader, read);
    } finally {
      await reopened.store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
