import type { ClickHouseClient } from '@clickhouse/client';
import type { ResourceSpans, Span, SpanEvent, SpanLink, TracesData } from '../pdata/model.ts';
import type { ReadOptions, ServiceSummary, StatusFilter, TimeRange, TraceQuery, TraceSummary } from './api.ts';
import { attributeMapsOf, attributesFromMaps } from './attribute-columns.ts';
import { attributeFilterSql } from './attribute-filter.ts';
import { nsFromCh } from './ch-values.ts';
import { keyValuesFromJson } from './otlp-json.ts';
import type { Json } from './otlp-json.ts';
import { selectRows } from './read-query.ts';
import { indexedTimeRange } from './trace-range-sql.ts';
import { groupByResourceScope, withResourceScopes } from './resource-scope.ts';
import { QueryParams } from './sql.ts';

// Trace reads over `spans` and its trace id index `trace_id_ts` (001_spans.sql).

type Row = Record<string, unknown>;

const STATUS_CODE: Record<StatusFilter, number> = { unset: 0, ok: 1, error: 2 };

/** The columns spanOf reads (also used by view-reader.ts). */
export const SPAN_SELECT = `toUnixTimestamp64Nano(Timestamp) AS StartNs, TraceId, SpanId, ParentSpanId, TraceState, Flags,
  SpanName, SpanKind, Duration, StatusCode, StatusMessage,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount,
  Events, DroppedEventsCount, Links, DroppedLinksCount, ServiceName, ResourceScopeId`;

export interface TraceReader {
  listServices(range: TimeRange, options?: ReadOptions): Promise<ServiceSummary[]>;
  getTrace(traceId: string, options?: ReadOptions): Promise<TracesData | undefined>;
  searchTraces(query: TraceQuery, options?: ReadOptions): Promise<TraceSummary[]>;
}

export function createTraceReader(client: ClickHouseClient): TraceReader {
  return {
    async listServices(range, options) {
      const p = new QueryParams();
      const rows = await selectRows<{ name: string; spanCount: string }>(
        client,
        // A span stored twice (at-least-once delivery) counts once, as everywhere:
        // distinct (trace id, span id), hashed to 64 bits (a collision among 100M
        // spans has odds of ~1 in 3,700), in about half the time of the pair of
        // strings. Still ~20x a count() on 1M spans (bench/read-dedup-bench.ts:
        // 22-28 ms became 470-620 ms): the id columns must be read.
        `SELECT ServiceName AS name, uniqExact(cityHash64(TraceId, SpanId)) AS spanCount FROM spans
         WHERE Timestamp >= ${p.bindNs(range.startNs)} AND Timestamp < ${p.bindNs(range.endNs)}
         GROUP BY ServiceName ORDER BY ServiceName`,
        p,
        options,
      );
      return rows.map((r) => ({ name: r.name, spanCount: Number(r.spanCount) }));
    },

    async getTrace(traceId, options) {
      const p = new QueryParams();
      const id = p.bind('String', traceId);
      // The index narrows the scan to the trace's time range (partitions and the
      // timestamp minmax), the bloom filter on TraceId to its granules. OTLP
      // delivery is at-least-once (a sender retries a request whose answer it
      // lost), so a span stored twice is returned once.
      const rows = await selectRows<Row>(
        client,
        `SELECT ${SPAN_SELECT} FROM spans
         WHERE TraceId = ${id} AND ${indexedTimeRange(`TraceId = ${id}`, '1')}
         ORDER BY Timestamp, SpanId
         LIMIT 1 BY SpanId`,
        p,
        options,
      );
      if (rows.length === 0) return undefined;
      return {
        resourceSpans: groupByResourceScope(await withResourceScopes(client, rows, options), (r, scopes): ResourceSpans => ({
          resource: r.resource,
          scopeSpans: scopes.map((s) => ({ scope: s.scope.scope, spans: s.rows.map(spanOf), schemaUrl: s.scope.schemaUrl })),
          schemaUrl: r.schemaUrl,
        })),
      };
    },

    async searchTraces(query, options) {
      // 1. Traces with a span meeting every condition: all conditions sit in one
      //    WHERE over span rows, so they hold for the same span.
      const p = new QueryParams();
      const where = [
        `Timestamp >= ${p.bindNs(query.startNs)}`,
        `Timestamp < ${p.bindNs(query.endNs)}`,
        `TraceId != ''`,
      ];
      if (query.service !== undefined) where.push(`ServiceName = ${p.bind('String', query.service)}`);
      if (query.spanName !== undefined) where.push(`SpanName = ${p.bind('String', query.spanName)}`);
      if (query.minDurationNs !== undefined) where.push(`Duration >= ${p.bindInt64(query.minDurationNs)}`);
      if (query.maxDurationNs !== undefined) where.push(`Duration <= ${p.bindInt64(query.maxDurationNs)}`);
      if (query.status !== undefined) where.push(`StatusCode = ${p.bind('Int32', STATUS_CODE[query.status])}`);
      for (const f of query.attributes) where.push(attributeFilterSql(f, p));
      // Ordered by the first matching span's start, which is at or after the
      // trace's start; twice the limit is fetched so that sorting the summaries
      // by trace start below keeps the newest traces in all but contrived cases.
      const matches = await selectRows<{ TraceId: string }>(
        client,
        `SELECT TraceId, min(Timestamp) AS FirstMatch FROM spans WHERE ${where.join(' AND ')}
         GROUP BY TraceId ORDER BY FirstMatch DESC, TraceId LIMIT ${p.bind('UInt32', query.limit * 2)}`,
        p,
        options,
      );
      if (matches.length === 0) return [];

      // 2. Whole-trace summaries, within the traces' time range from the index.
      const s = new QueryParams();
      const ids = s.bind('Array(String)', matches.map((m) => m.TraceId));
      const rows = await selectRows<Row>(
        client,
        `SELECT TraceId,
           argMinIf(ServiceName, Timestamp, ParentSpanId = '') AS RootServiceName,
           argMinIf(SpanName, Timestamp, ParentSpanId = '') AS RootSpanName,
           min(toUnixTimestamp64Nano(Timestamp)) AS StartNs,
           max(toUnixTimestamp64Nano(Timestamp) + Duration) AS EndNs,
           uniqExact(SpanId) AS SpanCount,
           uniqExactIf(SpanId, StatusCode = 2) AS ErrorCount,
           arraySort(groupUniqArray(ServiceName)) AS Services
         FROM spans
         WHERE TraceId IN ${ids} AND ${indexedTimeRange(`TraceId IN ${ids}`, s.bind('UInt32', matches.length))}
         GROUP BY TraceId`,
        s,
        options,
      );
      const summaries = rows.map(
        (r): TraceSummary => ({
          traceId: String(r.TraceId),
          rootServiceName: String(r.RootServiceName),
          rootSpanName: String(r.RootSpanName),
          startTimeUnixNano: nsFromCh(r.StartNs),
          durationNano: BigInt(r.EndNs as string) - BigInt(r.StartNs as string),
          spanCount: Number(r.SpanCount),
          errorCount: Number(r.ErrorCount),
          services: (r.Services as string[]).slice(),
        }),
      );
      // Newest trace first.
      return summaries
        .sort((a, b) =>
          a.startTimeUnixNano === b.startTimeUnixNano ? a.traceId.localeCompare(b.traceId) : a.startTimeUnixNano > b.startTimeUnixNano ? -1 : 1,
        )
        .slice(0, query.limit);
    },
  };
}

export function spanOf(r: Row): Span {
  const start = nsFromCh(r.StartNs);
  return {
    traceId: String(r.TraceId),
    spanId: String(r.SpanId),
    traceState: String(r.TraceState),
    parentSpanId: String(r.ParentSpanId),
    flags: Number(r.Flags),
    name: String(r.SpanName),
    kind: Number(r.SpanKind),
    startTimeUnixNano: start,
    endTimeUnixNano: BigInt.asUintN(64, start + BigInt(r.Duration as string)),
    attributes: attributesFromMaps(attributeMapsOf(r, 'Attributes')),
    droppedAttributesCount: Number(r.DroppedAttributesCount),
    events: eventsFromJson(JSON.parse(String(r.Events)) as Json),
    droppedEventsCount: Number(r.DroppedEventsCount),
    links: linksFromJson(JSON.parse(String(r.Links)) as Json),
    droppedLinksCount: Number(r.DroppedLinksCount),
    status: { code: Number(r.StatusCode), message: String(r.StatusMessage) },
  };
}

function eventsFromJson(j: Json): SpanEvent[] {
  if (!Array.isArray(j)) return [];
  return j.map((e) => {
    const o = e as { [k: string]: Json };
    return {
      timeUnixNano: BigInt(String(o.timeUnixNano ?? '0')),
      name: String(o.name ?? ''),
      attributes: keyValuesFromJson(o.attributes),
      droppedAttributesCount: Number(o.droppedAttributesCount ?? 0),
    };
  });
}

function linksFromJson(j: Json): SpanLink[] {
  if (!Array.isArray(j)) return [];
  return j.map((l) => {
    const o = l as { [k: string]: Json };
    return {
      traceId: String(o.traceId ?? ''),
      spanId: String(o.spanId ?? ''),
      traceState: String(o.traceState ?? ''),
      attributes: keyValuesFromJson(o.attributes),
      droppedAttributesCount: Number(o.droppedAttributesCount ?? 0),
      flags: Number(o.flags ?? 0),
    };
  });
}
