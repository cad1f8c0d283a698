import type { BuiltQuery } from './built-query.ts';
import { ident, QueryParams } from './sql.ts';
import type { AttributeKeyQuery, AttributeScope, AttributeValueQuery } from './view-api.ts';

// Attribute autocomplete over the five typed maps (attribute-columns.ts): the
// keys seen in a time range with their types, and the values seen for one key.
// Span attributes come from `spans`, counted by span identity (uniq over trace
// id and span id, so a span stored twice counts once); resource attributes from
// `resource_scopes`, restricted to the resources of spans in the range and
// counted by resource row.
//
// Autocomplete runs as the user types, so each statement reads at most
// SCAN_LIMIT rows of the range (whichever the engine reads first; it stops
// there): keys and values seen only beyond that are not offered, and counts are
// those of the rows read. A million spans take well under a second on one core.
const SCAN_LIMIT = 1_000_000;

const KEY_MAPS = [
  ['String', 'string'],
  ['Int', 'int'],
  ['Double', 'double'],
  ['Bool', 'bool'],
  ['Json', 'json'],
] as const;

interface Source {
  from: string;
  prefix: string;
  countOf: string;
}

function source(scope: AttributeScope, q: AttributeKeyQuery, p: QueryParams): Source {
  const where = [`Timestamp >= ${p.bindNs(q.startNs)}`, `Timestamp < ${p.bindNs(q.endNs)}`];
  if (q.service !== undefined) where.push(`ServiceName = ${p.bind('String', q.service)}`);
  if (scope === 'span') return { from: `spans WHERE ${where.join(' AND ')}`, prefix: 'Attributes', countOf: 'uniq(TraceId, SpanId)' };
  return {
    from: `resource_scopes WHERE Id IN (SELECT DISTINCT ResourceScopeId FROM spans WHERE ${where.join(' AND ')})`,
    prefix: 'ResourceAttributes',
    countOf: 'uniq(Id)',
  };
}

export function attributeKeysSql(scope: AttributeScope, q: AttributeKeyQuery): BuiltQuery {
  const p = new QueryParams();
  const s = source(scope, q, p);
  const idColumns = scope === 'span' ? 'TraceId, SpanId' : 'Id';
  const pairs = KEY_MAPS.map(([suffix, type]) => `arrayMap(k -> (k, '${type}'), mapKeys(${ident(s.prefix + suffix)}))`);
  const filter = q.text === undefined || q.text === '' ? '' : `\nWHERE positionCaseInsensitiveUTF8(Key, ${p.bind('String', q.text)}) > 0`;
  const sql = `SELECT tupleElement(KeyType, 1) AS Key, arraySort(groupUniqArray(tupleElement(KeyType, 2))) AS Types, ${s.countOf} AS Count
FROM (
  SELECT ${idColumns}, arrayJoin(arrayConcat(
    ${pairs.join(',\n    ')})) AS KeyType
  FROM (SELECT ${idColumns}, ${KEY_MAPS.map(([suffix]) => ident(s.prefix + suffix)).join(', ')} FROM ${s.from} LIMIT ${p.bind('UInt32', SCAN_LIMIT)})
)${filter}
GROUP BY Key
ORDER BY Count DESC, Key
LIMIT ${p.bind('UInt32', q.limit)}`;
  return { sql, params: p };
}

export function attributeValuesSql(scope: AttributeScope, q: AttributeValueQuery): BuiltQuery {
  const p = new QueryParams();
  const s = source(scope, q, p);
  const key = p.bind('String', q.key);
  const idColumns = scope === 'span' ? 'TraceId, SpanId' : 'Id';
  const col = (suffix: string) => ident(s.prefix + suffix);
  // Each value as the `attr` filter spells it, so a picked value filters exactly.
  const spelled: [string, string, string][] = [
    ['String', `${col('String')}[${key}]`, 'string'],
    ['Int', `toString(${col('Int')}[${key}])`, 'int'],
    ['Double', `toString(${col('Double')}[${key}])`, 'double'],
    ['Bool', `if(${col('Bool')}[${key}], 'true', 'false')`, 'bool'],
  ];
  const alternatives = spelled.map(([suffix, text, type]) => `if(mapContains(${col(suffix)}, ${key}), [(${text}, '${type}')], [])`);
  const has = spelled.map(([suffix]) => `mapContains(${col(suffix)}, ${key})`).join(' OR ');
  const filter = q.text === undefined || q.text === '' ? '' : `\nWHERE positionCaseInsensitiveUTF8(Value, ${p.bind('String', q.text)}) > 0`;
  const sql = `SELECT tupleElement(ValueType, 1) AS Value, tupleElement(ValueType, 2) AS Type, ${s.countOf} AS Count
FROM (
  SELECT ${idColumns}, arrayJoin(arrayConcat(
    ${alternatives.join(',\n    ')})) AS ValueType
  FROM ${s.from} AND (${has})
  -- One row per span here: a key holds one value type in a span.
  LIMIT ${p.bind('UInt32', SCAN_LIMIT)}
)${filter}
GROUP BY Value, Type
ORDER BY Count DESC, Value
LIMIT ${p.bind('UInt32', q.limit)}`;
  return { sql, params: p };
}
