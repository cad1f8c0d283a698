-- p0 = "1700000000000"
-- p1 = ["latency"]
-- p2 = "1700003600000"
-- p3 = "x"
SELECT MetricName, toString(ResourceScopeId) AS Origin, AggregationTemporality AS Temporality,
  any(AttributesString), any(AttributesInt), any(AttributesDouble), any(AttributesBool), any(AttributesJson),
  0 AS DeltaBase, 0 AS DeltaBaseSum, CAST([], 'Array(UInt64)') AS DeltaBaseBuckets,
  [argMaxIf((toUnixTimestamp64Milli(Timestamp), toUnixTimestamp64Milli(StartTimestamp), Flags, Count, Sum, Scale, ZeroCount, ZeroThreshold, PositiveOffset, PositiveBucketCounts, NegativeOffset, NegativeBucketCounts), Timestamp, Timestamp >= fromUnixTimestamp64Milli({p0:Int64}))] AS Points,
  toString(SeriesHash) AS Series
FROM metric_points
WHERE MetricName IN {p1:Array(String)}
  AND Kind IN ('exponentialHistogram')
  AND Timestamp <= fromUnixTimestamp64Milli({p2:Int64})
  AND Timestamp >= fromUnixTimestamp64Milli({p0:Int64})
  AND '' = {p3:String}
GROUP BY MetricName, ResourceScopeId, AggregationTemporality, SeriesHash
HAVING countIf(Timestamp >= fromUnixTimestamp64Milli({p0:Int64})) > 0
