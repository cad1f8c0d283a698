// The storage package: contracts and the ClickHouse-backed store.
export { openStore } from './store.ts';
export type { StoreOptions } from './store.ts';
export type {
  AttributeFilter,
  LogQuery,
  MetricPointQuery,
  MetricSummary,
  ReadOptions,
  ServiceSummary,
  StatusFilter,
  StoredLog,
  TelemetryReader,
  TelemetryStore,
  TelemetryWriter,
  TimeRange,
  TraceQuery,
  TraceSummary,
} from './api.ts';
