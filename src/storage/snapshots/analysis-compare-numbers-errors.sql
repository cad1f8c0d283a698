-- p0 = "payment-api"
-- p1 = "1700000000000000000"
-- p2 = "1700003600000000000"
-- p3 = "1699996400000000000"
-- p4 = "1700007200000000000"
-- p5 = "payment-api"
-- p6 = "1700000000000000000"
-- p7 = "1700003600000000000"
WITH anchors AS (
  SELECT TraceId, argMax(SpanId, Duration) AS AnchorId, max(Duration) AS AnchorDuration, max(StatusCode = 2) AS AnchorError
  FROM spans
  WHERE ServiceName = {p0:String}
    AND Timestamp >= fromUnixTimestamp64Nano({p1:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p2:Int64})
    AND ParentSpanId = ''
  GROUP BY TraceId
),
labeled AS (SELECT cityHash64(TraceId) AS T, AnchorError = 1 AS Sel FROM anchors),
trace_spans AS (
  SELECT cityHash64(TraceId) AS T, TraceId, ServiceName, SpanName, AttributesString, AttributesInt, AttributesDouble, AttributesBool, ResourceScopeId
  FROM spans
  WHERE Timestamp >= fromUnixTimestamp64Nano({p3:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p4:Int64})
    AND TraceId IN (SELECT TraceId FROM spans WHERE ServiceName = {p5:String}
    AND Timestamp >= fromUnixTimestamp64Nano({p6:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p7:Int64})
    AND ParentSpanId = '')
),
nums AS (
  SELECT T, any(TraceId) AS TraceId, Service, Name, Key, max(X) AS V
  FROM (
    SELECT T, TraceId, ServiceName AS Service, SpanName AS Name, kv.1 AS Key, kv.2 AS X
    FROM trace_spans
    ARRAY JOIN arrayConcat(
      arrayMap((k, v) -> (k, toFloat64(v)), mapKeys(AttributesInt), mapValues(AttributesInt)),
      arrayMap((k, v) -> (k, v), mapKeys(AttributesDouble), mapValues(AttributesDouble))) AS kv
  )
  WHERE isFinite(X)
  GROUP BY T, Service, Name, Key
)
SELECT Service, Name, Key,
  countIf(Sel) AS SelTraces, countIf(NOT Sel) AS BaseTraces,
  quantilesIf(0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16, 0.17, 0.18, 0.19, 0.2, 0.21, 0.22, 0.23, 0.24, 0.25, 0.26, 0.27, 0.28, 0.29, 0.3, 0.31, 0.32, 0.33, 0.34, 0.35, 0.36, 0.37, 0.38, 0.39, 0.4, 0.41, 0.42, 0.43, 0.44, 0.45, 0.46, 0.47, 0.48, 0.49, 0.5, 0.51, 0.52, 0.53, 0.54, 0.55, 0.56, 0.57, 0.58, 0.59, 0.6, 0.61, 0.62, 0.63, 0.64, 0.65, 0.66, 0.67, 0.68, 0.69, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75, 0.76, 0.77, 0.78, 0.79, 0.8, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99)(V, Sel) AS SelQuantiles, quantilesIf(0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.11, 0.12, 0.13, 0.14, 0.15, 0.16, 0.17, 0.18, 0.19, 0.2, 0.21, 0.22, 0.23, 0.24, 0.25, 0.26, 0.27, 0.28, 0.29, 0.3, 0.31, 0.32, 0.33, 0.34, 0.35, 0.36, 0.37, 0.38, 0.39, 0.4, 0.41, 0.42, 0.43, 0.44, 0.45, 0.46, 0.47, 0.48, 0.49, 0.5, 0.51, 0.52, 0.53, 0.54, 0.55, 0.56, 0.57, 0.58, 0.59, 0.6, 0.61, 0.62, 0.63, 0.64, 0.65, 0.66, 0.67, 0.68, 0.69, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75, 0.76, 0.77, 0.78, 0.79, 0.8, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99)(V, NOT Sel) AS BaseQuantiles,
  groupArrayIf(20)((V, TraceId), Sel) AS Examples
FROM nums
INNER JOIN labeled USING (T)
GROUP BY Service, Name, Key
ORDER BY Service, Name, Key
