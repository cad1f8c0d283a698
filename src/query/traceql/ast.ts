// The TraceQL this server evaluates, as a tree the SQL builders read
// (storage/traceql-*-sql.ts). Parsed from @grafana/lezer-traceql's syntax tree
// by parse.ts; anything outside these types is refused there with its name.
// Semantics follow Tempo's docs (docs/sources/tempo/traceql/construct-traceql-queries.md).

/** Span-level intrinsics and the trace-level ones a span filter may use. */
export type Intrinsic = 'name' | 'status' | 'kind' | 'duration' | 'statusMessage' | 'rootName' | 'rootServiceName' | 'traceDuration';

/** `span.x`, `resource.x` or `.x` (either). */
export type AttributeScope = 'span' | 'resource' | 'any';

export type Field = { kind: 'intrinsic'; name: Intrinsic } | { kind: 'attribute'; scope: AttributeScope; key: string };

export type Static =
  | { type: 'string'; value: string }
  | { type: 'int'; value: bigint }
  | { type: 'float'; value: number }
  | { type: 'duration'; ns: bigint }
  | { type: 'bool'; value: boolean }
  | { type: 'status'; value: 'error' | 'ok' | 'unset' }
  | { type: 'kind'; value: 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer' }
  | { type: 'nil' };

export type FieldOp = '=' | '!=' | '>' | '>=' | '<' | '<=' | '=~' | '!~';

/** A condition on one span (and its trace's root, for the trace-level intrinsics). */
export type Condition =
  | { kind: 'compare'; field: Field; op: FieldOp; value: Static }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'true' | 'false' };

// Descendant, child, sibling, parent: the right-hand spans related so to a left-hand span.
export type StructuralOp = '>>' | '>' | '~' | '<';

export type AggregateName = 'count' | 'avg' | 'min' | 'max' | 'sum';
export type ComparisonOp = '=' | '!=' | '>' | '>=' | '<' | '<=';

/** A set of spans per trace. */
export type Spanset =
  | { kind: 'filter'; condition: Condition }
  | { kind: 'and' | 'or'; left: Spanset; right: Spanset }
  | { kind: 'structural'; op: StructuralOp; left: Spanset; right: Spanset }
  /** `X | count() > 2`: the trace's spans of X when the aggregate holds, else none. */
  | { kind: 'scalar'; input: Spanset; aggregate: AggregateName; field?: Field; op: ComparisonOp; value: Static };

export type MetricsFunction = 'rate' | 'count_over_time' | 'quantile_over_time' | 'histogram_over_time';

export interface MetricsStage {
  fn: MetricsFunction;
  /** quantile_over_time: the quantiles asked for, each in [0, 1]. */
  quantiles: number[];
  by: Field[];
}

export interface TraceqlQuery {
  spanset: Spanset;
  /** `| select(...)`: fields returned with each matched span. */
  select: Field[];
  metrics?: MetricsStage;
}

/** How a field is written in TraceQL, for labels and attribute names in answers. */
export function fieldText(field: Field): string {
  if (field.kind === 'intrinsic') return field.name;
  return field.scope === 'any' ? `.${field.key}` : `${field.scope}.${field.key}`;
}
