import type { AttributeFilter, TimeRange } from './api.ts';
import { attributeFilterSql } from './attribute-filter.ts';
import type { BuiltQuery } from './built-query.ts';
import { QueryParams } from './sql.ts';

// The spans an analysis starts from (issue 11): one "anchor" span per trace, of
// one service, the root span by default or the spans of one name, meeting the
// attribute and duration conditions. Shared by the breakdown and the comparison
// (analysis-breakdown-sql.ts, analysis-compare-sql.ts) so both look at the same set.

export interface AnchorScope extends TimeRange {
  service: string;
  /** Spans of this name; the service's root spans (no parent) when undefined. */
  spanName?: string;
  attributes: readonly AttributeFilter[];
  minDurationNs?: bigint;
  /**
   * Keep the traces whose cityHash64(TraceId) falls in the lowest `samplePerMillion`
   * millionths: a deterministic sample, the same traces on every run and in every
   * statement of one analysis. Undefined: every trace.
   */
  samplePerMillion?: number;
}

/** How far around the range a trace's other spans are looked for (as the search summaries do). */
export const TRACE_MARGIN_NS = 3_600_000_000_000n;

/** The WHERE conditions of anchor spans (a spans row). */
export function anchorConditions(scope: AnchorScope, p: QueryParams): string {
  const where = [
    `ServiceName = ${p.bind('String', scope.service)}`,
    `Timestamp >= ${p.bindNs(scope.startNs)}`,
    `Timestamp < ${p.bindNs(scope.endNs)}`,
    scope.spanName === undefined ? `ParentSpanId = ''` : `SpanName = ${p.bind('String', scope.spanName)}`,
  ];
  if (scope.minDurationNs !== undefined) where.push(`Duration >= ${p.bindInt64(scope.minDurationNs)}`);
  for (const f of scope.attributes) where.push(attributeFilterSql(f, p));
  if (scope.samplePerMillion !== undefined) {
    where.push(`cityHash64(TraceId) % 1000000 < ${p.bind('Int64', BigInt(scope.samplePerMillion))}`);
  }
  return where.join('\n    AND ');
}

/**
 * `anchors (TraceId, AnchorId, AnchorDuration, AnchorError[, AnchorSelected])`:
 * one row per trace, its longest matching span; `selected`, a condition on a
 * spans row, marks the traces where a matching span meets it. A span stored
 * twice is the same row twice here, which argMax/max absorb (identity: trace id,
 * span id).
 */
export function anchorsCte(scope: AnchorScope, p: QueryParams, selected?: string): string {
  const extra = selected === undefined ? '' : `, max(${selected}) AS AnchorSelected`;
  return `anchors AS (
  SELECT TraceId, argMax(SpanId, Duration) AS AnchorId, max(Duration) AS AnchorDuration, max(StatusCode = 2) AS AnchorError${extra}
  FROM spans
  WHERE ${anchorConditions(scope, p)}
  GROUP BY TraceId
)`;
}

/** Distinct traces with an anchor span. */
export function anchorCountSql(scope: AnchorScope): BuiltQuery {
  const p = new QueryParams();
  return { sql: `SELECT uniqExact(TraceId) AS Traces FROM spans\nWHERE ${anchorConditions(scope, p)}`, params: p };
}

/** The range that holds the anchors' traces' other spans. */
export function traceRangeConditions(scope: TimeRange, p: QueryParams): string {
  return `Timestamp >= ${p.bindNs(scope.startNs - TRACE_MARGIN_NS)} AND Timestamp < ${p.bindNs(scope.endNs + TRACE_MARGIN_NS)}`;
}
