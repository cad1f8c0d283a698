-- p0 = ["http.method","http.target","http.status_code","http.url","http.scheme"]
-- p1 = "/(?:[0-9]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{16,})(?:/|\\?|$| )"
-- p2 = "(?i)(?:^|/)(?:health|healthz|healthcheck|health-check|ready|readyz|readiness|live|livez|liveness|ping)(?:/|\\?|$| )"
-- p3 = "1764620400000000000"
-- p4 = "1764624000000000000"
-- p5 = "pay' OR 1=1"
SELECT ServiceName,
  count() AS Spans,
  uniqExact(TraceId) AS Traces,
  countIf(IsHttpServer) AS HttpServerSpans,
  countIf(IsHttpServer AND NOT HasRoute) AS NoRouteSpans,
  uniqExactIf(SpanName, IsHttpServer AND NOT HasRoute) AS NoRouteNames,
  anyIf(TraceId, IsHttpServer AND NOT HasRoute) AS NoRouteTraceId, anyIf(SpanId, IsHttpServer AND NOT HasRoute) AS NoRouteSpanId, anyIf(SpanName, IsHttpServer AND NOT HasRoute) AS NoRouteSpanName,
  countIf(IdInName) AS IdNameSpans,
  uniqExactIf(SpanName, IdInName) AS IdNames,
  groupUniqArrayIf(5)(SpanName, IdInName) AS IdNameExamples,
  anyIf(TraceId, IdInName) AS IdNameTraceId, anyIf(SpanId, IdInName) AS IdNameSpanId, anyIf(SpanName, IdInName) AS IdNameSpanName,
  countIf(IsHealth) AS HealthSpans,
  groupUniqArrayIf(5)(SpanName, IsHealth) AS HealthNames,
  anyIf(TraceId, IsHealth) AS HealthTraceId, anyIf(SpanId, IsHealth) AS HealthSpanId, anyIf(SpanName, IsHealth) AS HealthSpanName,
  countIf(length(OldKeys) > 0) AS OldHttpSpans,
  groupUniqArrayArray(OldKeys) AS OldHttpKeys,
  anyIf(TraceId, length(OldKeys) > 0) AS OldHttpTraceId, anyIf(SpanId, length(OldKeys) > 0) AS OldHttpSpanId, anyIf(SpanName, length(OldKeys) > 0) AS OldHttpSpanName,
  countIf(ParentSpanId = '' AND SpanKind = 3) AS RootClientSpans,
  anyIf(TraceId, ParentSpanId = '' AND SpanKind = 3) AS RootClientTraceId, anyIf(SpanId, ParentSpanId = '' AND SpanKind = 3) AS RootClientSpanId, anyIf(SpanName, ParentSpanId = '' AND SpanKind = 3) AS RootClientSpanName
FROM (
  SELECT ServiceName, TraceId, SpanId, ParentSpanId, SpanName, SpanKind,
    SpanKind = 2 AND ((mapContains(AttributesString, 'http.request.method') OR mapContains(AttributesInt, 'http.request.method')) OR (mapContains(AttributesString, 'http.method') OR mapContains(AttributesInt, 'http.method'))) AS IsHttpServer,
    mapContains(AttributesString, 'http.route') AS HasRoute,
    match(SpanName, {p1:String}) AS IdInName,
    (SpanKind = 2 OR ParentSpanId = '') AND match(
      concat(SpanName, ' ', AttributesString['url.path'], ' ', AttributesString['http.target'], ' ', AttributesString['http.route']),
      {p2:String}) AS IsHealth,
    arrayFilter(k -> has(mapKeys(AttributesString), k) OR has(mapKeys(AttributesInt), k), {p0:Array(String)}) AS OldKeys
  FROM spans
  WHERE ServiceName = {p5:String}
    AND Timestamp >= fromUnixTimestamp64Nano({p3:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p4:Int64})
)
GROUP BY ServiceName
ORDER BY ServiceName
