-- p0 = "payment.charge"
-- p1 = "payment.charge"
-- p2 = "service.name"
-- p3 = "1700000000000000000"
-- p4 = "1700003600000000000"
-- p5 = "1699999100000000000"
-- p6 = "1700004500000000000"
-- p7 = 10000
-- p8 = "1700000000000000000"
-- p9 = "60000000000"
-- p10 = "1700000000000000000"
-- p11 = "1700003600000000000"
SELECT toString(intDiv(start - {p8:Int64}, {p9:Int64})) AS interval, labels, if(dur < 2, -1, pow(2, ceil(log2(dur))) / 1e9) AS bucketS, toString(count()) AS count
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
  m0 AS mask
FROM (
  SELECT TraceId,
    groupArray(SpanId) AS ids, groupArray(ParentSpanId) AS parents, groupArray(SpanName) AS names,
    groupArray(ServiceName) AS services, groupArray(toUnixTimestamp64Nano(Timestamp)) AS starts,
    groupArray(Duration) AS durs, groupArray(StatusCode) AS statuses,
    groupArray(flags) AS flagRows, groupArray(fieldValues) AS fieldRows
  FROM (
    SELECT TraceId, SpanId, ParentSpanId, SpanName, spans.ServiceName AS ServiceName, Timestamp, Duration, StatusCode,
      [toUInt8((SpanName = {p1:String}))] AS flags,
      [('string', ServiceName)] AS fieldValues
    FROM spans
    WHERE Timestamp >= fromUnixTimestamp64Nano({p5:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p6:Int64})
      AND TraceId IN (
        SELECT TraceId FROM spans
        WHERE Timestamp >= fromUnixTimestamp64Nano({p3:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p4:Int64}) AND ((SpanName = {p0:String}))
        GROUP BY TraceId
        ORDER BY max(Timestamp) DESC
        LIMIT {p7:UInt32})
    LIMIT 1 BY TraceId, SpanId
  )
  GROUP BY TraceId
)
)
ARRAY JOIN starts AS start, durs AS dur, fieldRows AS labels, mask AS m
WHERE m = 1 AND start >= {p10:Int64} AND start < {p11:Int64} AND dur >= 2
GROUP BY interval, labels, bucketS
ORDER BY labels, bucketS, interval
