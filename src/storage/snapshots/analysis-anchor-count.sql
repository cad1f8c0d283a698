-- p0 = "payment-api"
-- p1 = "1700000000000000000"
-- p2 = "1700003600000000000"
-- p3 = "payment.charge"
-- p4 = "5000000"
-- p5 = "payment.provider"
-- p6 = "stripe"
-- p7 = "40000000"
SELECT count() AS Traces FROM spans
WHERE ServiceName = {p0:String}
    AND Timestamp >= fromUnixTimestamp64Nano({p1:Int64})
    AND Timestamp < fromUnixTimestamp64Nano({p2:Int64})
    AND SpanName = {p3:String}
    AND Duration >= {p4:Int64}
    AND (((mapContains(`AttributesString`, {p5:String}) AND `AttributesString`[{p5:String}] = {p6:String})) OR ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ((mapContains(`ResourceAttributesString`, {p5:String}) AND `ResourceAttributesString`[{p5:String}] = {p6:String}))))
    AND TraceId < {p7:String}
