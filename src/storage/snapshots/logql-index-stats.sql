-- p0 = "1700000000000000000"
-- p1 = "1700003600000000000"
-- p2 = "checkout"
-- p3 = "service_name"
-- p4 = "checkout"
-- p5 = "deployment_environment"
-- p6 = "^(?:stag.*)$"
-- p7 = "1700000000000000000"
-- p8 = "1700003600000000000"
SELECT uniqExact(s.RL) AS streams, count() AS entries, sum(length(Body)) AS bytes
FROM logs INNER JOIN (SELECT Id, RL FROM (SELECT Id, mapUpdate(mapApply((k, v) -> (multiIf(match(k, '^[0-9]'), concat('key_', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), match(k, '^_[^_]'), concat('key', replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), replaceRegexpAll(k, '[^a-zA-Z0-9_]', '_')), v), mapConcat(ResourceAttributesString, mapApply((k, v) -> (k, toString(v)), ResourceAttributesInt), mapApply((k, v) -> (k, toString(v)), ResourceAttributesDouble), mapApply((k, v) -> (k, if(v, 'true', 'false')), ResourceAttributesBool), ResourceAttributesJson)), map('service_name', toString(ServiceName))) AS RL
  FROM resource_scopes FINAL)
  WHERE Id IN (SELECT DISTINCT ResourceScopeId FROM logs WHERE Timestamp >= fromUnixTimestamp64Nano({p0:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p1:Int64}) AND ServiceName = {p2:String})
  AND ((RL[{p3:String}] = {p4:String} AND match(RL[{p5:String}], {p6:String})))) AS s ON logs.ResourceScopeId = s.Id
WHERE Timestamp >= fromUnixTimestamp64Nano({p7:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p8:Int64})
