// The time range of one or more traces, for reads of their spans.

/**
 * `Timestamp` within the traces' range from trace_id_ts, when it has a row for
 * each of the `traceCount` traces; else no time bound (the bloom filter on
 * TraceId alone). The view's rows are a separate insert from the spans': a
 * process killed between the two (kill -9 mid-insert, tested) leaves spans
 * without index rows, and those must still be found, as the services counts
 * find them. The subqueries are scalars, evaluated first, so partition and
 * minmax pruning still apply.
 */
export function indexedTimeRange(traceCondition: string, traceCount: string): string {
  const indexed = `(SELECT uniqExact(TraceId) FROM trace_id_ts WHERE ${traceCondition}) = ${traceCount}`;
  return `Timestamp >= if(${indexed}, (SELECT min(Start) FROM trace_id_ts WHERE ${traceCondition}), toDateTime64(0, 9))
           AND Timestamp <= if(${indexed}, (SELECT max(End) FROM trace_id_ts WHERE ${traceCondition}), toDateTime64('2262-04-11 00:00:00', 9))`;
}
