import type { ReadOptions, TimeRange } from './api.ts';

// What the instrumentation doctor reads from storage: aggregates per service over
// a time range, computed in ClickHouse (doctor-*-sql.ts). Counts are numbers
// (a range holds far fewer than 2^53 rows); an example id is '' when no row met
// the condition.

export interface DoctorQuery extends TimeRange {
  /** One service; every service with data in the range when undefined. */
  service?: string;
}

/** A span to show as evidence. */
export interface SpanExample {
  traceId: string;
  spanId: string;
  spanName: string;
}

export interface DoctorSpanStats {
  service: string;
  spans: number;
  traces: number;
  /** SERVER spans carrying an HTTP method attribute (current or old convention). */
  httpServerSpans: number;
  noRouteSpans: number;
  noRouteNames: number;
  noRouteExample: SpanExample;
  /** Span names holding an id-like path segment (/42, a UUID, long hex). */
  idNameSpans: number;
  idNames: number;
  idNameExamples: string[];
  idNameExample: SpanExample;
  healthSpans: number;
  healthNames: string[];
  healthExample: SpanExample;
  /** Spans with http.method / http.target / http.status_code (pre-1.20 HTTP conventions). */
  oldHttpSpans: number;
  oldHttpKeys: string[];
  oldHttpExample: SpanExample;
  rootClientSpans: number;
  rootClientExample: SpanExample;
}

export interface DoctorTraceShape {
  service: string;
  /** Traces with more than 10 INTERNAL spans of this service (Instrumentation Score SPA-001). */
  manyInternalTraces: number;
  manyInternalExample: string;
  /** Traces with more than 20 spans of this service under 5 ms (SPA-005). */
  manyShortTraces: number;
  manyShortExample: string;
}

export interface DoctorOrphans {
  service: string;
  orphanSpans: number;
  example: SpanExample;
}

export interface DoctorDetachedSpans {
  service: string;
  /** INTERNAL spans that start a trace. */
  rootInternalSpans: number;
  /** ... of them starting while a SERVER span of the same service is open. */
  insideServerSpans: number;
  example: SpanExample;
}

export interface DoctorLogStats {
  service: string;
  logs: number;
  withoutTraceContext: number;
  withoutTraceExample: string;
  /** SeverityNumber UNSPECIFIED (LOG-002). */
  withoutSeverity: number;
}

export interface DoctorMetricStats {
  service: string;
  points: number;
  metrics: number;
  /** Metric names of the pre-1.20 HTTP conventions (http.server.duration in ms ...). */
  oldHttpMetrics: string[];
  /** Metric names without a unit (MET-002). */
  noUnitMetrics: string[];
  /** Metric names stored with more than one unit (MET-003). */
  mixedUnitMetrics: string[];
  /** Histogram names with more than one set of bucket bounds (MET-004). */
  mixedBucketMetrics: string[];
  /** Metric names ending in a unit (MET-005). */
  unitInNameMetrics: string[];
  /** Series with two points or more, and the median of their median gaps. */
  seriesWithGaps: number;
  medianIntervalNs: number;
}

export interface DoctorResourceStats {
  service: string;
  resources: number;
  withoutVersion: number;
  withoutEnvironment: number;
  withoutInstanceId: number;
  k8sResources: number;
  k8sWithoutPodUid: number;
  sdkLanguages: string[];
}

export interface DoctorStats {
  spans: DoctorSpanStats[];
  traceShapes: DoctorTraceShape[];
  orphans: DoctorOrphans[];
  detached: DoctorDetachedSpans[];
  logs: DoctorLogStats[];
  metrics: DoctorMetricStats[];
  resources: DoctorResourceStats[];
}

export interface DoctorReader {
  /** Every aggregate the doctor needs for the range, per service. */
  doctorStats(query: DoctorQuery, options?: ReadOptions): Promise<DoctorStats>;
}
