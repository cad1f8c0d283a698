-- p0 = ["queue.wait"]
-- p1 = "1700000000000"
-- p2 = "checkout"
SELECT MetricName, Origin, Series, groupArray((Scale, ZeroCount, ZeroThreshold, Count, Sum, Positive, Negative)) AS Bases
FROM (
  SELECT MetricName, toString(ResourceScopeId) AS Origin, toString(SeriesHash) AS Series, Scale,
    sum(ZeroCount) AS ZeroCount, max(ZeroThreshold) AS ZeroThreshold, sum(Count) AS Count, sum(ifNull(Sum, 0)) AS Sum,
    sumMap(arrayMap(k -> toInt64(PositiveOffset) + k, range(length(PositiveBucketCounts))), PositiveBucketCounts) AS Positive, sumMap(arrayMap(k -> toInt64(NegativeOffset) + k, range(length(NegativeBucketCounts))), NegativeBucketCounts) AS Negative
  FROM metric_points
  WHERE MetricName IN {p0:Array(String)}
    AND Kind = 'exponentialHistogram'
    AND AggregationTemporality = 1
    AND Timestamp < fromUnixTimestamp64Milli({p1:Int64})
    AND ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE if(ResourceAttributesString['service.namespace'] = '', ServiceName, concat(ResourceAttributesString['service.namespace'], '/', ServiceName)) = {p2:String})
  GROUP BY MetricName, ResourceScopeId, SeriesHash, Scale
)
GROUP BY MetricName, Origin, Series
