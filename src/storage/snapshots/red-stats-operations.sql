-- p0 = "1764620400000000000"
-- p1 = "1764624000000000000"
-- p2 = "pay' OR 1=1"
-- p3 = "120000000000"
SELECT Name, grouping(Bucket) = 1 AS Whole, Bucket,
  countIf(SpanKind = 2) AS ServerCount,
  countIf(SpanKind = 2 AND StatusCode = 2) AS ServerErrors,
  quantilesTDigestIf(0.5, 0.95, 0.99)(Duration, SpanKind = 2) AS ServerQuantiles,
  countIf(IsRoot) AS RootCount,
  countIf(IsRoot AND StatusCode = 2) AS RootErrors,
  quantilesTDigestIf(0.5, 0.95, 0.99)(Duration, IsRoot) AS RootQuantiles
FROM (
  SELECT SpanName AS Name, SpanKind, ParentSpanId = '' AS IsRoot, StatusCode, Duration,
    intDiv(toUnixTimestamp64Nano(Timestamp) - {p0:Int64}, {p3:Int64}) AS Bucket
  FROM spans
  WHERE Timestamp >= fromUnixTimestamp64Nano({p0:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p1:Int64})
    AND (SpanKind = 2 OR ParentSpanId = '')
    AND ServiceName = {p2:String}
  LIMIT 1 BY TraceId, SpanId
)
GROUP BY GROUPING SETS ((Name), (Name, Bucket))
ORDER BY Name, Whole DESC, Bucket
