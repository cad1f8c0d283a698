-- p0 = "1700000000000"
-- p1 = ["http.server.requests"]
-- p2 = "1700003600000"
-- p3 = "http.route"
-- p4 = "^(?:/c.*)$"
-- p5 = "http.response.status_code"
-- p6 = "http_response_status_code"
-- p7 = "500"
-- p8 = "checkout"
-- p9 = "^(?:i-2)$"
SELECT MetricName, toString(ResourceScopeId) AS Origin, AggregationTemporality AS Temporality,
  any(AttributesString), any(AttributesInt), any(AttributesDouble), any(AttributesBool), any(AttributesJson),
  sumIf(if(ValueType = 2, toFloat64(ValueInt), ValueDouble), Timestamp < fromUnixTimestamp64Milli({p0:Int64})) AS DeltaBase, 0 AS DeltaBaseSum, CAST([], 'Array(UInt64)') AS DeltaBaseBuckets,
  arraySort(x -> x.1, groupArrayIf((toUnixTimestamp64Milli(Timestamp), toUnixTimestamp64Milli(StartTimestamp), Flags, if(ValueType = 2, toFloat64(ValueInt), ValueDouble)), Timestamp >= fromUnixTimestamp64Milli({p0:Int64}))) AS Points,
  toString(SeriesHash) AS Series
FROM metric_points
WHERE MetricName IN {p1:Array(String)}
  AND Kind IN ('gauge', 'sum')
  AND Timestamp <= fromUnixTimestamp64Milli({p2:Int64})
  AND (Timestamp >= fromUnixTimestamp64Milli({p0:Int64}) OR AggregationTemporality = 1)
  AND match(multiIf(mapContains(AttributesString, {p3:String}), AttributesString[{p3:String}], mapContains(AttributesInt, {p3:String}), toString(AttributesInt[{p3:String}]),
      mapContains(AttributesDouble, {p3:String}), toString(AttributesDouble[{p3:String}]), mapContains(AttributesBool, {p3:String}), if(AttributesBool[{p3:String}], 'true', 'false'),
      AttributesJson[{p3:String}]), {p4:String})
  AND arrayStringConcat(arrayFilter(x -> x != '', [multiIf(mapContains(AttributesString, {p5:String}), AttributesString[{p5:String}], mapContains(AttributesInt, {p5:String}), toString(AttributesInt[{p5:String}]),
      mapContains(AttributesDouble, {p5:String}), toString(AttributesDouble[{p5:String}]), mapContains(AttributesBool, {p5:String}), if(AttributesBool[{p5:String}], 'true', 'false'),
      AttributesJson[{p5:String}]), multiIf(mapContains(AttributesString, {p6:String}), AttributesString[{p6:String}], mapContains(AttributesInt, {p6:String}), toString(AttributesInt[{p6:String}]),
      mapContains(AttributesDouble, {p6:String}), toString(AttributesDouble[{p6:String}]), mapContains(AttributesBool, {p6:String}), if(AttributesBool[{p6:String}], 'true', 'false'),
      AttributesJson[{p6:String}])]), ';') != {p7:String}
  AND ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE if(ResourceAttributesString['service.namespace'] = '', ServiceName, concat(ResourceAttributesString['service.namespace'], '/', ServiceName)) = {p8:String})
  AND ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE NOT match(ResourceAttributesString['service.instance.id'], {p9:String}))
GROUP BY MetricName, ResourceScopeId, AggregationTemporality, SeriesHash
HAVING countIf(Timestamp >= fromUnixTimestamp64Milli({p0:Int64})) > 0
