import type { Condition, Field, Spanset } from '../query/traceql/ast.ts';
import { TraceqlError } from '../query/traceql/traceql-error.ts';
import type { BuiltQuery } from './built-query.ts';
import { QueryParams } from './sql.ts';
import { ConditionCompiler } from './traceql-condition-sql.ts';

// A TraceQL spanset query evaluated in ClickHouse, in three layers:
// 1. candidates: traces with a span in [start, end) meeting at least one of the
//    query's spanset filters (trace-level intrinsics relaxed to true), newest first
//    and at most MAX_CANDIDATES of them: the only layer that reads much;
// 2. rows: those traces' spans within SUMMARY_SLACK of the range, one row per
//    (TraceId, SpanId) so a span stored twice counts once, each with the UInt8
//    flags of every span-level comparison of the query (traceql-condition-sql.ts);
// 3. per trace, the spans as parallel arrays, and the spanset expression as a
//    UInt8 mask over them (m0, m1, ...: one alias per node, children first):
//    a filter maps the flags; `&&` keeps both sides when both are non-empty, `||`
//    unites; `>` keeps right-hand spans whose parent is a left-hand span, `<` those
//    that are the parent of one, `~` those sharing a parent with another one, `>>`
//    those with a left-hand ancestor (walked up at most MAX_DEPTH levels);
//    `| count() > 2` and `| avg(duration) > 1s` keep a trace's spans when the
//    aggregate over them holds (no by(): one spanset per trace, as Tempo).

/** Candidate traces examined at most; matches past them are not found (README). */
export const MAX_CANDIDATES = 10_000;
/** Spans of a candidate trace are read this far around the range (the trace summaries' bound, ARCHITECTURE.md). */
export const SUMMARY_SLACK_NS = 15n * 60n * 1_000_000_000n;
const MAX_DEPTH = 256;

export interface TraceqlSearchInput {
  spanset: Spanset;
  /** Fields returned per span (select() and the attributes the query compares). */
  fields: Field[];
  startNs: bigint;
  endNs: bigint;
  minTraceDurationNs?: bigint;
  maxTraceDurationNs?: bigint;
  limit: number;
  /** Spans returned per spanset. */
  spansPerSpanset: number;
}

/** The per-trace layer (3) with its mask; shared by search and metrics. */
export interface MaskedTraces {
  /** SELECT ... FROM (grouped spans) with aliases ids, names, starts, durs, statuses, services, fieldValues and `mask`. */
  sql: string;
  params: QueryParams;
}

export function maskedTracesSql(spanset: Spanset, fields: Field[], startNs: bigint, endNs: bigint, p: QueryParams, candidateLimit = MAX_CANDIDATES): string {
  const conditions = new ConditionCompiler(p);
  const masks: string[] = [];
  const relaxed: string[] = [];
  const mask = (s: Spanset): string => {
    let expr: string;
    switch (s.kind) {
      case 'filter':
        relaxed.push(conditions.relaxed(s.condition));
        expr = `arrayMap(f -> toUInt8(${conditions.compile(s.condition, 'f')}), flagRows)`;
        break;
      case 'and': {
        const [l, r] = [mask(s.left), mask(s.right)];
        expr = `if(has(${l}, 1) AND has(${r}, 1), arrayMap((a, b) -> toUInt8(a OR b), ${l}, ${r}), zeros)`;
        break;
      }
      case 'or': {
        const [l, r] = [mask(s.left), mask(s.right)];
        expr = `arrayMap((a, b) -> toUInt8(a OR b), ${l}, ${r})`;
        break;
      }
      case 'structural': {
        const [l, r] = [mask(s.left), mask(s.right)];
        switch (s.op) {
          case '>':
            expr = `arrayMap((x, pi) -> toUInt8(x AND pi > 0 AND ${l}[pi] = 1), ${r}, pidx)`;
            break;
          case '<':
            expr = `arrayMap((x, i) -> toUInt8(x AND arrayExists((y, pj) -> y = 1 AND pj = i, ${l}, pidx)), ${r}, idx)`;
            break;
          case '~':
            expr = `arrayMap((x, pi, i) -> toUInt8(x AND pi > 0 AND arrayExists((y, pj, j) -> y = 1 AND pj = pi AND j != i, ${l}, pidx, idx)), ${r}, pidx, idx)`;
            break;
          case '>>':
            expr =
              `arrayMap((x, pi) -> toUInt8(x AND tupleElement(arrayFold((acc, k) -> (toUInt64(pidx[tupleElement(acc, 1)]), ` +
              `toUInt8(tupleElement(acc, 2) OR ${l}[tupleElement(acc, 1)] = 1)), range(least(length(idx), ${MAX_DEPTH})), (toUInt64(pi), toUInt8(0))), 2)), ${r}, pidx)`;
            break;
        }
        break;
      }
      case 'scalar': {
        const x = mask(s.input);
        let value: string;
        if (s.aggregate === 'count') value = `countEqual(${x}, 1)`;
        else {
          if (s.field?.kind !== 'intrinsic' || s.field.name !== 'duration') throw new TraceqlError(`unsupported TraceQL: ${s.aggregate}() of anything but duration`);
          const fn = { avg: 'arrayAvg', min: 'arrayMin', max: 'arrayMax', sum: 'arraySum' }[s.aggregate];
          value = `${fn}(arrayFilter((d, m) -> m = 1, durs, ${x}))`;
        }
        const v = s.value;
        const bound = v.type === 'duration' ? p.bindInt64(v.ns) : v.type === 'int' ? p.bindInt64(v.value) : v.type === 'float' ? p.bind('Float64', v.value) : '0';
        expr = `if(has(${x}, 1) AND ${value} ${s.op} ${bound}, ${x}, zeros)`;
        break;
      }
    }
    masks.push(`${expr} AS m${masks.length}`);
    return `m${masks.length - 1}`;
  };
  const top = mask(spanset);
  const flagList = conditions.flags.length === 0 ? 'CAST([], \'Array(UInt8)\')' : `[${conditions.flags.map((f) => `toUInt8(${f})`).join(', ')}]`;
  const fieldList = fields.length === 0 ? "CAST([], 'Array(Tuple(String, String))')" : `[${fields.map((f) => fieldValueSql(f, p)).join(', ')}]`;
  const needsResource = fields.some((f) => f.kind === 'attribute' && f.scope !== 'span' && f.key !== 'service.name');
  const from = p.bindNs(startNs);
  const to = p.bindNs(endNs);
  const wideFrom = p.bindNs(startNs - SUMMARY_SLACK_NS);
  const wideTo = p.bindNs(endNs + SUMMARY_SLACK_NS);
  return `SELECT TraceId, ids, parents, names, services, starts, durs, statuses, fieldRows,
  arrayEnumerate(ids) AS idx,
  arrayMap(x -> toUInt64(indexOf(ids, x)), parents) AS pidx,
  arrayMap(x -> toUInt8(0), ids) AS zeros,
  indexOf(parents, '') AS rootIdx,
  if(rootIdx = 0, '', names[rootIdx]) AS rootName,
  if(rootIdx = 0, '', services[rootIdx]) AS rootServiceName,
  arrayMin(starts) AS traceStartNs,
  arrayMax(arrayMap((s, d) -> s + d, starts, durs)) - traceStartNs AS traceDurationNs,
  ${masks.join(',\n  ')},
  ${top} AS mask
FROM (
  SELECT TraceId,
    groupArray(SpanId) AS ids, groupArray(ParentSpanId) AS parents, groupArray(SpanName) AS names,
    groupArray(ServiceName) AS services, groupArray(toUnixTimestamp64Nano(Timestamp)) AS starts,
    groupArray(Duration) AS durs, groupArray(StatusCode) AS statuses,
    groupArray(flags) AS flagRows, groupArray(fieldValues) AS fieldRows
  FROM (
    SELECT TraceId, SpanId, ParentSpanId, SpanName, spans.ServiceName AS ServiceName, Timestamp, Duration, StatusCode,
      ${flagList} AS flags,
      ${fieldList} AS fieldValues
    FROM spans${needsResource ? RESOURCE_JOIN : ''}
    WHERE Timestamp >= ${wideFrom} AND Timestamp < ${wideTo}
      AND TraceId IN (
        SELECT TraceId FROM spans
        WHERE Timestamp >= ${from} AND Timestamp < ${to} AND (${relaxed.join(' OR ')})
        GROUP BY TraceId
        ORDER BY max(Timestamp) DESC
        LIMIT ${p.bind('UInt32', candidateLimit)})
    LIMIT 1 BY TraceId, SpanId
  )
  GROUP BY TraceId
)`;
}

const RESOURCE_JOIN = `
      LEFT ANY JOIN (SELECT Id AS ResId, ResourceAttributesString, ResourceAttributesInt, ResourceAttributesDouble, ResourceAttributesBool FROM resource_scopes) AS r
      ON r.ResId = spans.ResourceScopeId`;

/** The value of a returned field on a span row, as (type, text); ('', '') when absent. */
function fieldValueSql(f: Field, p: QueryParams): string {
  if (f.kind === 'intrinsic') {
    switch (f.name) {
      case 'name':
        return "('string', SpanName)";
      case 'duration':
        return "('int', toString(Duration))";
      case 'status':
        return "('status', toString(StatusCode))";
      case 'kind':
        return "('kind', toString(SpanKind))";
      case 'statusMessage':
        return "('string', StatusMessage)";
      default:
        return "('', '')";
    }
  }
  const key = p.bind('String', f.key);
  const typed = (prefix: string) =>
    [
      `mapContains(${prefix}String, ${key}), ('string', ${prefix}String[${key}])`,
      `mapContains(${prefix}Int, ${key}), ('int', toString(${prefix}Int[${key}]))`,
      `mapContains(${prefix}Double, ${key}), ('double', toString(${prefix}Double[${key}]))`,
      `mapContains(${prefix}Bool, ${key}), ('bool', if(${prefix}Bool[${key}], 'true', 'false'))`,
    ].join(', ');
  // A resource attribute comes from the row's resource_scopes row, joined in (a small table).
  const resource = `multiIf(${typed('ResourceAttributes')}, ('', ''))`;
  if (f.scope === 'span') return `multiIf(${typed('Attributes')}, ('', ''))`;
  if (f.scope === 'resource') return f.key === 'service.name' ? "('string', ServiceName)" : resource;
  return `multiIf(${typed('Attributes')}, ${f.key === 'service.name' ? "('string', ServiceName)" : resource})`;
}

export function traceqlSearchSql(q: TraceqlSearchInput): BuiltQuery {
  const p = new QueryParams();
  // A single filter without trace-level intrinsics matches exactly its candidates:
  // `limit` of them are enough.
  const exact = q.spanset.kind === 'filter' && !traceLevel(q.spanset.condition) && q.minTraceDurationNs === undefined && q.maxTraceDurationNs === undefined;
  const inner = maskedTracesSql(q.spanset, q.fields, q.startNs, q.endNs, p, exact ? q.limit : MAX_CANDIDATES);
  const where = ['has(mask, 1)'];
  if (q.minTraceDurationNs !== undefined) where.push(`traceDurationNs >= ${p.bindInt64(q.minTraceDurationNs)}`);
  if (q.maxTraceDurationNs !== undefined) where.push(`traceDurationNs <= ${p.bindInt64(q.maxTraceDurationNs)}`);
  const sql = `SELECT TraceId AS traceId, rootName, rootServiceName, toString(traceStartNs) AS startNs, toString(traceDurationNs) AS durationNs,
  countEqual(mask, 1) AS matched,
  arraySlice(arrayFilter((s, m) -> m = 1, arrayMap((i, n, st, d, fv) -> (i, n, toString(st), toString(d), fv), ids, names, starts, durs, fieldRows), mask), 1, ${p.bind('UInt32', q.spansPerSpanset)}) AS spans,
  arrayMap(s -> (s, arrayCount(x -> x = s, services), arrayCount((x, st) -> x = s AND st = 2, services, statuses)), arrayDistinct(services)) AS serviceStats
FROM (
${inner}
)
WHERE ${where.join(' AND ')}
ORDER BY traceStartNs DESC
LIMIT ${p.bind('UInt32', q.limit)}`;
  return { sql, params: p };
}

function traceLevel(c: Condition): boolean {
  if (c.kind === 'and' || c.kind === 'or') return traceLevel(c.left) || traceLevel(c.right);
  return c.kind === 'compare' && c.field.kind === 'intrinsic' && (c.field.name === 'rootName' || c.field.name === 'rootServiceName' || c.field.name === 'traceDuration');
}
