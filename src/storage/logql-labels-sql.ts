import type { QueryParams } from './sql.ts';

// How stored logs look to LogQL: the label sets Loki's OTLP ingestion gives them
// (Loki docs, "Ingesting logs to Loki using OpenTelemetry Collector", format
// considerations), with attribute names sanitised as Loki does (every character
// outside [a-zA-Z0-9_] becomes `_`: `deployment.environment` ->
// `deployment_environment`; then, as Prometheus's OTLP label normalisation that
// Loki applies, a leading digit gets `key_` in front and a single leading `_`
// gets `key`).
// * Stream labels: `service_name` and every resource attribute. (Loki promotes a
//   fixed list of resource attributes and keeps the rest as structured metadata;
//   every one is a stream label here, so `{k8s_pod_name="x"}` and
//   `{host_name="x"}` both select streams.)
// * Structured metadata: the log record's attributes, `trace_id`, `span_id`,
//   `severity_text`, and `detected_level` (Loki 3 derives it from the OTLP
//   severity number: trace, debug, info, warn, error, fatal).
// Typed attribute values read as their text: ints and doubles as numbers
// ("402", "1.5"), bools as true/false, arrays and maps as their OTLP/JSON.

/** A map expression's keys sanitised as Loki's label names (OTLP attributes, or parser output). */
export function sanitizedKeys(mapExpr: string, rule: 'otlp' | 'parser' = 'otlp'): string {
  return `mapApply((k, v) -> (${sanitizeExpr('k', rule)}, v), ${mapExpr})`;
}

/**
 * Loki's label name rule on one SQL string expression: OTLP attributes as
 * Prometheus normalises them (key_ prefixes); parser output (json, logfmt) as
 * Loki's parsers sanitise keys (a leading digit gets `_`).
 */
export function sanitizeExpr(expr: string, rule: 'otlp' | 'parser' = 'otlp'): string {
  const replaced = `replaceRegexpAll(${expr}, '[^a-zA-Z0-9_]', '_')`;
  if (rule === 'parser') return `if(match(${expr}, '^[0-9]'), concat('_', ${replaced}), ${replaced})`;
  return `multiIf(match(${expr}, '^[0-9]'), concat('key_', ${replaced}), match(${expr}, '^_[^_]'), concat('key', ${replaced}), ${replaced})`;
}

/** The five typed attribute maps with `prefix` (Attributes, ResourceAttributes) as one Map(String, String). */
export function attributesAsText(prefix: string): string {
  return `mapConcat(${prefix}String, mapApply((k, v) -> (k, toString(v)), ${prefix}Int), mapApply((k, v) -> (k, toString(v)), ${prefix}Double), mapApply((k, v) -> (k, if(v, 'true', 'false')), ${prefix}Bool), ${prefix}Json)`;
}

/** The stream label map of each resource (resource_scopes row), as `RL`. */
export const STREAMS_SELECT = `SELECT Id, mapUpdate(${sanitizedKeys(attributesAsText('ResourceAttributes'))}, map('service_name', toString(ServiceName))) AS RL
  FROM resource_scopes FINAL`;

/** Loki's detected_level from the OTLP severity number (the log data model's ranges). */
export const DETECTED_LEVEL = `multiIf(SeverityNumber <= 0, '', SeverityNumber <= 4, 'trace', SeverityNumber <= 8, 'debug', SeverityNumber <= 12, 'info', SeverityNumber <= 16, 'warn', SeverityNumber <= 20, 'error', 'fatal')`;

/** The metadata labels taken from the record's own fields (they win over attributes of the same name). */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  trace_id: 'TraceId',
  span_id: 'SpanId',
  severity_text: 'toString(SeverityText)',
  detected_level: DETECTED_LEVEL,
};

/** A log row's structured metadata as Map(String, String); empty fields are absent. */
export const METADATA_EXPR = `mapUpdate(${sanitizedKeys(attributesAsText('Attributes'))}, mapFilter((k, v) -> v != '', map(${Object.entries(FIELD_LABELS).map(([k, v]) => `'${k}', ${v}`).join(', ')})))`;

/** SQL for one stream matcher on a label value expression (missing labels read as ""). */
export function matcherSql(valueExpr: string, op: '=' | '!=' | '=~' | '!~', value: string, p: QueryParams): string {
  switch (op) {
    case '=':
      return `${valueExpr} = ${p.bind('String', value)}`;
    case '!=':
      return `${valueExpr} != ${p.bind('String', value)}`;
    case '=~':
      // Anchored, as Prometheus and Loki label regexes are; RE2 on both sides (re2js checked it).
      return `match(${valueExpr}, ${p.bind('String', `^(?:${value})$`)})`;
    case '!~':
      return `NOT match(${valueExpr}, ${p.bind('String', `^(?:${value})$`)})`;
  }
}
