import type { BuiltQuery } from './built-query.ts';
import type { LabelSource, PointShape, ResolvedMatcher, SeriesQuery } from './metric-series-api.ts';
import { QueryParams } from './sql.ts';

// The SQL behind PromQL (src/query/promql/), built apart from running it so each
// statement is snapshot-tested (snapshots/promql-*.sql). What is pushed into
// ClickHouse: the metric names, every label matcher (regexes with match(), RE2
// as Prometheus's are, the pattern anchored and bound), the time range, the
// grouping of points into series, and the delta-to-cumulative base; JavaScript
// gets only the points of the matching series inside [start, end].
// Storage layout: 004_metric_points.sql (one table, Kind column),
// 009_metric_points_series_hash.sql (SeriesHash: the attribute maps' hash, the
// series identity within a metric and resource) and 001_resource_scopes.sql
// (job / instance / scope labels).

const KINDS_OF_SHAPE: Record<PointShape, string> = {
  number: `('gauge', 'sum')`,
  histogram: `('histogram')`,
  exponentialHistogram: `('exponentialHistogram')`,
  summary: `('summary')`,
};

/** Columns of each point, after (time ms, start ms, flags), by shape. */
const POINT_COLUMNS: Record<PointShape, string> = {
  number: 'if(ValueType = 2, toFloat64(ValueInt), ValueDouble)',
  histogram: 'Count, Sum, BucketCounts, ExplicitBounds',
  exponentialHistogram:
    'Count, Sum, Scale, ZeroCount, ZeroThreshold, PositiveOffset, PositiveBucketCounts, NegativeOffset, NegativeBucketCounts',
  summary: 'Count, Sum, Quantiles, QuantileValues',
};

const MINUTE_MS = 60_000;

const msParam = (p: QueryParams, ms: number): string => `fromUnixTimestamp64Milli(${p.bind('Int64', BigInt(ms))})`;

/**
 * Every stored metric with a point in the range (the naming input): the minutes
 * wholly inside the range from metric_catalog, the partial minutes at its ends
 * from the points themselves (012_metric_catalog.sql), so the answer is exactly
 * the metrics with a point in [start, end].
 */
export function metricCatalogSql(startMs: number, endMs: number): BuiltQuery {
  const p = new QueryParams();
  // Whole minutes [firstMinuteMs, endMinuteMs); when the range holds none, the
  // second part alone covers all of it.
  const firstMinuteMs = Math.ceil(startMs / MINUTE_MS) * MINUTE_MS;
  const endMinuteMs = Math.floor(endMs / MINUTE_MS) * MINUTE_MS;
  const first = p.bind('Int64', BigInt(firstMinuteMs));
  const end = p.bind('Int64', BigInt(endMinuteMs));
  const columns = 'MetricName, Kind, AggregationTemporality, IsMonotonic, MetricUnit, MetricDescription';
  const sql = `SELECT MetricName, toString(Kind) AS Kind, AggregationTemporality, IsMonotonic, MetricUnit,
  any(MetricDescription) AS Description
FROM (
  SELECT ${columns} FROM metric_catalog
  WHERE MinuteStartMs >= ${first} AND MinuteStartMs < ${end}
  UNION ALL
  SELECT ${columns} FROM metric_points
  WHERE Timestamp >= ${msParam(p, startMs)} AND Timestamp <= ${msParam(p, endMs)}
    AND (Timestamp < fromUnixTimestamp64Milli(${first}) OR Timestamp >= fromUnixTimestamp64Milli(${end}))
)
GROUP BY MetricName, Kind, AggregationTemporality, IsMonotonic, MetricUnit
ORDER BY MetricName, Kind`;
  return { sql, params: p };
}

/** Distinct point attribute keys of some metrics: which stored keys a label name stands for. */
export function metricAttributeKeysSql(metricNames: readonly string[], startMs: number, endMs: number): BuiltQuery {
  const p = new QueryParams();
  const sql = `SELECT DISTINCT arrayJoin(arrayConcat(mapKeys(AttributesString), mapKeys(AttributesInt), mapKeys(AttributesDouble),
  mapKeys(AttributesBool), mapKeys(AttributesJson))) AS Key
FROM metric_points
WHERE MetricName IN ${p.bind('Array(String)', metricNames)}
  AND Timestamp >= ${msParam(p, startMs)} AND Timestamp <= ${msParam(p, endMs)}
ORDER BY Key`;
  return { sql, params: p };
}

/**
 * The points of every matching series, one row a series (stored identity:
 * resource and scope id, metric name, temporality, attributes), points sorted
 * by time. Delta points before the range are not returned but summed
 * (DeltaBase), so a delta counter reads as the cumulative one Prometheus expects.
 */
export function metricSeriesSql(q: SeriesQuery): BuiltQuery {
  const p = new QueryParams();
  const lo = msParam(p, q.startMs);
  const where = [
    `MetricName IN ${p.bind('Array(String)', q.metricNames)}`,
    `Kind IN ${KINDS_OF_SHAPE[q.shape]}`,
    `Timestamp <= ${msParam(p, q.endMs)}`,
    // Deltas before the range only feed DeltaBase (exponential histograms:
    // metricExponentialDeltaBaseSql, as their scale can change between points).
    q.shape === 'number' || q.shape === 'histogram' ? `(Timestamp >= ${lo} OR AggregationTemporality = 1)` : `Timestamp >= ${lo}`,
    ...q.matchers.map((m) => matcherSql(m, p)),
  ];
  const base =
    q.shape === 'number'
      ? `sumIf(if(ValueType = 2, toFloat64(ValueInt), ValueDouble), Timestamp < ${lo})`
      : q.shape === 'histogram'
        ? `toFloat64(sumIf(Count, Timestamp < ${lo}))`
        : '0';
  const baseSum = q.shape === 'histogram' ? `sumIf(ifNull(Sum, 0), Timestamp < ${lo})` : '0';
  const baseBuckets = q.shape === 'histogram' ? `sumForEachIf(BucketCounts, Timestamp < ${lo})` : 'CAST([], \'Array(UInt64)\')';
  const point = `(toUnixTimestamp64Milli(Timestamp), toUnixTimestamp64Milli(StartTimestamp), Flags, ${POINT_COLUMNS[q.shape]})`;
  const sql = `SELECT MetricName, toString(ResourceScopeId) AS Origin, AggregationTemporality AS Temporality,
  any(AttributesString), any(AttributesInt), any(AttributesDouble), any(AttributesBool), any(AttributesJson),
  ${base} AS DeltaBase, ${baseSum} AS DeltaBaseSum, ${baseBuckets} AS DeltaBaseBuckets,
  ${q.identitiesOnly === true ? `[argMaxIf(${point}, Timestamp, Timestamp >= ${lo})]` : `arraySort(x -> x.1, groupArrayIf(${point}, Timestamp >= ${lo}))`} AS Points,
  toString(SeriesHash) AS Series
FROM metric_points
WHERE ${where.join('\n  AND ')}
GROUP BY MetricName, ResourceScopeId, AggregationTemporality, SeriesHash
HAVING countIf(Timestamp >= ${lo}) > 0`;
  return { sql, params: p };
}

/**
 * Delta exponential histograms: the sum of every point before the range, per
 * series and scale (points of one scale add bucket by bucket; JavaScript merges
 * the scales down to the coarsest, src/query/metrics/native-histogram.ts), so the
 * series reads as the cumulative histogram the Collector's deltatocumulative
 * processor would make. Bucket keys are OTLP indexes (offset + position).
 */
export function metricExponentialDeltaBaseSql(q: SeriesQuery): BuiltQuery {
  const p = new QueryParams();
  const where = [
    `MetricName IN ${p.bind('Array(String)', q.metricNames)}`,
    `Kind = 'exponentialHistogram'`,
    `AggregationTemporality = 1`,
    `Timestamp < ${msParam(p, q.startMs)}`,
    ...q.matchers.map((m) => matcherSql(m, p)),
  ];
  const buckets = (offset: string, counts: string) => `sumMap(arrayMap(k -> toInt64(${offset}) + k, range(length(${counts}))), ${counts})`;
  const sql = `SELECT MetricName, Origin, Series, groupArray((Scale, ZeroCount, ZeroThreshold, Count, Sum, Positive, Negative)) AS Bases
FROM (
  SELECT MetricName, toString(ResourceScopeId) AS Origin, toString(SeriesHash) AS Series, Scale,
    sum(ZeroCount) AS ZeroCount, max(ZeroThreshold) AS ZeroThreshold, sum(Count) AS Count, sum(ifNull(Sum, 0)) AS Sum,
    ${buckets('PositiveOffset', 'PositiveBucketCounts')} AS Positive, ${buckets('NegativeOffset', 'NegativeBucketCounts')} AS Negative
  FROM metric_points
  WHERE ${where.join('\n    AND ')}
  GROUP BY MetricName, ResourceScopeId, SeriesHash, Scale
)
GROUP BY MetricName, Origin, Series`;
  return { sql, params: p };
}

/** Resource and scope of some ResourceScopeIds (labels job, instance, otel_scope_*). */
export function originsSql(ids: readonly string[]): BuiltQuery {
  const p = new QueryParams();
  const sql = `SELECT toString(Id) AS Id, any(ServiceName), any(ResourceAttributesString), any(ResourceAttributesInt),
  any(ResourceAttributesDouble), any(ResourceAttributesBool), any(ResourceAttributesJson), any(ScopeName), any(ScopeVersion)
FROM resource_scopes
WHERE Id IN ${p.bind('Array(UInt64)', ids.map((id) => BigInt(id)))}
GROUP BY Id`;
  return { sql, params: p };
}

/** Per resource and scope with metric points in the range, the distinct point times (target_info samples). */
export function originTimesSql(startMs: number, endMs: number, matchers: readonly ResolvedMatcher[]): BuiltQuery {
  const p = new QueryParams();
  const where = [`Timestamp >= ${msParam(p, startMs)}`, `Timestamp <= ${msParam(p, endMs)}`, ...matchers.map((m) => matcherSql(m, p))];
  const sql = `SELECT toString(ResourceScopeId) AS Id, arraySort(groupUniqArray(toUnixTimestamp64Milli(Timestamp))) AS Times
FROM metric_points
WHERE ${where.join('\n  AND ')}
GROUP BY ResourceScopeId`;
  return { sql, params: p };
}

export function matcherSql(m: ResolvedMatcher, p: QueryParams): string {
  const { source } = m;
  if (source.type === 'attributes' || source.type === 'none') return condition(labelValueSql(source, p), m, p);
  // Resource and scope labels: a condition on resource_scopes, its ids here.
  return `ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ${condition(originLabelSql(source), m, p)})`;
}

function condition(expr: string, m: ResolvedMatcher, p: QueryParams): string {
  const v = p.bind('String', m.value);
  switch (m.op) {
    case '=':
      return `${expr} = ${v}`;
    case '!=':
      return `${expr} != ${v}`;
    case '=~':
      return `match(${expr}, ${v})`;
    case '!~':
      return `NOT match(${expr}, ${v})`;
  }
}

/** A label's value from point attributes, as src/query/metrics/prometheus-labels.ts renders it. */
export function labelValueSql(source: LabelSource, p: QueryParams): string {
  if (source.type !== 'attributes' || source.keys.length === 0) return `''`;
  const values = source.keys.map((key) => {
    const k = p.bind('String', key);
    return `multiIf(mapContains(AttributesString, ${k}), AttributesString[${k}], mapContains(AttributesInt, ${k}), toString(AttributesInt[${k}]),
      mapContains(AttributesDouble, ${k}), toString(AttributesDouble[${k}]), mapContains(AttributesBool, ${k}), if(AttributesBool[${k}], 'true', 'false'),
      AttributesJson[${k}])`;
  });
  return values.length === 1 ? values[0]! : `arrayStringConcat(arrayFilter(x -> x != '', [${values.join(', ')}]), ';')`;
}

function originLabelSql(source: Exclude<LabelSource, { type: 'attributes' } | { type: 'none' }>): string {
  switch (source.type) {
    case 'job':
      return `if(ResourceAttributesString['service.namespace'] = '', ServiceName, concat(ResourceAttributesString['service.namespace'], '/', ServiceName))`;
    case 'instance':
      return `ResourceAttributesString['service.instance.id']`;
    case 'scopeName':
      return 'ScopeName';
    case 'scopeVersion':
      return 'ScopeVersion';
  }
}

/** Exemplars (OTLP/JSON text) of the matching series in the range, for /api/v1/query_exemplars. */
export function metricExemplarsSql(metricNames: readonly string[], matchers: readonly ResolvedMatcher[], startMs: number, endMs: number): BuiltQuery {
  const p = new QueryParams();
  const where = [
    `MetricName IN ${p.bind('Array(String)', metricNames)}`,
    `Timestamp >= ${msParam(p, startMs)}`,
    `Timestamp <= ${msParam(p, endMs)}`,
    `Exemplars != '[]'`,
    ...matchers.map((m) => matcherSql(m, p)),
  ];
  const sql = `SELECT MetricName, toString(ResourceScopeId), any(AttributesString), any(AttributesInt), any(AttributesDouble), any(AttributesBool),
  any(AttributesJson), any(ExplicitBounds), groupArray(Exemplars)
FROM metric_points
WHERE ${where.join('\n  AND ')}
GROUP BY MetricName, ResourceScopeId, SeriesHash, cityHash64(ExplicitBounds)`;
  return { sql, params: p };
}
