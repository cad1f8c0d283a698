import type { TimeRange } from './api.ts';
import type { BuiltQuery } from './built-query.ts';
import { QueryParams } from './sql.ts';

// Statements behind the Jaeger query API (jaeger-api.ts), snapshot-tested in
// jaeger-sql.test.ts. A span stored twice (at-least-once delivery) counts once,
// by (trace id, span id), as everywhere else.

/** ServiceName leads the sort key, so this reads one small LowCardinality column. */
export function jaegerServicesSql(): BuiltQuery {
  const p = new QueryParams();
  return { sql: 'SELECT DISTINCT ServiceName AS Name FROM spans ORDER BY Name', params: p };
}

export function jaegerOperationsSql(service: string, kind: number | undefined): BuiltQuery {
  const p = new QueryParams();
  const where = [`ServiceName = ${p.bind('String', service)}`];
  if (kind !== undefined) where.push(`SpanKind = ${p.bind('Int32', kind)}`);
  const sql = `SELECT SpanName AS Name, SpanKind AS Kind FROM spans
WHERE ${where.join(' AND ')}
GROUP BY Name, Kind
ORDER BY Name, Kind`;
  return { sql, params: p };
}

/** How far before the range a parent span is looked for (a child starts after its parent). */
export const parentLookbackNs = 3_600_000_000_000n;

/**
 * The service graph as Jaeger's dependency jobs compute it from parent/child
 * references (spark-dependencies), restricted to edges between two services:
 * a call inside one service is no dependency.
 */
export function jaegerDependenciesSql(range: TimeRange): BuiltQuery {
  const p = new QueryParams();
  const start = p.bindNs(range.startNs);
  const end = p.bindNs(range.endNs);
  const parentStart = p.bindNs(range.startNs - parentLookbackNs);
  const sql = `SELECT parent.ServiceName AS Parent, child.ServiceName AS Child, count() AS CallCount
FROM (
  SELECT TraceId, SpanId, ParentSpanId, ServiceName FROM spans
  WHERE Timestamp >= ${start} AND Timestamp < ${end} AND ParentSpanId != ''
  LIMIT 1 BY TraceId, SpanId
) AS child
INNER JOIN (
  SELECT TraceId, SpanId, ServiceName FROM spans
  WHERE Timestamp >= ${parentStart} AND Timestamp < ${end}
  LIMIT 1 BY TraceId, SpanId
) AS parent ON child.TraceId = parent.TraceId AND child.ParentSpanId = parent.SpanId
WHERE parent.ServiceName != child.ServiceName
GROUP BY Parent, Child
ORDER BY Parent, Child`;
  return { sql, params: p };
}
