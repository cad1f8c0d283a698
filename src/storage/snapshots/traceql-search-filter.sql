-- p0 = "payment.currency"
-- p1 = "EUR"
-- p2 = "payment.currency"
-- p3 = "EUR"
-- p4 = "300000000"
-- p5 = "service.name"
-- p6 = "^(?:pay.*)$"
-- p7 = "service.name"
-- p8 = "^(?:pay.*)$"
-- p9 = "payment.currency"
-- p10 = "EUR"
-- p11 = "payment.currency"
-- p12 = "EUR"
-- p13 = "300000000"
-- p14 = "service.name"
-- p15 = "^(?:pay.*)$"
-- p16 = "service.name"
-- p17 = "^(?:pay.*)$"
-- p18 = "1700000000000000000"
-- p19 = "1700003600000000000"
-- p20 = "1699999100000000000"
-- p21 = "1700004500000000000"
-- p22 = 10000
-- p23 = "1000000"
-- p24 = 3
-- p25 = 20
SELECT TraceId AS traceId, rootName, rootServiceName, toString(traceStartNs) AS startNs, toString(traceDurationNs) AS durationNs,
  countEqual(mask, 1) AS matched,
  arraySlice(arrayFilter((s, m) -> m = 1, arrayMap((i, n, st, d, fv) -> (i, n, toString(st), toString(d), fv), ids, names, starts, durs, fieldRows), mask), 1, {p24:UInt32}) AS spans,
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
  arrayMap(f -> toUInt8(((f[1] AND f[2]) AND f[3])), flagRows) AS m0,
  m0 AS mask
FROM (
  SELECT TraceId,
    groupArray(SpanId) AS ids, groupArray(ParentSpanId) AS parents, groupArray(SpanName) AS names,
    groupArray(ServiceName) AS services, groupArray(toUnixTimestamp64Nano(Timestamp)) AS starts,
    groupArray(Duration) AS durs, groupArray(StatusCode) AS statuses,
    groupArray(flags) AS flagRows, groupArray(fieldValues) AS fieldRows
  FROM (
    SELECT TraceId, SpanId, ParentSpanId, SpanName, spans.ServiceName AS ServiceName, Timestamp, Duration, StatusCode,
      [toUInt8((mapContains(`AttributesString`, {p9:String}) AND (`AttributesString`[{p9:String}] = {p10:String}))), toUInt8((Duration > {p13:Int64})), toUInt8((ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE (mapContains(`ResourceAttributesString`, {p16:String}) AND match(`ResourceAttributesString`[{p16:String}], {p17:String})))))] AS flags,
      CAST([], 'Array(Tuple(String, String))') AS fieldValues
    FROM spans
    WHERE Timestamp >= fromUnixTimestamp64Nano({p20:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p21:Int64})
      AND TraceId IN (
        SELECT TraceId FROM spans
        WHERE Timestamp >= fromUnixTimestamp64Nano({p18:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p19:Int64}) AND ((((mapContains(`AttributesString`, {p0:String}) AND (`AttributesString`[{p0:String}] = {p1:String})) AND (Duration > {p4:Int64})) AND (ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE (mapContains(`ResourceAttributesString`, {p7:String}) AND match(`ResourceAttributesString`[{p7:String}], {p8:String}))))))
        GROUP BY TraceId
        ORDER BY max(Timestamp) DESC
        LIMIT {p22:UInt32})
    LIMIT 1 BY TraceId, SpanId
  )
  GROUP BY TraceId
)
)
WHERE has(mask, 1) AND traceDurationNs >= {p23:Int64}
ORDER BY traceStartNs DESC
LIMIT {p25:UInt32}
