import { createAnalysisReader } from './analysis-reader.ts';
import { createLokiReader } from './logql-reader.ts';
import { createTempoReader } from './tempo-reader.ts';
import type { TelemetryReader, TelemetryStore } from './api.ts';
import { openConnections } from './connection.ts';
import type { Connections } from './connection.ts';
import { GroupCommitter } from './group-commit.ts';
import { createLogReader } from './log-reader.ts';
import { createMetricReader } from './metric-reader.ts';
import { createMetricSeriesReader } from './metric-series-reader.ts';
import { migrate } from './migrate.ts';
import { selectRows } from './read-query.ts';
import { applyRetention } from './retention.ts';
import { ReadTracker } from './read-tracker.ts';
import { QueryParams } from './sql.ts';
import { createTelemetryWriter } from './telemetry-writer.ts';
import { createTraceReader } from './trace-reader.ts';
import { createViewReader } from './view-reader.ts';
import { createDoctorReader } from './doctor-reader.ts';
import { createJaegerReader } from './jaeger-reader.ts';

// The ClickHouse-backed TelemetryStore: connections, schema, writer, readers.

export interface StoreOptions {
  /** Embedded chDB data directory (ignored when clickhouse is set). */
  dataDir: string;
  /** Embedded chDB: the database in it (a tenant's, tenancy/tenant-store.ts); default `tracehouse`. */
  database?: string;
  /** A ClickHouse server instead of embedded chDB. */
  clickhouse?: { url: string; username?: string; password?: string; database?: string };
  /** Rows older than this are deleted by TTL. Default 7 days. */
  retentionHours?: number;
  /** max_execution_time for reads, seconds. Default 30. */
  maxQuerySeconds?: number;
  /**
   * Group commit: wait at most this long to gather concurrent writes into one
   * insert. Default 10 ms: about the fixed cost of one spans INSERT (~8 ms
   * measured), so a lone write at most doubles its latency while a burst of
   * writes becomes one part instead of many. Under load the wait rarely matters:
   * groups gather while the previous insert runs.
   */
  groupCommitWaitMs?: number;
  /**
   * Group commit: flush as soon as this many rows are waiting. Default 16,384:
   * an insert's CPU cost per span falls with its size (4K-row inserts ~25-30 µs
   * a span, 16K ~17-19 µs, merges included; bench/store-bench.ts) and levels off
   * beyond; 16K rows is ~8 MB of JSON and ~150 ms of insert.
   */
  groupCommitMaxRows?: number;
  /**
   * BackpressureError when more rows than this are waiting to be inserted.
   * Default 100,000: about a second of inserts at the measured rate, ~50 MB of
   * encoded rows held off-heap (Buffers).
   */
  maxPendingRows?: number;
  /**
   * BackpressureError when the writes already waiting would take longer than this
   * to insert at the measured rate, or the oldest has waited this long; what keeps
   * every write connection on a full group, and one more gathering, is always
   * taken (write-admission.ts). Default
   * 1,000 ms: OTLP exporters time a request out after 5 s (the Collector) or 10 s
   * (the SDKs), so a sender hears "retry later" long before it would give up
   * and resend into the backlog (write-admission.ts).
   */
  maxPendingWriteMs?: number;
}

export const STORE_DEFAULTS = {
  retentionHours: 7 * 24,
  maxQuerySeconds: 30,
  groupCommitWaitMs: 10,
  groupCommitMaxRows: 16_384,
  maxPendingRows: 100_000,
  maxPendingWriteMs: 1_000,
} as const;

/**
 * Up to two inserts at once, each on its own write connection: one insert keeps
 * one engine thread busy, so under load a second (full) group uses the other
 * core of a 2-core machine (64 writes in flight: ~85-100K spans/s with two,
 * ~42-85K with one; bench/store-bench.ts on the shared development machine).
 */
const INSERT_CONNECTIONS = 2;

/** Parts of a store that tests and the bench look into; not part of the contract. */
export interface StoreInternals {
  readonly connections: Connections;
  readonly committer: GroupCommitter;
  /** Migration versions applied by this open (empty when the schema was current). */
  readonly appliedMigrations: number[];
}

export async function openStore(options: StoreOptions): Promise<TelemetryStore> {
  return (await openStoreWithInternals(options)).store;
}

/** Knobs for tests and the bench; production uses the defaults. */
export interface StoreTuning {
  /** Embedded only: insert through @clickhouse/client as the server route does. */
  insertRoute?: 'raw' | 'client';
  /** Inserts that may run at once, each on its own write connection. */
  insertConnections?: number;
  /** Migrate only this far: tests build a data directory as an older release left it. */
  migrateThrough?: number;
}

export async function openStoreWithInternals(
  options: StoreOptions,
  tuning: StoreTuning = {},
): Promise<{ store: TelemetryStore; internals: StoreInternals }> {
  const o = { ...STORE_DEFAULTS, ...options };
  const connections = await openConnections({
    dataDir: options.dataDir,
    database: options.database,
    clickhouse: options.clickhouse,
    maxQuerySeconds: o.maxQuerySeconds,
    insertConnections: tuning.insertConnections ?? INSERT_CONNECTIONS,
    ...(tuning.insertRoute === undefined ? {} : { insertRoute: tuning.insertRoute }),
  });
  let appliedMigrations: number[];
  try {
    appliedMigrations = await migrate(connections.write, tuning.migrateThrough);
    await applyRetention(connections.write, o.retentionHours);
  } catch (error) {
    await connections.close();
    throw error;
  }

  const committer = new GroupCommitter(connections.sink, {
    waitMs: o.groupCommitWaitMs,
    maxRows: o.groupCommitMaxRows,
    maxPendingRows: o.maxPendingRows,
    maxPendingWriteMs: o.maxPendingWriteMs,
    maxConcurrentInserts: connections.insertConcurrency,
  });
  const writer = createTelemetryWriter(committer);
  const traces = createTraceReader(connections.read);
  const logs = createLogReader(connections.read);
  const metrics = createMetricReader(connections.read);
  const views = createViewReader(connections.read);
  const series = createMetricSeriesReader(connections.read);
  const doctor = createDoctorReader(connections.read);
  const analysis = createAnalysisReader(connections.read);
  const loki = createLokiReader(connections.read);
  const tempo = createTempoReader(connections.read);
  const jaeger = createJaegerReader(connections.read);
  const reads = new ReadTracker();
  const reader: TelemetryReader = {
    listServices: (range, opts) => reads.run(() => traces.listServices(range, opts)),
    getTrace: (traceId, opts) => reads.run(() => traces.getTrace(traceId, opts)),
    getTraces: (traceIds, opts) => reads.run(() => traces.getTraces(traceIds, opts)),
    searchTraces: (query, opts) => reads.run(() => traces.searchTraces(query, opts)),
    searchLogs: (query, opts) => reads.run(() => logs.searchLogs(query, opts)),
    listMetrics: (range, opts) => reads.run(() => metrics.listMetrics(range, opts)),
    metricPoints: (query, opts) => reads.run(() => metrics.metricPoints(query, opts)),
    serviceStats: (query, opts) => reads.run(() => views.serviceStats(query, opts)),
    operationStats: (service, query, opts) => reads.run(() => views.operationStats(service, query, opts)),
    attributeKeys: (query, opts) => reads.run(() => views.attributeKeys(query, opts)),
    attributeValues: (query, opts) => reads.run(() => views.attributeValues(query, opts)),
    traceTreeSpans: (traceId, opts) => reads.run(() => views.traceTreeSpans(traceId, opts)),
    getSpan: (traceId, spanId, opts) => reads.run(() => views.getSpan(traceId, spanId, opts)),
    logCountsBySpan: (traceId, opts) => reads.run(() => views.logCountsBySpan(traceId, opts)),
    traceLogs: (traceId, limit, opts) => reads.run(() => views.traceLogs(traceId, limit, opts)),
    logHistogram: (query, opts) => reads.run(() => views.logHistogram(query, opts)),
    metricCatalog: (startMs, endMs, opts) => reads.run(() => series.metricCatalog(startMs, endMs, opts)),
    metricAttributeKeys: (names, startMs, endMs, opts) => reads.run(() => series.metricAttributeKeys(names, startMs, endMs, opts)),
    metricSeries: (query, opts) => reads.run(() => series.metricSeries(query, opts)),
    origins: (ids, opts) => reads.run(() => series.origins(ids, opts)),
    originTimes: (startMs, endMs, matchers, opts) => reads.run(() => series.originTimes(startMs, endMs, matchers, opts)),
    serverSpanRed: (input, opts) => reads.run(() => series.serverSpanRed(input, opts)),
    metricWindows: (query, opts) => reads.run(() => series.metricWindows(query, opts)),
    metricWindowSums: (query, opts) => reads.run(() => series.metricWindowSums(query, opts)),
    metricExemplars: (names, matchers, startMs, endMs, opts) => reads.run(() => series.metricExemplars(names, matchers, startMs, endMs, opts)),
    doctorStats: (query, opts) => reads.run(() => doctor.doctorStats(query, opts)),
    countAnchorTraces: (scope, opts) => reads.run(() => analysis.countAnchorTraces(scope, opts)),
    breakdown: (scope, q, max, opts) => reads.run(() => analysis.breakdown(scope, q, max, opts)),
    compareValues: (scope, sel, max, opts) => reads.run(() => analysis.compareValues(scope, sel, max, opts)),
    compareNumbers: (scope, sel, opts) => reads.run(() => analysis.compareNumbers(scope, sel, opts)),
    logqlLines: (input, opts) => reads.run(() => loki.logqlLines(input, opts)),
    logqlSampleBuckets: (input, opts) => reads.run(() => loki.logqlSampleBuckets(input, opts)),
    lokiLabelNames: (q, opts) => reads.run(() => loki.lokiLabelNames(q, opts)),
    lokiLabelValues: (name, q, opts) => reads.run(() => loki.lokiLabelValues(name, q, opts)),
    lokiSeries: (q, opts) => reads.run(() => loki.lokiSeries(q, opts)),
    lokiIndexStats: (q, opts) => reads.run(() => loki.lokiIndexStats(q, opts)),
    traceqlSearch: (input, opts) => reads.run(() => tempo.traceqlSearch(input, opts)),
    traceqlMetrics: (input, opts) => reads.run(() => tempo.traceqlMetrics(input, opts)),
    spanNames: (range, limit, opts) => reads.run(() => tempo.spanNames(range, limit, opts)),
    jaegerServices: (opts) => reads.run(() => jaeger.jaegerServices(opts)),
    jaegerOperations: (service, kind, opts) => reads.run(() => jaeger.jaegerOperations(service, kind, opts)),
    jaegerDependencies: (range, opts) => reads.run(() => jaeger.jaegerDependencies(range, opts)),
    ping: (opts) =>
      reads.run(async () => {
        await selectRows(connections.read, 'SELECT 1 AS ok', new QueryParams(), opts);
      }),
  };

  let closing: Promise<void> | undefined;
  const store: TelemetryStore = {
    writer,
    reader,
    // The engine is closed only after every statement on it has returned: reads
    // first refuse (a read arriving now gets StorageUnavailableError, never a
    // closed connection), then the writer flushes and its inserts return, then
    // the reads in flight end; closing a connection under a running statement
    // is what crashed libchdb at exit.
    close: () =>
      (closing ??= (async () => {
        reads.refuseNew();
        try {
          await writer.close();
        } finally {
          await reads.drained();
          await connections.close();
        }
      })()),
  };
  return { store, internals: { connections, committer, appliedMigrations } };
}
