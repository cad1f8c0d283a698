-- p0 = "1699999940000000000"
-- p1 = "1700003600000000000"
-- p2 = "payment-api"
-- p3 = "declined"
-- p4 = "%declined%"
-- p5 = ["__error__","trace_id"]
-- p6 = "detected_level"
-- p7 = "1699999940000000000"
-- p8 = "60000000000"
-- p9 = 500001
SELECT key, bucket, count() AS n, sum(bytes) AS bytes FROM (
  SELECT any(__by) AS key, intDiv(any(__ts) - {p7:Int64} - 1, {p8:Int64}) AS bucket, any(length(__line)) AS bytes
  FROM (SELECT toUnixTimestamp64Nano(Timestamp) AS __ts,
  cityHash64(Timestamp, ObservedTimestamp, TimeUnset, ServiceName, ResourceScopeId, TraceId, SpanId, Flags,
  SeverityText, SeverityNumber, Body, BodyIsJson, EventName,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount) AS __id,
  BodyIsJson,
  s.RL AS __stream0,
  mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(AttributesString, mapApply((k, v) -> (k, toString(v)), AttributesInt), mapApply((k, v) -> (k, toString(v)), AttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), AttributesBool), AttributesJson)), mapFilter((k, v) -> v != '', map('trace_id', TraceId, 'span_id', SpanId, 'severity_text', toString(SeverityText), 'detected_level', multiIf(SeverityNumber <= 0, '', SeverityNumber <= 4, 'trace', SeverityNumber <= 8, 'debug', SeverityNumber <= 12, 'info', SeverityNumber <= 16, 'warn', SeverityNumber <= 20, 'error', 'fatal')))) AS __meta0,
  mapUpdate(__stream0, __meta0) AS __base0,
  mapFilter((k, v) -> NOT has({p5:Array(String)}, k), __stream0) AS __stream1,
  mapFilter((k, v) -> NOT has({p5:Array(String)}, k), __meta0) AS __meta2,
  mapFilter((k, v) -> NOT has({p5:Array(String)}, k), CAST(map(), 'Map(String, String)')) AS __parsed3,
  mapUpdate(__stream1, __meta2) AS __base4,
  mapUpdate(__base4, __parsed3) AS __all5,
  __stream1 AS __stream,
  __meta2 AS __meta,
  __parsed3 AS __parsed,
  __all5 AS __all,
  Body AS __line,
  [__all5[{p6:String}]]::Array(String) AS __by
FROM logs
INNER JOIN (SELECT Id, mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(ResourceAttributesString, mapApply((k, v) -> (k, toString(v)), ResourceAttributesInt), mapApply((k, v) -> (k, toString(v)), ResourceAttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), ResourceAttributesBool), ResourceAttributesJson)), map('service_name', toString(ServiceName))) AS RL
  FROM resource_scopes FINAL) AS s ON logs.ResourceScopeId = s.Id
WHERE Timestamp > fromUnixTimestamp64Nano({p0:Int64})
  AND Timestamp <= fromUnixTimestamp64Nano({p1:Int64})
  AND ServiceName = {p2:String}
  AND ((lowerUTF8(Body) LIKE lowerUTF8({p4:String}) AND position(Body, {p3:String}) > 0)))
  GROUP BY __id
)
GROUP BY key, bucket
ORDER BY bucket
LIMIT {p9:UInt32}
