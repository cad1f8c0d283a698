import type { ClickHouseClient } from '@clickhouse/client';
import { selectCompactRows, selectRows } from './read-query.ts';
import { QueryParams } from './sql.ts';
import type { MetricsRow, TempoReader, TraceqlTraceRow } from './tempo-api.ts';
import { traceqlMetricsSql } from './traceql-metrics-sql.ts';
import { traceqlSearchSql } from './traceql-search-sql.ts';

type SpanTuple = [string, string, string, string, [string, string][]];
type TraceRow = [string, string, string, string, string, number, SpanTuple[], [string, number, number][]];

export function createTempoReader(client: ClickHouseClient): TempoReader {
  return {
    async traceqlSearch(input, options) {
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
}
