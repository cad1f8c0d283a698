-- p0 = "1699999940000000000"
-- p1 = "1700003600000000000"
-- p2 = "deployment_environment"
-- p3 = "production"
-- p4 = "1699999940000000000"
-- p5 = "60000000000"
-- p6 = 500001
SELECT key, bucket, count() AS n, sum(bytes) AS bytes FROM (
  SELECT any(mapFilter((k, v) -> v != '', __all)) AS key, intDiv(any(__ts) - {p4:Int64} - 1, {p5:Int64}) AS bucket, any(length(__line)) AS bytes
  FROM (SELECT toUnixTimestamp64Nano(Timestamp) AS __ts,
  cityHash64(Timestamp, ObservedTimestamp, TimeUnset, ServiceName, ResourceScopeId, TraceId, SpanId, Flags,
  SeverityText, SeverityNumber, Body, BodyIsJson, EventName,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount) AS __id,
  BodyIsJson,
  s.RL AS __stream0,
  mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(AttributesString, mapApply((k, v) -> (k, toString(v)), AttributesInt), mapApply((k, v) -> (k, toString(v)), AttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), AttributesBool), AttributesJson)), mapFilter((k, v) -> v != '', map('trace_id', TraceId, 'span_id', SpanId, 'severity_text', toString(SeverityText), 'detected_level', multiIf(SeverityNumber <= 0, '', SeverityNumber <= 4, 'trace', SeverityNumber <= 8, 'debug', SeverityNumber <= 12, 'info', SeverityNumber <= 16, 'warn', SeverityNumber <= 20, 'error', 'fatal')))) AS __meta0,
  mapUpdate(__stream0, __meta0) AS __base0,
  mapApply((k, v) -> (if(match(k, '^[0-9]'), concat('_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), extractKeyValuePairsWithEscaping(Body, '=', ' ', '"')) AS __new1,
  mapUpdate(CAST(map(), 'Map(String, String)'), mapApply((k, v) -> (if(mapContains(__base0, k), concat(k, '_extracted'), k), v), __new1)) AS __parsed2,
  mapUpdate(__base0, __parsed2) AS __all3,
  __stream0 AS __stream,
  __meta0 AS __meta,
  __parsed2 AS __parsed,
  __all3 AS __all,
  Body AS __line
FROM logs
INNER JOIN (SELECT Id, mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(ResourceAttributesString, mapApply((k, v) -> (k, toString(v)), ResourceAttributesInt), mapApply((k, v) -> (k, toString(v)), ResourceAttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), ResourceAttributesBool), ResourceAttributesJson)), map('service_name', toString(ServiceName))) AS RL
  FROM resource_scopes FINAL
  WHERE RL[{p2:String}] = {p3:String}) AS s ON logs.ResourceScopeId = s.Id
WHERE Timestamp > fromUnixTimestamp64Nano({p0:Int64})
  AND Timestamp <= fromUnixTimestamp64Nano({p1:Int64}))
  GROUP BY __id
)
GROUP BY key, bucket
ORDER BY bucket
LIMIT {p6:UInt32}
