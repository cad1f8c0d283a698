-- p0 = "1764620400000000000"
-- p1 = "1764624000000000000"
-- p2 = "service.name"
-- p3 = 1000000
-- p4 = 50
SELECT tupleElement(ValueType, 1) AS Value, tupleElement(ValueType, 2) AS Type, uniq(Id) AS Count
FROM (
  SELECT Id, arrayJoin(arrayConcat(
    if(mapContains(`ResourceAttributesString`, {p2:String}), [(`ResourceAttributesString`[{p2:String}], 'string')], []),
    if(mapContains(`ResourceAttributesInt`, {p2:String}), [(toString(`ResourceAttributesInt`[{p2:String}]), 'int')], []),
    if(mapContains(`ResourceAttributesDouble`, {p2:String}), [(toString(`ResourceAttributesDouble`[{p2:String}]), 'double')], []),
    if(mapContains(`ResourceAttributesBool`, {p2:String}), [(if(`ResourceAttributesBool`[{p2:String}], 'true', 'false'), 'bool')], []))) AS ValueType
  FROM resource_scopes WHERE Id IN (SELECT DISTINCT ResourceScopeId FROM spans WHERE Timestamp >= fromUnixTimestamp64Nano({p0:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p1:Int64})) AND (mapContains(`ResourceAttributesString`, {p2:String}) OR mapContains(`ResourceAttributesInt`, {p2:String}) OR mapContains(`ResourceAttributesDouble`, {p2:String}) OR mapContains(`ResourceAttributesBool`, {p2:String}))
  -- One row per span here: a key holds one value type in a span.
  LIMIT {p3:UInt32}
)
GROUP BY Value, Type
ORDER BY Count DESC, Value
LIMIT {p4:UInt32}
