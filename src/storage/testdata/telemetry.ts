import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AnyValue, HistogramDataPoint, KeyValue, LogRecord, MetricsData, Resource, Span, TracesData } from '../../pdata/model.ts';
import { emptyLogRecord, emptySpan } from '../../pdata/defaults.ts';
import type { TelemetryStore } from '../api.ts';
import { openStoreWithInternals } from '../store.ts';
import type { StoreInternals, StoreOptions, StoreTuning } from '../store.ts';

// Hand-built telemetry for the storage tests, shaped like the seed's payment-api.

export const str = (key: string, value: string): KeyValue => ({ key, value: { type: 'string', value } });
export const int = (key: string, value: bigint | number): KeyValue => ({ key, value: { type: 'int', value: BigInt(value) } });
export const dbl = (key: string, value: number): KeyValue => ({ key, value: { type: 'double', value } });
export const bool = (key: string, value: boolean): KeyValue => ({ key, value: { type: 'bool', value } });
export const kv = (key: string, value: AnyValue): KeyValue => ({ key, value });

export const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** Now, in ns, rounded to the millisecond; tests place data around it. */
export const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

export const MS = 1_000_000n;
export const SECOND = 1_000_000_000n;

/** AnyValues of every kind, for lossless checks. */
export const everyKind: KeyValue[] = [
  str('s', 'text with "quotes", a \\ backslash, a\nnewline, ünïcödé and 😀'),
  str('empty.string', ''),
  int('i', 42n),
  int('i.max', 9223372036854775807n),
  int('i.min', -9223372036854775808n),
  dbl('d', 12.34),
  dbl('d.negzero', -0),
  dbl('d.nan', Number.NaN),
  dbl('d.inf', Number.POSITIVE_INFINITY),
  dbl('d.neginf', Number.NEGATIVE_INFINITY),
  dbl('d.tiny', 5e-324),
  bool('b.true', true),
  bool('b.false', false),
  kv('bytes', { type: 'bytes', value: new Uint8Array([0, 1, 2, 254, 255]) }),
  kv('array', { type: 'array', value: [{ type: 'string', value: 'a' }, { type: 'int', value: 7n }, { type: 'empty' }] }),
  kv('kvlist', { type: 'kvlist', value: [str('nested', 'x'), kv('deeper', { type: 'kvlist', value: [dbl('pi', 3.14)] })] }),
  kv('empty', { type: 'empty' }),
];

export function resource(service: string, extra: KeyValue[] = []): Resource {
  return { attributes: [str('service.name', service), str('deployment.environment', 'production'), ...extra], droppedAttributesCount: 0 };
}

export function span(fields: Partial<Span> & Pick<Span, 'traceId' | 'name' | 'startTimeUnixNano'>): Span {
  return { ...emptySpan(), spanId: hex(8), flags: 1, kind: 1, endTimeUnixNano: fields.startTimeUnixNano + 10n * MS, ...fields };
}

/** One cumulative histogram (unit seconds) of a service (resource with only service.name), one scope. */
export function histogramMetrics(service: string, name: string, dataPoints: HistogramDataPoint[]): MetricsData {
  return {
    resourceMetrics: [{
      resource: { attributes: [str('service.name', service)], droppedAttributesCount: 0 },
      scopeMetrics: [{
        scope: { name: service, version: '', attributes: [], droppedAttributesCount: 0 },
        metrics: [{ name, description: '', unit: 's', metadata: [], data: { type: 'histogram', aggregationTemporality: 2, dataPoints } }],
        schemaUrl: '',
      }],
      schemaUrl: '',
    }],
  };
}

/** Spans under one resource and one scope. */
export function traces(res: Resource, spans: Span[]): TracesData {
  return {
    resourceSpans: [
      {
        resource: res,
        scopeSpans: [{ scope: { name: 'payment-api', version: '1.0.0', attributes: [], droppedAttributesCount: 0 }, spans, schemaUrl: '' }],
        schemaUrl: '',
      },
    ],
  };
}

export function logRecord(fields: Partial<LogRecord> & Pick<LogRecord, 'timeUnixNano'>): LogRecord {
  return {
    ...emptyLogRecord(),
    observedTimeUnixNano: fields.timeUnixNano + MS,
    severityNumber: 9,
    severityText: 'INFO',
    body: { type: 'string', value: 'hello' },
    ...fields,
  };
}

/**
 * A store in a fresh temporary directory; `close()` closes it and removes the
 * directory. chDB takes one data directory per process at a time, so a test file
 * closes one before opening the next.
 */
export async function tempStore(
  options: Partial<StoreOptions> = {},
  tuning: StoreTuning = {},
): Promise<{ store: TelemetryStore; internals: StoreInternals; dir: string; close(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracehouse-storage-test-'));
  const { store, internals } = await openStoreWithInternals({ dataDir: dir, ...options }, tuning);
  return {
    store,
    internals,
    dir,
    async close() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
