-- p0 = "1780000000000000000"
-- p1 = "1780086400000000000"
-- p2 = "1779996400000000000"
SELECT parent.ServiceName AS Parent, child.ServiceName AS Child, count() AS CallCount
FROM (
  SELECT TraceId, SpanId, ParentSpanId, ServiceName FROM spans
  WHERE Timestamp >= fromUnixTimestamp64Nano({p0:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p1:Int64}) AND ParentSpanId != ''
  LIMIT 1 BY TraceId, SpanId
) AS child
INNER JOIN (
  SELECT TraceId, SpanId, ServiceName FROM spans
  WHERE Timestamp >= fromUnixTimestamp64Nano({p2:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p1:Int64})
  LIMIT 1 BY TraceId, SpanId
) AS parent ON child.TraceId = parent.TraceId AND child.ParentSpanId = parent.SpanId
WHERE parent.ServiceName != child.ServiceName
GROUP BY Parent, Child
ORDER BY Parent, Child
