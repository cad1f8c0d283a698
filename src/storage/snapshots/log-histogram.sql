-- p0 = "1764620400000000000"
-- p1 = "1764624000000000000"
-- p2 = "5b8efff798038103d269b633813fc60c"
-- p3 = "payment-api"
-- p4 = 17
-- p5 = "%declined%"
-- p6 = "payment.currency"
-- p7 = "EUR"
-- p8 = "60000000000"
SELECT intDiv(toUnixTimestamp64Nano(Timestamp), {p8:Int64}) * {p8:Int64} AS BucketNs,
  multiIf(SeverityNumber <= 0, 'unset', SeverityNumber <= 4, 'trace', SeverityNumber <= 8, 'debug',
    SeverityNumber <= 12, 'info', SeverityNumber <= 16, 'warn', SeverityNumber <= 20, 'error', 'fatal') AS Band,
  uniqExact(Timestamp, ObservedTimestamp, TimeUnset, ServiceName, ResourceScopeId, TraceId, SpanId, Flags,
  SeverityText, SeverityNumber, Body, BodyIsJson, EventName,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount) AS Count
FROM logs
WHERE Timestamp >= fromUnixTimestamp64Nano({p0:Int64})
  AND Timestamp < fromUnixTimestamp64Nano({p1:Int64})
  AND TraceId = {p2:String}
  AND ServiceName = {p3:String}
  AND SeverityNumber >= {p4:Int32}
  AND lowerUTF8(Body) LIKE lowerUTF8({p5:String})
  AND (((`AttributesString`[{p6:String}] = {p7:String})) OR ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ((`ResourceAttributesString`[{p6:String}] = {p7:String}))))
GROUP BY BucketNs, Band
ORDER BY BucketNs, Band
