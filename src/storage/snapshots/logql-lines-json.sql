-- p0 = 200
-- p1 = "1700000000000000000"
-- p2 = "1700003600000000000"
-- p3 = "payment-api"
-- p4 = "4bf92f3577b34da6a3ce929d0e0e4736"
-- p5 = "http_status"
-- p6 = 400
-- p7 = "currency"
-- p8 = "EUR"
-- p9 = "amount"
-- p10 = 5
-- p11 = "1700000000000000000"
-- p12 = "1700003600000000000"
-- p13 = "payment-api"
-- p14 = "4bf92f3577b34da6a3ce929d0e0e4736"
-- p15 = "http_status"
-- p16 = 400
-- p17 = "currency"
-- p18 = "EUR"
-- p19 = "amount"
-- p20 = 5
-- p21 = "1700000000000000000"
-- p22 = "1700003600000000000"
-- p23 = "payment-api"
-- p24 = "4bf92f3577b34da6a3ce929d0e0e4736"
-- p25 = "http_status"
-- p26 = 400
-- p27 = "currency"
-- p28 = "EUR"
-- p29 = "amount"
-- p30 = 5
SELECT toUnixTimestamp64Nano(Timestamp) AS __ts,
  cityHash64(Timestamp, ObservedTimestamp, TimeUnset, ServiceName, ResourceScopeId, TraceId, SpanId, Flags,
  SeverityText, SeverityNumber, Body, BodyIsJson, EventName,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount) AS __id,
  BodyIsJson,
  s.RL AS __stream0,
  mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(AttributesString, mapApply((k, v) -> (k, toString(v)), AttributesInt), mapApply((k, v) -> (k, toString(v)), AttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), AttributesBool), AttributesJson)), mapFilter((k, v) -> v != '', map('trace_id', TraceId, 'span_id', SpanId, 'severity_text', toString(SeverityText), 'detected_level', multiIf(SeverityNumber <= 0, '', SeverityNumber <= 4, 'trace', SeverityNumber <= 8, 'debug', SeverityNumber <= 12, 'info', SeverityNumber <= 16, 'warn', SeverityNumber <= 20, 'error', 'fatal')))) AS __meta0,
  mapUpdate(__stream0, __meta0) AS __base0,
  arrayFlatten(arrayMap(kv1 -> if(startsWith(kv1.2, '{'), arrayFlatten(arrayMap(kv2 -> if(startsWith(kv2.2, '{'), arrayFlatten(arrayMap(kv3 -> if(startsWith(kv3.2, '{'), arrayFlatten(arrayMap(kv4 -> if(startsWith(kv4.2, '{'), CAST([], 'Array(Tuple(String, String))'), if(startsWith(kv4.2, '[') OR kv4.2 = 'null', CAST([], 'Array(Tuple(String, String))'), CAST([(concat(concat(concat(kv1.1, '_', kv2.1), '_', kv3.1), '_', kv4.1), if(startsWith(kv4.2, '"'), JSONExtractString(kv4.2), kv4.2))], 'Array(Tuple(String, String))'))), JSONExtractKeysAndValuesRaw(kv3.2))), if(startsWith(kv3.2, '[') OR kv3.2 = 'null', CAST([], 'Array(Tuple(String, String))'), CAST([(concat(concat(kv1.1, '_', kv2.1), '_', kv3.1), if(startsWith(kv3.2, '"'), JSONExtractString(kv3.2), kv3.2))], 'Array(Tuple(String, String))'))), JSONExtractKeysAndValuesRaw(kv2.2))), if(startsWith(kv2.2, '[') OR kv2.2 = 'null', CAST([], 'Array(Tuple(String, String))'), CAST([(concat(kv1.1, '_', kv2.1), if(startsWith(kv2.2, '"'), JSONExtractString(kv2.2), kv2.2))], 'Array(Tuple(String, String))'))), JSONExtractKeysAndValuesRaw(kv1.2))), if(startsWith(kv1.2, '[') OR kv1.2 = 'null', CAST([], 'Array(Tuple(String, String))'), CAST([(kv1.1, if(startsWith(kv1.2, '"'), JSONExtractString(kv1.2), kv1.2))], 'Array(Tuple(String, String))'))), JSONExtractKeysAndValuesRaw(Body))) AS __kv1,
  mapFromArrays(arrayMap(t -> if(match(t.1, '^[0-9]'), concat('_', replaceRegexpAll(t.1, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(t.1, '[^a-zA-Z0-9_]', '_')), __kv1), arrayMap(t -> t.2, __kv1)) AS __new2,
  mapUpdate(CAST(map(), 'Map(String, String)'), mapApply((k, v) -> (if(mapContains(__base0, k), concat(k, '_extracted'), k), v), __new2)) AS __parsed3,
  mapUpdate(__base0, __parsed3) AS __all4,
  __stream0 AS __stream,
  __meta0 AS __meta,
  __parsed3 AS __parsed,
  __all4 AS __all,
  Body AS __line
FROM (WITH toUnixTimestamp64Nano(Timestamp) AS __ts,
  cityHash64(Timestamp, ObservedTimestamp, TimeUnset, ServiceName, ResourceScopeId, TraceId, SpanId, Flags,
  SeverityText, SeverityNumber, Body, BodyIsJson, EventName,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount) AS __id,
  s.RL AS __stream0,
  mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(AttributesString, mapApply((k, v) -> (k, toString(v)), AttributesInt), mapApply((k, v) -> (k, toString(v)), AttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), AttributesBool), AttributesJson)), mapFilter((k, v) -> v != '', map('trace_id', TraceId, 'span_id', SpanId, 'severity_text', toString(SeverityText), 'detected_level', multiIf(SeverityNumber <= 0, '', SeverityNumber <= 4, 'trace', SeverityNumber <= 8, 'debug', SeverityNumber <= 12, 'info', SeverityNumber <= 16, 'warn', SeverityNumber <= 20, 'error', 'fatal')))) AS __meta0,
  mapUpdate(__stream0, __meta0) AS __base0,
  arrayFlatten(arrayMap(kv1 -> if(startsWith(kv1.2, '{'), arrayFlatten(arrayMap(kv2 -> if(startsWith(kv2.2, '{'), arrayFlatten(arrayMap(kv3 -> if(startsWith(kv3.2, '{'), arrayFlatten(arrayMap(kv4 -> if(startsWith(kv4.2, '{'), CAST([], 'Array(Tuple(String, String))'), if(startsWith(kv4.2, '[') OR kv4.2 = 'null', CAST([], 'Array(Tuple(String, String))'), CAST([(concat(concat(concat(kv1.1, '_', kv2.1), '_', kv3.1), '_', kv4.1), if(startsWith(kv4.2, '"'), JSONExtractString(kv4.2), kv4.2))], 'Array(Tuple(String, String))'))), JSONExtractKeysAndValuesRaw(kv3.2))), if(startsWith(kv3.2, '[') OR kv3.2 = 'null', CAST([], 'Array(Tuple(String, String))'), CAST([(concat(concat(kv1.1, '_', kv2.1), '_', kv3.1), if(startsWith(kv3.2, '"'), JSONExtractString(kv3.2), kv3.2))], 'Array(Tuple(String, String))'))), JSONExtractKeysAndValuesRaw(kv2.2))), if(startsWith(kv2.2, '[') OR kv2.2 = 'null', CAST([], 'Array(Tuple(String, String))'), CAST([(concat(kv1.1, '_', kv2.1), if(startsWith(kv2.2, '"'), JSONExtractString(kv2.2), kv2.2))], 'Array(Tuple(String, String))'))), JSONExtractKeysAndValuesRaw(kv1.2))), if(startsWith(kv1.2, '[') OR kv1.2 = 'null', CAST([], 'Array(Tuple(String, String))'), CAST([(kv1.1, if(startsWith(kv1.2, '"'), JSONExtractString(kv1.2), kv1.2))], 'Array(Tuple(String, String))'))), JSONExtractKeysAndValuesRaw(Body))) AS __kv1,
  mapFromArrays(arrayMap(t -> if(match(t.1, '^[0-9]'), concat('_', replaceRegexpAll(t.1, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(t.1, '[^a-zA-Z0-9_]', '_')), __kv1), arrayMap(t -> t.2, __kv1)) AS __new2,
  mapUpdate(CAST(map(), 'Map(String, String)'), mapApply((k, v) -> (if(mapContains(__base0, k), concat(k, '_extracted'), k), v), __new2)) AS __parsed3,
  mapUpdate(__base0, __parsed3) AS __all4,
  __stream0 AS __stream,
  __meta0 AS __meta,
  __parsed3 AS __parsed,
  __all4 AS __all,
  Body AS __line
SELECT Timestamp, ObservedTimestamp, TimeUnset, ServiceName, ResourceScopeId, TraceId, SpanId, Flags,
  SeverityText, SeverityNumber, Body, BodyIsJson, EventName,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount
FROM logs INNER JOIN (SELECT Id, mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(ResourceAttributesString, mapApply((k, v) -> (k, toString(v)), ResourceAttributesInt), mapApply((k, v) -> (k, toString(v)), ResourceAttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), ResourceAttributesBool), ResourceAttributesJson)), map('service_name', toString(ServiceName))) AS RL
  FROM resource_scopes FINAL) AS s ON logs.ResourceScopeId = s.Id
WHERE Timestamp >= fromUnixTimestamp64Nano({p11:Int64})
  AND Timestamp < fromUnixTimestamp64Nano({p12:Int64})
  AND ServiceName = {p13:String}
  AND TraceId = {p14:String}
  AND ((ifNull(toFloat64OrNull(__all4[{p15:String}]) >= {p16:Float64}, 0) AND __all4[{p17:String}] = {p18:String}) OR ifNull(toFloat64OrNull(__all4[{p19:String}]) < {p20:Float64}, 0))
ORDER BY Timestamp ASC LIMIT {p0:UInt32}) AS logs
INNER JOIN (SELECT Id, mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(ResourceAttributesString, mapApply((k, v) -> (k, toString(v)), ResourceAttributesInt), mapApply((k, v) -> (k, toString(v)), ResourceAttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), ResourceAttributesBool), ResourceAttributesJson)), map('service_name', toString(ServiceName))) AS RL
  FROM resource_scopes FINAL) AS s ON logs.ResourceScopeId = s.Id
