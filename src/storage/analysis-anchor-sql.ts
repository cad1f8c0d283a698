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
   * Conditions one span of the trace (any span, in the range) meets together, as
   * a trace search's: a search's result set analyzed from its root spans.
   */
  traceAttributes?: readonly AttributeFilter[];
  /**
   * Keep the traces whose id falls in the lowest `samplePerMillion` millionths of
   * the id space: trace ids are random (W3C Trace Context), so a range of ids is a
   * uniform sample; deterministic (the same traces on every run and in every
   * statement of one analysis), and, ids being the last column of the sort key, a
   * range the primary key can skip to inside each 10-minute bucket. Undefined:
   * every trace.
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
  if (scope.traceAttributes !== undefined && scope.traceAttributes.length > 0) {
    const conds = scope.traceAttributes.map((f) => attributeFilterSql(f, p)).join(' AND ');
    where.push(`TraceId IN (SELECT TraceId FROM spans WHERE Timestamp >= ${p.bindNs(scope.startNs)} AND Timestamp < ${p.bindNs(scope.endNs)} AND ${conds})`);
  }
  if (scope.samplePerMillion !== undefined) where.push(sampleCondition(scope.samplePerMillion, p));
  return where.join('\n    AND ');
}

/** `TraceId < bound`, bound the lowercase hex of the fraction of 2^32, 8 digits (ids are lowercase hex). */
function sampleCondition(perMillion: number, p: QueryParams): string {
  const bound = Math.min(0xffffffff, Math.floor((perMillion / 1_000_000) * 0x100000000));
  return `TraceId < ${p.bind('String', bound.toString(16).padStart(8, '0'))}`;
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

/**
 * Anchor spans, copies included: it decides whether to sample and is reported as
 * the matching traces; uniqExact of the ids cost ~3x (the id column must be read).
 */
export function anchorCountSql(scope: AnchorScope): BuiltQuery {
  const p = new QueryParams();
  return { sql: `SELECT count() AS Traces FROM spans\nWHERE ${anchorConditions(scope, p)}`, params: p };
}

/**
 * The spans of the anchors' traces: within an hour either side of the range (as
 * the search summaries), the sample's id range first (it drops most rows before
 * the set lookup), and the trace ids of anchor spans as a plain set (no GROUP BY:
 * measured 2.2 s against 0.6 s for the same rows at 1M spans).
 */
export function traceSpansConditions(scope: AnchorScope, p: QueryParams): string {
  const where = [`Timestamp >= ${p.bindNs(scope.startNs - TRACE_MARGIN_NS)}`, `Timestamp < ${p.bindNs(scope.endNs + TRACE_MARGIN_NS)}`];
  if (scope.samplePerMillion !== undefined) where.push(sampleCondition(scope.samplePerMillion, p));
  where.push(`TraceId IN (SELECT TraceId FROM spans WHERE ${anchorConditions(scope, p)})`);
  return where.join('\n    AND ');
}
