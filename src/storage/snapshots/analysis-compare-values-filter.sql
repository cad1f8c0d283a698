-- p0 = "payment.currency"
-- p1 = "EUR"
-- p2 = "100000000"
-- p3 = "payment-api"
-- p4 = "1700000000000000000"
-- p5 = "1700003600000000000"
-- p6 = "payment.charge"
-- p7 = "5000000"
-- p8 = "payment.provider"
-- p9 = "stripe"
-- p10 = "payment.currency"
-- p11 = "EUR"
-- p12 = "1700000000000000000"
-- p13 = "1700003600000000000"
-- p14 = "40000000"
-- p15 = "1699996400000000000"
-- p16 = "1700007200000000000"
-- p17 = "40000000"
-- p18 = "payment-api"
-- p19 = "1700000000000000000"
-- p20 = "1700003600000000000"
-- p21 = "payment.charge"
-- p22 = "5000000"
-- p23 = "payment.provider"
-- p24 = "stripe"
-- p25 = "payment.currency"
-- p26 = "EUR"
-- p27 = "1700000000000000000"
-- p28 = "1700003600000000000"
-- p29 = "40000000"
-- p30 = "50"
WITH anchors AS (
  SELECT TraceId, argMax(SpanId, Duration) AS AnchorId, max(Duration) AS AnchorDuration, max(StatusCode = 2) AS AnchorError, max((((`AttributesString`[{p0:String}] = {p1:String})) OR ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ((`ResourceAttributesString`[{p0:String}] = {p1:String})))) AND Duration >= {p2:Int64}) AS AnchorSelected
  FROM spans
  WHERE ServiceName = {p3:String}
    AND Timestamp >= fromUnixTimestamp64Nano({p4:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p5:Int64})
    AND SpanName = {p6:String}
    AND Duration >= {p7:Int64}
    AND (((`AttributesString`[{p8:String}] = {p9:String})) OR ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ((`ResourceAttributesString`[{p8:String}] = {p9:String}))))
    AND TraceId IN (SELECT TraceId FROM spans WHERE Timestamp >= fromUnixTimestamp64Nano({p12:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p13:Int64}) AND (((`AttributesString`[{p10:String}] = {p11:String})) OR ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ((`ResourceAttributesString`[{p10:String}] = {p11:String})))))
    AND TraceId < {p14:String}
  GROUP BY TraceId
),
labeled AS (SELECT cityHash64(TraceId) AS T, AnchorSelected = 1 AS Sel FROM anchors),
trace_spans AS (
  SELECT cityHash64(TraceId) AS T, TraceId, ServiceName, SpanName, AttributesString, AttributesInt, AttributesDouble, AttributesBool, ResourceScopeId
  FROM spans
  WHERE Timestamp >= fromUnixTimestamp64Nano({p15:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p16:Int64})
    AND TraceId < {p17:String}
    AND TraceId IN (SELECT TraceId FROM spans WHERE ServiceName = {p18:String}
    AND Timestamp >= fromUnixTimestamp64Nano({p19:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p20:Int64})
    AND SpanName = {p21:String}
    AND Duration >= {p22:Int64}
    AND (((`AttributesString`[{p23:String}] = {p24:String})) OR ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ((`ResourceAttributesString`[{p23:String}] = {p24:String}))))
    AND TraceId IN (SELECT TraceId FROM spans WHERE Timestamp >= fromUnixTimestamp64Nano({p27:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p28:Int64}) AND (((`AttributesString`[{p25:String}] = {p26:String})) OR ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ((`ResourceAttributesString`[{p25:String}] = {p26:String})))))
    AND TraceId < {p29:String})
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
WHERE Distinct <= {p30:Int64} OR Rank = 1
ORDER BY Scope, Service, Name, Key, Value
