-- p0 = "5b8efff798038103d269b633813fc60c"
SELECT SpanId, ParentSpanId, ServiceName, SpanName, SpanKind,
  toUnixTimestamp64Nano(Timestamp) AS StartNs, Duration, StatusCode,
  arrayMap(e -> JSONExtractString(e, 'timeUnixNano'), JSONExtractArrayRaw(Events)) AS EventTimes,
  has(arrayMap(e -> JSONExtractString(e, 'name'), JSONExtractArrayRaw(Events)), 'exception') AS HasException
FROM spans
WHERE TraceId = {p0:String}
  AND Timestamp >= if((SELECT uniqExact(TraceId) FROM trace_id_ts WHERE TraceId = {p0:String}) = 1, (SELECT min(Start) FROM trace_id_ts WHERE TraceId = {p0:String}), toDateTime64(0, 9))
           AND Timestamp <= if((SELECT uniqExact(TraceId) FROM trace_id_ts WHERE TraceId = {p0:String}) = 1, (SELECT max(End) FROM trace_id_ts WHERE TraceId = {p0:String}), toDateTime64('2262-04-11 00:00:00', 9))
ORDER BY Timestamp, SpanId
LIMIT 1 BY SpanId
