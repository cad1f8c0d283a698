import type { BuiltQuery } from './built-query.ts';
import { QueryParams } from './sql.ts';

// RED per route from server spans, for /api/v1/red when a service sends no HTTP
// server duration metric: SERVER spans (SpanKind 2) of one service, grouped by
// http.route (the span name when a span has none), for the whole range and per
// step. Errors are spans with status Error (the HTTP semantic conventions set it
// on 5xx server responses). Quantiles are t-digest, as red-stats-sql.ts; a span
// stored twice counts once (LIMIT 1 BY trace id, span id).

export interface RedSpansInput {
  service: string;
  startMs: number;
  endMs: number;
  stepMs: number;
}

export function redSpansSql(q: RedSpansInput): BuiltQuery {
  const p = new QueryParams();
  const start = p.bind('Int64', BigInt(q.startMs));
  const sql = `SELECT Route, grouping(Bucket) = 1 AS Whole, Bucket, count() AS Requests, countIf(StatusCode = 2) AS Errors,
  quantilesTDigest(0.5, 0.95, 0.99)(Duration) AS Quantiles
FROM (
  SELECT if(AttributesString['http.route'] != '', AttributesString['http.route'], SpanName) AS Route, StatusCode, Duration,
    intDiv(toUnixTimestamp64Milli(Timestamp) - ${start}, ${p.bind('Int64', BigInt(q.stepMs))}) AS Bucket
  FROM spans
  WHERE ServiceName = ${p.bind('String', q.service)}
    AND SpanKind = 2
    AND Timestamp >= fromUnixTimestamp64Milli(${start})
    AND Timestamp < fromUnixTimestamp64Milli(${p.bind('Int64', BigInt(q.endMs))})
  LIMIT 1 BY TraceId, SpanId
)
GROUP BY GROUPING SETS ((Route), (Route, Bucket))
ORDER BY Route, Whole DESC, Bucket`;
  return { sql, params: p };
}
