-- p0 = "http.method"
-- p1 = "http.target"
-- p2 = "http.status_code"
-- p3 = "http.url"
-- p4 = "http.scheme"
-- p5 = "/(?:[0-9]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{16,})(?:/|\\?|$| )"
-- p6 = "(?i)(?:^|/)(?:health|healthz|healthcheck|health-check|ready|readyz|readiness|live|livez|liveness|ping)(?:/|\\?|$| )"
-- p7 = "1764620400000000000"
-- p8 = "1764624000000000000"
-- p9 = "pay' OR 1=1"
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
  countIf(HasOldHttp) AS OldHttpSpans,
  arrayFilter((k, n) -> n > 0, [{p0:String}, {p1:String}, {p2:String}, {p3:String}, {p4:String}], [countIf((mapContains(AttributesString, {p0:String}) OR mapContains(AttributesInt, {p0:String}))), countIf((mapContains(AttributesString, {p1:String}) OR mapContains(AttributesInt, {p1:String}))), countIf((mapContains(AttributesString, {p2:String}) OR mapContains(AttributesInt, {p2:String}))), countIf((mapContains(AttributesString, {p3:String}) OR mapContains(AttributesInt, {p3:String}))), countIf((mapContains(AttributesString, {p4:String}) OR mapContains(AttributesInt, {p4:String})))]) AS OldHttpKeys,
  anyIf(TraceId, HasOldHttp) AS OldHttpTraceId, anyIf(SpanId, HasOldHttp) AS OldHttpSpanId, anyIf(SpanName, HasOldHttp) AS OldHttpSpanName,
  countIf(ParentSpanId = '' AND SpanKind = 3) AS RootClientSpans,
  anyIf(TraceId, ParentSpanId = '' AND SpanKind = 3) AS RootClientTraceId, anyIf(SpanId, ParentSpanId = '' AND SpanKind = 3) AS RootClientSpanId, anyIf(SpanName, ParentSpanId = '' AND SpanKind = 3) AS RootClientSpanName
FROM (
  SELECT ServiceName, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, AttributesString, AttributesInt,
    SpanKind = 2 AND ((mapContains(AttributesString, 'http.request.method') OR mapContains(AttributesInt, 'http.request.method')) OR (mapContains(AttributesString, 'http.method') OR mapContains(AttributesInt, 'http.method'))) AS IsHttpServer,
    mapContains(AttributesString, 'http.route') AS HasRoute,
    match(SpanName, {p5:String}) AS IdInName,
    (SpanKind = 2 OR ParentSpanId = '') AND match(
      concat(SpanName, ' ', AttributesString['url.path'], ' ', AttributesString['http.target'], ' ', AttributesString['http.route']),
      {p6:String}) AS IsHealth,
    (mapContains(AttributesString, {p0:String}) OR mapContains(AttributesInt, {p0:String})) OR (mapContains(AttributesString, {p1:String}) OR mapContains(AttributesInt, {p1:String})) OR (mapContains(AttributesString, {p2:String}) OR mapContains(AttributesInt, {p2:String})) OR (mapContains(AttributesString, {p3:String}) OR mapContains(AttributesInt, {p3:String})) OR (mapContains(AttributesString, {p4:String}) OR mapContains(AttributesInt, {p4:String})) AS HasOldHttp
  FROM spans
  WHERE ServiceName = {p9:String}
    AND Timestamp >= fromUnixTimestamp64Nano({p7:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p8:Int64})
)
GROUP BY ServiceName
ORDER BY ServiceName
