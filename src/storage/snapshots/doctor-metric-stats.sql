-- p0 = "1764620400000000000"
-- p1 = "1764624000000000000"
-- p2 = ["http.server.duration","http.client.duration","http.server.request.size","http.server.response.size","http.server.active_requests"]
-- p3 = "(?i)[._](?:seconds|second|milliseconds|millis|ms|microseconds|us|nanoseconds|ns|bytes|kilobytes|megabytes|gigabytes|kb|mb|gb|percent)(?:_total)?$"
SELECT ServiceName,
  sum(Points) AS Points,
  count() AS Metrics,
  groupArrayIf(MetricName, has({p2:Array(String)}, MetricName)) AS OldHttpMetrics,
  groupArrayIf(MetricName, has(Units, '')) AS NoUnitMetrics,
  groupArrayIf(MetricName, length(Units) > 1) AS MixedUnitMetrics,
  groupArrayIf(MetricName, BucketSets > 1) AS MixedBucketMetrics,
  groupArrayIf(MetricName, match(MetricName, {p3:String})) AS UnitInNameMetrics,
  sum(SeriesWithGaps) AS SeriesWithGaps,
  toInt64(ifNotFinite(median(MedianGapNs), 0)) AS MedianIntervalNs
FROM (
  SELECT ServiceName, MetricName, sum(Points) AS Points, groupUniqArray(MetricUnit) AS Units,
    uniqExactIf(ExplicitBounds, Kind = 'histogram') AS BucketSets,
    countIf(length(Ts) >= 2) AS SeriesWithGaps,
    medianIf(arrayReduce('median', arrayPopFront(arrayDifference(Ts))), length(Ts) >= 2) AS MedianGapNs
  FROM (
    SELECT ServiceName, MetricName, MetricUnit, Kind, ExplicitBounds, count() AS Points,
      arraySort(groupUniqArray(toUnixTimestamp64Nano(Timestamp))) AS Ts
    FROM metric_points
    WHERE Timestamp >= fromUnixTimestamp64Nano({p0:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p1:Int64})
    GROUP BY ServiceName, MetricName, MetricUnit, Kind, ExplicitBounds, ResourceScopeId, SeriesHash
  )
  GROUP BY ServiceName, MetricName
)
GROUP BY ServiceName
ORDER BY ServiceName
