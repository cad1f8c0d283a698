// Trace tree assembly: spans -> parent/child structure in depth-first order.
// Pure and allocation-light: a 100,000-span trace is assembled on every
// /traces/{id}/tree request (src/api/trace-view-routes.ts).

/** What the tree needs of a span. Times are ns offsets from any common origin (the trace start). */
export interface TreeSpanInput {
  spanId: string;
  /** '' for a root. */
  parentSpanId: string;
  startNs: number;
  endNs: number;
}

export interface TraceTree {
  /** Input indexes in depth-first order: each span followed by its subtree. */
  readonly order: number[];
  /** Per input index: the parent's input index, -1 at the root level. */
  readonly parent: Int32Array;
  /** Per input index: 0 at the root level. */
  readonly depth: Int32Array;
  /** Per input index: children's input indexes, by start time (leaves share one empty array). */
  readonly children: readonly (readonly number[])[];
  /**
   * Per input index: a parent id is set but that span is not in the trace (not
   * received yet, or dropped by a sampler), or the parent chain loops. Such
   * spans sit at the root level, as Jaeger and Tempo show them.
   */
  readonly orphan: Uint8Array;
  /** Root-level input indexes (true roots and orphans), by start time. */
  readonly roots: number[];
  /** Input indexes of spans whose id repeats an earlier span (left out of the tree). */
  readonly duplicates: number[];
}

const byStart = (spans: readonly TreeSpanInput[]) => (a: number, b: number) => {
  const sa = spans[a]!;
  const sb = spans[b]!;
  // Ties: the longer span first (a parent-like span before its zero-offset
  // siblings), then the span id, so the order is deterministic.
  return sa.startNs - sb.startNs || sb.endNs - sa.endNs || (sa.spanId < sb.spanId ? -1 : sa.spanId > sb.spanId ? 1 : 0);
};

export function buildTraceTree(spans: readonly TreeSpanInput[]): TraceTree {
  const n = spans.length;
  const indexById = new Map<string, number>();
  const duplicates: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = spans[i]!.spanId;
    if (indexById.has(id)) duplicates.push(i);
    else indexById.set(id, i);
  }
  const isDuplicate = new Uint8Array(n);
  for (const i of duplicates) isDuplicate[i] = 1;

  const parent = new Int32Array(n).fill(-1);
  const orphan = new Uint8Array(n);
  // Most spans are leaves: they share one empty list instead of 100,000 arrays.
  const NO_CHILDREN: number[] = [];
  const children: number[][] = new Array<number[]>(n).fill(NO_CHILDREN);
  const roots: number[] = [];
  for (let i = 0; i < n; i++) {
    if (isDuplicate[i]) continue;
    const parentId = spans[i]!.parentSpanId;
    if (parentId === '') {
      roots.push(i);
      continue;
    }
    const p = indexById.get(parentId);
    if (p === undefined || p === i) {
      orphan[i] = 1;
      roots.push(i);
    } else {
      parent[i] = p;
      let list = children[p]!;
      if (list === NO_CHILDREN) children[p] = list = [];
      list.push(i);
    }
  }
  const compare = byStart(spans);
  for (const list of children) if (list.length > 1) list.sort(compare);

  const depth = new Int32Array(n);
  const order: number[] = [];
  const visited = new Uint8Array(n);
  const walk = (top: number) => {
    // Iterative: a 100,000-deep chain must not overflow the call stack.
    const stack = [top];
    depth[top] = 0;
    while (stack.length > 0) {
      const i = stack.pop()!;
      visited[i] = 1;
      order.push(i);
      const kids = children[i]!;
      for (let k = kids.length - 1; k >= 0; k--) {
        const c = kids[k]!;
        depth[c] = depth[i]! + 1;
        stack.push(c);
      }
    }
  };
  roots.sort(compare);
  for (const r of roots) walk(r);

  // Spans left unvisited hang off a parent loop (A -> B -> A): cut each loop at
  // one span, which becomes a root-level orphan, and walk from there.
  for (let i = 0; i < n; i++) {
    if (visited[i] || isDuplicate[i]) continue;
    let j = i;
    const seen = new Set<number>();
    while (!seen.has(j)) {
      seen.add(j);
      const p = parent[j]!;
      if (p < 0 || visited[p]) break;
      j = p;
    }
    const p = parent[j]!;
    if (p >= 0) {
      const siblings = children[p]!;
      siblings.splice(siblings.indexOf(j), 1);
    }
    parent[j] = -1;
    orphan[j] = 1;
    roots.push(j);
    walk(j);
  }
  return { order, parent, depth, children, orphan, roots, duplicates };
}
