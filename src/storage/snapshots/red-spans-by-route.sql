-- p0 = "1700000000000"
-- p1 = "60000"
-- p2 = "checkout"
-- p3 = "1700003600000"
SELECT Route, grouping(Bucket) = 1 AS Whole, Bucket, count() AS Requests, countIf(StatusCode = 2) AS Errors,
  quantilesTDigest(0.5, 0.95, 0.99)(Duration) AS Quantiles
FROM (
  SELECT if(AttributesString['http.route'] != '', AttributesString['http.route'], SpanName) AS Route, StatusCode, Duration,
    intDiv(toUnixTimestamp64Milli(Timestamp) - {p0:Int64}, {p1:Int64}) AS Bucket
  FROM spans
  WHERE ServiceName = {p2:String}
    AND SpanKind = 2
    AND Timestamp >= fromUnixTimestamp64Milli({p0:Int64})
    AND Timestamp < fromUnixTimestamp64Milli({p3:Int64})
  LIMIT 1 BY TraceId, SpanId
)
GROUP BY GROUPING SETS ((Route), (Route, Bucket))
ORDER BY Route, Whole DESC, Bucket
