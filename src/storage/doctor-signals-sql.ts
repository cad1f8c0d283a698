import type { BuiltQuery } from './built-query.ts';
import type { DoctorQuery } from './doctor-api.ts';
import { QueryParams } from './sql.ts';

// The instrumentation doctor's log, metric and resource aggregates, one row per
// service (doctor-spans-sql.ts has the span ones).

/** Metric names of the HTTP conventions before 1.20 (ms histograms), replaced by http.server.request.duration (s). */
export const OLD_HTTP_METRICS = ['http.server.duration', 'http.client.duration', 'http.server.request.size', 'http.server.response.size', 'http.server.active_requests'] as const;

/**
 * A metric name ending in a unit (MET-005: `collection.duration.seconds`); a
 * Prometheus `_total` after it counts too.
 */
export const UNIT_IN_NAME_RE = '(?i)[._](?:seconds|second|milliseconds|millis|ms|microseconds|us|nanoseconds|ns|bytes|kilobytes|megabytes|gigabytes|kb|mb|gb|percent)(?:_total)?$';

function where(p: QueryParams, q: DoctorQuery): string {
  const w = [`Timestamp >= ${p.bindNs(q.startNs)}`, `Timestamp < ${p.bindNs(q.endNs)}`];
  if (q.service !== undefined) w.unshift(`ServiceName = ${p.bind('String', q.service)}`);
  return w.join(' AND ');
}

export function doctorLogStatsSql(q: DoctorQuery): BuiltQuery {
  const p = new QueryParams();
  const sql = `SELECT ServiceName,
  count() AS Logs,
  countIf(TraceId = '') AS WithoutTraceContext,
  anyIf(substring(Body, 1, 200), TraceId = '') AS WithoutTraceExample,
  countIf(SeverityNumber = 0) AS WithoutSeverity
FROM logs
WHERE ${where(p, q)}
GROUP BY ServiceName
ORDER BY ServiceName`;
  return { sql, params: p };
}

/**
 * Per service: metric names by property, and the export interval as the median,
 * over series, of each series' median gap between distinct point times.
 * A series is (metric, resource and scope, point attributes: SeriesHash).
 */
export function doctorMetricStatsSql(q: DoctorQuery): BuiltQuery {
  const p = new QueryParams();
  const w = where(p, q);
  const oldNames = p.bind('Array(String)', OLD_HTTP_METRICS);
  const unitRe = p.bind('String', UNIT_IN_NAME_RE);
  const sql = `SELECT ServiceName,
  sum(Points) AS Points,
  count() AS Metrics,
  groupArrayIf(MetricName, has(${oldNames}, MetricName)) AS OldHttpMetrics,
  groupArrayIf(MetricName, has(Units, '')) AS NoUnitMetrics,
  groupArrayIf(MetricName, length(Units) > 1) AS MixedUnitMetrics,
  groupArrayIf(MetricName, BucketSets > 1) AS MixedBucketMetrics,
  groupArrayIf(MetricName, match(MetricName, ${unitRe})) AS UnitInNameMetrics,
  sum(SeriesWithGaps) AS SeriesWithGaps,
  toInt64(ifNotFinite(median(MedianGapNs), 0)) AS MedianIntervalNs
FROM (
  SELECT ServiceName, MetricName, sum(Points) AS Points, groupUniqArray(MetricUnit) AS Units,
    uniqExactIf(ExplicitBounds, Kind = 'histogram') AS BucketSets,
    countIf(length(Ts) >= 2) AS SeriesWithGaps,
    medianIf(arrayReduce('median', arrayPopFront(arrayDifference(Ts))), length(Ts) >= 2) AS MedianGapNs
  FROM (
    SELECT ServiceName, MetricName, MetricUnit, Kind, ExplicitBounds, count() AS Points,
      arraySort(groupUniqArray(toUnixTimestamp64Nano(Timestamp))) AS Ts
    FROM metric_points
    WHERE ${w}
    GROUP BY ServiceName, MetricName, MetricUnit, Kind, ExplicitBounds, ResourceScopeId, SeriesHash
  )
  GROUP BY ServiceName, MetricName
)
GROUP BY ServiceName
ORDER BY ServiceName`;
  return { sql, params: p };
}

const hasResourceKey = (key: string) =>
  `(${['String', 'Int', 'Double', 'Bool', 'Json'].map((t) => `mapContains(ResourceAttributes${t}, '${key}')`).join(' OR ')})`;

/**
 * The resources the service's spans, logs and points in the range point at
 * (a resource_scopes row is a resource and a scope; a resource counts once).
 */
export function doctorResourceStatsSql(q: DoctorQuery): BuiltQuery {
  const p = new QueryParams();
  const ids = ['spans', 'logs', 'metric_points'].map((t) => `SELECT DISTINCT ResourceScopeId FROM ${t} WHERE ${where(p, q)}`);
  const resource = 'cityHash64(ResourceAttributesString, ResourceAttributesInt, ResourceAttributesDouble, ResourceAttributesBool, ResourceAttributesJson)';
  const sql = `SELECT ServiceName,
  uniqExact(${resource}) AS Resources,
  uniqExactIf(${resource}, NOT ${hasResourceKey('service.version')}) AS WithoutVersion,
  uniqExactIf(${resource}, NOT ${hasResourceKey('deployment.environment.name')} AND NOT ${hasResourceKey('deployment.environment')}) AS WithoutEnvironment,
  uniqExactIf(${resource}, NOT ${hasResourceKey('service.instance.id')}) AS WithoutInstanceId,
  uniqExactIf(${resource}, ${hasResourceKey('k8s.pod.name')}) AS K8sResources,
  uniqExactIf(${resource}, ${hasResourceKey('k8s.pod.name')} AND NOT ${hasResourceKey('k8s.pod.uid')}) AS K8sWithoutPodUid,
  groupUniqArrayIf(ResourceAttributesString['telemetry.sdk.language'], ResourceAttributesString['telemetry.sdk.language'] != '') AS SdkLanguages
FROM resource_scopes FINAL
WHERE Id IN (
  ${ids.join('\n  UNION DISTINCT\n  ')}
)
GROUP BY ServiceName
ORDER BY ServiceName`;
  return { sql, params: p };
}
