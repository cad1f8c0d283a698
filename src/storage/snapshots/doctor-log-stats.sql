-- p0 = "1764620400000000000"
-- p1 = "1764624000000000000"
-- p2 = "pay' OR 1=1"
SELECT ServiceName,
  count() AS Logs,
  countIf(TraceId = '') AS WithoutTraceContext,
  anyIf(substring(Body, 1, 200), TraceId = '') AS WithoutTraceExample,
  countIf(SeverityNumber = 0) AS WithoutSeverity
FROM logs
WHERE ServiceName = {p2:String} AND Timestamp >= fromUnixTimestamp64Nano({p0:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p1:Int64})
GROUP BY ServiceName
ORDER BY ServiceName
