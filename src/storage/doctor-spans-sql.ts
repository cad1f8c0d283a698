import type { BuiltQuery } from './built-query.ts';
import type { DoctorQuery } from './doctor-api.ts';
import { QueryParams } from './sql.ts';

// The instrumentation doctor's span aggregates, one row per service, all in
// ClickHouse: nothing but counts and a few example ids reaches JavaScript. The
// patterns are RE2 (ClickHouse `match`), bound as parameters like every value.

/** An id as a whole path segment: digits, a UUID, or 16+ hex digits (`GET /items/42`). */
export const ID_SEGMENT_RE = '/(?:[0-9]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{16,})(?:/|\\?|$| )';

/**
 * Health, readiness and liveness endpoints as a path segment: what Kubernetes
 * probes and load balancers call (the seed excludes health,readyz,livez).
 */
export const HEALTH_PATH_RE = '(?i)(?:^|/)(?:health|healthz|healthcheck|health-check|ready|readyz|readiness|live|livez|liveness|ping)(?:/|\\?|$| )';

/** Pre-1.20 HTTP span attributes, replaced by http.request.method, url.path / url.query, http.response.status_code. */
export const OLD_HTTP_KEYS = ['http.method', 'http.target', 'http.status_code', 'http.url', 'http.scheme'] as const;

function rangeWhere(p: QueryParams, q: DoctorQuery, startNs = q.startNs): string[] {
  const where = [`Timestamp >= ${p.bindNs(startNs)}`, `Timestamp < ${p.bindNs(q.endNs)}`];
  if (q.service !== undefined) where.unshift(`ServiceName = ${p.bind('String', q.service)}`);
  return where;
}

const example = (prefix: string, cond: string) =>
  `anyIf(TraceId, ${cond}) AS ${prefix}TraceId, anyIf(SpanId, ${cond}) AS ${prefix}SpanId, anyIf(SpanName, ${cond}) AS ${prefix}SpanName`;

const hasKey = (key: string) => `(mapContains(AttributesString, ${key}) OR mapContains(AttributesInt, ${key}))`;

export function doctorSpanStatsSql(q: DoctorQuery): BuiltQuery {
  const p = new QueryParams();
  // One mapContains per key (bound), not a lambda over mapKeys per row: half the
  // scan's time on 1M spans (bench/doctor-bench.ts, 867 -> 499 ms for this part).
  const oldKeys = OLD_HTTP_KEYS.map((k) => p.bind('String', k));
  const oldPerKey = oldKeys.map((k) => `countIf(${hasKey(k)})`);
  const sql = `SELECT ServiceName,
  count() AS Spans,
  uniqExact(TraceId) AS Traces,
  countIf(IsHttpServer) AS HttpServerSpans,
  countIf(IsHttpServer AND NOT HasRoute) AS NoRouteSpans,
  uniqExactIf(SpanName, IsHttpServer AND NOT HasRoute) AS NoRouteNames,
  ${example('NoRoute', 'IsHttpServer AND NOT HasRoute')},
  countIf(IdInName) AS IdNameSpans,
  uniqExactIf(SpanName, IdInName) AS IdNames,
  groupUniqArrayIf(5)(SpanName, IdInName) AS IdNameExamples,
  ${example('IdName', 'IdInName')},
  countIf(IsHealth) AS HealthSpans,
  groupUniqArrayIf(5)(SpanName, IsHealth) AS HealthNames,
  ${example('Health', 'IsHealth')},
  countIf(HasOldHttp) AS OldHttpSpans,
  arrayFilter((k, n) -> n > 0, [${oldKeys.join(', ')}], [${oldPerKey.join(', ')}]) AS OldHttpKeys,
  ${example('OldHttp', 'HasOldHttp')},
  countIf(ParentSpanId = '' AND SpanKind = 3) AS RootClientSpans,
  ${example('RootClient', "ParentSpanId = '' AND SpanKind = 3")}
FROM (
  SELECT ServiceName, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, AttributesString, AttributesInt,
    SpanKind = 2 AND (${hasKey("'http.request.method'")} OR ${hasKey("'http.method'")}) AS IsHttpServer,
    mapContains(AttributesString, 'http.route') AS HasRoute,
    match(SpanName, ${p.bind('String', ID_SEGMENT_RE)}) AS IdInName,
    (SpanKind = 2 OR ParentSpanId = '') AND match(
      concat(SpanName, ' ', AttributesString['url.path'], ' ', AttributesString['http.target'], ' ', AttributesString['http.route']),
      ${p.bind('String', HEALTH_PATH_RE)}) AS IsHealth,
    ${oldKeys.map(hasKey).join(' OR ')} AS HasOldHttp
  FROM spans
  WHERE ${rangeWhere(p, q).join('\n    AND ')}
)
GROUP BY ServiceName
ORDER BY ServiceName`;
  return { sql, params: p };
}

/** Per trace and service, then per service: SPA-001 (> 10 INTERNAL spans) and SPA-005 (> 20 spans under 5 ms). */
export function doctorTraceShapeSql(q: DoctorQuery): BuiltQuery {
  const p = new QueryParams();
  const sql = `SELECT ServiceName,
  countIf(Internal > 10) AS ManyInternalTraces,
  anyIf(TraceId, Internal > 10) AS ManyInternalExample,
  countIf(Short > 20) AS ManyShortTraces,
  anyIf(TraceId, Short > 20) AS ManyShortExample
FROM (
  SELECT ServiceName, TraceId, countIf(SpanKind = 1) AS Internal, countIf(Duration < 5000000) AS Short
  FROM spans
  WHERE ${rangeWhere(p, q).join('\n    AND ')}
  GROUP BY ServiceName, TraceId
)
GROUP BY ServiceName
ORDER BY ServiceName`;
  return { sql, params: p };
}

/** How far before the range a parent is looked for: a trace is rarely longer. */
export const PARENT_LOOKBACK_NS = 3_600_000_000_000n;

/**
 * Spans in the range whose parent is in no span of the same trace (SPA-002).
 * Parents are looked for from an hour before the range, so a trace crossing the
 * range's start does not make its later spans orphans; a parent from another
 * service counts (the trace is grouped across services).
 */
export function doctorOrphansSql(q: DoctorQuery): BuiltQuery {
  const p = new QueryParams();
  const start = p.bindNs(q.startNs);
  const rangeOnly = { ...q };
  delete rangeOnly.service;
  const service = q.service === undefined ? '' : `\n  AND Child.1 = ${p.bind('String', q.service)}`;
  // Ids as UInt64 (8 bytes of hex; reinterpretAsFixedString turns one back):
  // arrays of numbers to gather and search, not strings (1.26 -> 0.82 s on 1M
  // spans, bench/doctor-bench.ts).
  const u64 = (column: string) => `reinterpretAsUInt64(unhex(${column}))`;
  const sql = `SELECT Child.1 AS ServiceName, count() AS OrphanSpans,
  any(TraceId) AS ExampleTraceId, lower(hex(reinterpretAsFixedString(any(Child.3)))) AS ExampleSpanId
FROM (
  SELECT TraceId, groupArray(${u64('SpanId')}) AS Ids,
    groupArrayIf((ServiceName, ${u64('ParentSpanId')}, ${u64('SpanId')}), ParentSpanId != '' AND Timestamp >= ${start}) AS Children
  FROM spans
  WHERE ${rangeWhere(p, rangeOnly, q.startNs - PARENT_LOOKBACK_NS).join('\n    AND ')}
  GROUP BY TraceId
)
ARRAY JOIN Children AS Child
WHERE NOT has(Ids, Child.2)${service}
GROUP BY ServiceName
ORDER BY ServiceName`;
  return { sql, params: p };
}

/**
 * INTERNAL spans that start a trace, and how many of them start while a SERVER
 * span of the same service is open: a manual span created outside the request
 * context. ASOF JOIN pairs each with the latest SERVER span that started before
 * it (a hash table of the range's SERVER spans), so an overlap with an earlier,
 * longer request is missed: an undercount, never a false alarm.
 */
export function doctorDetachedSpansSql(q: DoctorQuery): BuiltQuery {
  const p = new QueryParams();
  const sql = `SELECT r.ServiceName AS ServiceName,
  count() AS RootInternalSpans,
  countIf(s.End > r.Timestamp) AS InsideServerSpans,
  anyIf(r.TraceId, s.End > r.Timestamp) AS ExampleTraceId,
  anyIf(r.SpanId, s.End > r.Timestamp) AS ExampleSpanId,
  anyIf(r.SpanName, s.End > r.Timestamp) AS ExampleSpanName
FROM (
  SELECT ServiceName, Timestamp, TraceId, SpanId, SpanName FROM spans
  WHERE ${rangeWhere(p, q).join('\n    AND ')}
    AND SpanKind = 1 AND ParentSpanId = ''
) AS r
ASOF LEFT JOIN (
  SELECT ServiceName, Timestamp, addNanoseconds(Timestamp, Duration) AS End FROM spans
  WHERE ${rangeWhere(p, q, q.startNs - PARENT_LOOKBACK_NS).join('\n    AND ')}
    AND SpanKind = 2
) AS s
ON r.ServiceName = s.ServiceName AND r.Timestamp >= s.Timestamp
GROUP BY ServiceName
ORDER BY ServiceName`;
  return { sql, params: p };
}
