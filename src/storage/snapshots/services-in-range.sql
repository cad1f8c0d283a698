-- p0 = "1764620400000000000"
-- p1 = "1764624000000000000"
SELECT DISTINCT ServiceName AS Name FROM spans
WHERE Timestamp >= fromUnixTimestamp64Nano({p0:Int64}) AND Timestamp < fromUnixTimestamp64Nano({p1:Int64})
ORDER BY Name
