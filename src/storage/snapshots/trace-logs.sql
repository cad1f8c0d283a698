-- p0 = "5b8efff798038103d269b633813fc60c"
-- p1 = 1001
SELECT toUnixTimestamp64Nano(Timestamp) AS TimeNs, TimeUnset, toUnixTimestamp64Nano(ObservedTimestamp) AS ObservedNs,
  TraceId, SpanId, Flags, SeverityText, SeverityNumber, Body, BodyIsJson, EventName,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount,
  ServiceName, ResourceScopeId
FROM logs
WHERE TraceId = {p0:String}
ORDER BY Timestamp, SpanId
LIMIT 1 BY Timestamp, ObservedTimestamp, TimeUnset, ServiceName, ResourceScopeId, TraceId, SpanId, Flags,
  SeverityText, SeverityNumber, Body, BodyIsJson, EventName,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount
LIMIT {p1:UInt32}
