-- p0 = "1764620400000000000"
-- p1 = "1764624000000000000"
-- p2 = "pay' OR 1=1"
-- p3 = "1764620400000000000"
-- p4 = "1764624000000000000"
-- p5 = "pay' OR 1=1"
-- p6 = "1764620400000000000"
-- p7 = "1764624000000000000"
-- p8 = "pay' OR 1=1"
SELECT ServiceName,
  uniqExact(cityHash64(ResourceAttributesString, ResourceAttributesInt, ResourceAttributesDouble, ResourceAttributesBool, ResourceAttributesJson)) AS Resources,
  uniqExactIf(cityHash64(ResourceAttributesString, ResourceAttributesInt, ResourceAttributesDouble, ResourceAttributesBool, ResourceAttributesJson), NOT (mapContains(ResourceAttributesString, 'service.version') OR mapContains(ResourceAttributesInt, 'service.version') OR mapContains(ResourceAttributesDouble, 'service.version') OR mapContains(ResourceAttributesBool, 'service.version') OR mapContains(ResourceAttributesJson, 'service.version'))) AS WithoutVersion,
  uniqExactIf(cityHash64(ResourceAttributesString, ResourceAttributesInt, ResourceAttributesDouble, ResourceAttributesBool, ResourceAttributesJson), NOT (mapContains(ResourceAttributesString, 'deployment.environment.name') OR mapContains(ResourceAttributesInt, 'deployment.environment.name') OR mapContains(ResourceAttributesDouble, 'deployment.environment.name') OR mapContains(ResourceAttributesBool, 'deployment.environment.name') OR mapContains(ResourceAttributesJson, 'deployment.environment.name')) AND NOT (mapContains(ResourceAttributesString, 'deployment.environment') OR mapContains(ResourceAttributesInt, 'deployment.environment') OR mapContains(ResourceAttributesDouble, 'deployment.environment') OR mapContains(ResourceAttributesBool, 'deployment.environment') OR mapContains(ResourceAttributesJson, 'deployment.environment'))) AS WithoutEnvironment,
  uniqExactIf(cityHash64(ResourceAttributesString, ResourceAttributesInt, ResourceAttributesDouble, ResourceAttributesBool, ResourceAttributesJson), NOT (mapContains(ResourceAttributesString, 'service.instance.id') OR mapContains(ResourceAttributesInt, 'service.instance.id') OR mapContains(ResourceAttributesDouble, 'service.instance.id') OR mapContains(ResourceAttributesBool, 'service.instance.id') OR mapContains(ResourceAttributesJson, 'service.instance.id'))) AS WithoutInstanceId,
  uniqExactIf(cityHash64(ResourceAttributesString, ResourceAttributesInt, ResourceAttributesDouble, ResourceAttributesBool, ResourceAttributesJson), (mapContains(ResourceAttributesString, 'k8s.pod.name') OR mapContains(ResourceAttributesInt, 'k8s.pod.name') OR mapContains(ResourceAttributesDouble, 'k8s.pod.name') OR mapContains(ResourceAttributesBool, 'k8s.pod.name') OR mapContains(ResourceAttributesJson, 'k8s.pod.name'))) AS K8sResources,
  uniqExactIf(cityHash64(ResourceAttributesString, ResourceAttributesInt, ResourceAttributesDouble, ResourceAttributesBool, ResourceAttributesJson), (mapContains(ResourceAttributesString, 'k8s.pod.name') OR mapContains(ResourceAttributesInt, 'k8s.pod.name') OR mapContains(ResourceAttributesDouble, 'k8s.pod.name') OR mapContains(ResourceAttributesBool, 'k8s.pod.name') OR mapContains(ResourceAttributesJson, 'k8s.pod.name')) AND NOT (mapContains(ResourceAttributesString, 'k8s.pod.uid') OR mapContains(ResourceAttributesInt, 'k8s.pod.uid') OR mapContains(ResourceAttributesDouble, 'k8s.pod.uid') OR mapContains(ResourceAttributesBool, 'k8s.pod.uid') OR mapContains(ResourceAttributesJson, 'k8s.pod.uid'))) AS K8sWithoutPodUid,
  groupUniqArrayIf(ResourceAttributesString['telemetry.sdk.language'], ResourceAttributesString['telemetry.sdk.language'] != '') AS SdkLanguages
FROM resource_scopes FINAL
WHERE Id IN (
  SELECT DISTINCT ResourceScopeId FROM spans WHERE ServiceName = {p2:String} AND Timestamp >= fromUnixTimestamp64Nano({p0:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p1:Int64})
  UNION DISTINCT
  SELECT DISTINCT ResourceScopeId FROM logs WHERE ServiceName = {p5:String} AND Timestamp >= fromUnixTimestamp64Nano({p3:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p4:Int64})
  UNION DISTINCT
  SELECT DISTINCT ResourceScopeId FROM metric_points WHERE ServiceName = {p8:String} AND Timestamp >= fromUnixTimestamp64Nano({p6:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p7:Int64})
)
GROUP BY ServiceName
ORDER BY ServiceName
