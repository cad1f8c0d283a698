-- p0 = "1700000000000000000"
-- p1 = "1700003600000000000"
SELECT DISTINCT arrayJoin(mapKeys(RL)) AS name FROM (SELECT Id, RL FROM (SELECT Id, mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(ResourceAttributesString, mapApply((k, v) -> (k, toString(v)), ResourceAttributesInt), mapApply((k, v) -> (k, toString(v)), ResourceAttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), ResourceAttributesBool), ResourceAttributesJson)), map('service_name', toString(ServiceName))) AS RL
  FROM resource_scopes FINAL)
  WHERE Id IN (SELECT DISTINCT ResourceScopeId FROM logs WHERE Timestamp >= fromUnixTimestamp64Nano({p0:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p1:Int64})))
ORDER BY name
