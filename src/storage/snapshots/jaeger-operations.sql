-- p0 = "payment-api"
SELECT SpanName AS Name, SpanKind AS Kind FROM spans
WHERE ServiceName = {p0:String}
GROUP BY Name, Kind
ORDER BY Name, Kind
