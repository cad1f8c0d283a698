-- p0 = "1700000040000"
-- p1 = "1700003580000"
-- p2 = "1700000000000"
-- p3 = "1700003600000"
SELECT MetricName, toString(Kind) AS Kind, AggregationTemporality, IsMonotonic, MetricUnit,
  any(MetricDescription) AS Description
FROM (
  SELECT MetricName, Kind, AggregationTemporality, IsMonotonic, MetricUnit, MetricDescription FROM metric_catalog
  WHERE MinuteStartMs >= {p0:Int64} AND MinuteStartMs < {p1:Int64}
  UNION ALL
  SELECT MetricName, Kind, AggregationTemporality, IsMonotonic, MetricUnit, MetricDescription FROM metric_points
  WHERE Timestamp >= fromUnixTimestamp64Milli({p2:Int64}) AND Timestamp <= fromUnixTimestamp64Milli({p3:Int64})
    AND (Timestamp < fromUnixTimestamp64Milli({p0:Int64}) OR Timestamp >= fromUnixTimestamp64Milli({p1:Int64}))
)
GROUP BY MetricName, Kind, AggregationTemporality, IsMonotonic, MetricUnit
ORDER BY MetricName, Kind
