-- p0 = 200
-- p1 = "1700000000000000000"
-- p2 = "1700003600000000000"
-- p3 = "payment-api"
-- p4 = "deployment_environment"
-- p5 = "^(?:prod.*)$"
-- p6 = "k8s_pod_name"
-- p7 = ""
-- p8 = "declined"
-- p9 = "%declined%"
-- p10 = "EUR"
-- p11 = "%EUR%"
-- p12 = "USD"
-- p13 = "%USD%"
-- p14 = "amount=\\d+"
-- p15 = "(?i)test"
-- p16 = "1700000000000000000"
-- p17 = "1700003600000000000"
-- p18 = "payment-api"
-- p19 = "deployment_environment"
-- p20 = "^(?:prod.*)$"
-- p21 = "k8s_pod_name"
-- p22 = ""
-- p23 = "declined"
-- p24 = "%declined%"
-- p25 = "EUR"
-- p26 = "%EUR%"
-- p27 = "USD"
-- p28 = "%USD%"
-- p29 = "amount=\\d+"
-- p30 = "(?i)test"
SELECT toUnixTimestamp64Nano(Timestamp) AS __ts,
  cityHash64(Timestamp, ObservedTimestamp, TimeUnset, ServiceName, ResourceScopeId, TraceId, SpanId, Flags,
  SeverityText, SeverityNumber, Body, BodyIsJson, EventName,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount) AS __id,
  BodyIsJson,
  s.RL AS __stream0,
  mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(AttributesString, mapApply((k, v) -> (k, toString(v)), AttributesInt), mapApply((k, v) -> (k, toString(v)), AttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), AttributesBool), AttributesJson)), mapFilter((k, v) -> v != '', map('trace_id', TraceId, 'span_id', SpanId, 'severity_text', toString(SeverityText), 'detected_level', multiIf(SeverityNumber <= 0, '', SeverityNumber <= 4, 'trace', SeverityNumber <= 8, 'debug', SeverityNumber <= 12, 'info', SeverityNumber <= 16, 'warn', SeverityNumber <= 20, 'error', 'fatal')))) AS __meta0,
  mapUpdate(__stream0, __meta0) AS __base0,
  __stream0 AS __stream,
  __meta0 AS __meta,
  CAST(map(), 'Map(String, String)') AS __parsed,
  __base0 AS __all,
  Body AS __line
FROM (WITH toUnixTimestamp64Nano(Timestamp) AS __ts,
  cityHash64(Timestamp, ObservedTimestamp, TimeUnset, ServiceName, ResourceScopeId, TraceId, SpanId, Flags,
  SeverityText, SeverityNumber, Body, BodyIsJson, EventName,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount) AS __id,
  CAST(map(), 'Map(String, String)') AS __stream0,
  mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(AttributesString, mapApply((k, v) -> (k, toString(v)), AttributesInt), mapApply((k, v) -> (k, toString(v)), AttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), AttributesBool), AttributesJson)), mapFilter((k, v) -> v != '', map('trace_id', TraceId, 'span_id', SpanId, 'severity_text', toString(SeverityText), 'detected_level', multiIf(SeverityNumber <= 0, '', SeverityNumber <= 4, 'trace', SeverityNumber <= 8, 'debug', SeverityNumber <= 12, 'info', SeverityNumber <= 16, 'warn', SeverityNumber <= 20, 'error', 'fatal')))) AS __meta0,
  mapUpdate(__stream0, __meta0) AS __base0,
  __stream0 AS __stream,
  __meta0 AS __meta,
  CAST(map(), 'Map(String, String)') AS __parsed,
  __base0 AS __all,
  Body AS __line
SELECT Timestamp, ObservedTimestamp, TimeUnset, ServiceName, ResourceScopeId, TraceId, SpanId, Flags,
  SeverityText, SeverityNumber, Body, BodyIsJson, EventName,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount
FROM logs
WHERE Timestamp >= fromUnixTimestamp64Nano({p1:Int64})
  AND Timestamp < fromUnixTimestamp64Nano({p2:Int64})
  AND ServiceName = {p3:String}
  AND ((lowerUTF8(Body) LIKE lowerUTF8({p9:String}) AND position(Body, {p8:String}) > 0))
  AND (NOT (position(Body, {p10:String}) > 0) AND NOT (position(Body, {p12:String}) > 0))
  AND (match(Body, {p14:String}))
  AND (NOT match(Body, {p15:String}))
  AND ResourceScopeId IN (SELECT Id FROM (SELECT Id, mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(ResourceAttributesString, mapApply((k, v) -> (k, toString(v)), ResourceAttributesInt), mapApply((k, v) -> (k, toString(v)), ResourceAttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), ResourceAttributesBool), ResourceAttributesJson)), map('service_name', toString(ServiceName))) AS RL
  FROM resource_scopes FINAL
  WHERE match(RL[{p4:String}], {p5:String}) AND RL[{p6:String}] != {p7:String}))
ORDER BY Timestamp DESC LIMIT {p0:UInt32}) AS logs
INNER JOIN (SELECT Id, mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(ResourceAttributesString, mapApply((k, v) -> (k, toString(v)), ResourceAttributesInt), mapApply((k, v) -> (k, toString(v)), ResourceAttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), ResourceAttributesBool), ResourceAttributesJson)), map('service_name', toString(ServiceName))) AS RL
  FROM resource_scopes FINAL) AS s ON logs.ResourceScopeId = s.Id
