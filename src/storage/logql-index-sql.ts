import type { LabelMatcher } from '../query/logql/ast.ts';
import type { BuiltQuery } from './built-query.ts';
import { matcherSql, STREAMS_SELECT } from './logql-labels-sql.ts';
import { QueryParams } from './sql.ts';

// Loki's index endpoints (labels, label values, series, index/stats) over the
// stream labels of the resources that have logs in the range (logql-labels-sql.ts).

export interface StreamQuery {
  startNs: bigint;
  endNs: bigint;
  /** Streams matching any of these selectors (each a conjunction); none: every stream. */
  selectors: LabelMatcher[][];
}

/** `s` = the streams (Id, RL) with logs in the range that match the selectors. */
function streamsSql(q: StreamQuery, p: QueryParams): string {
  const time = `Timestamp >= ${p.bindNs(q.startNs)} AND Timestamp < ${p.bindNs(q.endNs)}`;
  // A service_name matcher shared by every selector prunes the logs scan by key.
  const services = q.selectors.length === 1 ? q.selectors[0]!.filter((m) => m.name === 'service_name').map((m) => matcherSql('ServiceName', m.op, m.value, p)) : [];
  const conditions = q.selectors.map((sel) => sel.map((m) => matcherSql(`RL[${p.bind('String', m.name)}]`, m.op, m.value, p)).join(' AND '));
  const match = conditions.length === 0 ? '' : `\n  AND (${conditions.map((c) => `(${c})`).join(' OR ')})`;
  return `SELECT Id, RL FROM (${STREAMS_SELECT})
  WHERE Id IN (SELECT DISTINCT ResourceScopeId FROM logs WHERE ${[time, ...services].join(' AND ')})${match}`;
}

export function labelNamesSql(q: StreamQuery): BuiltQuery {
  const p = new QueryParams();
  return { sql: `SELECT DISTINCT arrayJoin(mapKeys(RL)) AS name FROM (${streamsSql(q, p)})\nORDER BY name`, params: p };
}

export function labelValuesSql(name: string, q: StreamQuery): BuiltQuery {
  const p = new QueryParams();
  const key = p.bind('String', name);
  return { sql: `SELECT DISTINCT RL[${key}] AS value FROM (${streamsSql(q, p)})\nWHERE mapContains(RL, ${key}) AND value != ''\nORDER BY value`, params: p };
}

export function seriesSql(q: StreamQuery): BuiltQuery {
  const p = new QueryParams();
  return { sql: `SELECT DISTINCT mapFilter((k, v) -> v != '', RL) AS labels FROM (${streamsSql(q, p)})`, params: p };
}

/** Loki's index/stats: streams, log lines and their bytes (copies counted: an estimate, as Loki's is). */
export function indexStatsSql(q: StreamQuery): BuiltQuery {
  const p = new QueryParams();
  const sql = `SELECT uniqExact(s.RL) AS streams, count() AS entries, sum(length(Body)) AS bytes
FROM logs INNER JOIN (${streamsSql(q, p)}) AS s ON logs.ResourceScopeId = s.Id
WHERE Timestamp >= ${p.bindNs(q.startNs)} AND Timestamp < ${p.bindNs(q.endNs)}`;
  return { sql, params: p };
}
