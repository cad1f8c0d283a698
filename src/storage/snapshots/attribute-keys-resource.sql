-- p0 = "1764620400000000000"
-- p1 = "1764624000000000000"
-- p2 = 1000000
-- p3 = 200
SELECT tupleElement(KeyType, 1) AS Key, arraySort(groupUniqArray(tupleElement(KeyType, 2))) AS Types, uniq(Id) AS Count
FROM (
  SELECT Id, arrayJoin(arrayConcat(
    arrayMap(k -> (k, 'string'), mapKeys(`ResourceAttributesString`)),
    arrayMap(k -> (k, 'int'), mapKeys(`ResourceAttributesInt`)),
    arrayMap(k -> (k, 'double'), mapKeys(`ResourceAttributesDouble`)),
    arrayMap(k -> (k, 'bool'), mapKeys(`ResourceAttributesBool`)),
    arrayMap(k -> (k, 'json'), mapKeys(`ResourceAttributesJson`)))) AS KeyType
  FROM (SELECT Id, `ResourceAttributesString`, `ResourceAttributesInt`, `ResourceAttributesDouble`, `ResourceAttributesBool`, `ResourceAttributesJson` FROM resource_scopes WHERE Id IN (SELECT DISTINCT ResourceScopeId FROM spans WHERE Timestamp >= fromUnixTimestamp64Nano({p0:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p1:Int64})) LIMIT {p2:UInt32})
)
GROUP BY Key
ORDER BY Count DESC, Key
LIMIT {p3:UInt32}
