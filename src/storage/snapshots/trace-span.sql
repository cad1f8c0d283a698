-- p0 = "5b8efff798038103d269b633813fc60c"
-- p1 = "eee19b7ec3c1b174"
SELECT toUnixTimestamp64Nano(Timestamp) AS StartNs, TraceId, SpanId, ParentSpanId, TraceState, Flags,
  SpanName, SpanKind, Duration, StatusCode, StatusMessage,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount,
  Events, DroppedEventsCount, Links, DroppedLinksCount, ServiceName, ResourceScopeId
FROM spans
WHERE TraceId = {p0:String} AND SpanId = {p1:String}
ORDER BY Timestamp
LIMIT 1
