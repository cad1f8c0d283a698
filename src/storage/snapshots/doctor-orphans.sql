-- p0 = "1764620400000000000"
-- p1 = "pay' OR 1=1"
-- p2 = "1764616800000000000"
-- p3 = "1764624000000000000"
SELECT Child.1 AS ServiceName, count() AS OrphanSpans,
  any(TraceId) AS ExampleTraceId, lower(hex(reinterpretAsFixedString(any(Child.3)))) AS ExampleSpanId
FROM (
  SELECT TraceId, groupArray(reinterpretAsUInt64(unhex(SpanId))) AS Ids,
    groupArrayIf((ServiceName, reinterpretAsUInt64(unhex(ParentSpanId)), reinterpretAsUInt64(unhex(SpanId))), ParentSpanId != '' AND Timestamp >= fromUnixTimestamp64Nano({p0:Int64})) AS Children
  FROM spans
  WHERE Timestamp >= fromUnixTimestamp64Nano({p2:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p3:Int64})
  GROUP BY TraceId
)
ARRAY JOIN Children AS Child
WHERE NOT has(Ids, Child.2)
  AND Child.1 = {p1:String}
GROUP BY ServiceName
ORDER BY ServiceName
