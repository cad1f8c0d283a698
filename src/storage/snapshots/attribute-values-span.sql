-- p0 = "1764620400000000000"
-- p1 = "1764624000000000000"
-- p2 = "payment-api"
-- p3 = "payment.currency"
-- p4 = "E"
-- p5 = 1000000
-- p6 = 200
SELECT tupleElement(ValueType, 1) AS Value, tupleElement(ValueType, 2) AS Type, uniq(TraceId, SpanId) AS Count
FROM (
  SELECT TraceId, SpanId, arrayJoin(arrayConcat(
    if(mapContains(`AttributesString`, {p3:String}), [(`AttributesString`[{p3:String}], 'string')], []),
    if(mapContains(`AttributesInt`, {p3:String}), [(toString(`AttributesInt`[{p3:String}]), 'int')], []),
    if(mapContains(`AttributesDouble`, {p3:String}), [(toString(`AttributesDouble`[{p3:String}]), 'double')], []),
    if(mapContains(`AttributesBool`, {p3:String}), [(if(`AttributesBool`[{p3:String}], 'true', 'false'), 'bool')], []))) AS ValueType
  FROM spans WHERE Timestamp >= fromUnixTimestamp64Nano({p0:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p1:Int64}) AND ServiceName = {p2:String} AND (mapContains(`AttributesString`, {p3:String}) OR mapContains(`AttributesInt`, {p3:String}) OR mapContains(`AttributesDouble`, {p3:String}) OR mapContains(`AttributesBool`, {p3:String}))
  -- One row per span here: a key holds one value type in a span.
  LIMIT {p5:UInt32}
)
WHERE positionCaseInsensitiveUTF8(Value, {p4:String}) > 0
GROUP BY Value, Type
ORDER BY Count DESC, Value
LIMIT {p6:UInt32}
