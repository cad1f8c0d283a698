import type { ConsumeResult, TelemetryConsumer } from '../consumer/consumer.ts';
import type {
  AnyValue,
  KeyValue,
  LogRecord,
  LogsData,
  Metric,
  MetricsData,
  NumberDataPoint,
  Resource,
  Span,
  TracesData,
} from '../pdata/model.ts';
import type { ComponentId, CreateSettings } from '../component/component.ts';
import { silentLogger } from '../lib/log.ts';
import { emptyLogRecord, emptySpan } from '../pdata/defaults.ts';
import { createMetricsRegistry } from '../telemetry/metrics-registry.ts';

// Hand-built telemetry and a sink consumer for the processor tests.

export type PlainValue = string | boolean | bigint | number | AnyValue;

export function anyValue(value: PlainValue): AnyValue {
  if (typeof value === 'string') return { type: 'string', value };
  if (typeof value === 'boolean') return { type: 'bool', value };
  if (typeof value === 'bigint') return { type: 'int', value };
  if (typeof value === 'number') return { type: 'double', value };
  return value;
}

/** Plain values as attributes: bigint is an int, number a double. */
export function attrs(record: Record<string, PlainValue> = {}): KeyValue[] {
  return Object.entries(record).map(([key, value]) => ({ key, value: anyValue(value) }));
}

/** Attributes back as a plain record, for assertions. */
export function plain(attributes: readonly KeyValue[]): Record<string, unknown> {
  return Object.fromEntries(attributes.map((kv) => [kv.key, kv.value.type === 'empty' ? null : kv.value.value]));
}

export function resource(record: Record<string, PlainValue> = {}): Resource {
  return { attributes: attrs(record), droppedAttributesCount: 0 };
}

let nextSpanId = 1;

export function span(name: string, attributes: Record<string, PlainValue> = {}, overrides: Partial<Span> = {}): Span {
  const id = (nextSpanId++).toString(16).padStart(16, '0');
  return {
    ...emptySpan(),
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: id,
    name,
    kind: 2,
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    endTimeUnixNano: 1_700_000_000_050_000_000n,
    attributes: attrs(attributes),
    ...overrides,
  };
}

export function traces(...groups: Array<{ resource?: Record<string, PlainValue>; scope?: string; spans: Span[] }>): TracesData {
  return {
    resourceSpans: groups.map((group) => ({
      resource: resource(group.resource),
      scopeSpans: [
        {
          scope: { name: group.scope ?? 'test', version: '', attributes: [], droppedAttributesCount: 0 },
          spans: group.spans,
          schemaUrl: '',
        },
      ],
      schemaUrl: '',
    })),
  };
}

export function spanNames(data: TracesData): string[] {
  return data.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name)));
}

export function logRecord(body: PlainValue, overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    ...emptyLogRecord(),
    timeUnixNano: 1_700_000_000_000_000_000n,
    observedTimeUnixNano: 1_700_000_000_000_000_000n,
    severityNumber: 9,
    severityText: 'INFO',
    body: anyValue(body),
    ...overrides,
  };
}

export function logs(...groups: Array<{ resource?: Record<string, PlainValue>; records: LogRecord[] }>): LogsData {
  return {
    resourceLogs: groups.map((group) => ({
      resource: resource(group.resource),
      scopeLogs: [
        {
          scope: { name: 'test', version: '', attributes: [], droppedAttributesCount: 0 },
          logRecords: group.records,
          schemaUrl: '',
        },
      ],
      schemaUrl: '',
    })),
  };
}

export function logBodies(data: LogsData): unknown[] {
  return data.resourceLogs.flatMap((rl) =>
    rl.scopeLogs.flatMap((sl) => sl.logRecords.map((r) => (r.body.type === 'empty' ? null : r.body.value))),
  );
}

export function numberPoint(value: number | bigint, attributes: Record<string, PlainValue> = {}): NumberDataPoint {
  return {
    attributes: attrs(attributes),
    startTimeUnixNano: 0n,
    timeUnixNano: 1_700_000_000_000_000_000n,
    value: typeof value === 'bigint' ? { type: 'int', value } : { type: 'double', value },
    exemplars: [],
    flags: 0,
  };
}

export function gauge(name: string, points: NumberDataPoint[]): Metric {
  return { name, description: '', unit: '', metadata: [], data: { type: 'gauge', dataPoints: points } };
}

export function sum(name: string, points: NumberDataPoint[]): Metric {
  return {
    name,
    description: '',
    unit: '',
    metadata: [],
    data: { type: 'sum', aggregationTemporality: 2, isMonotonic: true, dataPoints: points },
  };
}

export function metrics(...groups: Array<{ resource?: Record<string, PlainValue>; metrics: Metric[] }>): MetricsData {
  return {
    resourceMetrics: groups.map((group) => ({
      resource: resource(group.resource),
      scopeMetrics: [
        {
          scope: { name: 'test', version: '', attributes: [], droppedAttributesCount: 0 },
          metrics: group.metrics,
          schemaUrl: '',
        },
      ],
      schemaUrl: '',
    })),
  };
}

export function metricNames(data: MetricsData): string[] {
  return data.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.name)));
}

export function testSettings(id: ComponentId): CreateSettings {
  return { id, logger: silentLogger, metrics: createMetricsRegistry(), dataDir: '/nonexistent' };
}

export function settingsFor(type: string, name = ''): CreateSettings {
  return testSettings({ type, name });
}

/**
 * A consumer that records what it receives. By default it resolves at once; with
 * `manual` each call waits until the test calls `release(result)` or `fail(error)`.
 */
export interface Sink extends TelemetryConsumer {
  traces: TracesData[];
  metrics: MetricsData[];
  logs: LogsData[];
  /** Settles the oldest unsettled call (manual mode). */
  release(result?: ConsumeResult): void;
  fail(error: unknown): void;
  readonly waiting: number;
}

export function createSink(options: { manual?: boolean; result?: ConsumeResult; error?: unknown } = {}): Sink {
  const queue: Array<{ resolve(result: ConsumeResult): void; reject(error: unknown): void }> = [];
  const respond = (): Promise<ConsumeResult> => {
    if (options.error !== undefined) return Promise.reject(options.error);
    if (!options.manual) return Promise.resolve(options.result ?? {});
    return new Promise((resolve, reject) => queue.push({ resolve, reject }));
  };
  const sink: Sink = {
    traces: [],
    metrics: [],
    logs: [],
    consumeTraces(data) {
      sink.traces.push(data);
      return respond();
    },
    consumeMetrics(data) {
      sink.metrics.push(data);
      return respond();
    },
    consumeLogs(data) {
      sink.logs.push(data);
      return respond();
    },
    release(result = {}) {
      const next = queue.shift();
      if (!next) throw new Error('no call is waiting');
      next.resolve(result);
    },
    fail(error) {
      const next = queue.shift();
      if (!next) throw new Error('no call is waiting');
      next.reject(error);
    },
    get waiting() {
      return queue.length;
    },
  };
  return sink;
}

/** Lets pending promise callbacks run. */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Settles `promise` into a value the test can inspect without awaiting it. */
export function track<T>(promise: Promise<T>): { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } {
  const status: { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } = { state: 'pending' };
  promise.then(
    (value) => {
      status.state = 'resolved';
      status.value = value;
    },
    (error: unknown) => {
      status.state = 'rejected';
      status.error = error;
    },
  );
  return status;
}
