import type { BuiltQuery } from './built-query.ts';
import { QueryParams } from './sql.ts';
import type { RedQuery } from './view-api.ts';

// Request rate, errors and duration (RED) per service, or per span name of one
// service, with a series of equal buckets for the sparklines: one scan, two
// grouping sets (the whole range, and each bucket).
//
// Requests are SERVER spans (SpanKind 2), or root spans for a service that has
// no SERVER span in the range (a batch job, a CLI): both are aggregated here and
// the reader picks per service, so the choice costs no second scan.
// A span stored twice (at-least-once delivery) counts once: LIMIT 1 BY its
// identity (trace id, span id), as trace-reader.ts does for one trace.
// Quantiles are t-digest (quantilesTDigest): bounded memory per group, and
// accurate at the tails that p95/p99 ask about.

export const QUANTILES = '0.5, 0.95, 0.99';

export interface RedSqlInput extends RedQuery {
  stepNs: bigint;
  /** Per span name of this service; per service when undefined. */
  service?: string;
}

export function redStatsSql(q: RedSqlInput): BuiltQuery {
  const p = new QueryParams();
  const start = p.bindInt64(q.startNs);
  const where = [
    `Timestamp >= fromUnixTimestamp64Nano(${start})`,
    `Timestamp < ${p.bindNs(q.endNs)}`,
    `(SpanKind = 2 OR ParentSpanId = '')`,
  ];
  if (q.service !== undefined) where.push(`ServiceName = ${p.bind('String', q.service)}`);
  const name = q.service === undefined ? 'ServiceName' : 'SpanName';
  const sql = `SELECT Name, grouping(Bucket) = 1 AS Whole, Bucket,
  countIf(SpanKind = 2) AS ServerCount,
  countIf(SpanKind = 2 AND StatusCode = 2) AS ServerErrors,
  quantilesTDigestIf(${QUANTILES})(Duration, SpanKind = 2) AS ServerQuantiles,
  countIf(IsRoot) AS RootCount,
  countIf(IsRoot AND StatusCode = 2) AS RootErrors,
  quantilesTDigestIf(${QUANTILES})(Duration, IsRoot) AS RootQuantiles
FROM (
  SELECT ${name} AS Name, SpanKind, ParentSpanId = '' AS IsRoot, StatusCode, Duration,
    intDiv(toUnixTimestamp64Nano(Timestamp) - ${start}, ${p.bindInt64(q.stepNs)}) AS Bucket
  FROM spans
  WHERE ${where.join('\n    AND ')}
  LIMIT 1 BY TraceId, SpanId
)
GROUP BY GROUPING SETS ((Name), (Name, Bucket))
ORDER BY Name, Whole DESC, Bucket`;
  return { sql, params: p };
}

/** Services with any span in the range: listed even without request spans. */
export function servicesInRangeSql(q: RedQuery): BuiltQuery {
  const p = new QueryParams();
  const sql = `SELECT DISTINCT ServiceName AS Name FROM spans
WHERE Timestamp >= ${p.bindNs(q.startNs)} AND Timestamp < ${p.bindNs(q.endNs)}
ORDER BY Name`;
  return { sql, params: p };
}
