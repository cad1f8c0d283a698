import type { ClickHouseClient } from '@clickhouse/client';
import type { ReadOptions } from './api.ts';
import { selectRows } from './read-query.ts';
import type { QueryParams } from './sql.ts';

// "The newest `limit` rows, rows equal in identity counted once", without giving
// up ClickHouse's top-N read. `ORDER BY t DESC LIMIT 1 BY <identity> LIMIT n`
// says it directly, but LIMIT BY sits between the sort and the limit, so the
// engine sorts every row in range with every column read: ~20 ms became 280-480
// ms for the newest 100 of 200,000 logs (bench/read-dedup-bench.ts). Here the inner
// query stays a plain top-N (a partial sort that keeps only the top rows; the
// same cost as before within noise), and the identity is applied to its few rows.
// A copy of a row is a copy of its sort column too, so the newest distinct rows
// are all among the newest rows read; when copies crowd rows out of the top
// (fewer than `limit` distinct while the inner limit was reached) it is asked
// again with a deeper top, which only happens when many copies sit at the top.

type Row = Record<string, unknown>;

export interface NewestDistinctQuery {
  /** The inner query: a SELECT ... ORDER BY <order> LIMIT <the given placeholder>. */
  inner(fetchLimit: string, params: QueryParams): string;
  /** The ORDER BY of the result, in terms of the inner query's columns. */
  orderBy: string;
  /** Columns of the inner query whose equality makes two rows one. */
  identity: string;
  limit: number;
}

export async function selectNewestDistinct(
  client: ClickHouseClient,
  query: NewestDistinctQuery,
  newParams: () => QueryParams,
  options: ReadOptions | undefined,
): Promise<Row[]> {
  for (let fetch = Math.max(2 * query.limit, query.limit + 100); ; fetch *= 4) {
    const p = newParams();
    const inner = query.inner(p.bind('UInt32', fetch), p);
    const rows = await selectRows<Row>(
      client,
      `SELECT * FROM (SELECT *, count() OVER () AS FetchedRows FROM (${inner}))
       ORDER BY ${query.orderBy}
       LIMIT 1 BY ${query.identity}
       LIMIT ${p.bind('UInt32', query.limit)}`,
      p,
      options,
    );
    if (rows.length >= query.limit || rows.length === 0 || Number(rows[0]!.FetchedRows) < fetch) return rows;
  }
}
