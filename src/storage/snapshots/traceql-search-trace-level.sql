-- p0 = "http.route"
-- p1 = "http.route"
-- p2 = "frontend"
-- p3 = "1000000000"
-- p4 = "http.route"
-- p5 = "http.route"
-- p6 = "service.version"
-- p7 = "1700000000000000000"
-- p8 = "1700003600000000000"
-- p9 = "1699999100000000000"
-- p10 = "1700004500000000000"
-- p11 = 10000
-- p12 = 3
-- p13 = 20
SELECT TraceId AS traceId, rootName, rootServiceName, toString(traceStartNs) AS startNs, toString(traceDurationNs) AS durationNs,
  countEqual(mask, 1) AS matched,
  arraySlice(arrayFilter((s, m) -> m = 1, arrayMap((i, n, st, d, fv) -> (i, n, toString(st), toString(d), fv), ids, names, starts, durs, fieldRows), mask), 1, {p12:UInt32}) AS spans,
  arrayMap(s -> (s, arrayCount(x -> x = s, services), arrayCount((x, st) -> x = s AND st = 2, services, statuses)), arrayDistinct(services)) AS serviceStats
FROM (
SELECT TraceId, ids, parents, names, services, starts, durs, statuses, fieldRows,
  arrayEnumerate(ids) AS idx,
  arrayMap(x -> toUInt64(indexOf(ids, x)), parents) AS pidx,
  arrayMap(x -> toUInt8(0), ids) AS zeros,
  indexOf(parents, '') AS rootIdx,
  if(rootIdx = 0, '', names[rootIdx]) AS rootName,
  if(rootIdx = 0, '', services[rootIdx]) AS rootServiceName,
  arrayMin(starts) AS traceStartNs,
  arrayMax(arrayMap((s, d) -> s + d, starts, durs)) - traceStartNs AS traceDurationNs,
  arrayMap(f -> toUInt8((((rootServiceName = {p2:String}) AND (traceDurationNs > {p3:Int64})) AND f[1])), flagRows) AS m0,
  m0 AS mask
FROM (
  SELECT TraceId,
    groupArray(SpanId) AS ids, groupArray(ParentSpanId) AS parents, groupArray(SpanName) AS names,
    groupArray(ServiceName) AS services, groupArray(toUnixTimestamp64Nano(Timestamp)) AS starts,
    groupArray(Duration) AS durs, groupArray(StatusCode) AS statuses,
    groupArray(flags) AS flagRows, groupArray(fieldValues) AS fieldRows
  FROM (
    SELECT TraceId, SpanId, ParentSpanId, SpanName, spans.ServiceName AS ServiceName, Timestamp, Duration, StatusCode,
      [toUInt8(((mapContains(`AttributesString`, {p4:String}) OR mapContains(`AttributesInt`, {p4:String}) OR mapContains(`AttributesDouble`, {p4:String}) OR mapContains(`AttributesBool`, {p4:String}) OR mapContains(`AttributesJson`, {p4:String})) OR (ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE (mapContains(`ResourceAttributesString`, {p5:String}) OR mapContains(`ResourceAttributesInt`, {p5:String}) OR mapContains(`ResourceAttributesDouble`, {p5:String}) OR mapContains(`ResourceAttributesBool`, {p5:String}) OR mapContains(`ResourceAttributesJson`, {p5:String}))))))] AS flags,
      [multiIf(mapContains(ResourceAttributesString, {p6:String}), ('string', ResourceAttributesString[{p6:String}]), mapContains(ResourceAttributesInt, {p6:String}), ('int', toString(ResourceAttributesInt[{p6:String}])), mapContains(ResourceAttributesDouble, {p6:String}), ('double', toString(ResourceAttributesDouble[{p6:String}])), mapContains(ResourceAttributesBool, {p6:String}), ('bool', if(ResourceAttributesBool[{p6:String}], 'true', 'false')), ('', ''))] AS fieldValues
    FROM spans
      LEFT ANY JOIN (SELECT Id AS ResId, ResourceAttributesString, ResourceAttributesInt, ResourceAttributesDouble, ResourceAttributesBool FROM resource_scopes) AS r
      ON r.ResId = spans.ResourceScopeId
    WHERE Timestamp >= fromUnixTimestamp64Nano({p9:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p10:Int64})
      AND TraceId IN (
        SELECT TraceId FROM spans
        WHERE Timestamp >= fromUnixTimestamp64Nano({p7:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p8:Int64}) AND (((1 AND 1) AND ((mapContains(`AttributesString`, {p0:String}) OR mapContains(`AttributesInt`, {p0:String}) OR mapContains(`AttributesDouble`, {p0:String}) OR mapContains(`AttributesBool`, {p0:String}) OR mapContains(`AttributesJson`, {p0:String})) OR (ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE (mapContains(`ResourceAttributesString`, {p1:String}) OR mapContains(`ResourceAttributesInt`, {p1:String}) OR mapContains(`ResourceAttributesDouble`, {p1:String}) OR mapContains(`ResourceAttributesBool`, {p1:String}) OR mapContains(`ResourceAttributesJson`, {p1:String})))))))
        GROUP BY TraceId
        ORDER BY max(Timestamp) DESC
        LIMIT {p11:UInt32})
    LIMIT 1 BY TraceId, SpanId
  )
  GROUP BY TraceId
)
)
WHERE has(mask, 1)
ORDER BY traceStartNs DESC
LIMIT {p13:UInt32}
