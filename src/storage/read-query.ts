import type { ClickHouseClient } from '@clickhouse/client';
import { StorageUnavailableError } from '../consumer/errors.ts';
import type { ReadOptions } from './api.ts';
import type { QueryParams } from './sql.ts';

// Every read goes through here: the read connection (its client carries
// max_execution_time and the JSON output settings, see connection.ts), bound
// parameters only, and the caller's AbortSignal.
//
// Cancellation: on a server, aborting closes the HTTP request and the server
// cancels the SELECT (cancel_http_readonly_queries_on_client_close). chDB has no
// way to interrupt a running statement: the caller's promise rejects at once,
// but the engine finishes the statement in the background (bounded by
// max_execution_time). chDB also runs parameterized queries one at a time per
// process (chdb-node serializes them to keep parameter state consistent), so a
// later read waits behind an abandoned one; inserts are unaffected (raw inserts
// take no parameters and run on the write connection).

const RETRY_AFTER_MS = 1000;

export async function selectRows<T>(
  client: ClickHouseClient,
  query: string,
  params: QueryParams,
  options: ReadOptions | undefined,
): Promise<T[]> {
  return select<T>(client, query, params, options, 'JSONEachRow');
}

/**
 * Rows as arrays of values in the SELECT's column order (JSONCompactEachRow):
 * for large results, where repeating every column name on every row would be
 * half the bytes to produce and parse (100,000 trace tree rows: 12 MB instead
 * of 23 MB; bench/trace-tree-bench.ts).
 */
export async function selectCompactRows(
  client: ClickHouseClient,
  query: string,
  params: QueryParams,
  options: ReadOptions | undefined,
): Promise<unknown[][]> {
  return select<unknown[]>(client, query, params, options, 'JSONCompactEachRow');
}

async function select<T>(
  client: ClickHouseClient,
  query: string,
  params: QueryParams,
  options: ReadOptions | undefined,
  format: 'JSONEachRow' | 'JSONCompactEachRow',
): Promise<T[]> {
  const signal = options?.signal;
  signal?.throwIfAborted();
  try {
    const rs = await client.query({
      query,
      query_params: params.values,
      format,
      ...(signal === undefined ? {} : { abort_signal: signal }),
    });
    return await rs.json<T>();
  } catch (cause) {
    if (signal?.aborted) throw signal.reason;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new StorageUnavailableError(`query failed: ${message}`, RETRY_AFTER_MS, { cause });
  }
}
