// Answers of GET /api/v1/analysis/breakdown and /compare (issue 11); the web UI
// imports them through api/types.ts. Durations are ns as numbers (exact below
// 2^53 ns, 104 days), counts are traces unless named otherwise.

/** What was looked at, and how. */
export interface AnalysisBasis {
  service: string;
  /** The anchor span name, or null for the service's root spans. */
  spanName: string | null;
  startUnixNano: string;
  endUnixNano: string;
  /** Traces with a matching anchor span in the range. */
  matchedTraces: number;
  /** Traces the figures come from (sampled or not). */
  analyzedTraces: number;
  /** Null when every matching trace was analyzed. */
  sample: { fraction: number; note: string } | null;
  notes: string[];
}

export interface BreakdownFigures {
  /** Traces holding the operation, and its spans in them. */
  traces: number;
  spans: number;
  spansPerTrace: number;
  /** Sum of its self time over the set, and its share of all self time there. */
  selfNs: number;
  share: number;
  /** Of its self time per trace (where it occurs). */
  selfP50Ns: number;
  selfP95Ns: number;
  /** Traces where it is on the critical path, as a fraction of the set's traces. */
  criticalPathTraces: number;
  criticalPathFraction: number;
}

export interface BreakdownOperation {
  service: string;
  name: string;
  /** The anchor span's own self time ("itself"). */
  itself: boolean;
  all: BreakdownFigures;
  slow: BreakdownFigures;
}

export interface BreakdownResponse extends AnalysisBasis {
  /** Anchor traces at or above this duration are "the slowest 5%". */
  slowThresholdNs: number;
  slowQuantile: number;
  slowTraces: number;
  /** Slowest-set share first. */
  operations: BreakdownOperation[];
}

export type CompareSelectionName = 'slow' | 'errors' | 'filter';

/** Where an attribute was found. */
export interface FoundOn {
  scope: 'span' | 'resource';
  service: string;
  /** The span name; '' for a resource attribute. */
  spanName: string;
  /** For people: "payment.validate span attribute", "payment-api resource attribute". */
  label: string;
}

export interface CompareSignificance {
  /** Two-proportion z statistic (pooled), positive when over-represented in the selection. */
  z: number;
  /** Two-sided p-value of z. */
  pValue: number;
  /** p below 0.01 after a Bonferroni correction for every value compared, and the minimum counts met. */
  significant: boolean;
}

export interface CompareValueResult {
  kind: 'value';
  foundOn: FoundOn;
  key: string;
  value: string;
  type: 'string' | 'int' | 'bool';
  selectedTraces: number;
  baselineTraces: number;
  selectedFraction: number;
  baselineFraction: number;
  /** selectedFraction / baselineFraction; null when the baseline never has it. */
  lift: number | null;
  significance: CompareSignificance;
  /** The search filter (`attr=` syntax) that finds these traces. */
  filter: string;
  exampleTraceIds: string[];
}

export interface CompareNumberResult {
  kind: 'number';
  foundOn: FoundOn;
  key: string;
  selected: { p50: number; p95: number };
  baseline: { p50: number; p95: number };
  /** The cut that best separates the sets (largest difference of the fractions above it). */
  threshold: { op: '>' | '<'; value: number; selectedFraction: number; baselineFraction: number };
  selectedTraces: number;
  baselineTraces: number;
  lift: number | null;
  significance: CompareSignificance;
  filter: string;
  exampleTraceIds: string[];
}

export type CompareResult = CompareValueResult | CompareNumberResult;

export interface LeftOutKey {
  foundOn: FoundOn;
  key: string;
  distinctValues: number | null;
  reason: string;
}

export interface CompareResponse extends AnalysisBasis {
  selection: { type: CompareSelectionName; description: string; traces: number };
  baseline: { traces: number };
  /** Over-represented in the selection first (by z); significant ones before the rest. */
  results: CompareResult[];
  leftOut: LeftOutKey[];
}
