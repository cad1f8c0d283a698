import type { BuiltQuery } from './built-query.ts';
import type { WindowQuery, WindowValue } from './metric-series-api.ts';
import { matcherSql } from './metric-series-sql.ts';
import { QueryParams } from './sql.ts';

// rate(), increase() and delta() of a range query computed in ClickHouse
// (bench/promql-bench.ts: shipping every raw point of 24 h of histograms to
// JavaScript took seconds). Exactly Prometheus 2.42's extrapolatedRate
// (promql/functions.go), per step window [t - range, t] (closed, as 2.x).
//
// One row per series, its samples and its steps as dense arrays, the windows as
// index arithmetic on them (no copy of a sample per window, no sort of every
// sample, no `le` rows):
// 1. the series' samples sorted by time and de-duplicated (points stored twice
//    count once), the values transposed to one array per element (one element
//    for sums and gauges, the cumulative bucket count per `le` for buckets);
// 2. a sample's reset contribution is the previous value where the value fell
//    (per element), or all of it where the start time changed (a restart:
//    src/query/metrics/prometheus-series.ts), and CC their running sum, so the
//    resets inside a window are CC[last] - CC[first];
// 3. the first and last sample of every window: hi(w) = #samples <= t_w and
//    lo(w) = #samples < t_w - range, + 1, both non-decreasing in w, so a
//    sample's "multiplicity" (how many windows have it as last / first) is a
//    difference of its and its neighbour's step index, and gathering any
//    per-sample array at hi or lo is arrayFlatten(arrayWithConstant(m, x)):
//    linear, and no lambda captures a long array (ClickHouse replicates a
//    captured array for every element the lambda runs on: quadratic);
// 4. the extrapolation to the window's edges (and the counter's zero point).
// Only the samples that are some window's first or last (Use: a quarter of them
// at a 15 s scrape and 60 s step) are transposed into per-element arrays and
// gathered from, and the resets are computed only for a series that has one
// (a value below the one before it, or a new start time); for the others they
// are zeros. Both cut what runs per element and sample, which was most of the
// statement's CPU time.
// Measured on the bench's data (docs/ARCHITECTURE.md, PromQL): the statement
// went from ~5 s to ~0.45 s, and from ~0.9 s to ~0.75 s of CPU with Use and
// the reset shortcut.
// Cumulative temporality and gauges only: the caller falls back to the
// point-by-point path for delta series. Staleness markers are left out, as
// range functions ignore them.

const VALUE: Record<WindowValue, string> = {
  number: '[if(ValueType = 2, toFloat64(ValueInt), ValueDouble)]',
  bucket: 'arrayCumSum(BucketCounts)',
  count: '[Count]',
  sum: '[ifNull(Sum, nan)]',
};

/** Samples (each an array of one value per element) -> per element, its values as Float64. */
const floats = (samples: string) => `arrayMap(ve -> arrayMap(x -> toFloat64(x), ve), ${samples})`;

/** arr gathered at the windows' first (lo) or last (hi) sample: `steps` elements. */
const gather = (arr: string, multiplicity: string) => `arrayFlatten(arrayMap((x, m) -> arrayWithConstant(m, x), ${arr}, ${multiplicity}))`;

export function metricWindowSql(q: WindowQuery): BuiltQuery {
  const p = new QueryParams();
  const counter = q.func !== 'delta';
  const lastEnd = `fromUnixTimestamp64Milli(First + Step * (Steps - 1))`;
  const where = [
    `MetricName IN ${p.bind('Array(String)', q.metricNames)}`,
    `Kind IN ${q.value === 'number' ? `('gauge', 'sum')` : `('histogram')`}`,
    `AggregationTemporality != 1`,
    `bitAnd(Flags, 1) = 0`,
    `Timestamp >= fromUnixTimestamp64Milli(First - Range)`,
    `Timestamp <= ${lastEnd}`,
    // A point without buckets has no `le` samples (and would misalign the transposition).
    ...(q.value === 'bucket' ? ['length(BucketCounts) = length(ExplicitBounds) + 1'] : []),
    ...q.matchers.map((m) => matcherSql(m, p)),
  ];
  // Within a bucket layout: new bounds make new `le` series (Prometheus sees other labels).
  const identity = `MetricName, ResourceScopeId, SeriesHash${q.value === 'bucket' ? ', cityHash64(ExplicitBounds)' : ''}`;
  // Identity per series. Its attributes are joined in from metric_series by
  // SeriesHash at the end (011_metric_series.sql): taken here, they would be a read
  // of the five maps of every point.
  const carriedCols = q.sumBy === undefined ? 'MetricName, Origin, SeriesHash' : 'SeriesHash';
  const carried = q.sumBy === undefined ? 'MetricName, toString(ResourceScopeId) AS Origin, SeriesHash' : 'SeriesHash';
  // Per window: the extrapolated increase (Prometheus 2.42 extrapolatedRate); 0 where fewer than 2 samples.
  const toStart = counter ? `if(inc > 0 AND lv >= 0, least(toStart0, sampled * (lv / inc)), toStart0)` : 'toStart0';
  const result = `arrayMap((valid, lv, hv, dc, sampled, thr, half, toStart0, toEnd) -> if(valid = 0, 0.,
          ((hv - lv${counter ? ' + dc' : ''}) AS inc) * (sampled
            + if((${toStart} AS toStart) < thr, toStart, half) + toEnd) / sampled${q.func === 'rate' ? ' / (Range / 1000)' : ''}),
        Valid, ${gather('vu', 'MloU')}, ${gather('vu', 'MhiU')}, ${counter ? 'dcs' : 'Valid'},
        Sampled, Thr, Half, ToStart, EndTerm)`;
  // The resets inside each window (CC[hi] - CC[lo]) per element, over every sample, then
  // filtered to the used ones; zeros for a series without a reset. The branch is fed an
  // empty array for those, so it costs nothing even where if() evaluates both branches.
  const resets = `if(AnyReset, arrayMap(ve -> arrayMap((h, l) -> h - l,
        ${gather('(arrayFilter((x, u) -> u, arrayCumSum(arrayMap((v, p, r) -> if(r OR v < p, p, 0.), ve, arrayPushFront(arrayPopBack(ve), 0.), Restart)), Use) AS cu)', 'MhiU')},
        ${gather('cu', 'MloU')}), ${floats('arrayTranspose(if(AnyReset, SK, []))')}), arrayWithConstant(Width, arrayWithConstant(Steps, 0.)))`;
  const perSeries = `
  SELECT ${carriedCols}, Bounds, Valid,
    arrayMap((vu, dcs) -> ${result}, ${floats('arrayTranspose(arrayFilter((x, u) -> u, SK, Use))')}, ${counter ? resets : 'range(Width)'}) AS R
  FROM (
    SELECT ${carriedCols}, Bounds, Width, SK, Restart, Use, MhiU, MloU,
      -- A value below the one before it (any element: the samples one after another, flat) or a new
      -- start time (the first sample's flag has nothing before it to reset).
      ${counter ? `arrayExists(r -> r, arrayPopFront(Restart))
        OR arrayExists((v, p) -> v < p, arraySlice(arrayFlatten(SK) AS FS, Width + 1), arraySlice(FS, 1, length(FS) - Width)) AS AnyReset,` : ''}
      -- Only the samples that are some window's first or last (Use) are gathered from.
      arrayFilter((m, u) -> u, Mhi, Use) AS MhiU,
      arrayFilter((m, u) -> u, Mlo, Use) AS MloU,
      ${gather('(arrayFilter((t, u) -> u, T, Use) AS TU)', 'MhiU')} AS HiT,
      ${gather('TU', 'MloU')} AS LoT,
      ${gather('(arrayFilter((i, u) -> u, range(1, length(T) + 1), Use) AS IU)', 'MhiU')} AS HiI,
      ${gather('IU', 'MloU')} AS LoI,
      -- Windows before the first sample were given to the first, those after the last to the last: invalid by their times.
      arrayMap((h, l, w) -> toUInt8(h > l AND h <= First + w * Step AND l >= First + w * Step - Range), HiT, LoT, range(0, Steps)) AS Valid,
      arrayMap((h, l) -> (h - l) / 1000, HiT, LoT) AS Sampled,
      arrayMap((s, h, l) -> s / (h - l), Sampled, HiI, LoI) AS Avg,
      -- Prometheus's extrapolation threshold and half an interval; the end's term is the same for every element.
      arrayMap(a -> a * 1.1, Avg) AS Thr,
      arrayMap(a -> a / 2, Avg) AS Half,
      arrayMap((l, w) -> (l - (First + w * Step - Range)) / 1000, LoT, range(0, Steps)) AS ToStart,
      arrayMap((h, w, t, a) -> if((First + w * Step - h) / 1000 AS e < t, e, a), HiT, range(0, Steps), Thr, Half) AS EndTerm
    FROM (
      SELECT ${carriedCols}, Bounds, Width, T, SK, Restart,
        -- hi: a sample is the last of windows Bhi(i)..Bhi(i+1)-1, lo: the first of windows Blo(i-1)..Blo(i)-1.
        arrayMap(t -> least(greatest(toInt64(ceil((t - First) / Step)), 0), Steps), T) AS Bhi,
        arrayMap((b, nb) -> nb - b, arrayPushFront(arrayPopFront(Bhi), 0), arrayPushBack(arrayPopFront(Bhi), Steps)) AS Mhi,
        arrayMap(t -> least(greatest(toInt64(floor((t - First + Range) / Step)) + 1, 0), Steps), T) AS Blo,
        arrayMap((b, pb) -> b - pb, arrayPushBack(arrayPopBack(Blo), Steps), arrayPushFront(arrayPopBack(Blo), 0)) AS Mlo,
        arrayMap((a, b) -> a + b > 0, Mhi, Mlo) AS Use
      FROM (
        SELECT ${carriedCols}, Bounds, Width,
          arrayMap((t, p) -> t != p, Ts, arrayPushFront(arrayPopBack(Ts), -1)) AS Keep,
          arrayFilter((x, k) -> k, Ts, Keep) AS T,
          arrayMap((s, p) -> s != 0 AND s != p, arrayFilter((x, k) -> k, Ss, Keep) AS S, arrayPushFront(arrayPopBack(S), 0)) AS Restart,
          -- The samples (each an array of Width values) sorted by time, duplicates dropped (no copy when there are none).
          arraySort((x, t) -> t, arraySplit((x, i) -> (i - 1) % Width = 0, F, arrayEnumerate(F)), T0) AS SA,
          if(arrayAll(k -> k, Keep), SA, arrayFilter((x, k) -> k, SA, Keep)) AS SK
        FROM (
          SELECT ${carriedCols}, Bounds, Width, T0, F, arraySort(T0) AS Ts, arraySort((x, t) -> t, S0, T0) AS Ss
          FROM (
            SELECT ${carried}, any(ExplicitBounds) AS Bounds, any(length(${VALUE[q.value]})) AS Width,
              groupArray(toUnixTimestamp64Milli(Timestamp)) AS T0, groupArray(toUnixTimestamp64Milli(StartTimestamp)) AS S0,
              groupArrayArray(${VALUE[q.value]}) AS F
            FROM metric_points
            WHERE ${where.join('\n              AND ')}
            GROUP BY ${identity}
          )
        )
      )
    )
  )`;
  const head = `WITH ${p.bind('Int64', BigInt(q.firstEndMs))} AS First, ${p.bind('Int64', BigInt(q.stepMs))} AS Step,
  ${p.bind('Int64', BigInt(q.rangeMs))} AS Range, ${p.bind('Int64', BigInt(q.steps))} AS Steps`;
  // One row an attribute set of these metrics. Joined after the per-series
  // arithmetic, which then runs on as many threads as the scan (joined before it,
  // the statement took longer though it used less CPU).
  const attributes = `(SELECT SeriesHash, any(AttributesString) AS AttrString, any(AttributesInt) AS AttrInt,
    any(AttributesDouble) AS AttrDouble, any(AttributesBool) AS AttrBool, any(AttributesJson) AS AttrJson
  FROM metric_series
  WHERE MetricName IN ${p.bind('Array(String)', q.metricNames)}
  GROUP BY SeriesHash)`;
  if (q.sumBy !== undefined) {
    // sum by (attribute labels[, le]): one row per group and bucket layout, the
    // windows of every element one after another (element-major), and per window
    // how many series had one (0: the group has no sample there). Summed per
    // attribute set first, so the group values are computed once a set.
    const sql = `${head}
SELECT [${q.sumBy.map((label) => groupValueSql(label, p)).join(', ')}] AS Groups, Bounds,
  sumForEach(Totals) AS Totals, sumForEach(Present) AS Present
FROM (
  SELECT SeriesHash, Bounds, sumForEach(arrayFlatten(R)) AS Totals, sumForEach(Valid) AS Present
  FROM (${perSeries})
  GROUP BY SeriesHash, Bounds
) AS w LEFT JOIN ${attributes} AS a USING (SeriesHash)
GROUP BY Groups, Bounds`;
    return { sql, params: p };
  }
  const sql = `${head}
SELECT MetricName, Origin, AttrString, AttrInt, AttrDouble, AttrBool, AttrJson, Bounds, R, Valid
FROM (${perSeries}) AS w LEFT JOIN ${attributes} AS a USING (SeriesHash)`;
  return { sql, params: p };
}

/**
 * A label's value in one series: its attributes whose key sanitises to the label
 * (src/query/metrics/prometheus-naming.ts sanitizeLabelName, the same rules in
 * SQL), values rendered as labelValueSql does, several joined by ';' in key order.
 * sanitizeLabelName replaces UTF-16 code units and RE2 here code points: a
 * character past U+FFFF is two underscores in both.
 */
function groupValueSql(label: string, p: QueryParams): string {
  const sanitized = `replaceRegexpAll(replaceRegexpAll(k, ${p.bind('String', '[\\x{10000}-\\x{10FFFF}]')}, '__'), '[^A-Za-z0-9_]', '_')`;
  const name = `multiIf(match(${sanitized}, '^[0-9]'), concat('key_', ${sanitized}),
      startsWith(${sanitized}, '_') AND NOT startsWith(${sanitized}, '__'), concat('key', ${sanitized}), ${sanitized})`;
  const keys = `arraySort(arrayFilter(k -> ${name} = ${p.bind('String', label)},
      arrayConcat(mapKeys(AttrString), mapKeys(AttrInt), mapKeys(AttrDouble), mapKeys(AttrBool), mapKeys(AttrJson))))`;
  const value = `multiIf(mapContains(AttrString, k), AttrString[k], mapContains(AttrInt, k), toString(AttrInt[k]),
      mapContains(AttrDouble, k), toString(AttrDouble[k]), mapContains(AttrBool, k), if(AttrBool[k], 'true', 'false'), AttrJson[k])`;
  return `arrayStringConcat(arrayFilter(x -> x != '', arrayMap(k -> ${value}, ${keys})), ';')`;
}
