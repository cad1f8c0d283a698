-- p0 = 200
-- p1 = "1700000000000000000"
-- p2 = "1700003600000000000"
-- p3 = "payment-api"
-- p4 = "x"
-- p5 = "y"
-- p6 = "1"
-- p7 = "a"
-- p8 = "b"
-- p9 = "b"
-- p10 = "level"
-- p11 = "lvl"
-- p12 = "lvl"
-- p13 = "error"
-- p14 = "lvl"
-- p15 = " "
-- p16 = " "
-- p17 = "a"
-- p18 = "ERROR"
-- p19 = "1700000000000000000"
-- p20 = "1700003600000000000"
-- p21 = "payment-api"
-- p22 = "x"
-- p23 = "y"
-- p24 = "1"
-- p25 = "a"
-- p26 = "b"
-- p27 = "b"
-- p28 = "level"
-- p29 = "lvl"
-- p30 = "lvl"
-- p31 = "error"
-- p32 = "lvl"
-- p33 = " "
-- p34 = " "
-- p35 = "a"
-- p36 = "ERROR"
-- p37 = "1700000000000000000"
-- p38 = "1700003600000000000"
-- p39 = "payment-api"
-- p40 = "x"
-- p41 = "y"
-- p42 = "1"
-- p43 = "a"
-- p44 = "b"
-- p45 = "b"
-- p46 = "level"
-- p47 = "lvl"
-- p48 = "lvl"
-- p49 = "error"
-- p50 = "lvl"
-- p51 = " "
-- p52 = " "
-- p53 = "a"
-- p54 = "ERROR"
SELECT toUnixTimestamp64Nano(Timestamp) AS __ts,
  cityHash64(Timestamp, ObservedTimestamp, TimeUnset, ServiceName, ResourceScopeId, TraceId, SpanId, Flags,
  SeverityText, SeverityNumber, Body, BodyIsJson, EventName,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount) AS __id,
  BodyIsJson,
  s.RL AS __stream0,
  mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(AttributesString, mapApply((k, v) -> (k, toString(v)), AttributesInt), mapApply((k, v) -> (k, toString(v)), AttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), AttributesBool), AttributesJson)), mapFilter((k, v) -> v != '', map('trace_id', TraceId, 'span_id', SpanId, 'severity_text', toString(SeverityText), 'detected_level', multiIf(SeverityNumber <= 0, '', SeverityNumber <= 4, 'trace', SeverityNumber <= 8, 'debug', SeverityNumber <= 12, 'info', SeverityNumber <= 16, 'warn', SeverityNumber <= 20, 'error', 'fatal')))) AS __meta0,
  mapUpdate(__stream0, __meta0) AS __base0,
  mapApply((k, v) -> (k, if(startsWith(v, '"'), JSONExtractString(v), v)), mapFilter((k, v) -> v != '', map({p43:String}, JSONExtractRaw(Body, {p40:String}, {p41:String}, {p42:Int64}), {p45:String}, JSONExtractRaw(Body, {p44:String})))) AS __new1,
  mapUpdate(CAST(map(), 'Map(String, String)'), mapApply((k, v) -> (if(mapContains(__base0, k), concat(k, '_extracted'), k), v), __new1)) AS __parsed2,
  mapUpdate(__base0, __parsed2) AS __all3,
  mapFilter((k, v) -> v != '\0', map({p47:String}, if(mapContains(extractKeyValuePairsWithEscaping(Body, '=', ' ', '"'), {p46:String}), extractKeyValuePairsWithEscaping(Body, '=', ' ', '"')[{p46:String}], '\0'))) AS __new4,
  mapUpdate(__parsed2, mapApply((k, v) -> (if(mapContains(__base0, k), concat(k, '_extracted'), k), v), __new4)) AS __parsed5,
  mapUpdate(__base0, __parsed5) AS __all6,
  concat(upperUTF8(__all6[{p50:String}]), {p51:String}, Body, {p52:String}, __all6[{p53:String}]) AS __line7,
  __stream0 AS __stream,
  __meta0 AS __meta,
  __parsed5 AS __parsed,
  __all6 AS __all,
  __line7 AS __line
FROM (WITH toUnixTimestamp64Nano(Timestamp) AS __ts,
  cityHash64(Timestamp, ObservedTimestamp, TimeUnset, ServiceName, ResourceScopeId, TraceId, SpanId, Flags,
  SeverityText, SeverityNumber, Body, BodyIsJson, EventName,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount) AS __id,
  s.RL AS __stream0,
  mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(AttributesString, mapApply((k, v) -> (k, toString(v)), AttributesInt), mapApply((k, v) -> (k, toString(v)), AttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), AttributesBool), AttributesJson)), mapFilter((k, v) -> v != '', map('trace_id', TraceId, 'span_id', SpanId, 'severity_text', toString(SeverityText), 'detected_level', multiIf(SeverityNumber <= 0, '', SeverityNumber <= 4, 'trace', SeverityNumber <= 8, 'debug', SeverityNumber <= 12, 'info', SeverityNumber <= 16, 'warn', SeverityNumber <= 20, 'error', 'fatal')))) AS __meta0,
  mapUpdate(__stream0, __meta0) AS __base0,
  mapApply((k, v) -> (k, if(startsWith(v, '"'), JSONExtractString(v), v)), mapFilter((k, v) -> v != '', map({p25:String}, JSONExtractRaw(Body, {p22:String}, {p23:String}, {p24:Int64}), {p27:String}, JSONExtractRaw(Body, {p26:String})))) AS __new1,
  mapUpdate(CAST(map(), 'Map(String, String)'), mapApply((k, v) -> (if(mapContains(__base0, k), concat(k, '_extracted'), k), v), __new1)) AS __parsed2,
  mapUpdate(__base0, __parsed2) AS __all3,
  mapFilter((k, v) -> v != '\0', map({p29:String}, if(mapContains(extractKeyValuePairsWithEscaping(Body, '=', ' ', '"'), {p28:String}), extractKeyValuePairsWithEscaping(Body, '=', ' ', '"')[{p28:String}], '\0'))) AS __new4,
  mapUpdate(__parsed2, mapApply((k, v) -> (if(mapContains(__base0, k), concat(k, '_extracted'), k), v), __new4)) AS __parsed5,
  mapUpdate(__base0, __parsed5) AS __all6,
  concat(upperUTF8(__all6[{p32:String}]), {p33:String}, Body, {p34:String}, __all6[{p35:String}]) AS __line7,
  __stream0 AS __stream,
  __meta0 AS __meta,
  __parsed5 AS __parsed,
  __all6 AS __all,
  __line7 AS __line
SELECT Timestamp, ObservedTimestamp, TimeUnset, ServiceName, ResourceScopeId, TraceId, SpanId, Flags,
  SeverityText, SeverityNumber, Body, BodyIsJson, EventName,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount
FROM logs INNER JOIN (SELECT Id, mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(ResourceAttributesString, mapApply((k, v) -> (k, toString(v)), ResourceAttributesInt), mapApply((k, v) -> (k, toString(v)), ResourceAttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), ResourceAttributesBool), ResourceAttributesJson)), map('service_name', toString(ServiceName))) AS RL
  FROM resource_scopes FINAL) AS s ON logs.ResourceScopeId = s.Id
WHERE Timestamp >= fromUnixTimestamp64Nano({p19:Int64})
  AND Timestamp < fromUnixTimestamp64Nano({p20:Int64})
  AND ServiceName = {p21:String}
  AND __all6[{p30:String}] = {p31:String}
  AND ((position(__line7, {p36:String}) > 0))
ORDER BY Timestamp DESC LIMIT {p0:UInt32}) AS logs
INNER JOIN (SELECT Id, mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(ResourceAttributesString, mapApply((k, v) -> (k, toString(v)), ResourceAttributesInt), mapApply((k, v) -> (k, toString(v)), ResourceAttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), ResourceAttributesBool), ResourceAttributesJson)), map('service_name', toString(ServiceName))) AS RL
  FROM resource_scopes FINAL) AS s ON logs.ResourceScopeId = s.Id
