// The LogQL subset Tracehouse evaluates, as a typed plan (parse.ts builds it from
// @grafana/lezer-logql's tree). Anything outside it is refused at parse time with
// a LogqlError naming the construct, never silently ignored.

export type MatchOp = '=' | '!=' | '=~' | '!~';
export type CompareOp = '==' | '!=' | '>' | '>=' | '<' | '<=';

/** A stream selector matcher or a string label filter; regexes are RE2, anchored as Loki's. */
export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

export type LabelPredicate =
  | { kind: 'match'; matcher: LabelMatcher }
  | { kind: 'number'; name: string; op: CompareOp; value: number }
  | { kind: 'and' | 'or'; left: LabelPredicate; right: LabelPredicate };

/** `{{ .name }}`, `{{ __line__ }}`, optionally through one-argument string functions. */
export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'label'; name: string; functions: TemplateFunction[] }
  | { kind: 'line'; functions: TemplateFunction[] };
export type TemplateFunction = 'upper' | 'lower' | 'trimSpace';

export interface ExtractField {
  label: string;
  /** JSON path segments (object keys and array indexes) or, for logfmt, the one key. */
  path: Array<string | number>;
}

export type Stage =
  | { kind: 'line'; op: '|=' | '!=' | '|~' | '!~'; values: string[] }
  | { kind: 'json'; fields: ExtractField[] }
  | { kind: 'logfmt'; fields: ExtractField[] }
  | { kind: 'labelFilter'; predicate: LabelPredicate }
  | { kind: 'lineFormat'; template: TemplatePart[] }
  | { kind: 'drop' | 'keep'; labels: string[] };

export interface LogSelector {
  matchers: LabelMatcher[];
  stages: Stage[];
}

export type RangeOp = 'count_over_time' | 'rate' | 'bytes_over_time' | 'bytes_rate';
export type VectorOp = 'sum' | 'avg' | 'min' | 'max' | 'count' | 'topk' | 'bottomk';
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '^';

export interface Grouping {
  without: boolean;
  labels: string[];
}

export type MetricExpr =
  | { kind: 'range'; op: RangeOp; selector: LogSelector; rangeNs: bigint }
  | { kind: 'aggregate'; op: VectorOp; grouping: Grouping | undefined; k: number | undefined; inner: MetricExpr }
  | { kind: 'number'; value: number }
  | { kind: 'vector'; value: number }
  | { kind: 'binary'; op: BinaryOp; left: MetricExpr; right: MetricExpr };

export type LogqlQuery = { kind: 'logs'; selector: LogSelector } | { kind: 'metric'; expr: MetricExpr };
