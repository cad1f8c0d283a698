-- p0 = ["123","18446744073709551615"]
SELECT toString(Id) AS Id, any(ServiceName), any(ResourceAttributesString), any(ResourceAttributesInt),
  any(ResourceAttributesDouble), any(ResourceAttributesBool), any(ResourceAttributesJson), any(ScopeName), any(ScopeVersion)
FROM resource_scopes
WHERE Id IN {p0:Array(UInt64)}
GROUP BY Id
