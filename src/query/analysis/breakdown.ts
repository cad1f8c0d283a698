import type { BreakdownRow } from '../../storage/analysis-api.ts';
import type { ReadOptions, TelemetryReader } from '../../storage/api.ts';
import type { BreakdownFigures, BreakdownOperation, BreakdownResponse } from './analysis-types.ts';
import type { AnalysisInput } from './sampling.ts';
import { basisOf, sampledScope } from './sampling.ts';

// Where the time goes (issue 11, part 1): how the anchor span's duration divides
// among the operations below it, as self time (self-time.ts's definition), for
// every matching trace and for the slowest 5% beside them, with how often each
// operation is on the critical path (critical-path.ts's walk). The numbers come
// from ClickHouse (storage/analysis-breakdown-sql.ts); this shapes them.
// Shares are of the summed self time of the set, so they add up to 1; that equals
// the anchor's duration when no span outlives its parent.

export const SLOW_QUANTILE = 0.95;
export const MAX_SPANS_PER_TRACE = 2_000;

export async function breakdown(reader: TelemetryReader, input: AnalysisInput, options?: ReadOptions): Promise<BreakdownResponse> {
  const { scope, matchedTraces, sample } = await sampledScope(reader, input, options);
  const rows = matchedTraces === 0 ? [] : await reader.breakdown(scope, SLOW_QUANTILE, MAX_SPANS_PER_TRACE, options);
  const anchor = rows.find((r) => r.isAnchor);
  const traces = anchor?.traces ?? 0;
  const slowTraces = anchor?.slowTraces ?? 0;
  const totalSelf = rows.reduce((s, r) => s + r.selfNs, 0);
  const totalSlowSelf = rows.reduce((s, r) => s + r.slowSelfNs, 0);
  const notes = [
    `self time: a span's duration minus the union of its direct children's intervals clipped to it; the anchor's own self time is "itself"`,
    `critical path: Jaeger's walk, with children clipped to their parent's own interval`,
    `one anchor span a trace (its longest matching span); traces of more than ${MAX_SPANS_PER_TRACE} spans are left out`,
  ];
  if (sample !== null) notes.push(sample.note);
  if (sample === null && traces < matchedTraces) {
    notes.push(`${matchedTraces - traces} matching traces were left out (more than ${MAX_SPANS_PER_TRACE} spans)`);
  }
  const figures = (r: BreakdownRow, slow: boolean): BreakdownFigures => {
    const t = slow ? r.slowTraces : r.traces;
    const spans = slow ? r.slowSpans : r.spans;
    const self = slow ? r.slowSelfNs : r.selfNs;
    const total = slow ? totalSlowSelf : totalSelf;
    const onPath = slow ? r.slowOnPathTraces : r.onPathTraces;
    const setTraces = slow ? slowTraces : traces;
    return {
      traces: t,
      spans,
      spansPerTrace: t === 0 ? 0 : spans / t,
      selfNs: self,
      share: total === 0 ? 0 : self / total,
      selfP50Ns: slow ? r.slowSelfP50Ns : r.selfP50Ns,
      selfP95Ns: slow ? r.slowSelfP95Ns : r.selfP95Ns,
      criticalPathTraces: onPath,
      criticalPathFraction: setTraces === 0 ? 0 : onPath / setTraces,
    };
  };
  const operations: BreakdownOperation[] = rows
    .map((r) => ({ service: r.service, name: r.name, itself: r.isAnchor, all: figures(r, false), slow: figures(r, true) }))
    .sort((a, b) => b.slow.share - a.slow.share || b.all.share - a.all.share || a.name.localeCompare(b.name));
  return {
    ...basisOf(scope, matchedTraces, traces, sample, notes),
    slowThresholdNs: anchor?.slowThresholdNs ?? 0,
    slowQuantile: SLOW_QUANTILE,
    slowTraces,
    operations,
  };
}
