-- p0 = "payment-api"
-- p1 = "1700000000000000000"
-- p2 = "1700003600000000000"
-- p3 = "payment.charge"
-- p4 = "5000000"
-- p5 = "payment.provider"
-- p6 = "stripe"
-- p7 = "payment.currency"
-- p8 = "EUR"
-- p9 = "1700000000000000000"
-- p10 = "1700003600000000000"
-- p11 = "40000000"
SELECT count() AS Traces FROM spans
WHERE ServiceName = {p0:String}
    AND Timestamp >= fromUnixTimestamp64Nano({p1:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p2:Int64})
    AND SpanName = {p3:String}
    AND Duration >= {p4:Int64}
    AND (((`AttributesString`[{p5:String}] = {p6:String})) OR ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ((`ResourceAttributesString`[{p5:String}] = {p6:String}))))
    AND TraceId IN (SELECT TraceId FROM spans WHERE Timestamp >= fromUnixTimestamp64Nano({p9:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p10:Int64}) AND (((`AttributesString`[{p7:String}] = {p8:String})) OR ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ((`ResourceAttributesString`[{p7:String}] = {p8:String})))))
    AND TraceId < {p11:String}
