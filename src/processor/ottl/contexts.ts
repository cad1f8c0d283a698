import type {
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  InstrumentationScope,
  KeyValue,
  LogRecord,
  Metric,
  NumberDataPoint,
  Resource,
  Span,
  SpanEvent,
  SummaryDataPoint,
} from '../../pdata/model.ts';
import { mapOf, type OttlValue } from './values.ts';

// The OTTL contexts of the filter processor (pkg/ottl/contexts: ottlspan,
// ottlspanevent, ottlmetric, ottldatapoint, ottllog): which paths and enums each
// knows and how a path reads a telemetry item. Integers read as int64 (bigint),
// ids as bytes (`trace_id`) or hex (`trace_id.string`), as in the Collector.
//
// Paths may be written bare (`name`, `attributes["k"]`) or qualified by context
// (`span.name`, `resource.attributes["k"]`, `instrumentation_scope.name` or
// `scope.name`); a span event condition can read its span (`span.name`) and a data
// point condition its metric (`metric.name`), as in current OTTL.

export type DataPoint = NumberDataPoint | HistogramDataPoint | ExponentialHistogramDataPoint | SummaryDataPoint;

export interface ScopeContext {
  resource: Resource;
  scope: InstrumentationScope;
}
export interface SpanContext extends ScopeContext {
  span: Span;
}
export interface SpanEventContext extends SpanContext {
  event: SpanEvent;
}
export interface MetricContext extends ScopeContext {
  metric: Metric;
}
export interface DataPointContext extends MetricContext {
  point: DataPoint;
}
export interface LogContext extends ScopeContext {
  log: LogRecord;
}

export interface ContextByKind {
  span: SpanContext;
  spanevent: SpanEventContext;
  metric: MetricContext;
  datapoint: DataPointContext;
  log: LogContext;
}
export type ContextKind = keyof ContextByKind;

/** Every context is one of these with some fields set. */
export interface EvalContext extends ScopeContext {
  span?: Span;
  event?: SpanEvent;
  metric?: Metric;
  point?: DataPoint;
  log?: LogRecord;
}

export type Accessor = (context: EvalContext) => OttlValue;

export interface Field {
  get: Accessor;
  /** Whether `["key"]` may follow. */
  indexable?: boolean;
}

export type FieldTable = Record<string, Field>;

/** The field table a path refers to, and the path without its context prefix. */
export function tableFor(segments: string[], kind: ContextKind): [FieldTable, string[]] {
  const [first = '', ...rest] = segments;
  if (first === 'resource') return [resourceFields, rest];
  if (first === 'instrumentation_scope' || first === 'scope') return [scopeFields, rest];
  switch (kind) {
    case 'span':
      return first === 'span' ? [spanFields, rest] : [spanFields, segments];
    case 'spanevent':
      if (first === 'spanevent') return [spanEventFields, rest];
      if (first === 'span') return [spanFields, rest];
      return [spanEventFields, segments];
    case 'metric':
      return first === 'metric' ? [metricFields, rest] : [metricFields, segments];
    case 'datapoint':
      if (first === 'datapoint') return [dataPointFields, rest];
      if (first === 'metric') return [metricFields, rest];
      return [dataPointFields, segments];
    case 'log':
      return first === 'log' ? [logFields, rest] : [logFields, segments];
  }
}

const int = (n: number): bigint => BigInt(n);
const attributes = (get: (context: EvalContext) => readonly KeyValue[]): Field => ({
  get: (context) => mapOf(get(context)),
  indexable: true,
});
const hexBytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

const resourceFields: FieldTable = {
  attributes: attributes((c) => c.resource.attributes),
  dropped_attributes_count: { get: (c) => int(c.resource.droppedAttributesCount) },
};

const scopeFields: FieldTable = {
  name: { get: (c) => c.scope.name },
  version: { get: (c) => c.scope.version },
  attributes: attributes((c) => c.scope.attributes),
  dropped_attributes_count: { get: (c) => int(c.scope.droppedAttributesCount) },
};

const spanFields: FieldTable = {
  name: { get: (c) => c.span!.name },
  kind: { get: (c) => int(c.span!.kind) },
  trace_id: { get: (c) => hexBytes(c.span!.traceId) },
  'trace_id.string': { get: (c) => c.span!.traceId },
  span_id: { get: (c) => hexBytes(c.span!.spanId) },
  'span_id.string': { get: (c) => c.span!.spanId },
  parent_span_id: { get: (c) => hexBytes(c.span!.parentSpanId) },
  'parent_span_id.string': { get: (c) => c.span!.parentSpanId },
  trace_state: { get: (c) => c.span!.traceState },
  flags: { get: (c) => int(c.span!.flags) },
  'status.code': { get: (c) => int(c.span!.status.code) },
  'status.message': { get: (c) => c.span!.status.message },
  start_time_unix_nano: { get: (c) => c.span!.startTimeUnixNano },
  end_time_unix_nano: { get: (c) => c.span!.endTimeUnixNano },
  attributes: attributes((c) => c.span!.attributes),
  dropped_attributes_count: { get: (c) => int(c.span!.droppedAttributesCount) },
  dropped_events_count: { get: (c) => int(c.span!.droppedEventsCount) },
  dropped_links_count: { get: (c) => int(c.span!.droppedLinksCount) },
};

const spanEventFields: FieldTable = {
  name: { get: (c) => c.event!.name },
  time_unix_nano: { get: (c) => c.event!.timeUnixNano },
  attributes: attributes((c) => c.event!.attributes),
  dropped_attributes_count: { get: (c) => int(c.event!.droppedAttributesCount) },
};

const logFields: FieldTable = {
  time_unix_nano: { get: (c) => c.log!.timeUnixNano },
  observed_time_unix_nano: { get: (c) => c.log!.observedTimeUnixNano },
  severity_number: { get: (c) => int(c.log!.severityNumber) },
  severity_text: { get: (c) => c.log!.severityText },
  body: {
    get: (c) => {
      const body = c.log!.body;
      switch (body.type) {
        case 'array':
          return { kind: 'list', values: body.value };
        case 'kvlist':
          return mapOf(body.value);
        case 'empty':
          return null;
        default:
          return body.value;
      }
    },
    indexable: true,
  },
  attributes: attributes((c) => c.log!.attributes),
  trace_id: { get: (c) => hexBytes(c.log!.traceId) },
  'trace_id.string': { get: (c) => c.log!.traceId },
  span_id: { get: (c) => hexBytes(c.log!.spanId) },
  'span_id.string': { get: (c) => c.log!.spanId },
  flags: { get: (c) => int(c.log!.flags) },
  dropped_attributes_count: { get: (c) => int(c.log!.droppedAttributesCount) },
  event_name: { get: (c) => c.log!.eventName },
};

/** pmetric.MetricType values, which OTTL's METRIC_DATA_TYPE_* enums name. */
const metricTypeNumber = { gauge: 1n, sum: 2n, histogram: 3n, exponentialHistogram: 4n, summary: 5n } as const;

// Fields a metric type does not have (aggregation_temporality of a gauge, sum of a
// number point...) read as nil.
const metricFields: FieldTable = {
  name: { get: (c) => c.metric!.name },
  description: { get: (c) => c.metric!.description },
  unit: { get: (c) => c.metric!.unit },
  type: { get: (c) => (c.metric!.data ? metricTypeNumber[c.metric!.data.type] : 0n) },
  aggregation_temporality: {
    get: (c) => {
      const data = c.metric!.data;
      return data && 'aggregationTemporality' in data ? int(data.aggregationTemporality) : null;
    },
  },
  is_monotonic: {
    get: (c) => {
      const data = c.metric!.data;
      return data?.type === 'sum' ? data.isMonotonic : null;
    },
  },
};

const dataPointFields: FieldTable = {
  attributes: attributes((c) => c.point!.attributes),
  start_time_unix_nano: { get: (c) => c.point!.startTimeUnixNano },
  time_unix_nano: { get: (c) => c.point!.timeUnixNano },
  flags: { get: (c) => int(c.point!.flags) },
  value_double: {
    get: (c) => {
      const point = c.point!;
      if (!('value' in point)) return null;
      return point.value?.type === 'double' ? point.value.value : 0;
    },
  },
  value_int: {
    get: (c) => {
      const point = c.point!;
      if (!('value' in point)) return null;
      return point.value?.type === 'int' ? point.value.value : 0n;
    },
  },
  count: { get: (c) => ('count' in c.point! ? c.point.count : null) },
  sum: { get: (c) => ('sum' in c.point! ? (c.point.sum ?? 0) : null) },
};

// ---------------------------------------------------------------- enums

const spanEnums: Record<string, bigint> = {
  SPAN_KIND_UNSPECIFIED: 0n,
  SPAN_KIND_INTERNAL: 1n,
  SPAN_KIND_SERVER: 2n,
  SPAN_KIND_CLIENT: 3n,
  SPAN_KIND_PRODUCER: 4n,
  SPAN_KIND_CONSUMER: 5n,
  STATUS_CODE_UNSET: 0n,
  STATUS_CODE_OK: 1n,
  STATUS_CODE_ERROR: 2n,
};

const severityNames = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const logEnums: Record<string, bigint> = { SEVERITY_NUMBER_UNSPECIFIED: 0n };
severityNames.forEach((name, i) => {
  const base = i * 4 + 1;
  logEnums[`SEVERITY_NUMBER_${name}`] = BigInt(base);
  for (let level = 2; level <= 4; level++) logEnums[`SEVERITY_NUMBER_${name}${level}`] = BigInt(base + level - 1);
});

const metricEnums: Record<string, bigint> = {
  METRIC_DATA_TYPE_NONE: 0n,
  METRIC_DATA_TYPE_GAUGE: 1n,
  METRIC_DATA_TYPE_SUM: 2n,
  METRIC_DATA_TYPE_HISTOGRAM: 3n,
  METRIC_DATA_TYPE_EXPONENTIAL_HISTOGRAM: 4n,
  METRIC_DATA_TYPE_SUMMARY: 5n,
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0n,
  AGGREGATION_TEMPORALITY_DELTA: 1n,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2n,
};

export const enumsByKind: Record<ContextKind, Record<string, bigint>> = {
  span: spanEnums,
  spanevent: spanEnums,
  metric: metricEnums,
  datapoint: { ...metricEnums, FLAG_NONE: 0n, FLAG_NO_RECORDED_VALUE: 1n },
  log: logEnums,
};
