-- p0 = "1764620400000000000"
-- p1 = "1764624000000000000"
-- p2 = "payment-api"
-- p3 = "pay%"
-- p4 = 1000000
-- p5 = 200
SELECT tupleElement(KeyType, 1) AS Key, arraySort(groupUniqArray(tupleElement(KeyType, 2))) AS Types, uniq(TraceId, SpanId) AS Count
FROM (
  SELECT TraceId, SpanId, arrayJoin(arrayConcat(
    arrayMap(k -> (k, 'string'), mapKeys(`AttributesString`)),
    arrayMap(k -> (k, 'int'), mapKeys(`AttributesInt`)),
    arrayMap(k -> (k, 'double'), mapKeys(`AttributesDouble`)),
    arrayMap(k -> (k, 'bool'), mapKeys(`AttributesBool`)),
    arrayMap(k -> (k, 'json'), mapKeys(`AttributesJson`)))) AS KeyType
  FROM (SELECT TraceId, SpanId, `AttributesString`, `AttributesInt`, `AttributesDouble`, `AttributesBool`, `AttributesJson` FROM spans WHERE Timestamp >= fromUnixTimestamp64Nano({p0:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p1:Int64}) AND ServiceName = {p2:String} LIMIT {p4:UInt32})
)
WHERE positionCaseInsensitiveUTF8(Key, {p3:String}) > 0
GROUP BY Key
ORDER BY Count DESC, Key
LIMIT {p5:UInt32}
