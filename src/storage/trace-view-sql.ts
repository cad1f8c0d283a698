import type { BuiltQuery } from './built-query.ts';
import { LOG_IDENTITY, LOG_SELECT } from './log-reader.ts';
import { QueryParams } from './sql.ts';
import { SPAN_SELECT } from './trace-reader.ts';

// The trace view's reads: the compact span rows of a whole trace (the tree),
// one span in full, and the trace's logs. Spans and logs are sorted by trace id
// within each (service, 10-minute bucket) (005_spans_logs_by_trace.ts), so
// `TraceId = x` alone finds them by the primary key. Span reads return each span
// once (LIMIT 1 BY SpanId within the trace: the (trace id, span id) identity of
// trace-reader.ts); a log stored twice counts and reads once (LOG_IDENTITY,
// log-reader.ts).

/**
 * Only what the waterfall draws. Event times and the exception flag are taken
 * from the events' OTLP/JSON in ClickHouse, so the events themselves (often the
 * largest part of a span: stack traces) never leave the database here. Read as
 * compact rows (view-reader.ts): keep the column order.
 */
export function treeSpansSql(traceId: string): BuiltQuery {
  const p = new QueryParams();
  const id = p.bind('String', traceId);
  const sql = `SELECT SpanId, ParentSpanId, ServiceName, SpanName, SpanKind,
  toUnixTimestamp64Nano(Timestamp) AS StartNs, Duration, StatusCode,
  arrayMap(e -> JSONExtractString(e, 'timeUnixNano'), JSONExtractArrayRaw(Events)) AS EventTimes,
  has(arrayMap(e -> JSONExtractString(e, 'name'), JSONExtractArrayRaw(Events)), 'exception') AS HasException
FROM spans
WHERE TraceId = ${id}
ORDER BY Timestamp, SpanId
LIMIT 1 BY SpanId`;
  return { sql, params: p };
}

export function spanSql(traceId: string, spanId: string): BuiltQuery {
  const p = new QueryParams();
  const id = p.bind('String', traceId);
  const sql = `SELECT ${SPAN_SELECT}
FROM spans
WHERE TraceId = ${id} AND SpanId = ${p.bind('String', spanId)}
ORDER BY Timestamp
LIMIT 1`;
  return { sql, params: p };
}

export function logCountsSql(traceId: string): BuiltQuery {
  const p = new QueryParams();
  const sql = `SELECT SpanId, uniqExact(${LOG_IDENTITY}) AS Count FROM logs
WHERE TraceId = ${p.bind('String', traceId)}
GROUP BY SpanId`;
  return { sql, params: p };
}

export function traceLogsSql(traceId: string, limit: number): BuiltQuery {
  const p = new QueryParams();
  const sql = `SELECT ${LOG_SELECT}
FROM logs
WHERE TraceId = ${p.bind('String', traceId)}
ORDER BY Timestamp, SpanId
LIMIT 1 BY ${LOG_IDENTITY}
LIMIT ${p.bind('UInt32', limit)}`;
  return { sql, params: p };
}
