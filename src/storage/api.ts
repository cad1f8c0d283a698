import type {
  InstrumentationScope,
  LogRecord,
  LogsData,
  MetricKind,
  MetricsData,
  Resource,
  TracesData,
} from '../pdata/model.ts';
import type { AnalysisReader } from './analysis-api.ts';
import type { MetricSeriesReader } from './metric-series-api.ts';
import type { ViewReader } from './view-api.ts';
import type { DoctorReader } from './doctor-api.ts';
import type { LokiReader } from './logql-api.ts';
import type { TempoReader } from './tempo-api.ts';
import type { JaegerReader } from './jaeger-api.ts';

// Storage contracts (Jaeger's reader/writer split). The pipeline only writes; the
// query API only reads; both are satisfied by one ClickHouse-backed store that
// uses separate connections for each, so a long query never delays an insert.

/**
 * Writes telemetry. Every method resolves only when the data is durable: inserted
 * into ClickHouse, so it survives the process being killed right after. Concurrent
 * calls may be grouped into one insert (group commit); each caller still waits for
 * the insert that holds its data. Rejects with StorageUnavailableError when the
 * database cannot take the write (the caller may retry), or BackpressureError when
 * too much is already waiting. The writer does not keep or change the data after
 * the promise settles.
 */
export interface TelemetryWriter {
  writeTraces(data: TracesData): Promise<void>;
  writeMetrics(data: MetricsData): Promise<void>;
  writeLogs(data: LogsData): Promise<void>;
  /** Whether writes reach storage now (readiness): false since an insert failed for a reason other than its data, until one succeeds. */
  health(): WriteHealth;
  /** Finishes pending group commits; later writes reject. */
  close(): Promise<void>;
}

export type WriteHealth =
  | { ok: true }
  /** `lastFailure` is the engine's error: for the server log, never for a client. */
  | { ok: false; failingSinceMs: number; lastFailure: unknown };

/** A time range in Unix nanoseconds, start inclusive, end exclusive. */
export interface TimeRange {
  startNs: bigint;
  endNs: bigint;
}

/**
 * One attribute condition. Matches a span (or log record, or data point) whose own
 * attributes or whose resource's attributes hold `key` with a value that:
 * - `=`: equals `value` as a string, or numerically when `value` is a number, or as
 *   a bool when `value` is `true`/`false`;
 * - `!=`: exists and does not equal `value` in that sense (as Tempo's `!=`);
 * - `>` / `<`: is an int or double attribute compared with the number `value`.
 */
export interface AttributeFilter {
  key: string;
  op: '=' | '!=' | '>' | '<';
  value: string;
}

export type StatusFilter = 'ok' | 'error' | 'unset';

/** Every span condition applies to the same span. */
export interface TraceQuery extends TimeRange {
  service?: string;
  spanName?: string;
  minDurationNs?: bigint;
  maxDurationNs?: bigint;
  status?: StatusFilter;
  attributes: AttributeFilter[];
  limit: number;
}

export interface TraceSummary {
  traceId: string;
  /** Service and name of the span without a parent; '' when the root is missing. */
  rootServiceName: string;
  rootSpanName: string;
  startTimeUnixNano: bigint;
  durationNano: bigint;
  spanCount: number;
  errorCount: number;
  services: string[];
}

export interface ServiceSummary {
  name: string;
  spanCount: number;
}

export interface LogQuery extends TimeRange {
  traceId?: string;
  spanId?: string;
  service?: string;
  minSeverity?: number;
  /** Case-insensitive substring of the body. */
  text?: string;
  attributes: AttributeFilter[];
  limit: number;
}

export interface StoredLog {
  record: LogRecord;
  resource: Resource;
  scope: InstrumentationScope;
  serviceName: string;
}

export interface MetricSummary {
  name: string;
  kind: MetricKind;
  unit: string;
  description: string;
  services: string[];
}

export interface MetricPointQuery extends TimeRange {
  name: string;
  attributes: AttributeFilter[];
  limit: number;
}

/** Options every read takes. */
export interface ReadOptions {
  /** Aborts the query, e.g. when the HTTP client goes away. */
  signal?: AbortSignal;
}

/**
 * Reads telemetry. Results are fresh objects owned by the caller. Queries run on
 * a connection of their own, bounded by the store's `max_execution_time`.
 * The web UI's reads are in view-api.ts.
 */
export interface TelemetryReader extends ViewReader, MetricSeriesReader, DoctorReader, AnalysisReader, JaegerReader, TempoReader, LokiReader {
  listServices(range: TimeRange, options?: ReadOptions): Promise<ServiceSummary[]>;
  /** The whole trace as received, grouped by resource and scope; undefined if unknown. */
  getTrace(traceId: string, options?: ReadOptions): Promise<TracesData | undefined>;
  /** getTrace of several traces in one read; unknown ids are missing from the map. */
  getTraces(traceIds: readonly string[], options?: ReadOptions): Promise<Map<string, TracesData>>;
  /** Newest first. */
  searchTraces(query: TraceQuery, options?: ReadOptions): Promise<TraceSummary[]>;
  /** Newest first. */
  searchLogs(query: LogQuery, options?: ReadOptions): Promise<StoredLog[]>;
  listMetrics(range: TimeRange, options?: ReadOptions): Promise<MetricSummary[]>;
  /**
   * The points of one metric as received, newest first, each under its resource
   * and scope: the result holds one Metric per stored (resource, scope, metric).
   */
  metricPoints(query: MetricPointQuery, options?: ReadOptions): Promise<MetricsData>;
  /** Resolves when storage answers a trivial query. */
  ping(options?: ReadOptions): Promise<void>;
}

export interface TelemetryStore {
  readonly writer: TelemetryWriter;
  readonly reader: TelemetryReader;
  /** Closes the writer (flushing what is pending), then every connection. */
  close(): Promise<void>;
}
