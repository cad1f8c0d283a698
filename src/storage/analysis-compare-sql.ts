import type { AnchorScope } from './analysis-anchor-sql.ts';
import { anchorsCte, traceSpansConditions } from './analysis-anchor-sql.ts';
import type { AttributeFilter } from './api.ts';
import { attributeFilterSql } from './attribute-filter.ts';
import type { BuiltQuery } from './built-query.ts';
import { QueryParams } from './sql.ts';

// What the slow ones have in common (issue 11, part 2), in ClickHouse: the anchor
// traces (analysis-anchor-sql.ts) split into a selection and the baseline, and
// every attribute of every span of each trace, and of each span's resource,
// (no LIMIT 1 BY: counting once a trace, and max per trace, absorb a span stored
// twice; it cost ~1 s at 1M spans),
// counted once per trace (uniqExact of a 64-bit hash of the trace id, so a span stored twice or a
// value on several spans counts once) for the selection and the baseline,
// grouped by where it was found (span: service and span name; resource: service).
// - categorical: string, int and bool values (a resource's on every span of it,
//   counted once a trace); a key with more than maxValues
//   distinct values (where it was found) is high-cardinality: one row says so
//   instead of its values;
// - numeric: int and double span attributes, per trace the largest value, read as
//   the 1st..99th percentiles of each set (quantiles: reservoir-sampled, exact
//   below 8,192 values); the threshold is chosen from them in
//   src/query/analysis/compare.ts (counting traces above every candidate in SQL,
//   99 comparisons a value, cost 2-3x more at 1M spans).

export type CompareSelection =
  | { type: 'slow'; quantile: number }
  | { type: 'errors' }
  | { type: 'filter'; attributes: readonly AttributeFilter[]; minDurationNs?: bigint };

export interface CompareSqlInput extends AnchorScope {
  selection: CompareSelection;
}

/** The percentiles each set's distribution is read at (0.01 .. 0.99). */
export const QUANTILE_LEVELS: readonly number[] = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
const LEVELS = QUANTILE_LEVELS.join(', ');

function head(q: CompareSqlInput, p: QueryParams): string {
  let selected: string | undefined;
  let flag: string;
  let slow = '';
  if (q.selection.type === 'filter') {
    const conds = q.selection.attributes.map((f) => attributeFilterSql(f, p));
    if (q.selection.minDurationNs !== undefined) conds.push(`Duration >= ${p.bindInt64(q.selection.minDurationNs)}`);
    selected = conds.length === 0 ? '1' : conds.join(' AND ');
    flag = 'AnchorSelected = 1';
  } else if (q.selection.type === 'errors') {
    flag = 'AnchorError = 1';
  } else {
    slow = `,\n(SELECT quantileExact(${p.bind('Float64', q.selection.quantile)})(AnchorDuration) FROM anchors) AS SlowNs`;
    flag = 'AnchorDuration >= SlowNs';
  }
  return `WITH ${anchorsCte(q, p, selected)}${slow},
labeled AS (SELECT cityHash64(TraceId) AS T, ${flag} AS Sel FROM anchors),
trace_spans AS (
  SELECT cityHash64(TraceId) AS T, TraceId, ServiceName, SpanName, AttributesString, AttributesInt, AttributesDouble, AttributesBool, ResourceScopeId
  FROM spans
  WHERE ${traceSpansConditions(q, p)}
)`;
}

const scalarPairs = (prefix: string) => `arrayConcat(
      arrayMap((k, v) -> (k, v, 'string'), mapKeys(${prefix}String), mapValues(${prefix}String)),
      arrayMap((k, v) -> (k, toString(v), 'int'), mapKeys(${prefix}Int), mapValues(${prefix}Int)),
      arrayMap((k, v) -> (k, if(v, 'true', 'false'), 'bool'), mapKeys(${prefix}Bool), mapValues(${prefix}Bool)))`;

/** Selection and baseline trace counts per attribute value, high-cardinality keys as one row each. */
export function compareValuesSql(q: CompareSqlInput, maxValues: number): BuiltQuery {
  const p = new QueryParams();
  const sql = `${head(q, p)},
-- One pass over the trace spans (a CTE named twice is computed twice): each
-- span's own attributes and its resource's (resource_scopes is small: one row per
-- distinct resource and scope). Marking the first span of each resource with a
-- window function instead sorted the rows, maps and all: slower and erratic.
pairs AS (
  SELECT T, TraceId, if(kv.4, 'resource', 'span') AS Scope, ServiceName AS Service, if(kv.4, '', SpanName) AS Name,
    kv.1 AS Key, kv.2 AS Value, kv.3 AS Type
  FROM (
    SELECT s.*, r.ResourceAttributesString, r.ResourceAttributesInt, r.ResourceAttributesBool
    FROM trace_spans AS s
    LEFT JOIN (
      SELECT Id, ResourceAttributesString, ResourceAttributesInt, ResourceAttributesBool FROM resource_scopes
      ORDER BY LastSeen DESC LIMIT 1 BY Id
    ) AS r ON s.ResourceScopeId = r.Id
  )
  ARRAY JOIN arrayConcat(
    arrayMap(x -> (x.1, x.2, x.3, false), ${scalarPairs('Attributes')}),
    arrayMap(x -> (x.1, x.2, x.3, true), ${scalarPairs('ResourceAttributes')})) AS kv
)
SELECT Scope, Service, Name, Key, Value, Type, SelTraces, BaseTraces, Examples, Distinct
FROM (
  SELECT Scope, Service, Name, Key, Value, Type,
    countIf(Sel) AS SelTraces, countIf(NOT Sel) AS BaseTraces,
    groupArrayIf(5)(TraceId, Sel) AS Examples,
    count() OVER w AS Distinct,
    row_number() OVER (PARTITION BY Scope, Service, Name, Key ORDER BY SelTraces DESC, Value) AS Rank
  FROM (
    -- Once a trace: a value on several spans of one name, or a span stored twice.
    SELECT Scope, Service, Name, Key, Value, Type, T, any(TraceId) AS TraceId, any(Sel) AS Sel
    FROM pairs
    INNER JOIN labeled USING (T)
    GROUP BY Scope, Service, Name, Key, Value, Type, T
  )
  GROUP BY Scope, Service, Name, Key, Value, Type
  WINDOW w AS (PARTITION BY Scope, Service, Name, Key)
)
WHERE Distinct <= ${p.bind('Int64', BigInt(maxValues))} OR Rank = 1
ORDER BY Scope, Service, Name, Key, Value`;
  return { sql, params: p };
}

/** Numeric span attributes: the percentiles of each set. */
export function compareNumbersSql(q: CompareSqlInput): BuiltQuery {
  const p = new QueryParams();
  const sql = `${head(q, p)},
nums AS (
  SELECT T, any(TraceId) AS TraceId, Service, Name, Key, max(X) AS V
  FROM (
    SELECT T, TraceId, ServiceName AS Service, SpanName AS Name, kv.1 AS Key, kv.2 AS X
    FROM trace_spans
    ARRAY JOIN arrayConcat(
      arrayMap((k, v) -> (k, toFloat64(v)), mapKeys(AttributesInt), mapValues(AttributesInt)),
      arrayMap((k, v) -> (k, v), mapKeys(AttributesDouble), mapValues(AttributesDouble))) AS kv
  )
  WHERE isFinite(X)
  GROUP BY T, Service, Name, Key
)
SELECT Service, Name, Key,
  countIf(Sel) AS SelTraces, countIf(NOT Sel) AS BaseTraces,
  quantilesIf(${LEVELS})(V, Sel) AS SelQuantiles, quantilesIf(${LEVELS})(V, NOT Sel) AS BaseQuantiles,
  groupArrayIf(20)((V, TraceId), Sel) AS Examples
FROM nums
INNER JOIN labeled USING (T)
GROUP BY Service, Name, Key
ORDER BY Service, Name, Key`;
  return { sql, params: p };
}
