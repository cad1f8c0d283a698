-- p0 = "1764620400000000000"
-- p1 = "1764624000000000000"
-- p2 = "1764616800000000000"
-- p3 = "1764624000000000000"
SELECT r.ServiceName AS ServiceName,
  count() AS RootInternalSpans,
  countIf(s.End > r.Timestamp) AS InsideServerSpans,
  anyIf(r.TraceId, s.End > r.Timestamp) AS ExampleTraceId,
  anyIf(r.SpanId, s.End > r.Timestamp) AS ExampleSpanId,
  anyIf(r.SpanName, s.End > r.Timestamp) AS ExampleSpanName
FROM (
  SELECT ServiceName, Timestamp, TraceId, SpanId, SpanName FROM spans
  WHERE Timestamp >= fromUnixTimestamp64Nano({p0:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p1:Int64})
    AND SpanKind = 1 AND ParentSpanId = ''
) AS r
ASOF LEFT JOIN (
  SELECT ServiceName, Timestamp, addNanoseconds(Timestamp, Duration) AS End FROM spans
  WHERE Timestamp >= fromUnixTimestamp64Nano({p2:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p3:Int64})
    AND SpanKind = 2
) AS s
ON r.ServiceName = s.ServiceName AND r.Timestamp >= s.Timestamp
GROUP BY ServiceName
ORDER BY ServiceName
