-- p0 = "GET /checkout"
-- p1 = "GET /checkout"
-- p2 = 2
-- p3 = 2
-- p4 = 2
-- p5 = 2
-- p6 = 3
-- p7 = 3
-- p8 = "a"
-- p9 = "1"
-- p10 = "1"
-- p11 = "a"
-- p12 = "1"
-- p13 = "1"
-- p14 = "a"
-- p15 = "1"
-- p16 = "1"
-- p17 = "a"
-- p18 = "1"
-- p19 = "1"
-- p20 = "2"
-- p21 = "1700000000000000000"
-- p22 = "1700003600000000000"
-- p23 = "1699999100000000000"
-- p24 = "1700004500000000000"
-- p25 = 10000
-- p26 = 3
-- p27 = 20
SELECT TraceId AS traceId, rootName, rootServiceName, toString(traceStartNs) AS startNs, toString(traceDurationNs) AS durationNs,
  countEqual(mask, 1) AS matched,
  arraySlice(arrayFilter((s, m) -> m = 1, arrayMap((i, n, st, d, fv) -> (i, n, toString(st), toString(d), fv), ids, names, starts, durs, fieldRows), mask), 1, {p26:UInt32}) AS spans,
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
  arrayMap(f -> toUInt8(f[1]), flagRows) AS m0,
  arrayMap(f -> toUInt8(f[2]), flagRows) AS m1,
  arrayMap((x, pi) -> toUInt8(x AND tupleElement(arrayFold((acc, k) -> (toUInt64(pidx[tupleElement(acc, 1)]), toUInt8(tupleElement(acc, 2) OR m0[tupleElement(acc, 1)] = 1)), range(least(length(idx), 256)), (toUInt64(pi), toUInt8(0))), 2)), m1, pidx) AS m2,
  arrayMap(f -> toUInt8(f[3]), flagRows) AS m3,
  arrayMap(f -> toUInt8(f[4]), flagRows) AS m4,
  arrayMap((x, pi, i) -> toUInt8(x AND pi > 0 AND arrayExists((y, pj, j) -> y = 1 AND pj = pi AND j != i, m3, pidx, idx)), m4, pidx, idx) AS m5,
  arrayMap((a, b) -> toUInt8(a OR b), m2, m5) AS m6,
  arrayMap(f -> toUInt8(f[5]), flagRows) AS m7,
  if(has(m6, 1) AND has(m7, 1), arrayMap((a, b) -> toUInt8(a OR b), m6, m7), zeros) AS m8,
  if(has(m8, 1) AND countEqual(m8, 1) > {p20:Int64}, m8, zeros) AS m9,
  m9 AS mask
FROM (
  SELECT TraceId,
    groupArray(SpanId) AS ids, groupArray(ParentSpanId) AS parents, groupArray(SpanName) AS names,
    groupArray(ServiceName) AS services, groupArray(toUnixTimestamp64Nano(Timestamp)) AS starts,
    groupArray(Duration) AS durs, groupArray(StatusCode) AS statuses,
    groupArray(flags) AS flagRows, groupArray(fieldValues) AS fieldRows
  FROM (
    SELECT TraceId, SpanId, ParentSpanId, SpanName, spans.ServiceName AS ServiceName, Timestamp, Duration, StatusCode,
      [toUInt8((SpanName = {p1:String})), toUInt8((StatusCode = {p3:Int32})), toUInt8((SpanKind = {p5:Int32})), toUInt8((SpanKind = {p7:Int32})), toUInt8((((mapContains(`AttributesInt`, {p14:String}) AND (`AttributesInt`[{p14:String}] = {p15:Int64})) OR (mapContains(`AttributesDouble`, {p14:String}) AND (`AttributesDouble`[{p14:String}] = {p16:Int64}))) OR (ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ((mapContains(`ResourceAttributesInt`, {p17:String}) AND (`ResourceAttributesInt`[{p17:String}] = {p18:Int64})) OR (mapContains(`ResourceAttributesDouble`, {p17:String}) AND (`ResourceAttributesDouble`[{p17:String}] = {p19:Int64})))))))] AS flags,
      CAST([], 'Array(Tuple(String, String))') AS fieldValues
    FROM spans
    WHERE Timestamp >= fromUnixTimestamp64Nano({p23:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p24:Int64})
      AND TraceId IN (
        SELECT TraceId FROM spans
        WHERE Timestamp >= fromUnixTimestamp64Nano({p21:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p22:Int64}) AND ((SpanName = {p0:String}) OR (StatusCode = {p2:Int32}) OR (SpanKind = {p4:Int32}) OR (SpanKind = {p6:Int32}) OR (((mapContains(`AttributesInt`, {p8:String}) AND (`AttributesInt`[{p8:String}] = {p9:Int64})) OR (mapContains(`AttributesDouble`, {p8:String}) AND (`AttributesDouble`[{p8:String}] = {p10:Int64}))) OR (ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ((mapContains(`ResourceAttributesInt`, {p11:String}) AND (`ResourceAttributesInt`[{p11:String}] = {p12:Int64})) OR (mapContains(`ResourceAttributesDouble`, {p11:String}) AND (`ResourceAttributesDouble`[{p11:String}] = {p13:Int64})))))))
        GROUP BY TraceId
        ORDER BY max(Timestamp) DESC
        LIMIT {p25:UInt32})
    LIMIT 1 BY TraceId, SpanId
  )
  GROUP BY TraceId
)
)
WHERE has(mask, 1)
ORDER BY traceStartNs DESC
LIMIT {p27:UInt32}
