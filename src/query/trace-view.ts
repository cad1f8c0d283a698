import type { TreeSpanRow } from '../storage/view-api.ts';
import { criticalPath } from './critical-path.ts';
import type { CriticalSegment } from './critical-path.ts';
import { selfTimes } from './self-time.ts';
import { traceStats } from './trace-stats.ts';
import type { TraceStat } from './trace-stats.ts';
import { buildTraceTree } from './trace-tree.ts';
import type { TraceTree, TreeSpanInput } from './trace-tree.ts';

// Everything the trace view shows about a trace's shape, from its compact span
// rows: tree, self times, critical path and statistics. Times become ns offsets
// from the trace start as numbers (exact below 2^53 ns, 104 days), which keeps
// the arithmetic of a 100,000-span trace off bigint.

export interface TraceView {
  rows: readonly TreeSpanRow[];
  /** Earliest span start. */
  startUnixNano: bigint;
  /** Latest span end minus startUnixNano. */
  durationNs: number;
  /** Per row: [start, end] offsets; an end before the start is taken as the start. */
  spans: TreeSpanInput[];
  tree: TraceTree;
  selfNs: Float64Array;
  criticalPath: CriticalSegment[];
  /** Per row: some part of it is on the critical path. */
  critical: Uint8Array;
  stats: TraceStat[];
}

export function assembleTraceView(rows: readonly TreeSpanRow[]): TraceView {
  let origin = rows.length === 0 ? 0n : rows[0]!.startTimeUnixNano;
  for (const r of rows) if (r.startTimeUnixNano < origin) origin = r.startTimeUnixNano;
  let end = 0;
  const spans = rows.map((r): TreeSpanInput => {
    const startNs = Number(r.startTimeUnixNano - origin);
    const endNs = startNs + Math.max(0, Number(r.durationNs));
    if (endNs > end) end = endNs;
    return { spanId: r.spanId, parentSpanId: r.parentSpanId, startNs, endNs };
  });
  const tree = buildTraceTree(spans);
  const selfNs = selfTimes(spans, tree);
  const path = criticalPath(spans, tree);
  const critical = new Uint8Array(rows.length);
  for (const s of path) critical[s.span] = 1;
  const stats = traceStats(
    tree.order.map((i) => ({
      service: rows[i]!.serviceName,
      name: rows[i]!.name,
      durationNs: spans[i]!.endNs - spans[i]!.startNs,
      selfNs: selfNs[i]!,
      isError: rows[i]!.statusCode === 2,
    })),
    end,
  );
  return { rows, startUnixNano: origin, durationNs: end, spans, tree, selfNs, criticalPath: path, critical, stats };
}
