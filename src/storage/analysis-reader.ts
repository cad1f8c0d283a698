import type { ClickHouseClient } from '@clickhouse/client';
import { anchorCountSql } from './analysis-anchor-sql.ts';
import type { AnalysisReader, BreakdownRow, CompareNumberRow, CompareValueRow } from './analysis-api.ts';
import { breakdownSql } from './analysis-breakdown-sql.ts';
import { compareNumbersSql, compareValuesSql } from './analysis-compare-sql.ts';
import type { BuiltQuery } from './built-query.ts';
import { selectRows } from './read-query.ts';

// AnalysisReader over ClickHouse: runs the statements of analysis-*-sql.ts (each
// snapshot-tested) and turns their rows into numbers.

type Row = Record<string, unknown>;

const num = (v: unknown): number => Number(v);
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number) : []);

export function createAnalysisReader(client: ClickHouseClient): AnalysisReader {
  const run = (q: BuiltQuery, options: { signal?: AbortSignal } | undefined) => selectRows<Row>(client, q.sql, q.params, options);
  return {
    async countAnchorTraces(scope, options) {
      const [row] = await run(anchorCountSql(scope), options);
      return num(row?.Traces ?? 0);
    },

    async breakdown(scope, slowQuantile, maxSpansPerTrace, options) {
      const rows = await run(breakdownSql({ ...scope, slowQuantile, maxSpansPerTrace }), options);
      return rows.map((r): BreakdownRow => {
        const all = nums(r.SelfQuantiles);
        const slow = nums(r.SlowSelfQuantiles);
        return {
          isAnchor: num(r.IsAnchor) === 1,
          service: String(r.Service),
          name: String(r.Name),
          traces: num(r.Traces),
          slowTraces: num(r.SlowTraces),
          spans: num(r.Spans),
          slowSpans: num(r.SlowSpans),
          selfNs: num(r.SelfNs),
          slowSelfNs: num(r.SlowSelfNs),
          selfP50Ns: all[0] ?? 0,
          selfP95Ns: all[1] ?? 0,
          // t-digest of an empty set is NaN.
          slowSelfP50Ns: Number.isFinite(slow[0]) ? slow[0]! : 0,
          slowSelfP95Ns: Number.isFinite(slow[1]) ? slow[1]! : 0,
          onPathTraces: num(r.OnPathTraces),
          slowOnPathTraces: num(r.SlowOnPathTraces),
          slowThresholdNs: num(r.SlowThresholdNs),
        };
      });
    },

    async compareValues(scope, selection, maxValues, options) {
      const rows = await run(compareValuesSql({ ...scope, selection }, maxValues), options);
      return rows.map((r): CompareValueRow => ({
        scope: r.Scope === 'resource' ? 'resource' : 'span',
        service: String(r.Service),
        name: String(r.Name),
        key: String(r.Key),
        value: String(r.Value),
        type: r.Type === 'int' ? 'int' : r.Type === 'bool' ? 'bool' : 'string',
        selectedTraces: num(r.SelTraces),
        baselineTraces: num(r.BaseTraces),
        exampleTraceIds: (r.Examples as string[]) ?? [],
        distinctValues: num(r.Distinct),
      }));
    },

    async compareNumbers(scope, selection, options) {
      const rows = await run(compareNumbersSql({ ...scope, selection }), options);
      return rows.map((r): CompareNumberRow => ({
        service: String(r.Service),
        name: String(r.Name),
        key: String(r.Key),
        selectedTraces: num(r.SelTraces),
        baselineTraces: num(r.BaseTraces),
        selectedQuantiles: nums(r.SelQuantiles),
        baselineQuantiles: nums(r.BaseQuantiles),
        examples: ((r.Examples as [unknown, string][]) ?? []).map(([value, traceId]) => ({ value: Number(value), traceId })),
      }));
    },
  };
}
