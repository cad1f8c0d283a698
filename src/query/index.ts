// Domain logic over stored data (STYLE.md layout): pure functions the API calls.
export { criticalPath } from './critical-path.ts';
export type { CriticalSegment } from './critical-path.ts';
export { selfTimes } from './self-time.ts';
export { traceStats } from './trace-stats.ts';
export type { StatSpanInput, TraceStat } from './trace-stats.ts';
export { buildTraceTree } from './trace-tree.ts';
export type { TraceTree, TreeSpanInput } from './trace-tree.ts';
export { assembleTraceView } from './trace-view.ts';
export type { TraceView } from './trace-view.ts';
