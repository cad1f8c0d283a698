import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode } from '@lezer/common';
import type { BinaryOp, Grouping, LogqlQuery, LogSelector, MetricExpr, RangeOp, VectorOp } from './ast.ts';
import { parseLogqlDurationNs } from './literals.ts';
import { LogqlError, unsupported } from './logql-error.ts';
import { PipelineReader } from './parse-pipeline.ts';

// LogQL text -> plan (ast.ts), over the tree of Grafana's own LogQL grammar
// (@grafana/lezer-logql, the one Grafana's query editor uses), so what parses here
// is what Grafana lets a user write. Selectors and pipelines: parse-pipeline.ts.

const RANGE_OPS: Record<string, RangeOp> = { CountOverTime: 'count_over_time', Rate: 'rate', BytesOverTime: 'bytes_over_time', BytesRate: 'bytes_rate' };
const VECTOR_OPS: Record<string, VectorOp> = { Sum: 'sum', Avg: 'avg', Min: 'min', Max: 'max', Count: 'count', Topk: 'topk', Bottomk: 'bottomk' };
const BINARY_OPS: Record<string, BinaryOp> = { Add: '+', Sub: '-', Mul: '*', Div: '/', Mod: '%', Pow: '^' };


export function parseLogql(query: string): LogqlQuery {
  if (query.trim() === '') throw new LogqlError('parse error: the query is empty');
  const tree = parser.parse(query);
  let bad: SyntaxNode | undefined;
  tree.iterate({
    enter: (n) => {
      if (bad === undefined && n.type.isError) bad = n.node;
    },
  });
  if (bad !== undefined) throw new LogqlError(`parse error at line 1, col ${bad.from + 1}: syntax error near ${JSON.stringify(query.slice(bad.from, bad.from + 20))}`);
  const text = (n: SyntaxNode) => query.slice(n.from, n.to);
  const p = new TreeReader(text);
  const expr = p.sole(p.sole(tree.topNode, 'Expr'));
  return p.query(expr);
}

class TreeReader extends PipelineReader {
  query(n: SyntaxNode): LogqlQuery {
    if (n.name === 'LogExpr') return { kind: 'logs', selector: this.logExpr(n) };
    if (n.name === 'MetricExpr') return { kind: 'metric', expr: this.metric(n) };
    throw unsupported(`expression ${JSON.stringify(this.text(n))}`);
  }

  logExpr(n: SyntaxNode): LogSelector {
    const selector = this.child(n, 'Selector');
    if (selector === undefined) {
      // ( LogExpr )
      const inner = this.child(n, 'LogExpr');
      if (inner !== undefined) return this.logExpr(inner);
      throw unsupported(`log expression ${JSON.stringify(this.text(n))}`);
    }
    const pipeline = this.child(n, 'PipelineExpr');
    return { matchers: this.selector(selector), stages: pipeline === undefined ? [] : this.pipeline(pipeline) };
  }

  metric(n: SyntaxNode): MetricExpr {
    const kids = this.children(n);
    const first = kids[0];
    if (first === undefined) throw unsupported(`metric expression ${this.text(n)}`);
    switch (first.name) {
      case 'RangeAggregationExpr':
        return this.rangeAggregation(first);
      case 'VectorAggregationExpr':
        return this.vectorAggregation(first);
      case 'BinOpExpr':
        return this.binary(first);
      case 'LiteralExpr': {
        const value = Number(this.text(first).replace(/\s+/g, ''));
        if (Number.isNaN(value)) throw unsupported(`literal ${this.text(first)}`);
        return { kind: 'number', value };
      }
      case 'VectorExpr': {
        const num = this.child(first, 'Number');
        return { kind: 'vector', value: num === undefined ? 0 : Number(this.text(num)) };
      }
      case 'MetricExpr':
        return this.metric(first);
      case 'LabelReplaceExpr':
        throw unsupported('label_replace()');
      default: {
        const inner = kids.find((c) => c.name === 'MetricExpr');
        if (inner !== undefined) return this.metric(inner); // ( MetricExpr )
        throw unsupported(`metric expression ${JSON.stringify(this.text(n))}`);
      }
    }
  }

  rangeAggregation(n: SyntaxNode): MetricExpr {
    const opNode = this.sole(this.child(n, 'RangeOp')!);
    const op = RANGE_OPS[opNode.name];
    if (op === undefined) throw unsupported(`${this.text(opNode)}()`);
    if (this.child(n, 'Grouping') !== undefined) throw unsupported(`${op}() by/without (grouping in a range aggregation)`);
    const range = this.child(n, 'LogRangeExpr');
    if (range === undefined) throw unsupported(`${op}() argument ${this.text(n)}`);
    if (this.child(range, 'OffsetExpr') !== undefined) throw unsupported('offset');
    if (this.child(range, 'UnwrapExpr') !== undefined) throw unsupported('| unwrap');
    const selector = this.child(range, 'Selector');
    const durationNode = this.child(range, 'Range');
    if (selector === undefined || durationNode === undefined) {
      const inner = this.child(range, 'LogRangeExpr');
      if (inner !== undefined) throw unsupported(`parenthesised range ${this.text(range)}`);
      throw unsupported(`${op}() argument ${this.text(range)}`);
    }
    const durationText = this.text(this.child(durationNode, 'Duration') ?? durationNode).replace(/^\[|\]$/g, '');
    const rangeNs = parseLogqlDurationNs(durationText);
    if (rangeNs === undefined || rangeNs <= 0n) throw new LogqlError(`parse error: invalid range ${durationText}`);
    const pipelines = this.children(range).filter((c) => c.name === 'PipelineExpr');
    const stages = pipelines.flatMap((pl) => this.pipeline(pl));
    return { kind: 'range', op, selector: { matchers: this.selector(selector), stages }, rangeNs };
  }

  vectorAggregation(n: SyntaxNode): MetricExpr {
    const opNode = this.sole(this.child(n, 'VectorOp')!);
    const op = VECTOR_OPS[opNode.name];
    if (op === undefined) throw unsupported(`${this.text(opNode)}()`);
    const groupingNode = this.child(n, 'Grouping');
    let grouping: Grouping | undefined;
    if (groupingNode !== undefined) {
      const labels = this.child(groupingNode, 'Labels');
      const names: string[] = [];
      const walk = (m: SyntaxNode) => {
        for (const c of this.children(m)) {
          if (c.name === 'Identifier') names.push(this.text(c));
          else if (c.name === 'Labels') walk(c);
        }
      };
      if (labels !== undefined) walk(labels);
      grouping = { without: this.child(groupingNode, 'Without') !== undefined, labels: names };
    }
    const num = this.child(n, 'Number');
    let k: number | undefined;
    if (op === 'topk' || op === 'bottomk') {
      k = num === undefined ? NaN : Number(this.text(num));
      if (!Number.isInteger(k) || k < 1) throw new LogqlError(`parse error: ${op}() needs a positive integer parameter`);
    } else if (num !== undefined) {
      throw new LogqlError(`parse error: ${op}() takes no parameter`);
    }
    const inner = this.child(n, 'MetricExpr');
    if (inner === undefined) throw unsupported(`${op}() argument`);
    return { kind: 'aggregate', op, grouping, k, inner: this.metric(inner) };
  }

  /**
   * A chain of binary operators. @grafana/lezer-logql 0.3.0 nests them as written,
   * without precedence (`2 * 3 + 1` comes as 2 * (3 + 1)), so the chain is flattened
   * (stopping at parentheses) and rebuilt with LogQL's (Prometheus's) precedence:
   * `^` (right-associative) over `* / %` over `+ -`.
   */
  binary(n: SyntaxNode): MetricExpr {
    const operands: MetricExpr[] = [];
    const ops: BinaryOp[] = [];
    const operand = (e: SyntaxNode) => {
      const inner = this.sole(e);
      const bin = inner.name === 'MetricExpr' ? inner.firstChild : null;
      if (bin !== null && bin.name === 'BinOpExpr' && bin.nextSibling === null) return flatten(bin);
      const q = this.query(inner);
      if (q.kind !== 'metric') throw new LogqlError('parse error: a binary operation needs metric expressions on both sides, not a log query');
      operands.push(q.expr);
    };
    const flatten = (b: SyntaxNode) => {
      const kids = this.children(b);
      const exprs = kids.filter((c) => c.name === 'Expr');
      const opNode = kids.find((c) => c.name !== 'Expr' && c.name !== 'BinOpModifier');
      const op = opNode === undefined ? undefined : BINARY_OPS[opNode.name];
      if (opNode === undefined || exprs.length !== 2) throw unsupported(`binary expression ${this.text(b)}`);
      if (op === undefined) throw unsupported(`the binary operator ${this.text(opNode)}`);
      const modifier = this.child(b, 'BinOpModifier');
      if (modifier !== undefined && this.text(modifier).trim() !== '') throw unsupported(`binary operator modifier ${this.text(modifier).trim()}`);
      operand(exprs[0]!);
      ops.push(op);
      operand(exprs[1]!);
    };
    flatten(n);
    return withPrecedence(operands, ops);
  }
}

const PRECEDENCE: Record<BinaryOp, number> = { '+': 1, '-': 1, '*': 2, '/': 2, '%': 2, '^': 3 };

/** Operator-precedence parsing of `e0 op0 e1 op1 e2 ...` (ops[i] sits between operands i and i+1). */
function withPrecedence(operands: MetricExpr[], ops: BinaryOp[]): MetricExpr {
  let next = 0;
  const parse = (minPrecedence: number): MetricExpr => {
    let left = operands[next++]!;
    while (next - 1 < ops.length) {
      const op = ops[next - 1]!;
      if (PRECEDENCE[op] < minPrecedence) break;
      const right = parse(op === '^' ? PRECEDENCE[op] : PRECEDENCE[op] + 1);
      left = { kind: 'binary', op, left, right };
    }
    return left;
  };
  return parse(1);
}
