import type { TreeSpanInput } from './trace-tree.ts';

/** Hand-built spans for the src/query tests: [id, parent, start, end]. */
export function spansOf(rows: [string, string, number, number][]): TreeSpanInput[] {
  return rows.map(([spanId, parentSpanId, startNs, endNs]) => ({ spanId, parentSpanId, startNs, endNs }));
}
