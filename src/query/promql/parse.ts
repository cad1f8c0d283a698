import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { badData } from './errors.ts';
import { parseDurationMs, parseNumber, unquote } from './literals.ts';
import { matchesEmpty } from './matchers.ts';
import type { AggregateOp, At, BinaryOp, Expr, LabelMatcher, MatchOp, SelectorExpr, VectorMatching } from './plan.ts';

// PromQL text -> plan (plan.ts), over the Prometheus project's own grammar
// (@prometheus-io/lezer-promql, the Prometheus UI's parser). Anything the
// grammar accepts that Tracehouse does not evaluate is refused here, naming the
// construct, with Prometheus's error type bad_data.

/** The functions the evaluator implements (functions.ts, range-functions.ts). */
export const SUPPORTED_FUNCTIONS = new Set([
  'rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'resets', 'changes',
  'avg_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'count_over_time', 'last_over_time',
  'quantile_over_time', 'stddev_over_time', 'stdvar_over_time', 'present_over_time', 'absent_over_time',
  'histogram_quantile', 'histogram_count', 'histogram_sum',
  'abs', 'ceil', 'floor', 'round', 'clamp', 'clamp_min', 'clamp_max', 'exp', 'ln', 'log2', 'log10', 'sqrt', 'sgn',
  'scalar', 'vector', 'time', 'timestamp', 'absent', 'label_replace', 'label_join', 'sort', 'sort_desc',
]);

const BINARY_OPS: Record<string, BinaryOp> = {
  Add: '+', Sub: '-', Mul: '*', Div: '/', Mod: '%', Pow: '^', Atan2: 'atan2',
  Eql: '==', Neq: '!=', Gtr: '>', Lss: '<', Gte: '>=', Lte: '<=', And: 'and', Or: 'or', Unless: 'unless',
};

const MATCH_OPS: Record<string, MatchOp> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

const AGGREGATES = new Set<string>(['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values']);

export function parsePromql(text: string): Expr {
  const tree = parser.parse(text);
  let error: SyntaxNode | undefined;
  tree.iterate({
    enter: (n) => {
      if (error === undefined && n.type.isError) error = n.node;
    },
  });
  if (error !== undefined) {
    const { line, col } = position(text, error.from);
    const near = text.slice(error.from, error.from + 10);
    throw badData(`${line}:${col}: parse error: unexpected ${near === '' ? 'end of input' : JSON.stringify(near)}`);
  }
  const top = tree.topNode.firstChild;
  if (top === null) throw badData('1:1: parse error: no expression found in input');
  return new Builder(text).expr(top);
}

function position(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, col: (before[before.length - 1]?.length ?? 0) + 1 };
}

function children(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c !== null; c = c.nextSibling) out.push(c);
  return out;
}

class Builder {
  constructor(private readonly text: string) {}

  private src(n: SyntaxNode): string {
    return this.text.slice(n.from, n.to);
  }

  private unsupported(n: SyntaxNode, what: string): never {
    const { line, col } = position(this.text, n.from);
    throw badData(`${line}:${col}: unsupported in Tracehouse's PromQL: ${what}`);
  }

  expr(n: SyntaxNode): Expr {
    switch (n.name) {
      case 'NumberDurationLiteral':
        return { type: 'number', value: parseNumber(this.src(n)) };
      case 'StringLiteral':
        return { type: 'string', value: unquote(this.src(n)) };
      case 'ParenExpr':
        return { type: 'paren', expr: this.expr(children(n)[0]!) };
      case 'UnaryExpr': {
        const [op, e] = children(n);
        return { type: 'unary', op: this.src(op!) === '-' ? '-' : '+', expr: this.expr(e!) };
      }
      case 'VectorSelector':
        return this.selector(n);
      case 'MatrixSelector': {
        const [inner, range] = children(n);
        const sel = this.expr(inner!);
        if (sel.type !== 'selector') this.unsupported(n, 'ranges only allowed for vector selectors');
        if (sel.offsetMs !== 0 || sel.at !== undefined) this.unsupported(n, 'offset or @ before a range (write x[5m] offset 1m)');
        return { type: 'matrix', selector: sel, rangeMs: this.duration(range!) };
      }
      case 'SubqueryExpr': {
        const [inner, range, step] = children(n);
        return {
          type: 'subquery',
          expr: this.expr(inner!),
          rangeMs: this.duration(range!),
          stepMs: step === undefined ? undefined : this.duration(step),
          offsetMs: 0,
          at: undefined,
        };
      }
      case 'OffsetExpr': {
        const [inner, , d] = children(n);
        return this.modify(this.expr(inner!), n, (t) => ({ ...t, offsetMs: t.offsetMs + this.offset(d!) }));
      }
      case 'StepInvariantExpr': {
        const [inner, , what] = children(n);
        const at: At =
          what!.name === 'AtModifierPreprocessors'
            ? { type: what!.firstChild?.name === 'AtEnd' ? 'end' : 'start' }
            : { type: 'time', ms: Math.round(parseNumber(this.src(what!)) * 1000) };
        return this.modify(this.expr(inner!), n, (t) => {
          if (t.at !== undefined) this.unsupported(n, '@ may not be set multiple times');
          return { ...t, at };
        });
      }
      case 'FunctionCall':
        return this.call(n);
      case 'AggregateExpr':
        return this.aggregate(n);
      case 'BinaryExpr':
        return this.binary(n);
      default:
        return this.unsupported(n, `the expression "${this.src(n)}" (${n.name})`);
    }
  }

  /** Applies offset / @ to the selector or subquery it follows (a matrix's selector). */
  private modify(e: Expr, n: SyntaxNode, f: <T extends { offsetMs: number; at: At | undefined }>(t: T) => T): Expr {
    if (e.type === 'selector' || e.type === 'subquery') return f(e);
    if (e.type === 'matrix') return { ...e, selector: f(e.selector) };
    return this.unsupported(n, 'offset and @ modifiers apply only to selectors and subqueries');
  }

  private duration(n: SyntaxNode): number {
    const kids = children(n);
    if (n.name === 'DurationExpr' && kids.length === 1 && kids[0]!.name === 'NumberDurationLiteralInDurationContext') {
      return parseDurationMs(this.src(kids[0]!));
    }
    if (n.name === 'NumberDurationLiteralInDurationContext') return parseDurationMs(this.src(n));
    return this.unsupported(n, `duration expressions (${this.src(n)})`);
  }

  private offset(n: SyntaxNode): number {
    const kids = children(n);
    if (kids.length === 2 && kids[0]!.name === 'UnaryOp') {
      const ms = this.offset(kids[1]!);
      return this.src(kids[0]!) === '-' ? -ms : ms;
    }
    if (kids.length === 1) return this.duration(kids[0]!);
    return this.unsupported(n, `duration expressions (${this.src(n)})`);
  }

  private selector(n: SyntaxNode): SelectorExpr {
    const matchers: LabelMatcher[] = [];
    const id = n.getChild('Identifier');
    if (id !== null) matchers.push({ name: '__name__', op: '=', value: this.src(id) });
    const list = n.getChild('LabelMatchers');
    for (const m of list === null ? [] : children(list)) {
      if (m.name === 'QuotedLabelName') {
        matchers.push({ name: '__name__', op: '=', value: unquote(this.src(m)) });
        continue;
      }
      const [name, op, value] = children(m);
      const label = m.name === 'QuotedLabelMatcher' ? unquote(this.src(name!)) : this.src(name!);
      matchers.push({ name: label, op: MATCH_OPS[op!.firstChild!.name]!, value: unquote(this.src(value!)) });
    }
    // Prometheus: a selector must name a metric or have a matcher that matches no empty value.
    if (!matchers.some((m) => !matchesEmpty(m))) {
      throw badData('vector selector must contain at least one non-empty matcher');
    }
    return { type: 'selector', matchers, offsetMs: 0, at: undefined };
  }

  private call(n: SyntaxNode): Expr {
    const ident = n.getChild('FunctionIdentifier')!;
    const func = this.src(ident);
    if (!SUPPORTED_FUNCTIONS.has(func)) this.unsupported(n, `function "${func}"`);
    const body = n.getChild('FunctionCallBody')!;
    return { type: 'call', func, args: children(body).map((c) => this.expr(c)) };
  }

  private aggregate(n: SyntaxNode): Expr {
    const op = this.src(n.getChild('AggregateOp')!);
    if (!AGGREGATES.has(op)) this.unsupported(n, `aggregation "${op}"`);
    const args = children(n.getChild('FunctionCallBody')!).map((c) => this.expr(c));
    const modifier = n.getChild('AggregateModifier');
    const grouping = modifier === null ? [] : this.labelList(modifier.getChild('GroupingLabels')!);
    const takesParam = op === 'topk' || op === 'bottomk' || op === 'quantile' || op === 'count_values';
    if (args.length !== (takesParam ? 2 : 1)) {
      throw badData(`wrong number of arguments for aggregate expression provided, expected ${takesParam ? 2 : 1}, got ${args.length}`);
    }
    return {
      type: 'aggregate',
      op: op as AggregateOp,
      param: takesParam ? args[0] : undefined,
      expr: args[takesParam ? 1 : 0]!,
      grouping,
      without: modifier?.getChild('Without') !== null && modifier !== null,
    };
  }

  private labelList(n: SyntaxNode): string[] {
    return children(n).map((c) => (c.name === 'QuotedLabelName' ? unquote(this.src(c)) : this.src(c)));
  }

  private binary(n: SyntaxNode): Expr {
    const kids = children(n);
    const lhs = this.expr(kids[0]!);
    const rhs = this.expr(kids[kids.length - 1]!);
    const opNode = kids[1]!;
    const op = BINARY_OPS[opNode.name];
    if (op === undefined) this.unsupported(opNode, `operator "${this.src(opNode)}"`);
    const bool = n.getChild('BoolModifier') !== null;
    if (n.getChild('FillModifier') !== null) this.unsupported(n, 'fill modifiers');
    const clause = n.getChild('MatchingModifierClause');
    let matching: VectorMatching | undefined;
    const setOp = op === 'and' || op === 'or' || op === 'unless';
    if (clause !== null) {
      const lists = clause.getChildren('GroupingLabels');
      const left = clause.getChild('GroupLeft') !== null;
      const right = clause.getChild('GroupRight') !== null;
      if ((left || right) && setOp) throw badData(`no grouping allowed for "${op}" operation`);
      matching = {
        card: left ? 'many-to-one' : right ? 'one-to-many' : setOp ? 'many-to-many' : 'one-to-one',
        on: clause.getChild('On') !== null,
        labels: lists[0] === undefined ? [] : this.labelList(lists[0]),
        include: lists[1] === undefined ? [] : this.labelList(lists[1]),
      };
    } else if (setOp) {
      matching = { card: 'many-to-many', on: false, labels: [], include: [] };
    }
    if (bool && !['==', '!=', '>', '<', '>=', '<='].includes(op)) throw badData('bool modifier can only be used on comparison operators');
    return { type: 'binary', op, lhs, rhs, bool, matching };
  }
}
