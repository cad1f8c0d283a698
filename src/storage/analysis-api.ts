import type { AnchorScope } from './analysis-anchor-sql.ts';
import type { CompareSelection } from './analysis-compare-sql.ts';
import type { ReadOptions } from './api.ts';

// Read contracts behind the root-cause analyses (src/query/analysis/); part of
// TelemetryReader (api.ts). Every figure is computed in ClickHouse over all the
// anchor traces (analysis-anchor-sql.ts); a span stored twice counts once.

export type { AnchorScope, CompareSelection };

export interface BreakdownRow {
  isAnchor: boolean;
  service: string;
  name: string;
  traces: number;
  slowTraces: number;
  spans: number;
  slowSpans: number;
  selfNs: number;
  slowSelfNs: number;
  /** p50, p95 of the operation's self time per trace (t-digest). */
  selfP50Ns: number;
  selfP95Ns: number;
  slowSelfP50Ns: number;
  slowSelfP95Ns: number;
  onPathTraces: number;
  slowOnPathTraces: number;
  slowThresholdNs: number;
}

export interface CompareValueRow {
  scope: 'span' | 'resource';
  service: string;
  /** The span name ('' for a resource attribute). */
  name: string;
  key: string;
  value: string;
  type: 'string' | 'int' | 'bool';
  selectedTraces: number;
  baselineTraces: number;
  exampleTraceIds: string[];
  /** Distinct values of the key where it was found; above the limit only one row of the key comes back. */
  distinctValues: number;
}

export interface CompareNumberRow {
  service: string;
  name: string;
  key: string;
  selectedTraces: number;
  baselineTraces: number;
  /** The 1st..99th percentiles of each set (QUANTILE_LEVELS); NaN for an empty set. */
  selectedQuantiles: number[];
  baselineQuantiles: number[];
  /** Up to 20 selected traces with their value. */
  examples: { value: number; traceId: string }[];
}

export interface AnalysisReader {
  /** Distinct traces with an anchor span (before any sampling). */
  countAnchorTraces(scope: AnchorScope, options?: ReadOptions): Promise<number>;
  breakdown(scope: AnchorScope, slowQuantile: number, maxSpansPerTrace: number, options?: ReadOptions): Promise<BreakdownRow[]>;
  compareValues(scope: AnchorScope, selection: CompareSelection, maxValues: number, options?: ReadOptions): Promise<CompareValueRow[]>;
  compareNumbers(scope: AnchorScope, selection: CompareSelection, options?: ReadOptions): Promise<CompareNumberRow[]>;
}
