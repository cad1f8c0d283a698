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
import { compileGoRegexp, GoRegexpError } from '../go-regexp.ts';
import { OttlSyntaxError, parseCondition, type BoolExpr, type ValueExpr } from './parser.ts';
import { compare, index, lookup, mapOf, OttlEvalError, stringLike, type OttlValue } from './values.ts';

// Turns a parsed OTTL condition into a function of one telemetry item, for the
// contexts of the filter processor (pkg/ottl/contexts: ottlspan, ottlspanevent,
// ottlmetric, ottldatapoint, ottllog). Paths, enums and functions outside the
// supported set fail here, at config load, with the offending name.
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

/** Evaluates to true or false; throws OttlEvalError when the item does not fit. */
export type Condition<C> = (context: C) => boolean;

/** Every context is one of these with some fields set. */
interface EvalContext extends ScopeContext {
  span?: Span;
  event?: SpanEvent;
  metric?: Metric;
  point?: DataPoint;
  log?: LogRecord;
}

type Accessor = (context: EvalContext) => OttlValue;

interface Field {
  get: Accessor;
  /** Whether `["key"]` may follow. */
  indexable?: boolean;
}

type FieldTable = Record<string, Field>;

/** Parses and compiles; throws OttlSyntaxError (with a position) if unsupported. */
export function compileCondition<K extends ContextKind>(text: string, kind: K): Condition<ContextByKind[K]> {
  return compileBool(parseCondition(text), kind);
}

/** "unsupported function "x" at column 3", for config error messages. */
export function describeConditionError(error: unknown): string {
  if (error instanceof OttlSyntaxError) return `${error.message} (at column ${error.pos + 1})`;
  return error instanceof Error ? error.message : String(error);
}

function compileBool(expr: BoolExpr, kind: ContextKind): Condition<EvalContext> {
  switch (expr.kind) {
    case 'or': {
      const terms = expr.terms.map((term) => compileBool(term, kind));
      return (context) => terms.some((term) => term(context));
    }
    case 'and': {
      const terms = expr.terms.map((term) => compileBool(term, kind));
      return (context) => terms.every((term) => term(context));
    }
    case 'not': {
      const operand = compileBool(expr.operand, kind);
      return (context) => !operand(context);
    }
    case 'compare': {
      const left = compileValue(expr.left, kind);
      const right = compileValue(expr.right, kind);
      const op = expr.op;
      return (context) => compare(left(context), right(context), op);
    }
    case 'value': {
      const value = expr.value;
      if (value.kind === 'literal' && typeof value.value === 'boolean') {
        const constant = value.value;
        return () => constant;
      }
      if (value.kind === 'call') {
        const call = compileValue(value, kind);
        return (context) => call(context) === true;
      }
      throw new OttlSyntaxError(
        'a condition must be a comparison, true, false or a function returning a boolean',
        value.pos,
      );
    }
  }
}

function compileValue(expr: ValueExpr, kind: ContextKind): Accessor {
  switch (expr.kind) {
    case 'literal': {
      const value = expr.value;
      return () => value;
    }
    case 'enum': {
      const value = enumsByKind[kind][expr.name];
      if (value === undefined) throw new OttlSyntaxError(`unknown enum ${expr.name}`, expr.pos);
      return () => value;
    }
    case 'path':
      return compilePath(expr, kind);
    case 'call':
      return compileCall(expr, kind);
  }
}

// ---------------------------------------------------------------- paths

function compilePath(expr: Extract<ValueExpr, { kind: 'path' }>, kind: ContextKind): Accessor {
  const written = expr.segments.join('.');
  const [table, rest] = tableFor(expr.segments, kind);
  const field = table[rest.join('.')];
  if (!field) throw new OttlSyntaxError(`unsupported path "${written}"`, expr.pos);
  if (expr.keys.length === 0) return field.get;
  if (!field.indexable) throw new OttlSyntaxError(`path "${written}" cannot be indexed`, expr.pos);
  const keys = expr.keys;
  const get = field.get;
  return (context) => {
    let value = get(context);
    for (const key of keys) value = index(value, key);
    return value;
  };
}

/** The field table a path refers to, and the path without its context prefix. */
function tableFor(segments: string[], kind: ContextKind): [FieldTable, string[]] {
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

const enumsByKind: Record<ContextKind, Record<string, bigint>> = {
  span: spanEnums,
  spanevent: spanEnums,
  metric: metricEnums,
  datapoint: { ...metricEnums, FLAG_NONE: 0n, FLAG_NO_RECORDED_VALUE: 1n },
  log: logEnums,
};

// ---------------------------------------------------------------- functions

const typeChecks: Record<string, (value: OttlValue) => boolean> = {
  IsString: (v) => typeof v === 'string',
  IsInt: (v) => typeof v === 'bigint',
  IsDouble: (v) => typeof v === 'number',
  IsBool: (v) => typeof v === 'boolean',
  IsMap: (v) => v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'map',
  IsList: (v) => v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'list',
};

const supportedFunctions = ['IsMatch', ...Object.keys(typeChecks), 'HasAttrKeyOnDatapoint', 'HasAttrOnDatapoint'];

function compileCall(expr: Extract<ValueExpr, { kind: 'call' }>, kind: ContextKind): Accessor {
  const { name, args, pos } = expr;
  const arity = (count: number): void => {
    if (args.length !== count) {
      throw new OttlSyntaxError(`${name} takes ${count} argument${count === 1 ? '' : 's'}, got ${args.length}`, pos);
    }
  };
  const stringLiteral = (arg: ValueExpr | undefined, what: string): string => {
    if (arg?.kind !== 'literal' || typeof arg.value !== 'string') {
      throw new OttlSyntaxError(`the ${what} of ${name} must be a string literal`, arg?.pos ?? pos);
    }
    return arg.value;
  };

  if (name === 'IsMatch') {
    arity(2);
    const target = compileValue(args[0]!, kind);
    const pattern = stringLiteral(args[1], 'pattern');
    let regexp: RegExp;
    try {
      regexp = compileGoRegexp(pattern);
    } catch (error) {
      if (error instanceof GoRegexpError) throw new OttlSyntaxError(`IsMatch pattern: ${error.message}`, args[1]!.pos);
      throw error;
    }
    return (context) => {
      const value = target(context);
      return value === null ? false : regexp.test(stringLike(value));
    };
  }
  const check = typeChecks[name];
  if (check) {
    arity(1);
    const value = compileValue(args[0]!, kind);
    return (context) => check(value(context));
  }
  if ((name === 'HasAttrKeyOnDatapoint' || name === 'HasAttrOnDatapoint') && kind === 'metric') {
    const withValue = name === 'HasAttrOnDatapoint';
    arity(withValue ? 2 : 1);
    const key = stringLiteral(args[0], 'key');
    const expected = withValue ? stringLiteral(args[1], 'value') : undefined;
    return (context) =>
      (context.metric!.data?.dataPoints ?? []).some((point: DataPoint) => {
        const value = lookup(point.attributes, key);
        return expected === undefined ? value !== null : value === expected;
      });
  }
  const hint = supportedFunctions.includes(name) ? ` in a ${kind} condition` : '';
  throw new OttlSyntaxError(`unsupported function "${name}"${hint}`, pos);
}

export { OttlEvalError, OttlSyntaxError };
