import type { LogSelector } from '../query/logql/ast.ts';
import type { BuiltQuery } from './built-query.ts';
import { STREAMS_SELECT } from './logql-labels-sql.ts';
import { LOG_COLUMNS, pipelineRowsSql, streamsSql } from './logql-pipeline-sql.ts';
import { QueryParams } from './sql.ts';

// The two LogQL statements: lines of a log query, and the sample buckets of a
// range aggregation (count_over_time, rate, bytes_over_time, bytes_rate).

export interface LogLinesInput {
  selector: LogSelector;
  /** [startNs, endNs), as Loki's query_range for logs. */
  startNs: bigint;
  endNs: bigint;
  direction: 'backward' | 'forward';
}

/**
 * The inner query of a newest-distinct read (newest-distinct.ts): the first
 * `fetchLimit` matching rows in the direction's order. Copies of a record (same
 * __id) are removed by the caller's LIMIT 1 BY.
 */
export function logLinesSql(input: LogLinesInput, fetchLimit: string, p: QueryParams): { sql: string; rawLine: boolean } {
  const window = { fromNs: input.startNs, fromInclusive: true, toNs: input.endNs, toInclusive: false };
  const order = input.direction === 'backward' ? 'DESC' : 'ASC';
  // Two steps: the rows that pass, in order, limited, carrying only their stored
  // columns (the pipeline's aliases as WITH, so the engine computes one only where a
  // filter reads it); then labels, parsed maps, the line and the identity hash for
  // the kept rows alone. Computing them for every row of the range before the sort
  // made a plain `{service_name="x"}` over 200K lines ~15x slower than the JSON API's
  // log search. A filter that reads no labels needs no stream labels: the matchers
  // select resource ids.
  const filter = pipelineRowsSql(input.selector, window, p, `CAST(map(), 'Map(String, String)')`);
  const join = filter.filtersReadLabels ? pipelineRowsSql(input.selector, window, p) : undefined;
  const source = join ?? filter;
  const streams = streamsSql(filter.streamWhere);
  const from = join !== undefined
    ? `logs INNER JOIN (${streams}) AS s ON logs.ResourceScopeId = s.Id`
    : `logs`;
  const where = join !== undefined || filter.streamWhere.length === 0 ? source.where : [...source.where, `ResourceScopeId IN (SELECT Id FROM (${streams}))`];
  const kept = `WITH ${source.select.filter((e) => e.includes(' AS ')).join(',\n  ')}
SELECT ${LOG_COLUMNS}
FROM ${from}
WHERE ${where.join('\n  AND ')}
ORDER BY Timestamp ${order} LIMIT ${fetchLimit}`;
  const project = pipelineRowsSql(input.selector, window, p);
  return {
    sql: `SELECT ${project.select.join(',\n  ')}
FROM (${kept}) AS logs
INNER JOIN (${STREAMS_SELECT}) AS s ON logs.ResourceScopeId = s.Id`,
    rawLine: project.rawLine,
  };
}

/** How a range aggregation's samples are keyed into series in SQL. */
export type SeriesKey =
  /** Every label (stream, metadata, parsed): one series per label set, as Loki. */
  | { kind: 'labels' }
  /** `sum by (...)` pushed down: the values of these labels. */
  | { kind: 'by'; labels: string[] }
  /** `sum without (...)` pushed down: every label but these. */
  | { kind: 'without'; labels: string[] };

export interface SampleBucketsInput {
  selector: LogSelector;
  /** Samples after this instant (the first step's time less the range)... */
  afterNs: bigint;
  /** ...up to and including the last step's time. */
  untilNs: bigint;
  /** Bucket width: every step and every range is a whole number of buckets. */
  bucketNs: bigint;
  key: SeriesKey;
  /** At most this many rows come back (one more tells the caller it was cut). */
  maxRows: number;
}

/**
 * Counts and bytes per (series, bucket): bucket j holds the samples in
 * (afterNs + j*bucketNs, afterNs + (j+1)*bucketNs], so a step's window
 * (t - range, t] is a run of whole buckets the caller adds up. A record stored
 * twice counts once (its copies share __id).
 */
export function sampleBucketsSql(input: SampleBucketsInput): BuiltQuery {
  const p = new QueryParams();
  const byLabels = input.key.kind === 'by' ? input.key.labels : undefined;
  const rows = pipelineRowsSql(input.selector, { fromNs: input.afterNs, fromInclusive: false, toNs: input.untilNs, toInclusive: true }, p, 's.RL', byLabels);
  let key: string;
  switch (input.key.kind) {
    case 'labels':
      key = `mapFilter((k, v) -> v != '', __all)`;
      break;
    case 'by':
      // Read per label (pipelineRowsSql's __by): a label from the record's own fields
      // needs no label map built.
      key = '__by';
      break;
    case 'without':
      key = `mapFilter((k, v) -> v != '' AND NOT has(${p.bind('Array(String)', input.key.labels)}, k), __all)`;
      break;
  }
  const after = p.bindInt64(input.afterNs);
  const width = p.bindInt64(input.bucketNs);
  const sql = `SELECT key, bucket, count() AS n, sum(bytes) AS bytes FROM (
  SELECT any(${key}) AS key, intDiv(any(__ts) - ${after} - 1, ${width}) AS bucket, any(length(__line)) AS bytes
  FROM (${rows.sql})
  GROUP BY __id
)
GROUP BY key, bucket
ORDER BY bucket
LIMIT ${p.bind('UInt32', input.maxRows + 1)}`;
  return { sql, params: p };
}
