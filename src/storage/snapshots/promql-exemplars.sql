-- p0 = ["checkout.duration"]
-- p1 = "1700000000000"
-- p2 = "1700003600000"
-- p3 = "checkout"
SELECT MetricName, toString(ResourceScopeId), any(AttributesString), any(AttributesInt), any(AttributesDouble), any(AttributesBool),
  any(AttributesJson), any(ExplicitBounds), groupArray(Exemplars)
FROM metric_points
WHERE MetricName IN {p0:Array(String)}
  AND Timestamp >= fromUnixTimestamp64Milli({p1:Int64})
  AND Timestamp <= fromUnixTimestamp64Milli({p2:Int64})
  AND Exemplars != '[]'
  AND ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE if(ResourceAttributesString['service.namespace'] = '', ServiceName, concat(ResourceAttributesString['service.namespace'], '/', ServiceName)) = {p3:String})
GROUP BY MetricName, ResourceScopeId, SeriesHash, cityHash64(ExplicitBounds)
