import type { ClickHouseClient } from '@clickhouse/client';
import { selectCompactRows, selectRows } from './read-query.ts';
import { newestFirstWindows } from './search-windows.ts';
import { QueryParams } from './sql.ts';
import type { MetricsRow, TempoReader, TraceqlTraceRow } from './tempo-api.ts';
import { traceqlMetricsSql } from './traceql-metrics-sql.ts';
import { traceqlSearchSql } from './traceql-search-sql.ts';
import type { TraceqlSearchInput } from './traceql-search-sql.ts';
import type { ReadOptions } from './api.ts';


type SpanTuple = [string, string, string, string, [string, string][]];
type TraceRow = [string, string, string, string, string, number, SpanTuple[], [string, number, number][]];

export function createTempoReader(client: ClickHouseClient): TempoReader {
  return {
    async traceqlSearch(input, options) {
      // Newest first in growing windows, as the trace search (search-windows.ts).
      const out: TraceqlTraceRow[] = [];
      const seen = new Set<string>();
      for (const window of newestFirstWindows(input.startNs, input.endNs)) {
        for (const row of await searchWindow({ ...input, ...window }, options)) {
          if (seen.has(row.traceId) || out.length >= input.limit) continue;
          seen.add(row.traceId);
          out.push(row);
        }
        if (out.length >= input.limit) break;
      }
      return out;
    },
    async traceqlMetrics(input, options) {
      const { sql, params } = traceqlMetricsSql(input);
      return selectRows<MetricsRow>(client, sql, params, options);
    },
    async spanNames(range, limit, options) {
      const p = new QueryParams();
      const sql = `SELECT DISTINCT SpanName AS name FROM spans WHERE Timestamp >= ${p.bindNs(range.startNs)} AND Timestamp < ${p.bindNs(range.endNs)} ORDER BY name LIMIT ${p.bind('UInt32', limit)}`;
      const rows = await selectRows<{ name: string }>(client, sql, p, options);
      return rows.map((r) => r.name);
    },
  };

  async function searchWindow(input: TraceqlSearchInput, options: ReadOptions | undefined): Promise<TraceqlTraceRow[]> {
    const { sql, params } = traceqlSearchSql(input);
    const rows = (await selectCompactRows(client, sql, params, options)) as TraceRow[];
    return rows.map(([traceId, rootName, rootServiceName, startNs, durationNs, matched, spans, stats]): TraceqlTraceRow => ({
      traceId,
      rootName,
      rootServiceName,
      startNs,
      durationNs,
      matched: Number(matched),
      spans: spans.map(([spanId, name, s, d, fields]) => ({ spanId, name, startNs: s, durationNs: d, fields })),
      serviceStats: stats.map(([service, spanCount, errorCount]) => ({ service, spanCount: Number(spanCount), errorCount: Number(errorCount) })),
    }));
  }
}
