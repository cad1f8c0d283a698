import type { ClickHouseClient } from '@clickhouse/client';
import type { ResourceSpans, Span, SpanEvent, SpanLink, TracesData } from '../pdata/model.ts';
import type { ReadOptions, ServiceSummary, StatusFilter, TimeRange, TraceQuery, TraceSummary } from './api.ts';
import { attributeMapsOf, attributesFromMaps } from './attribute-columns.ts';
import { attributeFilterSql } from './attribute-filter.ts';
import { nsFromCh } from './ch-values.ts';
import { keyValuesFromJson } from './otlp-json.ts';
import type { Json } from './otlp-json.ts';
import { selectRows } from './read-query.ts';
import { groupByResourceScope, withResourceScopes } from './resource-scope.ts';
import { newestFirstWindows } from './search-windows.ts';
import { QueryParams } from './sql.ts';

// Trace reads over `spans`, sorted by (service, 10-minute bucket, trace id)
// (005_spans_logs_by_trace.ts).

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
  getTraces(traceIds: readonly string[], options?: ReadOptions): Promise<Map<string, TracesData>>;
  searchTraces(query: TraceQuery, options?: ReadOptions): Promise<TraceSummary[]>;
}

export function createTraceReader(client: ClickHouseClient): TraceReader {
  async function getTraces(traceIds: readonly string[], options: ReadOptions | undefined): Promise<Map<string, TracesData>> {
    const out = new Map<string, TracesData>();
    if (traceIds.length === 0) return out;
    const p = new QueryParams();
    const ids = traceIds.length === 1 ? `= ${p.bind('String', traceIds[0]!)}` : `IN ${p.bind('Array(String)', [...new Set(traceIds)])}`;
    // The primary key finds each trace's granule in each (service, bucket). OTLP
    // delivery is at-least-once (a sender retries a request whose answer it
    // lost), so a span stored twice is returned once.
    const rows = await selectRows<Row>(
      client,
      `SELECT ${SPAN_SELECT} FROM spans
       WHERE TraceId ${ids}
       ORDER BY TraceId, Timestamp, SpanId
       LIMIT 1 BY TraceId, SpanId`,
      p,
      options,
    );
    const byTrace = new Map<string, Row[]>();
    for (const r of await withResourceScopes(client, rows, options)) {
      const id = String(r.TraceId);
      const list = byTrace.get(id);
      if (list === undefined) byTrace.set(id, [r]);
      else list.push(r);
    }
    for (const [id, traceRows] of byTrace) {
      out.set(id, {
        resourceSpans: groupByResourceScope(traceRows, (r, scopes): ResourceSpans => ({
          resource: r.resource,
          scopeSpans: scopes.map((s) => ({ scope: s.scope.scope, spans: s.rows.map(spanOf), schemaUrl: s.scope.schemaUrl })),
          schemaUrl: r.schemaUrl,
        })),
      });
    }
    return out;
  }

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
      return (await getTraces([traceId], options)).get(traceId);
    },

    getTraces,

    async searchTraces(query, options) {
      const matches = await newestMatches(client, query, options);
      if (matches.length === 0) return [];

      // 2. Whole-trace summaries. The time bound keeps the primary key lookup to
      //    the buckets around the matches; a trace's spans are within
      //    SUMMARY_SLACK_NS of its newest match unless the trace runs longer than
      //    that (its summary then counts the spans inside).
      const s = new QueryParams();
      const ids = s.bind('Array(String)', matches.map((m) => m.traceId));
      const firstNs = matches.reduce((a, m) => (m.matchNs < a ? m.matchNs : a), matches[0]!.matchNs);
      const lastNs = matches.reduce((a, m) => (m.matchNs > a ? m.matchNs : a), matches[0]!.matchNs);
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
         WHERE TraceId IN ${ids}
           AND Timestamp >= ${s.bindNs(clampNs(firstNs - SUMMARY_SLACK_NS))}
           AND Timestamp <= ${s.bindNs(clampNs(lastNs + SUMMARY_SLACK_NS))}
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

const MINUTE_NS = 60_000_000_000n;
/** See searchTraces' step 2. */
const SUMMARY_SLACK_NS = 15n * MINUTE_NS;

const clampNs = (ns: bigint) => (ns < 0n ? 0n : ns > 2n ** 63n - 1n ? 2n ** 63n - 1n : ns);

/** A window query's row: a trace and a matching span's start (ns, as ClickHouse prints it). */
type MatchRow = { TraceId: string; MatchNs: string };

interface Match {
  traceId: string;
  /** The newest matching span's start. */
  matchNs: bigint;
}

/**
 * 1. Traces with a span meeting every condition (all conditions sit in one WHERE
 *    over span rows, so they hold for the same span), newest first. The range is
 *    read backwards in growing windows (search-windows.ts), stopping once they
 *    hold enough traces. Each window reads only its buckets of the sort key.
 *    Ordered by the newest matching span's start; twice the limit is fetched so
 *    that sorting the summaries by trace start keeps the newest traces in all but
 *    contrived cases.
 *    A window first takes its newest matching spans (SPANS_A_TRACE a trace still
 *    wanted), for which ClickHouse reads the trace id of those rows only (lazy
 *    materialization of an ORDER BY ... LIMIT); grouping every matching span by
 *    trace id read the ids of the whole window (~40 ms on the bench's 1.8M-span
 *    bucket: docs/ARCHITECTURE.md, "Reads"). When those spans
 *    are all there were to read or cover enough traces, that is the answer;
 *    otherwise (traces with many matching spans) the window is grouped by trace.
 */
async function newestMatches(client: ClickHouseClient, query: TraceQuery, options: ReadOptions | undefined): Promise<Match[]> {
  const wanted = query.limit * 2;
  const found = new Map<string, Match>();
  for (const { startNs: windowStartNs, endNs: windowEndNs } of newestFirstWindows(query.startNs, query.endNs)) {
    const p = new QueryParams();
    const where = [`Timestamp >= ${p.bindNs(windowStartNs)}`, `Timestamp < ${p.bindNs(windowEndNs)}`];
    if (query.service !== undefined) where.push(`ServiceName = ${p.bind('String', query.service)}`);
    if (query.spanName !== undefined) where.push(`SpanName = ${p.bind('String', query.spanName)}`);
    if (query.minDurationNs !== undefined) where.push(`Duration >= ${p.bindInt64(query.minDurationNs)}`);
    if (query.maxDurationNs !== undefined) where.push(`Duration <= ${p.bindInt64(query.maxDurationNs)}`);
    if (query.status !== undefined) where.push(`StatusCode = ${p.bind('Int32', STATUS_CODE[query.status])}`);
    for (const f of query.attributes) where.push(attributeFilterSql(f, p));
    const conditions = where.join(' AND ');
    const need = wanted - found.size;
    const spanLimit = need * SPANS_A_TRACE;
    const spans = spanLimit > MAX_SPAN_LIMIT ? undefined : await selectRows<MatchRow>(
      client,
      `SELECT TraceId, toUnixTimestamp64Nano(Timestamp) AS MatchNs FROM spans WHERE ${conditions}
       ORDER BY Timestamp DESC LIMIT ${p.bind('UInt32', spanLimit)}`,
      p,
      options,
    );
    let fresh = spans === undefined ? [] : newTraces(spans, found);
    if (spans === undefined || (spans.length === spanLimit && fresh.length < need)) {
      const grouped = await selectRows<MatchRow>(
        client,
        `SELECT TraceId, max(toUnixTimestamp64Nano(Timestamp)) AS MatchNs FROM spans WHERE ${conditions}
         GROUP BY TraceId ORDER BY MatchNs DESC, TraceId LIMIT ${p.bind('UInt32', wanted)}`,
        p,
        options,
      );
      fresh = newTraces(grouped, found);
    }
    for (const m of fresh.slice(0, need)) found.set(m.traceId, m);
    if (found.size >= wanted) break;
  }
  return [...found.values()];
}

/** Matching spans read per trace still wanted, in a window's first query (newestMatches). */
const SPANS_A_TRACE = 5;
/** Above this many rows ClickHouse reads every row's columns anyway (query_plan_max_limit_for_lazy_materialization). */
const MAX_SPAN_LIMIT = 10_000;

/**
 * The traces of `rows` (newest match first) not in `found`, each once at its first
 * row. A trace crossing a window boundary was already found by the newer window.
 * A span without a trace id (OTLP/JSON or protobuf may send one empty) is no
 * trace to list: dropped here rather than by `TraceId != ''` in the WHERE, which
 * read every row's id in the window before the attribute condition (~10 ms of a
 * ~150 ms window on a dense bucket).
 */
function newTraces(rows: readonly MatchRow[], found: ReadonlyMap<string, Match>): Match[] {
  const out = new Map<string, Match>();
  for (const r of rows) {
    if (r.TraceId !== '' && !found.has(r.TraceId) && !out.has(r.TraceId)) out.set(r.TraceId, { traceId: r.TraceId, matchNs: nsFromCh(r.MatchNs) });
  }
  return [...out.values()];
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
