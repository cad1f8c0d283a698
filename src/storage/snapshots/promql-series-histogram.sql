-- p0 = "1700000000000"
-- p1 = ["http.server.request.duration"]
-- p2 = "1700003600000"
SELECT MetricName, toString(ResourceScopeId) AS Origin, AggregationTemporality AS Temporality,
  any(AttributesString), any(AttributesInt), any(AttributesDouble), any(AttributesBool), any(AttributesJson),
  toFloat64(sumIf(Count, Timestamp < fromUnixTimestamp64Milli({p0:Int64}))) AS DeltaBase, sumIf(ifNull(Sum, 0), Timestamp < fromUnixTimestamp64Milli({p0:Int64})) AS DeltaBaseSum, sumForEachIf(BucketCounts, Timestamp < fromUnixTimestamp64Milli({p0:Int64})) AS DeltaBaseBuckets,
  arraySort(x -> x.1, groupArrayIf((toUnixTimestamp64Milli(Timestamp), toUnixTimestamp64Milli(StartTimestamp), Flags, Count, Sum, BucketCounts, ExplicitBounds), Timestamp >= fromUnixTimestamp64Milli({p0:Int64}))) AS Points,
  toString(SeriesHash) AS Series
FROM metric_points
WHERE MetricName IN {p1:Array(String)}
  AND Kind IN ('histogram')
  AND Timestamp <= fromUnixTimestamp64Milli({p2:Int64})
  AND (Timestamp >= fromUnixTimestamp64Milli({p0:Int64}) OR AggregationTemporality = 1)
GROUP BY MetricName, ResourceScopeId, AggregationTemporality, SeriesHash
HAVING countIf(Timestamp >= fromUnixTimestamp64Milli({p0:Int64})) > 0
