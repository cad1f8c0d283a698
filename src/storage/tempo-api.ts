import type { ReadOptions, TimeRange } from './api.ts';
import type { MetricsRow, TraceqlMetricsInput } from './traceql-metrics-sql.ts';
import type { TraceqlSearchInput } from './traceql-search-sql.ts';

// Read contracts behind the Tempo API (api/tempo-routes.ts); part of
// TelemetryReader (api.ts). TraceQL is evaluated in ClickHouse
// (traceql-search-sql.ts, traceql-metrics-sql.ts); a span stored twice counts once.

export type { MetricsRow, TraceqlMetricsInput, TraceqlSearchInput };

export interface TraceqlSpanRow {
  spanId: string;
  name: string;
  startNs: string;
  durationNs: string;
  /** Values of TraceqlSearchInput.fields, in order, as (type, text); type '' when absent. */
  fields: [string, string][];
}

export interface TraceqlTraceRow {
  traceId: string;
  rootName: string;
  rootServiceName: string;
  startNs: string;
  durationNs: string;
  /** Spans of the trace the query matched. */
  matched: number;
  /** The first TraceqlSearchInput.spansPerSpanset of them. */
  spans: TraceqlSpanRow[];
  serviceStats: { service: string; spanCount: number; errorCount: number }[];
}

export interface TempoReader {
  /** Traces matching a TraceQL spanset, newest first. */
  traceqlSearch(input: TraceqlSearchInput, options?: ReadOptions): Promise<TraceqlTraceRow[]>;
  /** Span counts per step interval, by() values and duration bucket. */
  traceqlMetrics(input: TraceqlMetricsInput, options?: ReadOptions): Promise<MetricsRow[]>;
  /** Distinct span names in the range, for the `name` tag's values. */
  spanNames(range: TimeRange, limit: number, options?: ReadOptions): Promise<string[]>;
}
