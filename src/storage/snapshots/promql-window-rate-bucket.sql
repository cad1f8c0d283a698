-- p0 = "1700000000000"
-- p1 = "60000"
-- p2 = "300000"
-- p3 = ["http.server.request.duration"]
-- p4 = "59"
-- p5 = "checkout"
-- p6 = "59"
-- p7 = "5"
-- p8 = "5"
SELECT MetricName, toString(ResourceScopeId), Ids.AttrString, Ids.AttrInt, Ids.AttrDouble, Ids.AttrBool, Ids.AttrJson, Ids.Bounds, Windows
FROM (
  SELECT MetricName, ResourceScopeId, SeriesHash, groupArray((W, Result)) AS Windows
  FROM (
  SELECT MetricName, ResourceScopeId, SeriesHash, W,
    (LastT - FirstT) / 1000 AS Sampled, Sampled / (N - 1) AS Average,
    (FirstT - ({p0:Int64} + W * {p1:Int64} - {p2:Int64})) / 1000 AS ToStart,
    ({p0:Int64} + W * {p1:Int64} - LastT) / 1000 AS ToEnd,
    arrayMap((f, l, r) -> (l - f + r) * (Sampled
        + if(if(l - f + r > 0 AND f >= 0, least(ToStart, Sampled * (f / (l - f + r))), ToStart) < Average * 1.1,
             if(l - f + r > 0 AND f >= 0, least(ToStart, Sampled * (f / (l - f + r))), ToStart), Average / 2)
        + if(ToEnd < Average * 1.1, ToEnd, Average / 2)) / Sampled / ({p2:Int64} / 1000),
      FirstV, LastV, Resets) AS Result
  FROM (
  SELECT MetricName, ResourceScopeId, SeriesHash, W,
    sum(if(IsB, 1, Nb)) AS N, min(if(IsB, LT, FT)) AS FirstT, max(LT) AS LastT,
    argMin(if(IsB, LV, FV), if(IsB, LT, FT)) AS FirstV, argMax(LV, LT) AS LastV,
    argMinIf(FC, B, NOT IsB) AS FirstFull,
    arrayMap((s, f) -> s - if(max(IsB), 0., f), sumForEachIf(arrayMap((i, c) -> i + c, IC, FC), NOT IsB), FirstFull) AS Resets
  FROM (
    SELECT * FROM (
      SELECT MetricName, ResourceScopeId, SeriesHash, B, Nb, FT, LT, FV, LV, FC, IC,
        arrayJoin(range(greatest(toInt64(0), B), least({p6:Int64}, B + {p7:Int64}) + 1)) AS W,
        B = W - {p8:Int64} AS IsB
      FROM (
        SELECT MetricName, ResourceScopeId, SeriesHash, B, count() AS Nb, min(T) AS FT, max(T) AS LT, argMin(V, T) AS FV, argMax(V, T) AS LV,
          argMin(Contrib, T) AS FC, arrayMap((s, f) -> s - f, sumForEach(Contrib), FC) AS IC
        FROM (SELECT *, toInt64(ceil((T - {p0:Int64}) / {p1:Int64})) AS B FROM (
    SELECT MetricName, ResourceScopeId, SeriesHash, T, V,
      if(length(PrevV) = 0, arrayMap(x -> 0., V),
        if(S != 0 AND S != PrevS, PrevV, arrayMap((a, b) -> if(a < b, b, 0.), V, PrevV))) AS Contrib
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
          AND ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE if(ResourceAttributesString['service.namespace'] = '', ServiceName, concat(ResourceAttributesString['service.namespace'], '/', ServiceName)) = {p5:String})
        LIMIT 1 BY MetricName, ResourceScopeId, SeriesHash, T
      )
      WINDOW w AS (PARTITION BY MetricName, ResourceScopeId, SeriesHash ORDER BY T ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    )))
        GROUP BY MetricName, ResourceScopeId, SeriesHash, B
      )
    )
    WHERE NOT IsB OR LT = {p0:Int64} + B * {p1:Int64}
  )
  GROUP BY MetricName, ResourceScopeId, SeriesHash, W)
  WHERE N >= 2)
  GROUP BY MetricName, ResourceScopeId, SeriesHash
) AS Windowed
ANY LEFT JOIN (SELECT MetricName, ResourceScopeId, sipHash64(AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, ExplicitBounds) AS SeriesHash, any(AttributesString) AS AttrString, any(AttributesInt) AS AttrInt,
    any(AttributesDouble) AS AttrDouble, any(AttributesBool) AS AttrBool, any(AttributesJson) AS AttrJson, any(ExplicitBounds) AS Bounds
  FROM metric_points
  WHERE MetricName IN {p3:Array(String)}
    AND Kind IN ('histogram')
    AND AggregationTemporality != 1
    AND bitAnd(Flags, 1) = 0
    AND Timestamp >= fromUnixTimestamp64Milli({p0:Int64} - {p2:Int64})
    AND Timestamp <= fromUnixTimestamp64Milli({p0:Int64} + {p1:Int64} * {p4:Int64})
    AND ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE if(ResourceAttributesString['service.namespace'] = '', ServiceName, concat(ResourceAttributesString['service.namespace'], '/', ServiceName)) = {p5:String})
  GROUP BY MetricName, ResourceScopeId, SeriesHash) AS Ids
USING (MetricName, ResourceScopeId, SeriesHash)
