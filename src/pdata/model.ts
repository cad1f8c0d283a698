// The in-memory telemetry model: OTLP v1 (opentelemetry-proto) messages as plain objects.
//
// Shapes follow the protobuf messages field for field, so a decoded request can be
// encoded again without loss. Three choices differ from the generated code:
// - trace and span ids are lowercase hex strings ('' when absent): storage, the API
//   and logs all want hex, so the codecs convert once at the edge;
// - 64-bit integers are `bigint` (nanosecond timestamps and int values lose digits
//   past 2^53 as a `number`); 32-bit fields stay `number`;
// - oneofs are tagged unions (`AnyValue`, `Metric.data`, number values), so code
//   switches on `type` instead of probing for keys.
// Absent optional messages decode to their empty form (an empty resource, an empty
// scope), as protobuf3 readers see them.

export type AnyValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'int'; readonly value: bigint }
  | { readonly type: 'double'; readonly value: number }
  | { readonly type: 'bytes'; readonly value: Uint8Array }
  | { readonly type: 'array'; readonly value: AnyValue[] }
  | { readonly type: 'kvlist'; readonly value: KeyValue[] }
  // An AnyValue with no field set: valid OTLP ("empty value"), kept as such.
  | { readonly type: 'empty' };

export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface Resource {
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface InstrumentationScope {
  name: string;
  version: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

// ---------------------------------------------------------------- traces

export interface TracesData {
  resourceSpans: ResourceSpans[];
}

export interface ResourceSpans {
  resource: Resource;
  scopeSpans: ScopeSpans[];
  schemaUrl: string;
}

export interface ScopeSpans {
  scope: InstrumentationScope;
  spans: Span[];
  schemaUrl: string;
}

/** Span.SpanKind values. */
export const SpanKind = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
} as const;

/** Status.StatusCode values. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export interface Span {
  traceId: string;
  spanId: string;
  traceState: string;
  /** '' for a root span. */
  parentSpanId: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  status: SpanStatus;
}

export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  flags: number;
}

export interface SpanStatus {
  message: string;
  code: number;
}

// ---------------------------------------------------------------- logs

export interface LogsData {
  resourceLogs: ResourceLogs[];
}

export interface ResourceLogs {
  resource: Resource;
  scopeLogs: ScopeLogs[];
  schemaUrl: string;
}

export interface ScopeLogs {
  scope: InstrumentationScope;
  logRecords: LogRecord[];
  schemaUrl: string;
}

export interface LogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  body: AnyValue;
  attributes: KeyValue[];
  droppedAttributesCount: number;
  flags: number;
  traceId: string;
  spanId: string;
  eventName: string;
}

// ---------------------------------------------------------------- metrics

export interface MetricsData {
  resourceMetrics: ResourceMetrics[];
}

export interface ResourceMetrics {
  resource: Resource;
  scopeMetrics: ScopeMetrics[];
  schemaUrl: string;
}

export interface ScopeMetrics {
  scope: InstrumentationScope;
  metrics: Metric[];
  schemaUrl: string;
}

/** AggregationTemporality values. */
export const AggregationTemporality = { UNSPECIFIED: 0, DELTA: 1, CUMULATIVE: 2 } as const;

export interface Metric {
  name: string;
  description: string;
  unit: string;
  metadata: KeyValue[];
  /** `undefined` when the sender set no data field (no points to keep). */
  data: MetricData | undefined;
}

export type MetricKind = MetricData['type'];

export type MetricData =
  | { type: 'gauge'; dataPoints: NumberDataPoint[] }
  | { type: 'sum'; aggregationTemporality: number; isMonotonic: boolean; dataPoints: NumberDataPoint[] }
  | { type: 'histogram'; aggregationTemporality: number; dataPoints: HistogramDataPoint[] }
  | {
      type: 'exponentialHistogram';
      aggregationTemporality: number;
      dataPoints: ExponentialHistogramDataPoint[];
    }
  | { type: 'summary'; dataPoints: SummaryDataPoint[] };

/** NumberDataPoint.value / Exemplar.value oneof; `undefined` when neither is set. */
export type NumberValue =
  | { readonly type: 'double'; readonly value: number }
  | { readonly type: 'int'; readonly value: bigint };

export interface NumberDataPoint {
  attributes: KeyValue[];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  value: NumberValue | undefined;
  exemplars: Exemplar[];
  flags: number;
}

export interface HistogramDataPoint {
  attributes: KeyValue[];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: bigint;
  /** `optional double` in the proto: `undefined` when not sent. */
  sum: number | undefined;
  bucketCounts: bigint[];
  explicitBounds: number[];
  exemplars: Exemplar[];
  flags: number;
  min: number | undefined;
  max: number | undefined;
}

export interface ExponentialHistogramBuckets {
  offset: number;
  bucketCounts: bigint[];
}

export interface ExponentialHistogramDataPoint {
  attributes: KeyValue[];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: bigint;
  sum: number | undefined;
  scale: number;
  zeroCount: bigint;
  positive: ExponentialHistogramBuckets;
  negative: ExponentialHistogramBuckets;
  flags: number;
  exemplars: Exemplar[];
  min: number | undefined;
  max: number | undefined;
  zeroThreshold: number;
}

export interface SummaryDataPoint {
  attributes: KeyValue[];
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: bigint;
  sum: number;
  quantileValues: ValueAtQuantile[];
  flags: number;
}

export interface ValueAtQuantile {
  quantile: number;
  value: number;
}

export interface Exemplar {
  filteredAttributes: KeyValue[];
  timeUnixNano: bigint;
  value: NumberValue | undefined;
  spanId: string;
  traceId: string;
}

// ---------------------------------------------------------------- responses

/** ExportXServiceResponse.partial_success; absent when everything was accepted. */
export interface PartialSuccess {
  /** rejected_spans / rejected_data_points / rejected_log_records. */
  rejected: bigint;
  errorMessage: string;
}

export type Signal = 'traces' | 'metrics' | 'logs';
