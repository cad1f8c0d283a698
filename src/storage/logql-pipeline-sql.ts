import type { ExtractField, LabelMatcher, LabelPredicate, LogSelector, Stage, TemplatePart } from '../query/logql/ast.ts';
import { LOG_IDENTITY } from './log-reader.ts';
import { FIELD_LABELS, matcherSql, METADATA_EXPR, sanitizedKeys, sanitizeExpr, STREAMS_SELECT } from './logql-labels-sql.ts';
import { containsPattern } from './sql.ts';
import type { QueryParams } from './sql.ts';

// A LogQL log selector and its pipeline as one SELECT over `logs`: one row per
// log line that passes every stage, with its time, identity hash, stream labels,
// structured metadata, parsed labels and the line as the last stage leaves it.
// Stages are symbolic: each parser or line_format adds an alias to the SELECT
// list, and filters are WHERE conditions over the aliases in force at their
// place in the pipeline, so `| json | status >= 500` sees the parsed labels and a
// line filter after `| line_format` sees the new line. Nothing is filtered in
// JavaScript.
//
// Loki's rules kept: a parsed label named like an existing stream or metadata
// label is renamed `<name>_extracted`; `| json` flattens nested objects with `_`
// (to JSON_DEPTH levels; arrays are skipped, as Loki's json parser skips them);
// a label that does not exist reads as "" (so `| x=""` matches lines without x);
// a numeric label filter drops lines whose label is missing or not a number
// (Loki keeps those with `__error__` set; `__error__` is always "" here).

const JSON_DEPTH = 4;
const KV = `'Array(Tuple(String, String))'`;

export interface TimeWindow {
  /** Lower bound in Unix ns; inclusive when `fromInclusive`. */
  fromNs: bigint;
  fromInclusive: boolean;
  /** Upper bound in Unix ns; inclusive when `toInclusive`. */
  toNs: bigint;
  toInclusive: boolean;
}

export interface PipelineRows {
  sql: string;
  /** Whether the line is still the stored body (no line_format). */
  rawLine: boolean;
  /** The SELECT list: `expr AS alias`, each alias usable by the later ones. */
  select: string[];
  where: string[];
  /** Conditions on the resource's stream labels `RL` (resource_scopes). */
  streamWhere: string[];
  /** Whether a filter reads labels (so the rows need their resource's stream labels to be filtered). */
  filtersReadLabels: boolean;
}

/** The columns of `logs` the pipeline's expressions read. */
export const LOG_COLUMNS = LOG_IDENTITY;

/**
 * Columns: __ts (Int64 ns), __id (identity hash: copies of one record share it),
 * __stream, __meta, __parsed (Map(String, String)), __all (the three merged, as a
 * later stage sees them), __line, BodyIsJson.
 */
export function pipelineRowsSql(
  selector: LogSelector,
  window: TimeWindow,
  p: QueryParams,
  streamLabels = 's.RL',
  /** The values of these labels after the last stage, as an Array(String) column `__by`. */
  byLabels?: readonly string[],
): PipelineRows {
  const where = [
    `Timestamp ${window.fromInclusive ? '>=' : '>'} ${p.bindNs(window.fromNs)}`,
    `Timestamp ${window.toInclusive ? '<=' : '<'} ${p.bindNs(window.toNs)}`,
  ];
  // service_name is the first key column: matched on the row, it prunes by key.
  const streamWhere: string[] = [];
  for (const m of selector.matchers) {
    if (m.name === 'service_name') where.push(matcherSql('ServiceName', m.op, m.value, p));
    else streamWhere.push(matcherSql(`RL[${p.bind('String', m.name)}]`, m.op, m.value, p));
  }
  const select = [
    'toUnixTimestamp64Nano(Timestamp) AS __ts',
    `cityHash64(${LOG_IDENTITY}) AS __id`,
    'BodyIsJson',
    `${streamLabels} AS __stream0`,
    `${METADATA_EXPR} AS __meta0`,
    'mapUpdate(__stream0, __meta0) AS __base0',
  ];
  let line = 'Body';
  let stream = '__stream0';
  let meta = '__meta0';
  let base = '__base0';
  let parsed = `CAST(map(), 'Map(String, String)')`;
  let all = '__base0';
  let parsers = 0;
  let rawLine = true;
  let aliases = 0;
  const alias = (prefix: string, expr: string): string => {
    const name = `__${prefix}${++aliases}`;
    select.push(`${expr} AS ${name}`);
    return name;
  };
  const addParsed = (fresh: string) => {
    parsers++;
    const added = alias('new', fresh);
    const renamed = `mapApply((k, v) -> (if(mapContains(${base}, k), concat(k, '_extracted'), k), v), ${added})`;
    parsed = alias('parsed', `mapUpdate(${parsed}, ${renamed})`);
    all = alias('all', `mapUpdate(${base}, ${parsed})`);
  };
  for (const stage of selector.stages) {
    switch (stage.kind) {
      case 'line':
        where.push(lineFilterSql(stage, line, p));
        break;
      case 'json':
        if (stage.fields.length === 0) {
          // The flattened pairs once, as an alias; the map takes keys and values from it.
          const pairs = alias('kv', jsonFlatSql(line));
          addParsed(`mapFromArrays(arrayMap(t -> ${sanitizeExpr('t.1', 'parser')}, ${pairs}), arrayMap(t -> t.2, ${pairs}))`);
        } else {
          addParsed(jsonFieldsSql(stage.fields, line, p));
        }
        break;
      case 'logfmt':
        addParsed(logfmtSql(stage.fields, line, p));
        break;
      case 'labelFilter':
        where.push(predicateSql(stage.predicate, all, all === '__base0', p));
        break;
      case 'lineFormat':
        rawLine = false;
        line = alias('line', templateSql(stage.template, line, all, p));
        break;
      case 'drop':
      case 'keep': {
        // Nothing here sets __error__ (or __error_details__): dropping only those
        // (Grafana's log volume query does) changes no label, and keeps the shortcuts.
        if (stage.kind === 'drop' && stage.labels.every((l) => l === '__error__' || l === '__error_details__')) break;
        // Loki's drop/keep act on every label of the line, stream labels included.
        const names = p.bind('Array(String)', stage.labels);
        const kept = (m: string) => `mapFilter((k, v) -> ${stage.kind === 'drop' ? 'NOT ' : ''}has(${names}, k), ${m})`;
        stream = alias('stream', kept(stream));
        meta = alias('meta', kept(meta));
        parsed = alias('parsed', kept(parsed));
        base = alias('base', `mapUpdate(${stream}, ${meta})`);
        all = alias('all', `mapUpdate(${base}, ${parsed})`);
        break;
      }
    }
  }
  select.push(`${stream} AS __stream`, `${meta} AS __meta`, `${parsed} AS __parsed`, `${all} AS __all`, `${line} AS __line`);
  if (byLabels !== undefined) {
    select.push(`[${byLabels.map((name) => labelValueSql(name, all, all === '__base0', p)).join(', ')}]::Array(String) AS __by`);
  }
  const sql = `SELECT ${select.join(',\n  ')}
FROM logs
INNER JOIN (${streamsSql(streamWhere)}) AS s ON logs.ResourceScopeId = s.Id
WHERE ${where.join('\n  AND ')}`;
  const filtersReadLabels = selector.stages.some((st) => st.kind === 'labelFilter' || (st.kind === 'lineFormat' && st.template.some((t) => t.kind === 'label')));
  return { sql, rawLine, select, where, streamWhere, filtersReadLabels };
}

/** The resources (Id) and their stream labels (RL) that the selector's matchers accept. */
export function streamsSql(streamWhere: string[]): string {
  return `${STREAMS_SELECT}${streamWhere.length > 0 ? `\n  WHERE ${streamWhere.join(' AND ')}` : ''}`;
}

function lineFilterSql(stage: Extract<Stage, { kind: 'line' }>, line: string, p: QueryParams): string {
  const one = (value: string): string => {
    switch (stage.op) {
      case '|=':
      case '!=': {
        if (value === '') return stage.op === '|=' ? '1' : '0';
        const found = `position(${line}, ${p.bind('String', value)}) > 0`;
        // On the stored body, the same expression as the n-gram index (idx_body)
        // lets it skip granules; position() keeps the match case-sensitive.
        const indexed = line === 'Body' ? `lowerUTF8(Body) LIKE lowerUTF8(${p.bind('String', containsPattern(value))}) AND ` : '';
        return stage.op === '|=' ? `(${indexed}${found})` : `NOT (${found})`;
      }
      case '|~':
      case '!~': {
        const m = `match(${line}, ${p.bind('String', value)})`;
        return stage.op === '|~' ? m : `NOT ${m}`;
      }
    }
  };
  const parts = stage.values.map(one);
  // `|= "a" or "b"`: either; `!= "a" or "b"`: neither (Loki's or-filters).
  return `(${parts.join(stage.op === '|=' || stage.op === '|~' ? ' OR ' : ' AND ')})`;
}

function unquoteJson(raw: string): string {
  return `if(startsWith(${raw}, '"'), JSONExtractString(${raw}), ${raw})`;
}

/** Loki's `| json`: (key, value) of every scalar leaf, nested keys joined with `_` (names sanitised by the caller). */
function jsonFlatSql(line: string): string {
  const level = (doc: string, prefix: string, depth: number): string => {
    const kv = `kv${depth}`;
    const key = prefix === '' ? `${kv}.1` : `concat(${prefix}, '_', ${kv}.1)`;
    const nested = depth < JSON_DEPTH ? level(`${kv}.2`, key, depth + 1) : `CAST([], ${KV})`;
    const leaf = `if(startsWith(${kv}.2, '[') OR ${kv}.2 = 'null', CAST([], ${KV}), CAST([(${key}, ${unquoteJson(`${kv}.2`)})], ${KV}))`;
    return `arrayFlatten(arrayMap(${kv} -> if(startsWith(${kv}.2, '{'), ${nested}, ${leaf}), JSONExtractKeysAndValuesRaw(${doc})))`;
  };
  return level(line, '', 1);
}

/** `| json a="x.y[0]"`: the named paths only (ClickHouse's JSON indexes count from 1). */
function jsonFieldsSql(fields: ExtractField[], line: string, p: QueryParams): string {
  const entries = fields.map((f) => {
    const path = f.path.map((s) => (typeof s === 'number' ? p.bind('Int64', BigInt(s + 1)) : p.bind('String', s)));
    return `${p.bind('String', f.label)}, JSONExtractRaw(${line}, ${path.join(', ')})`;
  });
  return `mapApply((k, v) -> (k, ${unquoteJson('v')}), mapFilter((k, v) -> v != '', map(${entries.join(', ')})))`;
}

/** Loki's `| logfmt`: key=value pairs, double-quoted values unescaped. */
function logfmtSql(fields: ExtractField[], line: string, p: QueryParams): string {
  const pairs = `extractKeyValuePairsWithEscaping(${line}, '=', ' ', '"')`;
  if (fields.length === 0) return sanitizedKeys(pairs, 'parser');
  const entries = fields.map((f) => {
    const key = p.bind('String', String(f.path[0]));
    return `${p.bind('String', f.label)}, if(mapContains(${pairs}, ${key}), ${pairs}[${key}], '\\0')`;
  });
  return `mapFilter((k, v) -> v != '\\0', map(${entries.join(', ')}))`;
}

function predicateSql(pred: LabelPredicate, all: string, beforeParsers: boolean, p: QueryParams): string {
  switch (pred.kind) {
    case 'and':
    case 'or':
      return `(${predicateSql(pred.left, all, beforeParsers, p)} ${pred.kind.toUpperCase()} ${predicateSql(pred.right, all, beforeParsers, p)})`;
    case 'match':
      return labelMatchSql(pred.matcher, all, beforeParsers, p);
    case 'number': {
      const op = pred.op === '==' ? '=' : pred.op;
      return `ifNull(toFloat64OrNull(${labelValueSql(pred.name, all, beforeParsers, p)}) ${op} ${p.bind('Float64', pred.value)}, 0)`;
    }
  }
}

function labelMatchSql(m: LabelMatcher, all: string, untouched: boolean, p: QueryParams): string {
  // Before any parser (or drop/keep), trace_id and span_id = "x" are the record's own
  // columns: compared there, the primary key (TraceId is its third column) and no
  // map is read. (A record without a trace id but with a `trace_id` attribute is
  // not found by it.)
  if (untouched && m.op === '=' && m.value !== '' && (m.name === 'trace_id' || m.name === 'span_id')) {
    return matcherSql(m.name === 'trace_id' ? 'TraceId' : 'SpanId', m.op, m.value, p);
  }
  return matcherSql(labelValueSql(m.name, all, untouched, p), m.op, m.value, p);
}

/**
 * A label's value at a stage. Before any parser or drop/keep, a label that comes from
 * the record's own fields (detected_level, severity_text, ...) is read from them, the
 * label maps only when the field is empty (the engine short-circuits `if`): building
 * every row's maps made `| detected_level="error"` several times slower.
 */
function labelValueSql(name: string, all: string, untouched: boolean, p: QueryParams): string {
  const key = `${all}[${p.bind('String', name)}]`;
  const field = untouched ? FIELD_LABELS[name] : undefined;
  return field === undefined ? key : `if(${field} != '', ${field}, ${key})`;
}

function templateSql(template: TemplatePart[], line: string, all: string, p: QueryParams): string {
  if (template.length === 0) return `''`;
  const parts = template.map((part) => {
    if (part.kind === 'text') return p.bind('String', part.text);
    let expr = part.kind === 'line' ? line : `${all}[${p.bind('String', part.name)}]`;
    for (const f of part.functions) {
      expr = f === 'upper' ? `upperUTF8(${expr})` : f === 'lower' ? `lowerUTF8(${expr})` : `replaceRegexpAll(${expr}, '^\\\\s+|\\\\s+$', '')`;
    }
    return expr;
  });
  return parts.length === 1 ? `toString(${parts[0]})` : `concat(${parts.join(', ')})`;
}
