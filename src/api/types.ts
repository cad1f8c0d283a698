// Response types of the JSON query API: the contract between the server
// (src/api/) and the web client (web/src/api/), which imports this file with
// `import type`. Types only: no runtime import or value may be added here (type
// imports of pure domain types are fine), so the browser bundle never pulls
// server modules.
//
// Conventions:
// - Absolute instants are Unix nanoseconds as decimal strings (`...UnixNano`):
//   a JSON number loses them past 2^53 (STYLE.md habit 10).
// - Durations and offsets *within one trace or bucket* are JSON numbers of
//   nanoseconds (`...Ns`): exact up to 2^53 ns (104 days), and numbers keep a
//   100,000-span tree compact and cheap to lay out.
// - Rates are per second, error rates and shares are fractions 0..1.
// - Every error is `ErrorResponse`; 400 names the parameter at fault.

import type { TraceStat } from '../query/trace-stats.ts';
export type {
  BreakdownOperation,
  BreakdownResponse,
  CompareNumberResult,
  CompareResponse,
  CompareResult,
  CompareValueResult,
} from '../query/analysis/analysis-types.ts';

/** 400 (bad parameter), 404 (unknown id), 503 (storage), 504 (query timeout). */
export interface ErrorResponse {
  error: { parameter?: string; message: string };
}

/** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
export type SpanKindNumber = 0 | 1 | 2 | 3 | 4 | 5;
/** OTLP StatusCode: 0 unset, 1 ok, 2 error. */
export type StatusCodeNumber = 0 | 1 | 2;

// ---------------------------------------------------------------- services

/** GET /api/v1/services?start&end */
export interface ServicesResponse {
  services: { name: string; spanCount: number }[];
}

/** Request rate, errors and latency of a set of spans (RED). */
export interface RedStats {
  requestCount: number;
  /** requestCount / range seconds. */
  ratePerSecond: number;
  errorCount: number;
  /** errorCount / requestCount; 0 when there are no requests. */
  errorRate: number;
  /** Latency quantiles of span duration (ClickHouse quantilesTDigest); 0 when none. */
  p50Ns: number;
  p95Ns: number;
  p99Ns: number;
}

/**
 * Equal-width buckets over the range: bucket i covers
 * [startUnixNano + i * stepNs, startUnixNano + (i + 1) * stepNs).
 * Arrays have one entry per bucket; p95Ns is null in a bucket without requests.
 */
export interface Sparkline {
  startUnixNano: string;
  stepNs: number;
  ratePerSecond: number[];
  errorRate: number[];
  p95Ns: (number | null)[];
}

/**
 * Which spans count as requests: a service's SERVER spans when it has any in
 * the range, else its root spans (no parent), e.g. a batch job or a CLI.
 */
export type RequestSpanBasis = 'server' | 'root';

export interface ServiceStats extends RedStats {
  name: string;
  basis: RequestSpanBasis;
  sparkline: Sparkline;
}

/** GET /api/v1/services/stats?start&end&buckets (buckets 1-200, default 30) */
export interface ServiceStatsResponse {
  startUnixNano: string;
  endUnixNano: string;
  /** By name. Services with spans but no request spans are listed with zeros. */
  services: ServiceStats[];
}

export interface OperationStats extends RedStats {
  /** Span name: the route template for HTTP server spans (`POST /payments`). */
  name: string;
  sparkline: Sparkline;
}

/** GET /api/v1/services/{name}/operations?start&end&buckets */
export interface OperationsResponse {
  service: string;
  basis: RequestSpanBasis;
  startUnixNano: string;
  endUnixNano: string;
  /** Busiest first (requestCount desc, then name). */
  operations: OperationStats[];
}

// ---------------------------------------------------------------- attributes

/** How a value is stored (src/storage/attribute-columns.ts); json = bytes, array, kvlist, empty. */
export type AttributeValueType = 'string' | 'int' | 'double' | 'bool' | 'json';
export type AttributeScope = 'span' | 'resource';

/** GET /api/v1/attributes/keys?service&start&end&scope=span|resource&q&limit */
export interface AttributeKeysResponse {
  keys: {
    key: string;
    /** Every type the key was seen with (usually one). */
    types: AttributeValueType[];
    scope: AttributeScope;
    /**
     * Spans (or resource rows, for scope=resource) holding the key, among the at
     * most one million rows of the range each lookup reads (autocomplete stays fast).
     */
    count: number;
  }[];
}

/**
 * GET /api/v1/attributes/{key}/values?service&start&end&scope&q&limit
 * (key URL-encoded; q = case-insensitive substring of the value).
 * Values as the attr filter spells them (`payment.amount>100`, `ok=true`); most
 * frequent first. json-typed values are not listed (not filterable by value).
 */
export interface AttributeValuesResponse {
  key: string;
  values: { value: string; type: Exclude<AttributeValueType, 'json'>; count: number }[];
}

// ---------------------------------------------------------------- traces

/** One row of GET /api/v1/traces (search). */
export interface TraceSummaryJson {
  traceId: string;
  /** '' when the root span is missing. */
  rootServiceName: string;
  rootSpanName: string;
  startTimeUnixNano: string;
  durationNano: string;
  spanCount: number;
  errorCount: number;
  services: string[];
}

/**
 * GET /api/v1/traces?start&end&service&spanName&minDuration&maxDuration&status=ok|error|unset&attr=k=v (repeatable)&limit
 * Newest first.
 */
export interface TraceSearchResponse {
  traces: TraceSummaryJson[];
}

/** OTLP/JSON AnyValue, as the OTLP spec's JSON encoding writes it. */
export type OtlpAnyValueJson =
  | { stringValue: string }
  | { intValue: string }
  | { doubleValue: number | string }
  | { boolValue: boolean }
  | { bytesValue: string }
  | { arrayValue: { values?: OtlpAnyValueJson[] } }
  | { kvlistValue: { values?: OtlpKeyValueJson[] } }
  | Record<string, never>;
export interface OtlpKeyValueJson {
  key: string;
  value: OtlpAnyValueJson;
}

/** GET /api/v1/traces/{traceId}: the trace as OTLP/JSON (ExportTraceServiceRequest shape). Fields at their default are omitted. */
export interface OtlpTracesJson {
  resourceSpans: {
    resource?: { attributes?: OtlpKeyValueJson[]; droppedAttributesCount?: number };
    schemaUrl?: string;
    scopeSpans?: {
      scope?: { name?: string; version?: string; attributes?: OtlpKeyValueJson[] };
      schemaUrl?: string;
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        traceState?: string;
        flags?: number;
        name: string;
        kind?: SpanKindNumber;
        startTimeUnixNano: string;
        endTimeUnixNano: string;
        attributes?: OtlpKeyValueJson[];
        events?: { timeUnixNano?: string; name?: string; attributes?: OtlpKeyValueJson[] }[];
        links?: { traceId?: string; spanId?: string; traceState?: string; attributes?: OtlpKeyValueJson[]; flags?: number }[];
        status: { code?: StatusCodeNumber; message?: string };
      }[];
    }[];
  }[];
}

/**
 * One span of the trace tree, compact: enough to draw the waterfall of a
 * 100,000-span trace. Details come from the span endpoint on demand.
 */
export interface TreeSpan {
  spanId: string;
  /** Index in `spans` of the parent; -1 for a root or an orphan. */
  parent: number;
  /** 0 for roots and orphans. */
  depth: number;
  /** Number of direct children (their indexes follow in depth-first order). */
  childCount: number;
  /** Index into TraceTreeResponse.services. */
  service: number;
  /** Index into TraceTreeResponse.names. */
  name: number;
  kind: SpanKindNumber;
  /** Start, as an offset from the trace start. */
  startNs: number;
  durationNs: number;
  /** Duration minus the union of its children's intervals clipped to the span. */
  selfNs: number;
  status: StatusCodeNumber;
  /** Any part of the span is on the critical path. */
  critical: boolean;
  /** Its parent span id is set but that span is not in the trace. */
  orphan: boolean;
  /** Event times as offsets from the trace start (bar markers). */
  eventsNs: number[];
  /** Some event is an OTel `exception` event. */
  hasException: boolean;
  /** Log records carrying this trace and span id. */
  logCount: number;
}

/** One piece of the critical path: `span` was the blocking work over [startNs, endNs). */
export interface CriticalPathSegment {
  span: number;
  startNs: number;
  endNs: number;
}

/** Jaeger's "trace statistics" per service and operation (computed by src/query/trace-stats.ts). */
export type TraceStatRow = TraceStat;

/** GET /api/v1/traces/{traceId}/tree */
export interface TraceTreeResponse {
  traceId: string;
  /** Earliest span start. */
  startUnixNano: string;
  /** Latest span end minus startUnixNano. */
  durationNs: number;
  spanCount: number;
  errorCount: number;
  /** Distinct values referenced by index from spans (keeps the payload small). */
  services: string[];
  names: string[];
  /**
   * Depth-first: each span's children follow it, ordered by start time; roots
   * (and orphans, which sit at the root level) ordered by start time.
   */
  spans: TreeSpan[];
  /** Ordered by time. */
  criticalPath: CriticalPathSegment[];
  /** By selfNs desc. */
  stats: TraceStatRow[];
  /** Log records of the trace that carry no span id. */
  traceLogCount: number;
}

/** An attribute with its OTLP type; value as plain JSON (ints past 2^53 as decimal strings, bytes base64). */
export interface TypedAttribute {
  key: string;
  type: 'string' | 'int' | 'double' | 'bool' | 'bytes' | 'array' | 'kvlist' | 'empty';
  value: unknown;
}

/** OTel semantic conventions: exception.type / exception.message / exception.stacktrace of an `exception` event. */
export interface ExceptionInfo {
  type: string;
  message: string;
  stacktrace: string;
  escaped?: boolean;
}

export interface SpanEventJson {
  timeUnixNano: string;
  /** Offset from the span's start (may be negative for a clock-skewed event). */
  offsetNs: number;
  name: string;
  attributes: TypedAttribute[];
  droppedAttributesCount: number;
  /** Set for `exception` events. */
  exception?: ExceptionInfo;
}

export interface SpanLinkJson {
  traceId: string;
  spanId: string;
  traceState: string;
  flags: number;
  attributes: TypedAttribute[];
}

/** GET /api/v1/traces/{traceId}/spans/{spanId} */
export interface SpanDetailResponse {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  flags: number;
  name: string;
  kind: SpanKindNumber;
  serviceName: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationNs: number;
  status: { code: StatusCodeNumber; message: string };
  attributes: TypedAttribute[];
  droppedAttributesCount: number;
  resource: { attributes: TypedAttribute[]; droppedAttributesCount: number; schemaUrl: string };
  scope: { name: string; version: string; attributes: TypedAttribute[]; schemaUrl: string };
  events: SpanEventJson[];
  droppedEventsCount: number;
  links: SpanLinkJson[];
  droppedLinksCount: number;
}

// ---------------------------------------------------------------- logs

/** A stored log record; attributes and body as plain JSON (src/api/plain-json.ts). */
export interface LogRecordJson {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: unknown;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  scope: { name: string; version: string };
  /** '' when the record is not in a trace. */
  traceId: string;
  spanId: string;
  flags: number;
  eventName: string;
  serviceName: string;
}

/**
 * GET /api/v1/logs?start&end&service&minSeverity&q&attr&traceId&spanId&limit
 * Newest first.
 */
export interface LogsResponse {
  logs: LogRecordJson[];
}

/** OTLP severity ranges: trace 1-4, debug 5-8, info 9-12, warn 13-16, error 17-20, fatal 21-24, unset 0. */
export type SeverityBand = 'unset' | 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * GET /api/v1/logs/histogram?start&end&step&service&minSeverity&q&attr&traceId
 * (step a duration such as 1m; default: the range / 60 rounded to a whole
 * second; at most 1000 buckets). Buckets are aligned to multiples of step.
 */
export interface LogHistogramResponse {
  startUnixNano: string;
  stepNs: number;
  /** Start of each bucket (every bucket, zeros included). */
  bucketStartUnixNano: string[];
  /** One array per band, parallel to bucketStartUnixNano. */
  counts: Record<SeverityBand, number[]>;
  total: number;
}

/**
 * GET /api/v1/traces/{traceId}/logs?limit (default 1000, at most 10000)
 * Every log of the trace, oldest first, grouped by span id.
 */
export interface TraceLogsResponse {
  traceId: string;
  logs: LogRecordJson[];
  /** span id -> indexes into logs; '' holds records without a span id. */
  bySpan: Record<string, number[]>;
  /** More records exist than limit. */
  truncated: boolean;
}

// ---------------------------------------------------------------- metrics

/** GET /api/v1/metrics?start&end */
export interface MetricsResponse {
  metrics: {
    name: string;
    kind: 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';
    unit: string;
    description: string;
    services: string[];
  }[];
}

/** GET /api/v1/metrics/{name}/points?start&end&attr&limit: OTLP/JSON ExportMetricsServiceRequest. */
export interface OtlpMetricsJson {
  resourceMetrics: {
    resource?: { attributes?: OtlpKeyValueJson[] };
    scopeMetrics?: { scope?: { name?: string; version?: string }; metrics?: Record<string, unknown>[] }[];
  }[];
}

// ---------------------------------------------------------------- instrumentation doctor

/** Evidence pointing at stored telemetry: a span (trace and span id) or a text sample. */
export interface DoctorExample {
  traceId?: string;
  spanId?: string;
  spanName?: string;
  text?: string;
}

/** One setup problem found in a service's telemetry. */
export interface DoctorFinding {
  /** Stable identifier (`http-route-missing`, `span-per-export-request`, ...): safe to alert or filter on. */
  id: string;
  severity: 'critical' | 'warning';
  title: string;
  /** What usually causes it. */
  cause: string;
  /** What was seen, in words, with the counts behind it. */
  evidence: { summary: string; counts: Record<string, number>; examples: DoctorExample[] };
  /** The fix, as text to copy (an environment variable, a command, a line of code). */
  fix: string;
  /** Instrumentation Score rules the same problem fails, if any. */
  scoreRules: string[];
}

export type ScoreImpact = 'Critical' | 'Important' | 'Normal' | 'Low';

/** One rule of the Instrumentation Score specification, as evaluated for a service. */
export interface ScoreRuleResult {
  id: string;
  description: string;
  impact: ScoreImpact;
  weight: number;
  /** not_applicable: the service sends no telemetry the rule looks at; not_implemented: Tracehouse does not evaluate it. */
  status: 'passed' | 'failed' | 'not_applicable' | 'not_implemented';
  detail?: string;
}

/** The OpenTelemetry Instrumentation Score (github.com/instrumentation-score/spec) of one service. */
export interface InstrumentationScore {
  /** 0-100, sum(passed x weight) / sum(evaluated x weight) x 100 over the rules evaluated; null when none applies. */
  score: number | null;
  band: 'Excellent' | 'Good' | 'Needs Improvement' | 'Poor' | null;
  /** False while rules of the specification are not implemented: the score may differ from a complete implementation's. */
  complete: boolean;
  rules: ScoreRuleResult[];
}

export interface DoctorService {
  service: string;
  signals: { spans: number; traces: number; logs: number; metricPoints: number };
  findings: DoctorFinding[];
  score: InstrumentationScore;
}

/** GET /api/v1/doctor?service&start&end */
export interface DoctorResponse {
  startUnixNano: string;
  endUnixNano: string;
  services: DoctorService[];
  /** Spans per export request are counted in memory by this process from this instant on (Unix ns). */
  exportRequestsCountedSinceUnixNano: string;
  spec: { url: string; version: string; implemented: string[]; notImplemented: string[] };
}
