-- p0 = "1700000000000"
-- p1 = "1700003600000"
-- p2 = "checkout"
SELECT toString(ResourceScopeId) AS Id, arraySort(groupUniqArray(toUnixTimestamp64Milli(Timestamp))) AS Times
FROM metric_points
WHERE Timestamp >= fromUnixTimestamp64Milli({p0:Int64})
  AND Timestamp <= fromUnixTimestamp64Milli({p1:Int64})
  AND ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE if(ResourceAttributesString['service.namespace'] = '', ServiceName, concat(ResourceAttributesString['service.namespace'], '/', ServiceName)) = {p2:String})
GROUP BY ResourceScopeId
