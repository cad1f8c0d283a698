-- p0 = ["http.server.request.duration"]
-- p1 = "1700000000000"
-- p2 = "60000"
-- p3 = "300000"
-- p4 = "60"
-- p5 = ["http.server.request.duration"]
-- p6 = "[\\x{10000}-\\x{10FFFF}]"
-- p7 = "http_route"
WITH {p1:Int64} AS First, {p2:Int64} AS Step,
  {p3:Int64} AS Range, {p4:Int64} AS Steps
SELECT [arrayStringConcat(arrayFilter(x -> x != '', arrayMap(k -> multiIf(mapContains(AttrString, k), AttrString[k], mapContains(AttrInt, k), toString(AttrInt[k]),
      mapContains(AttrDouble, k), toString(AttrDouble[k]), mapContains(AttrBool, k), if(AttrBool[k], 'true', 'false'), AttrJson[k]), arraySort(arrayFilter(k -> multiIf(match(replaceRegexpAll(replaceRegexpAll(k, {p6:String}, '__'), '[^A-Za-z0-9_]', '_'), '^[0-9]'), concat('key_', replaceRegexpAll(replaceRegexpAll(k, {p6:String}, '__'), '[^A-Za-z0-9_]', '_')),
      startsWith(replaceRegexpAll(replaceRegexpAll(k, {p6:String}, '__'), '[^A-Za-z0-9_]', '_'), '_') AND NOT startsWith(replaceRegexpAll(replaceRegexpAll(k, {p6:String}, '__'), '[^A-Za-z0-9_]', '_'), '__'), concat('key', replaceRegexpAll(replaceRegexpAll(k, {p6:String}, '__'), '[^A-Za-z0-9_]', '_')), replaceRegexpAll(replaceRegexpAll(k, {p6:String}, '__'), '[^A-Za-z0-9_]', '_')) = {p7:String},
      arrayConcat(mapKeys(AttrString), mapKeys(AttrInt), mapKeys(AttrDouble), mapKeys(AttrBool), mapKeys(AttrJson)))))), ';')] AS Groups, Bounds,
  sumForEach(Totals) AS Totals, sumForEach(Present) AS Present
FROM (
  SELECT SeriesHash, Bounds, sumForEach(arrayFlatten(R)) AS Totals, sumForEach(Valid) AS Present
  FROM (
  SELECT SeriesHash, Bounds, Valid,
    arrayMap((vu, dcs) -> arrayMap((valid, lv, hv, dc, sampled, thr, half, toStart0, toEnd) -> if(valid = 0, 0.,
          ((hv - lv + dc) AS inc) * (sampled
            + if((if(inc > 0 AND lv >= 0, least(toStart0, sampled * (lv / inc)), toStart0) AS toStart) < thr, toStart, half) + toEnd) / sampled / (Range / 1000)),
        Valid, arrayFlatten(arrayMap((x, m) -> arrayWithConstant(m, x), vu, MloU)), arrayFlatten(arrayMap((x, m) -> arrayWithConstant(m, x), vu, MhiU)), dcs,
        Sampled, Thr, Half, ToStart, EndTerm), arrayMap(ve -> arrayMap(x -> toFloat64(x), ve), arrayTranspose(arrayFilter((x, u) -> u, SK, Use))), if(AnyReset, arrayMap(ve -> arrayMap((h, l) -> h - l,
        arrayFlatten(arrayMap((x, m) -> arrayWithConstant(m, x), (arrayFilter((x, u) -> u, arrayCumSum(arrayMap((v, p, r) -> if(r OR v < p, p, 0.), ve, arrayPushFront(arrayPopBack(ve), 0.), Restart)), Use) AS cu), MhiU)),
        arrayFlatten(arrayMap((x, m) -> arrayWithConstant(m, x), cu, MloU))), arrayMap(ve -> arrayMap(x -> toFloat64(x), ve), arrayTranspose(if(AnyReset, SK, [])))), arrayWithConstant(Width, arrayWithConstant(Steps, 0.)))) AS R
  FROM (
    SELECT SeriesHash, Bounds, Width, SK, Restart, Use, MhiU, MloU,
      -- A value below the one before it (any element: the samples one after another, flat) or a new
      -- start time (the first sample's flag has nothing before it to reset).
      arrayExists(r -> r, arrayPopFront(Restart))
        OR arrayExists((v, p) -> v < p, arraySlice(arrayFlatten(SK) AS FS, Width + 1), arraySlice(FS, 1, length(FS) - Width)) AS AnyReset,
      -- Only the samples that are some window's first or last (Use) are gathered from.
      arrayFilter((m, u) -> u, Mhi, Use) AS MhiU,
      arrayFilter((m, u) -> u, Mlo, Use) AS MloU,
      arrayFlatten(arrayMap((x, m) -> arrayWithConstant(m, x), (arrayFilter((t, u) -> u, T, Use) AS TU), MhiU)) AS HiT,
      arrayFlatten(arrayMap((x, m) -> arrayWithConstant(m, x), TU, MloU)) AS LoT,
      arrayFlatten(arrayMap((x, m) -> arrayWithConstant(m, x), (arrayFilter((i, u) -> u, range(1, length(T) + 1), Use) AS IU), MhiU)) AS HiI,
      arrayFlatten(arrayMap((x, m) -> arrayWithConstant(m, x), IU, MloU)) AS LoI,
      -- Windows before the first sample were given to the first, those after the last to the last: invalid by their times.
      arrayMap((h, l, w) -> toUInt8(h > l AND h <= First + w * Step AND l >= First + w * Step - Range), HiT, LoT, range(0, Steps)) AS Valid,
      arrayMap((h, l) -> (h - l) / 1000, HiT, LoT) AS Sampled,
      arrayMap((s, h, l) -> s / (h - l), Sampled, HiI, LoI) AS Avg,
      -- Prometheus's extrapolation threshold and half an interval; the end's term is the same for every element.
      arrayMap(a -> a * 1.1, Avg) AS Thr,
      arrayMap(a -> a / 2, Avg) AS Half,
      arrayMap((l, w) -> (l - (First + w * Step - Range)) / 1000, LoT, range(0, Steps)) AS ToStart,
      arrayMap((h, w, t, a) -> if((First + w * Step - h) / 1000 AS e < t, e, a), HiT, range(0, Steps), Thr, Half) AS EndTerm
    FROM (
      SELECT SeriesHash, Bounds, Width, T, SK, Restart,
        -- hi: a sample is the last of windows Bhi(i)..Bhi(i+1)-1, lo: the first of windows Blo(i-1)..Blo(i)-1.
        arrayMap(t -> least(greatest(toInt64(ceil((t - First) / Step)), 0), Steps), T) AS Bhi,
        arrayMap((b, nb) -> nb - b, arrayPushFront(arrayPopFront(Bhi), 0), arrayPushBack(arrayPopFront(Bhi), Steps)) AS Mhi,
        arrayMap(t -> least(greatest(toInt64(floor((t - First + Range) / Step)) + 1, 0), Steps), T) AS Blo,
        arrayMap((b, pb) -> b - pb, arrayPushBack(arrayPopBack(Blo), Steps), arrayPushFront(arrayPopBack(Blo), 0)) AS Mlo,
        arrayMap((a, b) -> a + b > 0, Mhi, Mlo) AS Use
      FROM (
        SELECT SeriesHash, Bounds, Width,
          arrayMap((t, p) -> t != p, Ts, arrayPushFront(arrayPopBack(Ts), -1)) AS Keep,
          arrayFilter((x, k) -> k, Ts, Keep) AS T,
          arrayMap((s, p) -> s != 0 AND s != p, arrayFilter((x, k) -> k, Ss, Keep) AS S, arrayPushFront(arrayPopBack(S), 0)) AS Restart,
          -- The samples (each an array of Width values) sorted by time, duplicates dropped (no copy when there are none).
          arraySort((x, t) -> t, arraySplit((x, i) -> (i - 1) % Width = 0, F, arrayEnumerate(F)), T0) AS SA,
          if(arrayAll(k -> k, Keep), SA, arrayFilter((x, k) -> k, SA, Keep)) AS SK
        FROM (
          SELECT SeriesHash, Bounds, Width, T0, F, arraySort(T0) AS Ts, arraySort((x, t) -> t, S0, T0) AS Ss
          FROM (
            SELECT SeriesHash, any(ExplicitBounds) AS Bounds, any(length(arrayCumSum(BucketCounts))) AS Width,
              groupArray(toUnixTimestamp64Milli(Timestamp)) AS T0, groupArray(toUnixTimestamp64Milli(StartTimestamp)) AS S0,
              groupArrayArray(arrayCumSum(BucketCounts)) AS F
            FROM metric_points
            WHERE MetricName IN {p0:Array(String)}
              AND Kind IN ('histogram')
              AND AggregationTemporality != 1
              AND bitAnd(Flags, 1) = 0
              AND Timestamp >= fromUnixTimestamp64Milli(First - Range)
              AND Timestamp <= fromUnixTimestamp64Milli(First + Step * (Steps - 1))
              AND length(BucketCounts) = length(ExplicitBounds) + 1
            GROUP BY MetricName, ResourceScopeId, SeriesHash, cityHash64(ExplicitBounds)
          )
        )
      )
    )
  ))
  GROUP BY SeriesHash, Bounds
) AS w LEFT JOIN (SELECT SeriesHash, any(AttributesString) AS AttrString, any(AttributesInt) AS AttrInt,
    any(AttributesDouble) AS AttrDouble, any(AttributesBool) AS AttrBool, any(AttributesJson) AS AttrJson
  FROM metric_series
  WHERE MetricName IN {p5:Array(String)}
  GROUP BY SeriesHash) AS a USING (SeriesHash)
GROUP BY Groups, Bounds
