-- p0 = "payment-api"
-- p1 = 2
SELECT SpanName AS Name, SpanKind AS Kind FROM spans
WHERE ServiceName = {p0:String} AND SpanKind = {p1:Int32}
GROUP BY Name, Kind
ORDER BY Name, Kind
