-- p0 = "payment-api"
-- p1 = "1700000000000000000"
-- p2 = "1700003600000000000"
-- p3 = "payment.charge"
-- p4 = "5000000"
-- p5 = "payment.provider"
-- p6 = "stripe"
-- p7 = "payment.currency"
-- p8 = "EUR"
-- p9 = "1700000000000000000"
-- p10 = "1700003600000000000"
-- p11 = "40000000"
-- p12 = 0.95
-- p13 = "1699996400000000000"
-- p14 = "1700007200000000000"
-- p15 = "40000000"
-- p16 = "payment-api"
-- p17 = "1700000000000000000"
-- p18 = "1700003600000000000"
-- p19 = "payment.charge"
-- p20 = "5000000"
-- p21 = "payment.provider"
-- p22 = "stripe"
-- p23 = "payment.currency"
-- p24 = "EUR"
-- p25 = "1700000000000000000"
-- p26 = "1700003600000000000"
-- p27 = "40000000"
-- p28 = "2000"
WITH anchors AS (
  SELECT TraceId, argMax(SpanId, Duration) AS AnchorId, max(Duration) AS AnchorDuration, max(StatusCode = 2) AS AnchorError
  FROM spans
  WHERE ServiceName = {p0:String}
    AND Timestamp >= fromUnixTimestamp64Nano({p1:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p2:Int64})
    AND SpanName = {p3:String}
    AND Duration >= {p4:Int64}
    AND (((`AttributesString`[{p5:String}] = {p6:String})) OR ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ((`ResourceAttributesString`[{p5:String}] = {p6:String}))))
    AND TraceId IN (SELECT TraceId FROM spans WHERE Timestamp >= fromUnixTimestamp64Nano({p9:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p10:Int64}) AND (((`AttributesString`[{p7:String}] = {p8:String})) OR ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ((`ResourceAttributesString`[{p7:String}] = {p8:String})))))
    AND TraceId < {p11:String}
  GROUP BY TraceId
),
(SELECT quantileExact({p12:Float64})(AnchorDuration) FROM anchors) AS SlowNs,
trace_spans AS (
  SELECT TraceId, SpanId, ParentSpanId, ServiceName, SpanName,
    toUnixTimestamp64Nano(Timestamp) AS S, S + greatest(Duration, 0) AS E
  FROM spans
  WHERE Timestamp >= fromUnixTimestamp64Nano({p13:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p14:Int64})
    AND TraceId < {p15:String}
    AND TraceId IN (SELECT TraceId FROM spans WHERE ServiceName = {p16:String}
    AND Timestamp >= fromUnixTimestamp64Nano({p17:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p18:Int64})
    AND SpanName = {p19:String}
    AND Duration >= {p20:Int64}
    AND (((`AttributesString`[{p21:String}] = {p22:String})) OR ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ((`ResourceAttributesString`[{p21:String}] = {p22:String}))))
    AND TraceId IN (SELECT TraceId FROM spans WHERE Timestamp >= fromUnixTimestamp64Nano({p25:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p26:Int64}) AND (((`AttributesString`[{p23:String}] = {p24:String})) OR ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ((`ResourceAttributesString`[{p23:String}] = {p24:String})))))
    AND TraceId < {p27:String})
  LIMIT 1 BY TraceId, SpanId
),
traces AS (
  SELECT TraceId, groupArray(SpanId) AS Ids, groupArray(ParentSpanId) AS Parents, groupArray(S) AS Starts,
    groupArray(E) AS Ends, groupArray(ServiceName) AS Services, groupArray(SpanName) AS Names
  FROM trace_spans
  GROUP BY TraceId
  HAVING length(Ids) <= {p28:Int64}
),
per_trace AS (
  SELECT *,
    arrayMap(i -> Bad9[i] OR Bad9[A9[i]], Ix) AS Bad10
  FROM (
SELECT *,
    arrayMap(i -> Bad8[i] OR Bad8[A8[i]], Ix) AS Bad9
  FROM (
SELECT *,
    arrayMap(i -> Bad7[i] OR Bad7[A7[i]], Ix) AS Bad8
  FROM (
SELECT *,
    arrayMap(i -> Bad6[i] OR Bad6[A6[i]], Ix) AS Bad7
  FROM (
SELECT *,
    arrayMap(i -> Bad5[i] OR Bad5[A5[i]], Ix) AS Bad6
  FROM (
SELECT *,
    arrayMap(i -> Bad4[i] OR Bad4[A4[i]], Ix) AS Bad5
  FROM (
SELECT *,
    arrayMap(i -> Bad3[i] OR Bad3[A3[i]], Ix) AS Bad4
  FROM (
SELECT *,
    arrayMap(i -> Bad2[i] OR Bad2[A2[i]], Ix) AS Bad3
  FROM (
SELECT *,
    arrayMap(i -> Bad1[i] OR Bad1[A1[i]], Ix) AS Bad2
  FROM (
SELECT *,
    arrayMap(i -> Bad0[i] OR Bad0[A0[i]], Ix) AS Bad1
  FROM (
SELECT *,
    arrayMap(i -> In10[i] AND i != Ai AND NOT has(Taken[A0[i]], i), Ix) AS Bad0
  FROM (
SELECT *,
    arrayMap(i -> if(In10[i], (Ends[i] - Starts[i]) - arrayFold((acc, c) -> (acc.1 + greatest(0, c.2 - greatest(c.1, acc.2)), greatest(acc.2, c.2)),
      arraySort(c -> c.1, Kids[i]), (toInt64(0), toInt64(Starts[i]))).1, 0), Ix) AS Self,
    -- The children the critical-path walk takes, per parent.
    arrayMap(i -> arrayFold((acc, c) -> if(c.2 <= acc.1, (c.1, arrayPushBack(acc.2, c.3)), acc),
      arrayReverseSort(c -> c.2, Kids[i]), (Ends[i], CAST([], 'Array(UInt32)'))).2, Ix) AS Taken
  FROM (
SELECT *,
    -- Each span's direct children clipped to it, non-empty only.
    arrayMap(i -> arrayFilter(c -> c.2 > c.1,
      arrayMap(j -> (greatest(Starts[j], Starts[i]), least(Ends[j], Ends[i]), j), arrayFilter(j -> A0[j] = i, Ix))), Ix) AS Kids
  FROM (
SELECT *,
    arrayMap(i -> In9[i] OR In9[A9[i]], Ix) AS In10, arrayMap(i -> A9[A9[i]], Ix) AS A10
  FROM (
SELECT *,
    arrayMap(i -> In8[i] OR In8[A8[i]], Ix) AS In9, arrayMap(i -> A8[A8[i]], Ix) AS A9
  FROM (
SELECT *,
    arrayMap(i -> In7[i] OR In7[A7[i]], Ix) AS In8, arrayMap(i -> A7[A7[i]], Ix) AS A8
  FROM (
SELECT *,
    arrayMap(i -> In6[i] OR In6[A6[i]], Ix) AS In7, arrayMap(i -> A6[A6[i]], Ix) AS A7
  FROM (
SELECT *,
    arrayMap(i -> In5[i] OR In5[A5[i]], Ix) AS In6, arrayMap(i -> A5[A5[i]], Ix) AS A6
  FROM (
SELECT *,
    arrayMap(i -> In4[i] OR In4[A4[i]], Ix) AS In5, arrayMap(i -> A4[A4[i]], Ix) AS A5
  FROM (
SELECT *,
    arrayMap(i -> In3[i] OR In3[A3[i]], Ix) AS In4, arrayMap(i -> A3[A3[i]], Ix) AS A4
  FROM (
SELECT *,
    arrayMap(i -> In2[i] OR In2[A2[i]], Ix) AS In3, arrayMap(i -> A2[A2[i]], Ix) AS A3
  FROM (
SELECT *,
    arrayMap(i -> In1[i] OR In1[A1[i]], Ix) AS In2, arrayMap(i -> A1[A1[i]], Ix) AS A2
  FROM (
SELECT *,
    arrayMap(i -> In0[i] OR In0[A0[i]], Ix) AS In1, arrayMap(i -> A0[A0[i]], Ix) AS A1
  FROM (
SELECT TraceId, AnchorDuration >= SlowNs AS Slow, Services, Names, Starts, Ends,
    arrayEnumerate(Ids) AS Ix,
    indexOf(Ids, AnchorId) AS Ai,
    arrayMap(x -> toUInt32(indexOf(Ids, x)), Parents) AS A0,
    arrayMap(i -> i = Ai, Ix) AS In0
  FROM traces
  INNER JOIN anchors USING (TraceId)
  )
  )
  )
  )
  )
  )
  )
  )
  )
  )
  )
  )
  )
  )
  )
  )
  )
  )
  )
  )
  )
  )
  )
),
per_operation AS (
  SELECT TraceId, any(Slow) AS Slow, IsAnchor, Service, Name, count() AS TraceSpans, sum(SpanSelf) AS TraceSelfNs, max(SpanOnPath) AS TraceOnPath
  FROM (
    SELECT TraceId, Slow, i = Ai AS IsAnchor, Services[i] AS Service, Names[i] AS Name, Self[i] AS SpanSelf,
      NOT Bad10[i] AS SpanOnPath
    FROM per_trace
    ARRAY JOIN arrayFilter(i -> In10[i], Ix) AS i
  )
  GROUP BY TraceId, IsAnchor, Service, Name
)
SELECT IsAnchor, Service, Name,
  count() AS Traces, countIf(Slow) AS SlowTraces,
  sum(TraceSpans) AS Spans, sumIf(TraceSpans, Slow) AS SlowSpans,
  sum(TraceSelfNs) AS SelfNs, sumIf(TraceSelfNs, Slow) AS SlowSelfNs,
  quantilesTDigest(0.5, 0.95)(TraceSelfNs) AS SelfQuantiles, quantilesTDigestIf(0.5, 0.95)(TraceSelfNs, Slow) AS SlowSelfQuantiles,
  countIf(TraceOnPath) AS OnPathTraces, countIf(TraceOnPath AND Slow) AS SlowOnPathTraces,
  any(SlowNs) AS SlowThresholdNs
FROM per_operation
GROUP BY IsAnchor, Service, Name
ORDER BY SelfNs DESC, Service, Name
