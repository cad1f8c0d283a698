-- p0 = "1764620400000000000"
-- p1 = "1764624000000000000"
-- p2 = "pay' OR 1=1"
SELECT ServiceName,
  countIf(Internal > 10) AS ManyInternalTraces,
  anyIf(TraceId, Internal > 10) AS ManyInternalExample,
  countIf(Short > 20) AS ManyShortTraces,
  anyIf(TraceId, Short > 20) AS ManyShortExample
FROM (
  SELECT ServiceName, TraceId, countIf(SpanKind = 1) AS Internal, countIf(Duration < 5000000) AS Short
  FROM spans
  WHERE ServiceName = {p2:String}
    AND Timestamp >= fromUnixTimestamp64Nano({p0:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p1:Int64})
  GROUP BY ServiceName, TraceId
)
GROUP BY ServiceName
ORDER BY ServiceName
