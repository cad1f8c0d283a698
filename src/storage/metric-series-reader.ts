import type { ClickHouseClient } from '@clickhouse/client';
import type { MetricKind } from '../pdata/model.ts';
import type { ReadOptions } from './api.ts';
import type { BuiltQuery } from './built-query.ts';
import { doubleFromCh } from './ch-values.ts';
import type { MetricSeriesReader, PointShape, StoredAttributeMaps, StoredExponentialSum, StoredPoint, StoredSeries } from './metric-series-api.ts';
import {
  metricAttributeKeysSql, metricCatalogSql, metricExemplarsSql, metricExponentialDeltaBaseSql, metricSeriesSql, originTimesSql, originsSql,
} from './metric-series-sql.ts';
import type { Json } from './otlp-json.ts';
import { selectCompactRows } from './read-query.ts';
import { redSpansSql } from './red-spans-sql.ts';
import { metricWindowSql } from './metric-window-sql.ts';

// MetricSeriesReader over ClickHouse: runs metric-series-sql.ts and shapes rows.

export function createMetricSeriesReader(client: ClickHouseClient): MetricSeriesReader {
  const run = (q: BuiltQuery, options: ReadOptions | undefined) => selectCompactRows(client, q.sql, q.params, options);
  return {
    async metricCatalog(startMs, endMs, options) {
      const rows = await run(metricCatalogSql(startMs, endMs), options);
      return rows.map((r) => ({
        name: String(r[0]),
        kind: r[1] as MetricKind,
        temporality: Number(r[2]),
        monotonic: r[3] === true,
        unit: String(r[4]),
        description: String(r[5]),
      }));
    },
    async metricAttributeKeys(metricNames, startMs, endMs, options) {
      if (metricNames.length === 0) return [];
      const rows = await run(metricAttributeKeysSql(metricNames, startMs, endMs), options);
      return rows.map((r) => String(r[0]));
    },
    async metricSeries(query, options) {
      if (query.metricNames.length === 0) return [];
      const rows = await run(metricSeriesSql(query), options);
      const bases = new Map<string, StoredExponentialSum[]>();
      if (query.shape === 'exponentialHistogram' && query.identitiesOnly !== true && rows.some((r) => Number(r[2]) === 1)) {
        for (const b of await run(metricExponentialDeltaBaseSql(query), options)) {
          bases.set(`${String(b[0])}\u0000${String(b[1])}\u0000${String(b[2])}`, (b[3] as unknown[][]).map(exponentialSumOf));
        }
      }
      return rows.map((r): StoredSeries => ({
        metricName: String(r[0]),
        resourceScopeId: String(r[1]),
        temporality: Number(r[2]),
        attributes: mapsOf(r.slice(3, 8)),
        deltaBase: doubleFromCh(r[8] as Json),
        deltaBaseSum: doubleFromCh(r[9] as Json),
        deltaBaseBuckets: (r[10] as string[]).map(Number),
        points: (r[11] as unknown[][]).map((t) => pointOf(query.shape, t)),
        deltaBaseExponential: bases.get(`${String(r[0])}\u0000${String(r[1])}\u0000${String(r[12])}`) ?? [],
      }));
    },
    async origins(ids, options) {
      if (ids.length === 0) return [];
      const rows = await run(originsSql(ids), options);
      return rows.map((r) => ({
        id: String(r[0]),
        serviceName: String(r[1]),
        resourceAttributes: mapsOf(r.slice(2, 7)),
        scopeName: String(r[7]),
        scopeVersion: String(r[8]),
      }));
    },
    async metricWindows(query, options) {
      if (query.metricNames.length === 0 || query.steps < 1) return [];
      const rows = await run(metricWindowSql(query), options);
      return rows.map((r) => {
        const valid = r[9] as Json[];
        return {
          metricName: String(r[0]),
          resourceScopeId: String(r[1]),
          attributes: mapsOf(r.slice(2, 7)),
          bounds: nums(r[7]),
          elements: (r[8] as Json[][]).map((vs) => vs.map((v, step) => (Number(valid[step]) > 0 ? doubleFromCh(v) : undefined))),
        };
      });
    },
    async metricWindowSums(query, options) {
      if (query.metricNames.length === 0 || query.steps < 1) return [];
      const rows = await run(metricWindowSql(query), options);
      return rows.map((r) => {
        // Totals: every element's windows one after another (metric-window-sql.ts); Present: series with a window.
        const totals = r[2] as Json[];
        const present = r[3] as Json[];
        const width = Math.round(totals.length / query.steps);
        return {
          groupValues: (r[0] as unknown[]).map(String),
          bounds: nums(r[1]),
          elements: Array.from({ length: width }, (_x, e) =>
            present.map((n, step) => (Number(n) > 0 ? doubleFromCh(totals[e * query.steps + step]) : undefined)),
          ),
        };
      });
    },
    async metricExemplars(metricNames, matchers, startMs, endMs, options) {
      if (metricNames.length === 0) return [];
      const rows = await run(metricExemplarsSql(metricNames, matchers, startMs, endMs), options);
      return rows.map((r) => ({
        metricName: String(r[0]),
        resourceScopeId: String(r[1]),
        attributes: mapsOf(r.slice(2, 7)),
        bounds: nums(r[7]),
        exemplars: (r[8] as string[]).flatMap((text) => (JSON.parse(text) as Array<Record<string, Json>>).map(exemplarOf)),
      }));
    },
    async serverSpanRed(input, options) {
      const rows = await run(redSpansSql(input), options);
      return rows.map((r) => {
        const q = (r[5] as Json[]).map(doubleFromCh);
        return {
          route: String(r[0]),
          bucket: r[1] === true || r[1] === 1 ? undefined : Number(r[2]),
          requests: Number(r[3]),
          errors: Number(r[4]),
          p50: (q[0] ?? 0) / 1e9,
          p95: (q[1] ?? 0) / 1e9,
          p99: (q[2] ?? 0) / 1e9,
        };
      });
    },
    async originTimes(startMs, endMs, matchers, options) {
      const rows = await run(originTimesSql(startMs, endMs, matchers), options);
      return rows.map((r) => ({ id: String(r[0]), timesMs: (r[1] as string[]).map(Number) }));
    },
  };
}

function mapsOf(r: unknown[]): StoredAttributeMaps {
  return {
    string: r[0] as Record<string, string>,
    int: r[1] as Record<string, string>,
    double: r[2] as Record<string, number | string>,
    bool: r[3] as Record<string, boolean>,
    json: r[4] as Record<string, string>,
  };
}

const nums = (v: unknown): number[] => (v as Json[]).map(doubleFromCh);

function pointOf(shape: PointShape, t: unknown[]): StoredPoint {
  const p: StoredPoint = {
    timeMs: Number(t[0]),
    startMs: Number(t[1]),
    flags: Number(t[2]),
    value: 0,
    count: 0,
    sum: null,
    bucketCounts: [],
    bounds: [],
    scale: 0,
    zeroCount: 0,
    zeroThreshold: 0,
    positiveOffset: 0,
    positiveCounts: [],
    negativeOffset: 0,
    negativeCounts: [],
    quantiles: [],
    quantileValues: [],
  };
  const sum = (v: unknown) => (v === null ? null : doubleFromCh(v as Json));
  switch (shape) {
    case 'number':
      p.value = doubleFromCh(t[3] as Json);
      break;
    case 'histogram':
      [p.count, p.sum, p.bucketCounts, p.bounds] = [Number(t[3]), sum(t[4]), nums(t[5]), nums(t[6])];
      break;
    case 'exponentialHistogram':
      p.count = Number(t[3]);
      p.sum = sum(t[4]);
      p.scale = Number(t[5]);
      p.zeroCount = Number(t[6]);
      p.zeroThreshold = doubleFromCh(t[7] as Json);
      p.positiveOffset = Number(t[8]);
      p.positiveCounts = nums(t[9]);
      p.negativeOffset = Number(t[10]);
      p.negativeCounts = nums(t[11]);
      break;
    case 'summary':
      [p.count, p.sum, p.quantiles, p.quantileValues] = [Number(t[3]), sum(t[4]), nums(t[5]), nums(t[6])];
      break;
  }
  return p;
}

/** A row of metricExponentialDeltaBaseSql's Bases: (scale, zero count, zero threshold, count, sum, (keys, counts) x 2). */
function exponentialSumOf(t: unknown[]): StoredExponentialSum {
  const pairs = (v: unknown) => {
    const [keys, counts] = v as [Json[], Json[]];
    return keys.map((k, i) => [Number(k), Number(counts[i])] as [number, number]);
  };
  return {
    scale: Number(t[0]),
    zeroCount: Number(t[1]),
    zeroThreshold: doubleFromCh(t[2] as Json),
    count: Number(t[3]),
    sum: doubleFromCh(t[4] as Json),
    positive: pairs(t[5]),
    negative: pairs(t[6]),
  };
}

/** An OTLP/JSON exemplar as stored (metric-encoder.ts exemplarsJson). */
function exemplarOf(e: Record<string, Json>) {
  const attrs: Record<string, string> = {};
  for (const kv of (e.filteredAttributes ?? []) as Array<{ key: string; value: Record<string, Json> }>) {
    const v = kv.value;
    attrs[kv.key] = String(v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue ?? '');
  }
  const value = 'asDouble' in e ? doubleFromCh(e.asDouble) : 'asInt' in e ? Number(e.asInt) : 0;
  return { timeUnixNano: String(e.timeUnixNano ?? '0'), value, traceId: String(e.traceId ?? ''), spanId: String(e.spanId ?? ''), filteredAttributes: attrs };
}
