import type { ReadOptions } from './api.ts';
import type { StreamQuery } from './logql-index-sql.ts';
import type { LogLinesInput, SampleBucketsInput, SeriesKey } from './logql-query-sql.ts';

// Read contracts behind the Loki API (src/api/loki-routes.ts); part of
// TelemetryReader (api.ts). LogQL is evaluated in ClickHouse: pipelines as SQL
// conditions, range aggregations as per-bucket counts (logql-query-sql.ts).

export type { LogLinesInput, SampleBucketsInput, SeriesKey, StreamQuery };

export interface LogqlLine {
  timeNs: bigint;
  line: string;
  /** The line is the stored body's OTLP/JSON (a non-string body, no line_format). */
  bodyIsJson: boolean;
  stream: Record<string, string>;
  metadata: Record<string, string>;
  parsed: Record<string, string>;
}

export interface SampleBucketRow {
  /** The series' labels (`labels`, `without`) or the `by` labels' values in order. */
  key: Record<string, string> | string[];
  bucket: number;
  count: number;
  bytes: number;
}

export interface LokiIndexStats {
  streams: number;
  chunks: number;
  entries: number;
  bytes: number;
}

export interface LokiReader {
  /** At most `limit` distinct lines, in the direction's order. */
  logqlLines(input: LogLinesInput & { limit: number }, options?: ReadOptions): Promise<LogqlLine[]>;
  /** At most `input.maxRows + 1` rows (more than maxRows: the answer was cut). */
  logqlSampleBuckets(input: SampleBucketsInput, options?: ReadOptions): Promise<SampleBucketRow[]>;
  lokiLabelNames(query: StreamQuery, options?: ReadOptions): Promise<string[]>;
  lokiLabelValues(name: string, query: StreamQuery, options?: ReadOptions): Promise<string[]>;
  lokiSeries(query: StreamQuery, options?: ReadOptions): Promise<Array<Record<string, string>>>;
  lokiIndexStats(query: StreamQuery, options?: ReadOptions): Promise<LokiIndexStats>;
}
