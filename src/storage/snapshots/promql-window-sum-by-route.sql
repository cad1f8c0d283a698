-- p0 = "1700000000000"
-- p1 = "60000"
-- p2 = "300000"
-- p3 = ["http.server.request.duration"]
-- p4 = "59"
-- p5 = "59"
-- p6 = "http.route"
SELECT [G0] AS Groups, Bounds, groupArray((W, Total)) AS Windows
FROM (
  SELECT G0, Bounds, W, sumForEach(Result) AS Total
  FROM (
  SELECT MetricName, ResourceScopeId, SeriesHash, W,
    count() AS N, min(T) AS FirstT, max(T) AS LastT, argMin(V, T) AS FirstV, argMax(V, T) AS LastV,
    arrayMap((s, f) -> s - f, sumForEach(Contrib), argMin(Contrib, T)) AS Resets,
    (LastT - FirstT) / 1000 AS Sampled, Sampled / (N - 1) AS Average,
    (FirstT - ({p0:Int64} + W * {p1:Int64} - {p2:Int64})) / 1000 AS ToStart,
    ({p0:Int64} + W * {p1:Int64} - LastT) / 1000 AS ToEnd,
    arrayMap((f, l, r) -> (l - f + r) * (Sampled
        + if(if(l - f + r > 0 AND f >= 0, least(ToStart, Sampled * (f / (l - f + r))), ToStart) < Average * 1.1,
             if(l - f + r > 0 AND f >= 0, least(ToStart, Sampled * (f / (l - f + r))), ToStart), Average / 2)
        + if(ToEnd < Average * 1.1, ToEnd, Average / 2)) / Sampled / ({p2:Int64} / 1000),
      FirstV, LastV, Resets) AS Result
  FROM (
    SELECT MetricName, ResourceScopeId, SeriesHash, T, V,
      if(length(PrevV) = 0, arrayMap(x -> 0., V),
        if(S != 0 AND S != PrevS, PrevV, arrayMap((a, b) -> if(a < b, b, 0.), V, PrevV))) AS Contrib,
      arrayJoin(range(greatest(toInt64(0), toInt64(ceil((T - {p0:Int64}) / {p1:Int64}))),
        least({p5:Int64}, toInt64(floor((T - {p0:Int64} + {p2:Int64}) / {p1:Int64}))) + 1)) AS W
    FROM (
      SELECT MetricName, ResourceScopeId, SeriesHash, T, V, S,
        lagInFrame(V) OVER w AS PrevV, lagInFrame(S) OVER w AS PrevS
      FROM (
        SELECT MetricName, ResourceScopeId, sipHash64(AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, ExplicitBounds) AS SeriesHash,
          toUnixTimestamp64Milli(Timestamp) AS T, toUnixTimestamp64Milli(StartTimestamp) AS S, arrayMap(x -> toFloat64(x), arrayCumSum(BucketCounts)) AS V
        FROM metric_points
        WHERE MetricName IN {p3:Array(String)}
          AND Kind IN ('histogram')
          AND AggregationTemporality != 1
          AND bitAnd(Flags, 1) = 0
          AND Timestamp >= fromUnixTimestamp64Milli({p0:Int64} - {p2:Int64})
          AND Timestamp <= fromUnixTimestamp64Milli({p0:Int64} + {p1:Int64} * {p4:Int64})
        LIMIT 1 BY MetricName, ResourceScopeId, SeriesHash, T
      )
      WINDOW w AS (PARTITION BY MetricName, ResourceScopeId, SeriesHash ORDER BY T ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    )
  )
  GROUP BY MetricName, ResourceScopeId, SeriesHash, W
  HAVING N >= 2) AS Windowed
  ANY LEFT JOIN (SELECT MetricName, ResourceScopeId, sipHash64(AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, ExplicitBounds) AS SeriesHash, any(multiIf(mapContains(AttributesString, {p6:String}), AttributesString[{p6:String}], mapContains(AttributesInt, {p6:String}), toString(AttributesInt[{p6:String}]),
      mapContains(AttributesDouble, {p6:String}), toString(AttributesDouble[{p6:String}]), mapContains(AttributesBool, {p6:String}), if(AttributesBool[{p6:String}], 'true', 'false'),
      AttributesJson[{p6:String}])) AS G0, any(ExplicitBounds) AS Bounds
  FROM metric_points
  WHERE MetricName IN {p3:Array(String)}
    AND Kind IN ('histogram')
    AND AggregationTemporality != 1
    AND bitAnd(Flags, 1) = 0
    AND Timestamp >= fromUnixTimestamp64Milli({p0:Int64} - {p2:Int64})
    AND Timestamp <= fromUnixTimestamp64Milli({p0:Int64} + {p1:Int64} * {p4:Int64})
  GROUP BY MetricName, ResourceScopeId, SeriesHash) AS Ids USING (MetricName, ResourceScopeId, SeriesHash)
  GROUP BY G0, Bounds, W
)
GROUP BY Groups, Bounds
