// The typed plan a PromQL expression becomes (parse.ts), what the evaluator
// runs. Times and durations in milliseconds, as Prometheus keeps them.

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

/** `@ <time>`, `@ start()`, `@ end()`. */
export type At = { type: 'time'; ms: number } | { type: 'start' } | { type: 'end' };

export interface SelectorExpr {
  type: 'selector';
  matchers: LabelMatcher[];
  offsetMs: number;
  at: At | undefined;
}

export interface MatrixExpr {
  type: 'matrix';
  selector: SelectorExpr;
  rangeMs: number;
}

export interface SubqueryExpr {
  type: 'subquery';
  expr: Expr;
  rangeMs: number;
  /** undefined: the default evaluation interval (1 minute, as Prometheus's). */
  stepMs: number | undefined;
  offsetMs: number;
  at: At | undefined;
}

export type AggregateOp = 'sum' | 'avg' | 'min' | 'max' | 'count' | 'group' | 'stddev' | 'stdvar' | 'topk' | 'bottomk' | 'quantile' | 'count_values';

export interface AggregateExpr {
  type: 'aggregate';
  op: AggregateOp;
  param: Expr | undefined;
  expr: Expr;
  grouping: string[];
  without: boolean;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export interface VectorMatching {
  card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  on: boolean;
  labels: string[];
  include: string[];
}

export interface BinaryExpr {
  type: 'binary';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  bool: boolean;
  matching: VectorMatching | undefined;
}

export interface CallExpr {
  type: 'call';
  func: string;
  args: Expr[];
}

export type Expr =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | SelectorExpr
  | MatrixExpr
  | SubqueryExpr
  | AggregateExpr
  | BinaryExpr
  | CallExpr
  | { type: 'unary'; op: '-' | '+'; expr: Expr }
  | { type: 'paren'; expr: Expr };

export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';
