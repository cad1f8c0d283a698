import type { InstrumentationScope, Resource, Span } from '../pdata/model.ts';
import type { LogQuery, ReadOptions, StoredLog, TimeRange } from './api.ts';

// Read contracts behind the web UI's views (service overview, attribute
// autocomplete, trace view, log histogram); part of TelemetryReader (api.ts).
// Every aggregate is computed in ClickHouse; a span stored twice (OTLP delivery
// is at-least-once) counts once, by its identity (trace id, span id), as in
// trace-reader.ts.

/** Request, error and latency figures of a set of request spans. */
export interface RedFigures {
  requestCount: number;
  errorCount: number;
  /** Duration quantiles (t-digest, approximate for large sets); 0 with no requests. */
  p50Ns: number;
  p95Ns: number;
  p99Ns: number;
}

export interface RedSeries {
  /** Per bucket, bucket i starting at range start + i * stepNs. */
  requestCount: number[];
  errorCount: number[];
  /** null in a bucket without requests. */
  p95Ns: (number | null)[];
}

export interface RedGroup extends RedFigures {
  name: string;
  series: RedSeries;
}

export interface RedQuery extends TimeRange {
  /** Sparkline buckets over the range. */
  buckets: number;
}

export interface RedStatsResult {
  stepNs: bigint;
  /** Which spans are requests: SERVER spans, or root spans where a service has no SERVER span in the range. */
  basis: 'server' | 'root';
  groups: RedGroup[];
}

export interface ServiceRed extends RedGroup {
  basis: 'server' | 'root';
}

export type AttributeScope = 'span' | 'resource';
export type StoredValueType = 'string' | 'int' | 'double' | 'bool' | 'json';

export interface AttributeKeyQuery extends TimeRange {
  service?: string;
  /** Both when undefined. */
  scope?: AttributeScope;
  /** Case-insensitive substring of the key. */
  text?: string;
  limit: number;
}

export interface AttributeKeyInfo {
  key: string;
  scope: AttributeScope;
  types: StoredValueType[];
  count: number;
}

export interface AttributeValueQuery extends AttributeKeyQuery {
  key: string;
}

export interface AttributeValueInfo {
  /** As the `attr` filter spells it: ints and doubles in decimal, bools true/false. */
  value: string;
  type: Exclude<StoredValueType, 'json'>;
  count: number;
}

/** The compact fields of one span, for the trace tree. */
export interface TreeSpanRow {
  spanId: string;
  parentSpanId: string;
  serviceName: string;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  durationNs: bigint;
  statusCode: number;
  eventTimesUnixNano: bigint[];
  hasException: boolean;
}

export interface StoredSpan {
  span: Span;
  serviceName: string;
  resource: Resource;
  resourceSchemaUrl: string;
  scope: InstrumentationScope;
  scopeSchemaUrl: string;
}

export interface LogHistogramQuery extends Omit<LogQuery, 'limit' | 'spanId'> {
  stepNs: bigint;
}

/** Severity ranges of the OTLP log data model; unset is SeverityNumber 0. */
export type SeverityBandName = 'unset' | 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface LogHistogramBucket {
  /** Bucket start, a multiple of stepNs. */
  startNs: bigint;
  band: SeverityBandName;
  count: number;
}

export interface ViewReader {
  /** Every service with spans in the range (by name), with its request figures and sparkline series. */
  serviceStats(query: RedQuery, options?: ReadOptions): Promise<{ stepNs: bigint; services: ServiceRed[] }>;
  /** The request figures of one service per span name, busiest first. */
  operationStats(service: string, query: RedQuery, options?: ReadOptions): Promise<RedStatsResult>;
  /** Most frequent first. */
  attributeKeys(query: AttributeKeyQuery, options?: ReadOptions): Promise<AttributeKeyInfo[]>;
  /** Most frequent first; json-typed values are not listed. */
  attributeValues(query: AttributeValueQuery, options?: ReadOptions): Promise<AttributeValueInfo[]>;
  /** Compact span rows of a trace, each span once; empty when unknown. */
  traceTreeSpans(traceId: string, options?: ReadOptions): Promise<TreeSpanRow[]>;
  /** One span with its resource and scope; undefined when unknown. */
  getSpan(traceId: string, spanId: string, options?: ReadOptions): Promise<StoredSpan | undefined>;
  /** Log records of a trace per span id ('' for records without one). */
  logCountsBySpan(traceId: string, options?: ReadOptions): Promise<Map<string, number>>;
  /** Log records of a trace, oldest first, at most `limit`. */
  traceLogs(traceId: string, limit: number, options?: ReadOptions): Promise<StoredLog[]>;
  /** Non-zero (bucket, band) counts, by bucket. */
  logHistogram(query: LogHistogramQuery, options?: ReadOptions): Promise<LogHistogramBucket[]>;
}
