import type { TraceTreeResponse } from '../../../../src/api/types.ts';

// Pure row layout of the waterfall: which spans (and inline log rows) are shown,
// in order, given collapsed spans and the critical-path filter. O(spans), run
// once per change, so a 100,000-span trace lays out in a few milliseconds; the
// virtualizer then renders only the rows on screen.

export type WaterfallRow =
  | { kind: 'span'; span: number }
  | { kind: 'log'; span: number; log: number };

export interface RowOptions {
  collapsed: ReadonlySet<number>;
  criticalOnly: boolean;
  /** span index -> indexes of its log records, shown under the span when set. */
  logsBySpan?: ReadonlyMap<number, readonly number[]>;
}

export function buildRows(tree: TraceTreeResponse, options: RowOptions): WaterfallRow[] {
  const rows: WaterfallRow[] = [];
  const { spans } = tree;
  // Depth-first order: a collapsed span's descendants are the spans after it
  // that are deeper than it, up to the next one that is not.
  let hideDeeperThan = Number.POSITIVE_INFINITY;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    if (span.depth > hideDeeperThan) continue;
    hideDeeperThan = options.collapsed.has(i) ? span.depth : Number.POSITIVE_INFINITY;
    if (options.criticalOnly && !span.critical) continue;
    rows.push({ kind: 'span', span: i });
    const logs = options.logsBySpan?.get(i);
    if (logs !== undefined) for (const log of logs) rows.push({ kind: 'log', span: i, log });
  }
  return rows;
}

/** Spans whose name, service or id contains the text (case-insensitive); undefined when no search. */
export function matchSpans(tree: TraceTreeResponse, text: string): Uint8Array | undefined {
  const needle = text.trim().toLowerCase();
  if (needle === '') return undefined;
  const nameMatches = tree.names.map((n) => n.toLowerCase().includes(needle));
  const serviceMatches = tree.services.map((s) => s.toLowerCase().includes(needle));
  const matches = new Uint8Array(tree.spans.length);
  tree.spans.forEach((span, i) => {
    if (nameMatches[span.name] || serviceMatches[span.service] || span.spanId.startsWith(needle)) matches[i] = 1;
  });
  return matches;
}

/** Every span that has children: "collapse all". */
export function parentsOf(tree: TraceTreeResponse): Set<number> {
  const parents = new Set<number>();
  tree.spans.forEach((span, i) => {
    if (span.childCount > 0) parents.add(i);
  });
  return parents;
}

/** The collapsed set with every ancestor of `span` expanded, so it can be shown. */
export function revealSpan(tree: TraceTreeResponse, collapsed: ReadonlySet<number>, span: number): Set<number> {
  const next = new Set(collapsed);
  let parent = tree.spans[span]?.parent ?? -1;
  while (parent >= 0) {
    next.delete(parent);
    parent = tree.spans[parent]?.parent ?? -1;
  }
  return next;
}

/** span index -> its log indexes, from TraceLogsResponse.bySpan (span id keyed). */
export function logsBySpanIndex(tree: TraceTreeResponse, bySpan: Record<string, number[]>): Map<number, number[]> {
  const indexOf = new Map<string, number>();
  tree.spans.forEach((span, i) => indexOf.set(span.spanId, i));
  const result = new Map<number, number[]>();
  for (const [spanId, logs] of Object.entries(bySpan)) {
    const index = indexOf.get(spanId);
    if (index !== undefined) result.set(index, logs);
  }
  return result;
}
