import type { MetricsStage, Spanset } from '../query/traceql/ast.ts';
import type { BuiltQuery } from './built-query.ts';
import { QueryParams } from './sql.ts';
import { maskedTracesSql } from './traceql-search-sql.ts';

// TraceQL metrics (`{...} | rate() by (...)`) in ClickHouse: the spanset's spans
// (the same per-trace mask as search, traceql-search-sql.ts) that start in
// [start, end), counted per step interval and by() values. histogram_over_time
// and quantile_over_time also group by Tempo's power-of-two duration bucket
// (pkg/traceql/engine_metrics.go, Log2Bucketize: the smallest power of two >= the
// duration in ns, as seconds; durations under 2 ns have none); the quantiles are
// interpolated from those buckets as Tempo does (query/traceql/metrics-result.ts).

export interface TraceqlMetricsInput {
  spanset: Spanset;
  metrics: MetricsStage;
  /** Aligned to the step by the caller. */
  startNs: bigint;
  endNs: bigint;
  stepNs: bigint;
}

export interface MetricsRow {
  /** Interval index from startNs. */
  interval: string;
  /** by() values as (type, text), in the order of `by`. */
  labels: [string, string][];
  /** Bucket upper bound in seconds; -1 without buckets. */
  bucketS: number;
  count: string;
}

export function traceqlMetricsSql(q: TraceqlMetricsInput): BuiltQuery {
  const p = new QueryParams();
  const inner = maskedTracesSql(q.spanset, q.metrics.by, q.startNs, q.endNs, p);
  const bucketed = q.metrics.fn === 'histogram_over_time' || q.metrics.fn === 'quantile_over_time';
  const bucket = bucketed ? 'if(dur < 2, -1, pow(2, ceil(log2(dur))) / 1e9)' : 'toFloat64(-1)';
  const sql = `SELECT toString(intDiv(start - ${p.bindInt64(q.startNs)}, ${p.bindInt64(q.stepNs)})) AS interval, labels, ${bucket} AS bucketS, toString(count()) AS count
FROM (
${inner}
)
ARRAY JOIN starts AS start, durs AS dur, fieldRows AS labels, mask AS m
WHERE m = 1 AND start >= ${p.bindInt64(q.startNs)} AND start < ${p.bindInt64(q.endNs)}${bucketed ? ' AND dur >= 2' : ''}
GROUP BY interval, labels, bucketS
ORDER BY labels, bucketS, interval`;
  return { sql, params: p };
}
