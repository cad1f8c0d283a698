-- p0 = "5b8efff798038103d269b633813fc60c"
SELECT SpanId, count() AS Count FROM logs
WHERE TraceId = {p0:String}
GROUP BY SpanId
