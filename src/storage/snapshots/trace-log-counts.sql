-- p0 = "5b8efff798038103d269b633813fc60c"
SELECT SpanId, uniqExact(Timestamp, ObservedTimestamp, TimeUnset, ServiceName, ResourceScopeId, TraceId, SpanId, Flags,
  SeverityText, SeverityNumber, Body, BodyIsJson, EventName,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount) AS Count FROM logs
WHERE TraceId = {p0:String}
GROUP BY SpanId
