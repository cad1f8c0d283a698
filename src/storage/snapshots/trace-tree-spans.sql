-- p0 = "5b8efff798038103d269b633813fc60c"
SELECT SpanId, ParentSpanId, ServiceName, SpanName, SpanKind,
  toUnixTimestamp64Nano(Timestamp) AS StartNs, Duration, StatusCode,
  arrayMap(e -> JSONExtractString(e, 'timeUnixNano'), JSONExtractArrayRaw(Events)) AS EventTimes,
  has(arrayMap(e -> JSONExtractString(e, 'name'), JSONExtractArrayRaw(Events)), 'exception') AS HasException
FROM spans
WHERE TraceId = {p0:String}
ORDER BY Timestamp, SpanId
LIMIT 1 BY SpanId
