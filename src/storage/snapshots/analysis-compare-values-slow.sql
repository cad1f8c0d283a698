-- p0 = 0.95
-- p1 = "payment-api"
-- p2 = "1700000000000000000"
-- p3 = "1700003600000000000"
-- p4 = "1699996400000000000"
-- p5 = "1700007200000000000"
-- p6 = "payment-api"
-- p7 = "1700000000000000000"
-- p8 = "1700003600000000000"
-- p9 = "50"
WITH anchors AS (
  SELECT TraceId, argMax(SpanId, Duration) AS AnchorId, max(Duration) AS AnchorDuration, max(StatusCode = 2) AS AnchorError
  FROM spans
  WHERE ServiceName = {p1:String}
    AND Timestamp >= fromUnixTimestamp64Nano({p2:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p3:Int64})
    AND ParentSpanId = ''
  GROUP BY TraceId
),
(SELECT quantileExact({p0:Float64})(AnchorDuration) FROM anchors) AS SlowNs,
labeled AS (SELECT cityHash64(TraceId) AS T, AnchorDuration >= SlowNs AS Sel FROM anchors),
trace_spans AS (
  SELECT cityHash64(TraceId) AS T, TraceId, ServiceName, SpanName, AttributesString, AttributesInt, AttributesDouble, AttributesBool, ResourceScopeId
  FROM spans
  WHERE Timestamp >= fromUnixTimestamp64Nano({p4:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p5:Int64})
    AND TraceId IN (SELECT TraceId FROM spans WHERE ServiceName = {p6:String}
    AND Timestamp >= fromUnixTimestamp64Nano({p7:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p8:Int64})
    AND ParentSpanId = '')
),
-- One pass over the trace spans (a CTE named twice is computed twice): each
-- span's own attributes and its resource's (resource_scopes is small: one row per
-- distinct resource and scope). Marking the first span of each resource with a
-- window function instead sorted the rows, maps and all: slower and erratic.
pairs AS (
  SELECT T, TraceId, if(kv.4, 'resource', 'span') AS Scope, ServiceName AS Service, if(kv.4, '', SpanName) AS Name,
    kv.1 AS Key, kv.2 AS Value, kv.3 AS Type
  FROM (
    SELECT s.*, r.ResourceAttributesString, r.ResourceAttributesInt, r.ResourceAttributesBool
    FROM trace_spans AS s
    LEFT JOIN (
      SELECT Id, ResourceAttributesString, ResourceAttributesInt, ResourceAttributesBool FROM resource_scopes
      ORDER BY LastSeen DESC LIMIT 1 BY Id
    ) AS r ON s.ResourceScopeId = r.Id
  )
  ARRAY JOIN arrayConcat(
    arrayMap(x -> (x.1, x.2, x.3, false), arrayConcat(
      arrayMap((k, v) -> (k, v, 'string'), mapKeys(AttributesString), mapValues(AttributesString)),
      arrayMap((k, v) -> (k, toString(v), 'int'), mapKeys(AttributesInt), mapValues(AttributesInt)),
      arrayMap((k, v) -> (k, if(v, 'true', 'false'), 'bool'), mapKeys(AttributesBool), mapValues(AttributesBool)))),
    arrayMap(x -> (x.1, x.2, x.3, true), arrayConcat(
      arrayMap((k, v) -> (k, v, 'string'), mapKeys(ResourceAttributesString), mapValues(ResourceAttributesString)),
      arrayMap((k, v) -> (k, toString(v), 'int'), mapKeys(ResourceAttributesInt), mapValues(ResourceAttributesInt)),
      arrayMap((k, v) -> (k, if(v, 'true', 'false'), 'bool'), mapKeys(ResourceAttributesBool), mapValues(ResourceAttributesBool))))) AS kv
)
SELECT Scope, Service, Name, Key, Value, Type, SelTraces, BaseTraces, Examples, Distinct
FROM (
  SELECT Scope, Service, Name, Key, Value, Type,
    countIf(Sel) AS SelTraces, countIf(NOT Sel) AS BaseTraces,
    groupArrayIf(5)(TraceId, Sel) AS Examples,
    count() OVER w AS Distinct,
    row_number() OVER (PARTITION BY Scope, Service, Name, Key ORDER BY SelTraces DESC, Value) AS Rank
  FROM (
    -- Once a trace: a value on several spans of one name, or a span stored twice.
    SELECT Scope, Service, Name, Key, Value, Type, T, any(TraceId) AS TraceId, any(Sel) AS Sel
    FROM pairs
    INNER JOIN labeled USING (T)
    GROUP BY Scope, Service, Name, Key, Value, Type, T
  )
  GROUP BY Scope, Service, Name, Key, Value, Type
  WINDOW w AS (PARTITION BY Scope, Service, Name, Key)
)
WHERE Distinct <= {p9:Int64} OR Rank = 1
ORDER BY Scope, Service, Name, Key, Value
