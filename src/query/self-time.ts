import type { TraceTree, TreeSpanInput } from './trace-tree.ts';

// Self time: the part of a span's duration during which none of its direct
// children ran. Children are clipped to the span (a child that starts early or
// runs past its parent, e.g. an async job or clock skew between hosts, only
// counts while the parent ran) and overlapping children count once (the union
// of their intervals), so the result lies in [0, duration].

export function selfTimes(spans: readonly TreeSpanInput[], tree: TraceTree): Float64Array {
  const out = new Float64Array(spans.length);
  const intervals: [number, number][] = [];
  for (const i of tree.order) {
    const span = spans[i]!;
    const start = span.startNs;
    const end = Math.max(span.startNs, span.endNs);
    intervals.length = 0;
    for (const c of tree.children[i]!) {
      const child = spans[c]!;
      const s = Math.max(start, child.startNs);
      const e = Math.min(end, child.endNs);
      if (e > s) intervals.push([s, e]);
    }
    out[i] = end - start - unionLength(intervals);
  }
  return out;
}

/** Total length covered by the intervals (sorted in place). */
function unionLength(intervals: [number, number][]): number {
  if (intervals.length === 0) return 0;
  // Children are usually already by start (tree order); sort anyway, cheap then.
  intervals.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [curStart, curEnd] = intervals[0]!;
  for (let k = 1; k < intervals.length; k++) {
    const [s, e] = intervals[k]!;
    if (s > curEnd) {
      total += curEnd - curStart;
      curStart = s;
      curEnd = e;
    } else if (e > curEnd) {
      curEnd = e;
    }
  }
  return total + (curEnd - curStart);
}
