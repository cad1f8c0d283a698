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
        SELECT MetricName, ResourceScopeId, SeriesHash, B, Nb, FT, LT, FV, LV, IC,
          if(length(PrevV) = 0, arrayMap(x -> 0., FV),
            if(FS != 0 AND FS != PrevS, PrevV, arrayMap((a, b) -> if(a < b, b, 0.), FV, PrevV))) AS FC
        FROM (
          SELECT *, lagInFrame(LV) OVER w AS PrevV, lagInFrame(LS) OVER w AS PrevS
          FROM (
            SELECT MetricName, ResourceScopeId, SeriesHash, B, length(A) AS Nb, A[1].1 AS FT, A[-1].1 AS LT, A[1].2 AS FS, A[-1].2 AS LS, A[1].3 AS FV, A[-1].3 AS LV,
              if(Nb = 1, arrayMap(x -> 0., FV), arrayReduce('sumForEach', arrayMap(i -> if(A[i].2 != 0 AND A[i].2 != A[i - 1].2, A[i - 1].3, arrayMap((a, b) -> if(a < b, b, 0.), A[i].3, A[i - 1].3)), range(2, Nb + 1)))) AS IC
            FROM (
              SELECT MetricName, ResourceScopeId, SeriesHash, B, arrayFilter((x, i) -> i = 1 OR x.1 != Sorted[i - 1].1, Sorted, arrayEnumerate(Sorted)) AS A
              FROM (
                SELECT MetricName, ResourceScopeId, SeriesHash, toInt64(ceil((T - {p0:Int64}) / {p1:Int64})) AS B, arraySort(groupArray((T, S, V))) AS Sorted
                FROM (
                  SELECT MetricName, ResourceScopeId, cityHash64(AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, ExplicitBounds) AS SeriesHash,
                    toUnixTimestamp64Milli(Timestamp) AS T, toUnixTimestamp64Milli(StartTimestamp) AS S, arrayMap(x -> toFloat64(x), arrayCumSum(BucketCounts)) AS V
                  FROM metric_points
                  WHERE MetricName IN {p3:Array(String)}
                    AND Kind IN ('histogram')
                    AND AggregationTemporality != 1
                    AND bitAnd(Flags, 1) = 0
                    AND Timestamp >= fromUnixTimestamp64Milli({p0:Int64} - {p2:Int64})
                    AND Timestamp <= fromUnixTimestamp64Milli({p0:Int64} + {p1:Int64} * {p4:Int64})
                    AND ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE if(ResourceAttributesString['service.namespace'] = '', ServiceName, concat(ResourceAttributesString['service.namespace'], '/', ServiceName)) = {p5:String})
                )
                GROUP BY MetricName, ResourceScopeId, SeriesHash, B
              )
            )
          )
          WINDOW w AS (PARTITION BY MetricName, ResourceScopeId, SeriesHash ORDER BY B ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
        ))
    )
    WHERE NOT IsB OR LT = {p0:Int64} + B * {p1:Int64}
  )
  GROUP BY MetricName, ResourceScopeId, SeriesHash, W)
  WHERE N >= 2)
  GROUP BY MetricName, ResourceScopeId, SeriesHash
) AS Windowed
ANY LEFT JOIN (SELECT MetricName, ResourceScopeId, cityHash64(AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, ExplicitBounds) AS SeriesHash, any(AttributesString) AS AttrString, any(AttributesInt) AS AttrInt,
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
