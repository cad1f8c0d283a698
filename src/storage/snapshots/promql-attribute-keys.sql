-- p0 = ["http.server.request.duration"]
-- p1 = "1700000000000"
-- p2 = "1700003600000"
SELECT DISTINCT arrayJoin(arrayConcat(mapKeys(AttributesString), mapKeys(AttributesInt), mapKeys(AttributesDouble),
  mapKeys(AttributesBool), mapKeys(AttributesJson))) AS Key
FROM metric_points
WHERE MetricName IN {p0:Array(String)}
  AND Timestamp >= fromUnixTimestamp64Milli({p1:Int64}) AND Timestamp <= fromUnixTimestamp64Milli({p2:Int64})
ORDER BY Key
