import type { AnchorScope } from './analysis-anchor-sql.ts';
import { anchorsCte, traceSpansConditions } from './analysis-anchor-sql.ts';
import type { BuiltQuery } from './built-query.ts';
import { QueryParams } from './sql.ts';

// Where the time goes (issue 11, part 1), computed in ClickHouse over every
// anchor trace at once: each trace's spans become arrays (one GROUP BY TraceId)
// and array functions apply, per trace, the definitions of src/query/:
// - subtree of the anchor: ancestors by pointer doubling (A_k = ancestor 2^k
//   levels up), so DOUBLING_ROUNDS rounds reach 2^rounds levels deep;
// - self time (self-time.ts): duration minus the union of the direct children's
//   intervals clipped to the span (children sorted by start, one arrayFold);
// - critical path (critical-path.ts, Jaeger's walk): per parent, children by end
//   descending, a child is taken when it ends at or before the point, which then
//   moves to its start; a span is on the path when it and every ancestor up to
//   the anchor were taken. Approximation, stated: children are clipped to their
//   parent's own interval, not to its clipped one (the same unless a span
//   overruns a parent that itself overruns).
// Finding a parent is indexOf over the trace (O(n²) a trace), so traces with more
// than maxSpansPerTrace spans are left out; the caller says so.
// A span stored twice counts once (LIMIT 1 BY TraceId, SpanId).

export interface BreakdownSqlInput extends AnchorScope {
  /** The selection "slow": anchors at or above this quantile of anchor duration. */
  slowQuantile: number;
  maxSpansPerTrace: number;
}

export const DOUBLING_ROUNDS = 10;

export function breakdownSql(q: BreakdownSqlInput): BuiltQuery {
  const p = new QueryParams();
  const anchors = anchorsCte(q, p);
  const quantile = p.bind('Float64', q.slowQuantile);
  const range = traceSpansConditions(q, p);
  const maxSpans = p.bind('Int64', BigInt(q.maxSpansPerTrace));

  // Pointer doubling, one nested SELECT a round: an alias used twice in the next
  // expression would be inlined by the analyzer, doubling the tree every round.
  const steps: string[] = [];
  for (let k = 0; k < DOUBLING_ROUNDS; k++) {
    steps.push(`arrayMap(i -> In${k}[i] OR In${k}[A${k}[i]], Ix) AS In${k + 1}, arrayMap(i -> A${k}[A${k}[i]], Ix) AS A${k + 1}`);
  }
  const inSub = `In${DOUBLING_ROUNDS}`;
  steps.push(
    `-- Each span's direct children clipped to it, non-empty only.
    arrayMap(i -> arrayFilter(c -> c.2 > c.1,
      arrayMap(j -> (greatest(Starts[j], Starts[i]), least(Ends[j], Ends[i]), j), arrayFilter(j -> A0[j] = i, Ix))), Ix) AS Kids`,
  );
  steps.push(
    `arrayMap(i -> if(${inSub}[i], (Ends[i] - Starts[i]) - arrayFold((acc, c) -> (acc.1 + greatest(0, c.2 - greatest(c.1, acc.2)), greatest(acc.2, c.2)),
      arraySort(c -> c.1, Kids[i]), (toInt64(0), toInt64(Starts[i]))).1, 0), Ix) AS Self,
    -- The children the critical-path walk takes, per parent.
    arrayMap(i -> arrayFold((acc, c) -> if(c.2 <= acc.1, (c.1, arrayPushBack(acc.2, c.3)), acc),
      arrayReverseSort(c -> c.2, Kids[i]), (Ends[i], CAST([], 'Array(UInt32)'))).2, Ix) AS Taken`,
  );
  steps.push(`arrayMap(i -> ${inSub}[i] AND i != Ai AND NOT has(Taken[A0[i]], i), Ix) AS Bad0`);
  for (let k = 0; k < DOUBLING_ROUNDS; k++) steps.push(`arrayMap(i -> Bad${k}[i] OR Bad${k}[A${k}[i]], Ix) AS Bad${k + 1}`);
  const bad = `Bad${DOUBLING_ROUNDS}`;
  let perTrace = `SELECT TraceId, AnchorDuration >= SlowNs AS Slow, Services, Names, Starts, Ends,
    arrayEnumerate(Ids) AS Ix,
    indexOf(Ids, AnchorId) AS Ai,
    arrayMap(x -> toUInt32(indexOf(Ids, x)), Parents) AS A0,
    arrayMap(i -> i = Ai, Ix) AS In0
  FROM traces
  INNER JOIN anchors USING (TraceId)`;
  for (const step of steps) perTrace = `SELECT *,\n    ${step}\n  FROM (\n${perTrace}\n  )`;

  const sql = `WITH ${anchors},
(SELECT quantileExact(${quantile})(AnchorDuration) FROM anchors) AS SlowNs,
trace_spans AS (
  SELECT TraceId, SpanId, ParentSpanId, ServiceName, SpanName,
    toUnixTimestamp64Nano(Timestamp) AS S, S + greatest(Duration, 0) AS E
  FROM spans
  WHERE ${range}
  LIMIT 1 BY TraceId, SpanId
),
traces AS (
  SELECT TraceId, groupArray(SpanId) AS Ids, groupArray(ParentSpanId) AS Parents, groupArray(S) AS Starts,
    groupArray(E) AS Ends, groupArray(ServiceName) AS Services, groupArray(SpanName) AS Names
  FROM trace_spans
  GROUP BY TraceId
  HAVING length(Ids) <= ${maxSpans}
),
per_trace AS (
  ${perTrace}
),
per_operation AS (
  SELECT TraceId, any(Slow) AS Slow, IsAnchor, Service, Name, count() AS TraceSpans, sum(SpanSelf) AS TraceSelfNs, max(SpanOnPath) AS TraceOnPath
  FROM (
    SELECT TraceId, Slow, i = Ai AS IsAnchor, Services[i] AS Service, Names[i] AS Name, Self[i] AS SpanSelf,
      NOT ${bad}[i] AS SpanOnPath
    FROM per_trace
    ARRAY JOIN arrayFilter(i -> ${inSub}[i], Ix) AS i
  )
  GROUP BY TraceId, IsAnchor, Service, Name
)
SELECT IsAnchor, Service, Name,
  count() AS Traces, countIf(Slow) AS SlowTraces,
  sum(TraceSpans) AS Spans, sumIf(TraceSpans, Slow) AS SlowSpans,
  sum(TraceSelfNs) AS SelfNs, sumIf(TraceSelfNs, Slow) AS SlowSelfNs,
  quantilesTDigest(0.5, 0.95)(TraceSelfNs) AS SelfQuantiles, quantilesTDigestIf(0.5, 0.95)(TraceSelfNs, Slow) AS SlowSelfQuantiles,
  countIf(TraceOnPath) AS OnPathTraces, countIf(TraceOnPath AND Slow) AS SlowOnPathTraces,
  any(SlowNs) AS SlowThresholdNs
FROM per_operation
GROUP BY IsAnchor, Service, Name
ORDER BY SelfNs DESC, Service, Name`;
  return { sql, params: p };
}
