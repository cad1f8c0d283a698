import type { BuiltQuery } from './built-query.ts';
import type { WindowQuery, WindowValue } from './metric-series-api.ts';
import { labelValueSql, matcherSql } from './metric-series-sql.ts';
import { QueryParams } from './sql.ts';

// rate(), increase() and delta() of a range query computed in ClickHouse
// (bench/promql-bench.ts: shipping every raw point of 24 h of histograms to
// JavaScript took seconds). Exactly Prometheus 2.42's extrapolatedRate
// (promql/functions.go), per step window [t - range, t] (closed, as 2.x):
// 1. each series' points in time order; a point's reset contribution is the
//    previous value where the value fell (per bucket), or all of it where the
//    start time changed (a restart: src/query/metrics/prometheus-series.ts);
// 2. each point is copied to every step window that contains it (range / step
//    + 1 of them) and the windows are aggregated: sample count, first and last
//    time and value, the reset contributions of all but the window's first point;
// 3. the extrapolation to the window's edges (and the counter's zero point).
// Values are arrays: one element for sums and gauges, the cumulative bucket
// counts (one per `le`) for histogram buckets, [Count] or [Sum] for _count/_sum.
// Cumulative temporality and gauges only: the caller falls back to the
// point-by-point path for delta series. Staleness markers are left out, as
// range functions ignore them.

// A series' identity: cityHash64 rather than sipHash64, which over the maps was
// most of the statement (576,000 rows: 1.8 s against 0.23 s; 64 bits either way).
const HASH = 'cityHash64(AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, ExplicitBounds)';

const VALUE: Record<WindowValue, string> = {
  number: '[if(ValueType = 2, toFloat64(ValueInt), ValueDouble)]',
  bucket: 'arrayMap(x -> toFloat64(x), arrayCumSum(BucketCounts))',
  count: '[toFloat64(Count)]',
  sum: '[ifNull(Sum, nan)]',
};

export function metricWindowSql(q: WindowQuery): BuiltQuery {
  const p = new QueryParams();
  const first = p.bind('Int64', BigInt(q.firstEndMs));
  const step = p.bind('Int64', BigInt(q.stepMs));
  const range = p.bind('Int64', BigInt(q.rangeMs));
  const counter = q.func !== 'delta';
  const where = [
    `MetricName IN ${p.bind('Array(String)', q.metricNames)}`,
    `Kind IN ${q.value === 'number' ? `('gauge', 'sum')` : `('histogram')`}`,
    `AggregationTemporality != 1`,
    `bitAnd(Flags, 1) = 0`,
    `Timestamp >= fromUnixTimestamp64Milli(${first} - ${range})`,
    `Timestamp <= fromUnixTimestamp64Milli(${first} + ${step} * ${p.bind('Int64', BigInt(q.steps - 1))})`,
    ...q.matchers.map((m) => matcherSql(m, p)),
  ];
  const key = `MetricName, ResourceScopeId, SeriesHash`;
  const rangeS = `(${range} / 1000)`;
  const points = `
    SELECT ${key}, T, V,
      if(length(PrevV) = 0, arrayMap(x -> 0., V),
        if(S != 0 AND S != PrevS, PrevV, arrayMap((a, b) -> if(a < b, b, 0.), V, PrevV))) AS Contrib
    FROM (
      SELECT ${key}, T, V, S,
        lagInFrame(V) OVER w AS PrevV, lagInFrame(S) OVER w AS PrevS
      FROM (
        SELECT MetricName, ResourceScopeId, ${HASH} AS SeriesHash,
          toUnixTimestamp64Milli(Timestamp) AS T, toUnixTimestamp64Milli(StartTimestamp) AS S, ${VALUE[q.value]} AS V
        FROM metric_points
        WHERE ${where.join('\n          AND ')}
        LIMIT 1 BY MetricName, ResourceScopeId, SeriesHash, T
      )
      WINDOW w AS (PARTITION BY ${key} ORDER BY T ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    )`;
  const lastStep = p.bind('Int64', BigInt(q.steps - 1));
  const aligned = q.rangeMs % q.stepMs === 0;
  // sum by in an aligned window: the group labels and bounds ride along from the
  // per-step rows (any() per series and step), so no second scan and join.
  const carried = q.sumBy !== undefined && aligned ? [...q.sumBy.map((_s, i) => `G${i}`), 'Bounds'] : [];
  const carriedAny = carried.map((c) => `, any(${c}) AS ${c}`).join('');
  const carriedCols = carried.map((c) => `, ${c}`).join('');
  const carriedRead = q.sumBy !== undefined && aligned ? [...q.sumBy.map((source, i) => `${labelValueSql(source, p)} AS G${i}`), 'ExplicitBounds AS Bounds'].map((c) => `, ${c}`).join('') : '';
  // The reset contribution of sample c after sample p ((T, S, V) tuples).
  const contrib = (prev: string, cur: string) =>
    `if(${cur}.2 != 0 AND ${cur}.2 != ${prev}.2, ${prev}.3, arrayMap((a, b) -> if(a < b, b, 0.), ${cur}.3, ${prev}.3))`;
  // Per series and step b (the samples in (t_b - step, t_b]), by hash aggregation
  // rather than a sort of every sample: the step's samples sorted in an array
  // (a few), duplicates of a time dropped (points stored twice count once), the
  // contributions inside the step summed there; the contribution of the step's
  // first sample comes from the previous step's last, by a window over steps
  // (a quarter of the rows at 15 s samples and 60 s steps).
  const steps = `
        SELECT ${key}, B, Nb, FT, LT, FV, LV, IC${carriedCols},
          if(length(PrevV) = 0, arrayMap(x -> 0., FV),
            if(FS != 0 AND FS != PrevS, PrevV, arrayMap((a, b) -> if(a < b, b, 0.), FV, PrevV))) AS FC
        FROM (
          SELECT *, lagInFrame(LV) OVER w AS PrevV, lagInFrame(LS) OVER w AS PrevS
          FROM (
            SELECT ${key}, B${carriedCols}, length(A) AS Nb, A[1].1 AS FT, A[-1].1 AS LT, A[1].2 AS FS, A[-1].2 AS LS, A[1].3 AS FV, A[-1].3 AS LV,
              if(Nb = 1, arrayMap(x -> 0., FV), arrayReduce('sumForEach', arrayMap(i -> ${contrib('A[i - 1]', 'A[i]')}, range(2, Nb + 1)))) AS IC
            FROM (
              SELECT ${key}, B${carriedCols}, arrayFilter((x, i) -> i = 1 OR x.1 != Sorted[i - 1].1, Sorted, arrayEnumerate(Sorted)) AS A
              FROM (
                SELECT ${key}, toInt64(ceil((T - ${first}) / ${step})) AS B, arraySort(groupArray((T, S, V))) AS Sorted${carriedAny}
                FROM (
                  SELECT MetricName, ResourceScopeId, ${HASH} AS SeriesHash,
                    toUnixTimestamp64Milli(Timestamp) AS T, toUnixTimestamp64Milli(StartTimestamp) AS S, ${VALUE[q.value]} AS V${carriedRead}
                  FROM metric_points
                  WHERE ${where.join('\n                    AND ')}
                )
                GROUP BY ${key}, B
              )
            )
          )
          WINDOW w AS (PARTITION BY ${key} ORDER BY B ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
        )`;
  // Per window: sample count, first and last time and value, resets (all but the first sample's).
  const windows = aligned
    ? // The range a whole number k of steps: a window [t_W - range, t_W] is steps
      // W-k+1..W plus step W-k's last sample when it sits exactly at t_W - range
      // (2.x ranges are closed). k+1 copies of a step, not of every point.
      `
  SELECT ${key}, W${carriedAny},
    sum(if(IsB, 1, Nb)) AS N, min(if(IsB, LT, FT)) AS FirstT, max(LT) AS LastT,
    argMin(if(IsB, LV, FV), if(IsB, LT, FT)) AS FirstV, argMax(LV, LT) AS LastV,
    argMinIf(FC, B, NOT IsB) AS FirstFull,
    arrayMap((s, f) -> s - if(max(IsB), 0., f), sumForEachIf(arrayMap((i, c) -> i + c, IC, FC), NOT IsB), FirstFull) AS Resets
  FROM (
    SELECT * FROM (
      SELECT ${key}, B, Nb, FT, LT, FV, LV, FC, IC${carriedCols},
        arrayJoin(range(greatest(toInt64(0), B), least(${lastStep}, B + ${p.bind('Int64', BigInt(q.rangeMs / q.stepMs))}) + 1)) AS W,
        B = W - ${p.bind('Int64', BigInt(q.rangeMs / q.stepMs))} AS IsB
      FROM (${steps})
    )
    WHERE NOT IsB OR LT = ${first} + B * ${step}
  )
  GROUP BY ${key}, W`
      : `
  SELECT ${key}, W,
    count() AS N, min(T) AS FirstT, max(T) AS LastT, argMin(V, T) AS FirstV, argMax(V, T) AS LastV,
    arrayMap((s, f) -> s - f, sumForEach(Contrib), argMin(Contrib, T)) AS Resets
  FROM (
    SELECT *, arrayJoin(range(greatest(toInt64(0), toInt64(ceil((T - ${first}) / ${step}))),
      least(${lastStep}, toInt64(floor((T - ${first} + ${range}) / ${step}))) + 1)) AS W
    FROM (${points})
  )
  GROUP BY ${key}, W`;
  const perWindow = `
  SELECT ${key}, W${carriedCols},
    (LastT - FirstT) / 1000 AS Sampled, Sampled / (N - 1) AS Average,
    (FirstT - (${first} + W * ${step} - ${range})) / 1000 AS ToStart,
    (${first} + W * ${step} - LastT) / 1000 AS ToEnd,
    arrayMap((f, l, r) -> (l - f + ${counter ? 'r' : '0'}) * (Sampled
        + if(${counter ? `if(l - f + r > 0 AND f >= 0, least(ToStart, Sampled * (f / (l - f + r))), ToStart)` : 'ToStart'} < Average * 1.1,
             ${counter ? `if(l - f + r > 0 AND f >= 0, least(ToStart, Sampled * (f / (l - f + r))), ToStart)` : 'ToStart'}, Average / 2)
        + if(ToEnd < Average * 1.1, ToEnd, Average / 2)) / Sampled${q.func === 'rate' ? ` / ${rangeS}` : ''},
      FirstV, LastV, Resets) AS Result
  FROM (${windows})
  WHERE N >= 2`;
  const ids = (columns: string) => `SELECT MetricName, ResourceScopeId, ${HASH} AS SeriesHash, ${columns}
  FROM metric_points
  WHERE ${where.join('\n    AND ')}
  GROUP BY MetricName, ResourceScopeId, SeriesHash`;
  if (q.sumBy !== undefined) {
    // sum by (attribute labels[, le]) of the windows, in SQL too: one row per group
    // and bucket layout rather than per series (the bucket layout stays apart, and
    // `le` is the element of each result).
    const groups = q.sumBy.map((source, i) => `any(${labelValueSql(source, p)}) AS G${i}`);
    const names = q.sumBy.map((_s, i) => `G${i}`);
    const sql = `SELECT [${names.join(', ')}] AS Groups, Bounds, groupArray((W, Total)) AS Windows
FROM (
  SELECT ${[...names, 'Bounds'].join(', ')}, W, sumForEach(Result) AS Total
  FROM (${perWindow}) AS Windowed
  ${aligned ? '' : `ANY LEFT JOIN (${ids([...groups, 'any(ExplicitBounds) AS Bounds'].join(', '))}) AS Ids USING (MetricName, ResourceScopeId, SeriesHash)`}
  GROUP BY ${[...names, 'Bounds'].join(', ')}, W
)
GROUP BY Groups, Bounds`;
    return { sql, params: p };
  }
  // Attribute maps and bounds are read once per series (the join), not carried
  // through the per-window copies: that alone was most of the statement's time.
  const sql = `SELECT MetricName, toString(ResourceScopeId), Ids.AttrString, Ids.AttrInt, Ids.AttrDouble, Ids.AttrBool, Ids.AttrJson, Ids.Bounds, Windows
FROM (
  SELECT ${key}, groupArray((W, Result)) AS Windows
  FROM (${perWindow})
  GROUP BY ${key}
) AS Windowed
ANY LEFT JOIN (${ids(`any(AttributesString) AS AttrString, any(AttributesInt) AS AttrInt,
    any(AttributesDouble) AS AttrDouble, any(AttributesBool) AS AttrBool, any(AttributesJson) AS AttrJson, any(ExplicitBounds) AS Bounds`)}) AS Ids
USING (MetricName, ResourceScopeId, SeriesHash)`;
  return { sql, params: p };
}
