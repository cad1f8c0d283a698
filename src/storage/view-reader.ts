import type { ClickHouseClient } from '@clickhouse/client';
import type { ReadOptions } from './api.ts';
import { attributeKeysSql, attributeValuesSql } from './attribute-values-sql.ts';
import type { BuiltQuery } from './built-query.ts';
import { nsFromCh } from './ch-values.ts';
import { logHistogramSql } from './log-histogram-sql.ts';
import { storedLogsOf } from './log-reader.ts';
import { selectCompactRows, selectRows } from './read-query.ts';
import { redStatsSql, servicesInRangeSql } from './red-stats-sql.ts';
import { resourceOf, scopeOf, withResourceScopes } from './resource-scope.ts';
import { spanOf } from './trace-reader.ts';
import { logCountsSql, spanSql, traceLogsSql, treeSpansSql } from './trace-view-sql.ts';
import type {
  AttributeKeyInfo,
  AttributeScope,
  AttributeValueInfo,
  RedGroup,
  RedQuery,
  RedStatsResult,
  SeverityBandName,
  ViewReader,
} from './view-api.ts';

// ViewReader over ClickHouse: runs the statements built in *-sql.ts (each
// snapshot-tested) and shapes the rows.

type Row = Record<string, unknown>;

export function createViewReader(client: ClickHouseClient): ViewReader {
  const run = <T = Row>(q: BuiltQuery, options: ReadOptions | undefined) => selectRows<T>(client, q.sql, q.params, options);
  const scopes = (scope: AttributeScope | undefined): AttributeScope[] => (scope === undefined ? ['span', 'resource'] : [scope]);

  return {
    async serviceStats(query, options) {
      const stepNs = stepOf(query);
      const [rows, names] = await Promise.all([
        run(redStatsSql({ ...query, stepNs }), options),
        run<{ Name: string }>(servicesInRangeSql(query), options),
      ]);
      const byName = rowsByName(rows);
      const services = names.map(({ Name }) => {
        const own = byName.get(Name) ?? [];
        const basis = basisOf(own);
        return { ...groupOf(Name, own, basis, query.buckets), basis };
      });
      return { stepNs, services };
    },

    async operationStats(service, query, options) {
      const stepNs = stepOf(query);
      const rows = await run(redStatsSql({ ...query, stepNs, service }), options);
      // One basis for the whole service, so its operations compare like with like.
      const basis = basisOf(rows);
      const groups = [...rowsByName(rows)]
        .map(([name, own]) => groupOf(name, own, basis, query.buckets))
        .filter((g) => g.requestCount > 0)
        .sort((a, b) => b.requestCount - a.requestCount || a.name.localeCompare(b.name));
      const result: RedStatsResult = { stepNs, basis, groups };
      return result;
    },

    async attributeKeys(query, options) {
      const out: AttributeKeyInfo[] = [];
      for (const scope of scopes(query.scope)) {
        const rows = await run<{ Key: string; Types: string[]; Count: string }>(attributeKeysSql(scope, query), options);
        for (const r of rows) out.push({ key: r.Key, scope, types: r.Types as AttributeKeyInfo['types'], count: Number(r.Count) });
      }
      return out;
    },

    async attributeValues(query, options) {
      const out: AttributeValueInfo[] = [];
      const seen = new Set<string>();
      for (const scope of scopes(query.scope)) {
        const rows = await run<{ Value: string; Type: string; Count: string }>(attributeValuesSql(scope, query), options);
        for (const r of rows) {
          const id = `${r.Type}:${r.Value}`;
          if (seen.has(id)) continue;
          seen.add(id);
          out.push({ value: r.Value, type: r.Type as AttributeValueInfo['type'], count: Number(r.Count) });
        }
      }
      return out.slice(0, query.limit);
    },

    async traceTreeSpans(traceId, options) {
      // Compact rows: a trace may hold 100,000 spans; columns in treeSpansSql's order.
      const q = treeSpansSql(traceId);
      const rows = await selectCompactRows(client, q.sql, q.params, options);
      return rows.map(([spanId, parentSpanId, serviceName, name, kind, startNs, duration, statusCode, eventTimes, hasException]) => ({
        spanId: String(spanId),
        parentSpanId: String(parentSpanId),
        serviceName: String(serviceName),
        name: String(name),
        kind: Number(kind),
        startTimeUnixNano: nsFromCh(startNs),
        durationNs: BigInt(duration as string),
        statusCode: Number(statusCode),
        eventTimesUnixNano: (eventTimes as string[]).map((t) => BigInt(t === '' ? '0' : t)),
        hasException: Boolean(hasException),
      }));
    },

    async getSpan(traceId, spanId, options) {
      const rows = await run(spanSql(traceId, spanId), options);
      if (rows.length === 0) return undefined;
      const [r] = await withResourceScopes(client, rows, options);
      const resource = resourceOf(r!);
      const scope = scopeOf(r!);
      return {
        span: spanOf(r!),
        serviceName: String(r!.ServiceName),
        resource: resource.resource,
        resourceSchemaUrl: resource.schemaUrl,
        scope: scope.scope,
        scopeSchemaUrl: scope.schemaUrl,
      };
    },

    async logCountsBySpan(traceId, options) {
      const rows = await run<{ SpanId: string; Count: string }>(logCountsSql(traceId), options);
      return new Map(rows.map((r) => [r.SpanId, Number(r.Count)]));
    },

    async traceLogs(traceId, limit, options) {
      return storedLogsOf(client, await run(traceLogsSql(traceId, limit), options), options);
    },

    async logHistogram(query, options) {
      const rows = await run<{ BucketNs: string; Band: string; Count: string }>(logHistogramSql(query), options);
      return rows.map((r) => ({ startNs: BigInt(r.BucketNs), band: r.Band as SeverityBandName, count: Number(r.Count) }));
    },
  };
}

function rowsByName(rows: Row[]): Map<string, Row[]> {
  const byName = new Map<string, Row[]>();
  for (const r of rows) {
    const list = byName.get(String(r.Name));
    if (list === undefined) byName.set(String(r.Name), [r]);
    else list.push(r);
  }
  return byName;
}

/** SERVER spans when there are any in the range, else root spans (red-stats-sql.ts). */
function basisOf(rows: Row[]): 'server' | 'root' {
  return rows.some((r) => r.Whole && Number(r.ServerCount) > 0) ? 'server' : 'root';
}

/** Equal buckets covering the range (the last may reach past its end); at least 1 ns. */
function stepOf(q: RedQuery): bigint {
  const span = q.endNs - q.startNs;
  const buckets = BigInt(q.buckets);
  const step = (span + buckets - 1n) / buckets;
  return step > 0n ? step : 1n;
}

function groupOf(name: string, rows: Row[], basis: 'server' | 'root', buckets: number): RedGroup {
  const [countCol, errorCol, quantileCol] = basis === 'server' ? ['ServerCount', 'ServerErrors', 'ServerQuantiles'] : ['RootCount', 'RootErrors', 'RootQuantiles'];
  const series = { requestCount: new Array<number>(buckets).fill(0), errorCount: new Array<number>(buckets).fill(0), p95Ns: new Array<number | null>(buckets).fill(null) };
  let whole: Row | undefined;
  for (const r of rows) {
    if (r.Whole) {
      whole = r;
      continue;
    }
    const b = Number(r.Bucket);
    const count = Number(r[countCol]);
    if (b < 0 || b >= buckets || count === 0) continue;
    series.requestCount[b] = count;
    series.errorCount[b] = Number(r[errorCol]);
    series.p95Ns[b] = Number((r[quantileCol] as number[])[1]);
  }
  const requestCount = whole === undefined ? 0 : Number(whole[countCol]);
  const q = requestCount === 0 ? [0, 0, 0] : (whole![quantileCol] as number[]).map(Number);
  return {
    name,
    requestCount,
    errorCount: whole === undefined ? 0 : Number(whole[errorCol]),
    p50Ns: q[0] ?? 0,
    p95Ns: q[1] ?? 0,
    p99Ns: q[2] ?? 0,
    series,
  };
}
