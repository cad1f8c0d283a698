-- p0 = "1700000000000"
-- p1 = "1700003600000"
SELECT MetricName, toString(Kind) AS Kind, AggregationTemporality, IsMonotonic, MetricUnit,
  any(MetricDescription) AS Description
FROM metric_points
WHERE Timestamp >= fromUnixTimestamp64Milli({p0:Int64}) AND Timestamp <= fromUnixTimestamp64Milli({p1:Int64})
GROUP BY MetricName, Kind, AggregationTemporality, IsMonotonic, MetricUnit
ORDER BY MetricName, Kind
