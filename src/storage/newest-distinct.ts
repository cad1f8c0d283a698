import type { ClickHouseClient } from '@clickhouse/client';
import type { ReadOptions } from './api.ts';
import { selectRows } from './read-query.ts';
import type { QueryParams } from './sql.ts';

// "The newest `limit` rows, rows equal in identity counted once", without giving
// up ClickHouse's top-N read. `ORDER BY t DESC LIMIT 1 BY <identity> LIMIT n`
// says it directly, but LIMIT BY sits between the sort and the limit, so the
// engine sorts every row in range with every column read: ~20 ms became 280-480
// ms for the newest 100 of 200,000 logs (a benchmark since removed). Here the
// query stays a plain top-N (a partial sort that keeps only the top rows), and
// the identity is applied here to its few rows: doing that in SQL around the
// top-N (a window count and LIMIT BY over the identity columns) cost ~4.5 ms of
// a 14 ms logs-by-trace-id read on the 10M-span bench store. A copy of a row is
// a copy of its sort column too, so the newest distinct rows are all among the
// newest rows read; when copies crowd rows out of the top (fewer than `limit`
// distinct while the top was full) it is asked again with a deeper top, which
// only happens when many copies sit at the top.

type Row = Record<string, unknown>;

export interface NewestDistinctQuery {
  /** The query: a SELECT ... ORDER BY <order> LIMIT <the given placeholder>. */
  inner(fetchLimit: string, params: QueryParams): string;
  /** Result columns (comma-separated names) whose equality makes two rows one. */
  identity: string;
  limit: number;
}

export async function selectNewestDistinct(
  client: ClickHouseClient,
  query: NewestDistinctQuery,
  newParams: () => QueryParams,
  options: ReadOptions | undefined,
): Promise<Row[]> {
  const columns = query.identity.split(',').map((c) => c.trim());
  for (let fetch = Math.max(2 * query.limit, query.limit + 100); ; fetch *= 4) {
    const p = newParams();
    const rows = await selectRows<Row>(client, query.inner(p.bind('UInt32', fetch), p), p, options);
    const seen = new Set<string>();
    const distinct: Row[] = [];
    for (const row of rows) {
      // Copies are stored byte for byte alike, so they read back as equal JSON.
      const key = JSON.stringify(columns.map((c) => row[c]));
      if (seen.has(key)) continue;
      seen.add(key);
      distinct.push(row);
      if (distinct.length === query.limit) break;
    }
    if (distinct.length >= query.limit || rows.length < fetch) return distinct;
  }
}
