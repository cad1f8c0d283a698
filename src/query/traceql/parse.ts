import { parser } from '@grafana/lezer-traceql';
import type { SyntaxNode } from '@lezer/common';
import type {
  AggregateName,
  ComparisonOp,
  Condition,
  Field,
  FieldOp,
  Intrinsic,
  MetricsFunction,
  MetricsStage,
  Spanset,
  Static,
  StructuralOp,
  TraceqlQuery,
} from './ast.ts';
import { parseDurationNs, parseStatic } from './static.ts';
import { TraceqlError } from './traceql-error.ts';

export { TraceqlError };

// TraceQL text -> ast.ts, through Grafana's own grammar (@grafana/lezer-traceql,
// what Grafana's query editor parses with), so what is valid TraceQL is decided
// by Tempo's grammar, not ours. Constructs the grammar accepts and we do not
// evaluate (coalesce(), by() grouping of spansets, event./link. scopes, ...) are
// refused with their name, as Tempo refuses what it does not support: a 400.


const INTRINSICS: Record<string, Intrinsic> = {
  name: 'name',
  status: 'status',
  kind: 'kind',
  duration: 'duration',
  statusMessage: 'statusMessage',
  rootName: 'rootName',
  rootServiceName: 'rootServiceName',
  traceDuration: 'traceDuration',
  // Tempo 2.5's scoped spellings.
  'span:name': 'name',
  'span:status': 'status',
  'span:kind': 'kind',
  'span:duration': 'duration',
  'span:statusMessage': 'statusMessage',
  'trace:rootName': 'rootName',
  'trace:rootService': 'rootServiceName',
  'trace:duration': 'traceDuration',
};

const STRUCTURAL: Record<string, StructuralOp> = { Desc: '>>', Gt: '>', Lt: '<' };

export function parseTraceql(text: string): TraceqlQuery {
  const source = text.trim();
  if (source === '') throw new TraceqlError('empty TraceQL query');
  const tree = parser.parse(source);
  tree.iterate({
    enter(n) {
      if (n.type.isError) {
        const near = source.slice(n.from, Math.min(source.length, n.from + 20));
        throw new TraceqlError(`TraceQL syntax error at column ${n.from + 1}${near === '' ? ' (unexpected end of query)' : ` near ${JSON.stringify(near)}`}`);
      }
    },
  });
  const top = tree.topNode.firstChild;
  if (top === null || top.name !== 'SpansetPipelineExpression') throw new TraceqlError('not a TraceQL spanset query');
  return new Reader(source).query(top);
}

class Reader {
  constructor(private readonly src: string) {}

  text(n: SyntaxNode): string {
    return this.src.slice(n.from, n.to);
  }

  unsupported(what: string, n: SyntaxNode): never {
    throw new TraceqlError(`unsupported TraceQL: ${what} (${JSON.stringify(this.text(n))})`);
  }

  query(n: SyntaxNode): TraceqlQuery {
    const select: Field[] = [];
    let metrics: MetricsStage | undefined;
    const spanset = this.pipeline(n, select, (m) => (metrics = m));
    return { spanset, select, ...(metrics === undefined ? {} : { metrics }) };
  }

  /** A SpansetPipelineExpression; stages after a pipe that are not spansets go to select/metrics. */
  pipeline(n: SyntaxNode, select: Field[], setMetrics: (m: MetricsStage) => void): Spanset {
    const kids = children(n);
    const first = kids[0];
    if (first === undefined) this.unsupported('empty expression', n);
    if (kids.length === 1) {
      if (first.name === 'SpansetPipeline') return this.stages(first, undefined, select, setMetrics);
      if (first.name === 'WrappedSpansetPipeline' || first.name === 'SpansetPipelineExpression') return this.pipeline(first, select, setMetrics);
      this.unsupported(first.name, first);
    }
    const last = kids[kids.length - 1];
    if (last === undefined) this.unsupported('empty expression', n);
    const opNode = kids.length === 3 ? kids[1] : undefined;
    if (opNode?.name === 'Pipe') {
      const left = this.pipeline(first, select, setMetrics);
      const stage = children(last)[0];
      if (stage === undefined || stage.name !== 'SpansetPipeline') this.unsupported('pipeline stage', last);
      return this.stages(stage, left, select, setMetrics);
    }
    // Between spansets: && || and the structural operators; `~` has no node of its own.
    const opText = opNode === undefined ? this.src.slice(first.to, last.from).trim() : this.text(opNode);
    const left = this.pipeline(first, [], failMetrics(first, this));
    const right = this.pipeline(last, select, failMetrics(last, this));
    if (opText === '&&') return { kind: 'and', left, right };
    if (opText === '||') return { kind: 'or', left, right };
    if (opText === '~') return { kind: 'structural', op: '~', left, right };
    const structural = opNode === undefined ? undefined : STRUCTURAL[opNode.name];
    if (structural !== undefined) return { kind: 'structural', op: structural, left, right };
    return this.unsupported(`spanset operator ${opText}`, n);
  }

  /** The stages of one SpansetPipeline, applied to `input` (undefined: the first stage is a spanset filter). */
  stages(n: SyntaxNode, input: Spanset | undefined, select: Field[], setMetrics: (m: MetricsStage) => void): Spanset {
    let current = input;
    for (const stage of children(n)) {
      if (stage.name === 'SpansetFilter' || stage.name === 'SpansetExpression') {
        if (current !== undefined) this.unsupported('a spanset filter after a pipe', stage);
        current = this.spansetFilter(stage);
        continue;
      }
      if (current === undefined) this.unsupported(`${stage.name} without a spanset before it`, stage);
      switch (stage.name) {
        case 'ScalarFilter':
          current = this.scalarFilter(stage, current);
          break;
        case 'SelectOperation':
          for (const f of descendants(stage, 'FieldExpression').filter((x) => x.parent?.name === 'SelectArgs')) select.push(this.field(f));
          break;
        case 'MetricsOperation':
          setMetrics(this.metrics(stage));
          break;
        case 'GroupOperation':
          this.unsupported('by() on spansets', stage);
          break;
        case 'CoalesceOperation':
          this.unsupported('coalesce()', stage);
          break;
        default:
          this.unsupported(stage.name, stage);
      }
    }
    if (current === undefined) return this.unsupported('empty pipeline', n);
    return current;
  }

  spansetFilter(n: SyntaxNode): Spanset {
    const expr = children(n).find((c) => c.name === 'FieldExpression');
    if (expr === undefined) return { kind: 'filter', condition: { kind: 'true' } };
    return { kind: 'filter', condition: this.condition(expr) };
  }

  condition(n: SyntaxNode): Condition {
    const kids = children(n);
    if (kids.length === 1) {
      const only = kids[0]!;
      if (only.name === 'FieldExpression') return this.condition(only);
      if (only.name === 'Static') {
        const value = parseStatic(only, this.src);
        if (value.type === 'bool') return { kind: value.value ? 'true' : 'false' };
      }
      return this.unsupported('a field without a comparison', n);
    }
    if (kids.length === 3) {
      const [l, op, r] = kids as [SyntaxNode, SyntaxNode, SyntaxNode];
      if (op.name === 'And' || op.name === 'Or') return { kind: op.name === 'And' ? 'and' : 'or', left: this.condition(l), right: this.condition(r) };
      if (op.name === 'FieldOp') {
        const field = this.field(l);
        const staticNode = children(r)[0];
        if (staticNode?.name !== 'Static') this.unsupported('a comparison of two fields', n);
        return { kind: 'compare', field, op: this.text(op) as FieldOp, value: parseStatic(staticNode, this.src) };
      }
    }
    return this.unsupported('field expression', n);
  }

  field(n: SyntaxNode): Field {
    const node = n.name === 'FieldExpression' ? children(n)[0] : n;
    if (node === undefined) this.unsupported('field', n);
    if (node.name === 'IntrinsicField') {
      const name = INTRINSICS[this.text(node)];
      if (name === undefined) this.unsupported(`intrinsic ${this.text(node)}`, node);
      return { kind: 'intrinsic', name };
    }
    if (node.name === 'AttributeField') {
      const parts = children(node);
      const id = parts.find((p) => p.name === 'Identifier');
      if (id === undefined) this.unsupported('attribute', node);
      const scopeNode = parts.find((p) => p !== id);
      const scope = scopeNode === undefined ? 'any' : scopeNode.name === 'Span' ? 'span' : scopeNode.name === 'Resource' ? 'resource' : undefined;
      if (scope === undefined) this.unsupported(`the ${this.text(scopeNode!)}. scope`, node);
      const raw = this.text(id);
      const key = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
      return { kind: 'attribute', scope, key };
    }
    if (node.name === 'FieldExpression') return this.field(node);
    return this.unsupported(`${node.name} as a field`, node);
  }

  scalarFilter(n: SyntaxNode, input: Spanset): Spanset {
    const [left, op, right] = children(n);
    if (left === undefined || op === undefined || right === undefined) this.unsupported('scalar filter', n);
    const agg = children(left)[0];
    if (agg?.name !== 'Aggregate') this.unsupported('a scalar filter not starting with an aggregate', n);
    const value = parseScalar(this.text(right).trim());
    if (value === undefined) this.unsupported('a scalar filter whose right side is not a number or duration', right);
    const text = this.text(agg).replace(/\s+/g, '');
    if (text === 'count()') return { kind: 'scalar', input, aggregate: 'count', op: this.text(op) as ComparisonOp, value };
    const name = children(agg).find((c) => c.name === 'AggregateExpression');
    const fieldNode = children(agg).find((c) => c.name === 'FieldExpression');
    if (name === undefined || fieldNode === undefined) this.unsupported('aggregate', agg);
    const aggregate = this.text(name) as AggregateName;
    if (!['avg', 'min', 'max', 'sum'].includes(aggregate)) this.unsupported(`aggregate ${aggregate}()`, agg);
    return { kind: 'scalar', input, aggregate, field: this.field(fieldNode), op: this.text(op) as ComparisonOp, value };
  }

  metrics(n: SyntaxNode): MetricsStage {
    const op = children(n)[0];
    if (op === undefined) this.unsupported('metrics function', n);
    const by = descendants(op, 'GroupOperation').flatMap((g) => children(g).filter((c) => c.name === 'FieldExpression').map((f) => this.field(f)));
    if (op.name === 'MetricsOperationBasic') {
      const type = children(op).find((c) => c.name === 'MetricsOperationBasicType');
      const fn = type === undefined ? '' : this.text(type);
      if (fn !== 'rate' && fn !== 'count_over_time') this.unsupported(`metrics function ${fn}()`, op);
      return { fn: fn as MetricsFunction, quantiles: [], by };
    }
    if (op.name === 'MetricsOperationHistogram' || op.name === 'MetricsOperationQuantile') {
      const expr = descendants(op, 'MetricsExpression')[0];
      if (expr === undefined || this.text(expr).trim() !== 'duration') this.unsupported(`${op.name === 'MetricsOperationHistogram' ? 'histogram' : 'quantile'}_over_time of anything but duration`, op);
      if (op.name === 'MetricsOperationHistogram') return { fn: 'histogram_over_time', quantiles: [], by };
      const quantiles = descendants(op, 'MetricsOperationQuantileArgsType').map((q) => Number(this.text(q)));
      if (quantiles.length === 0 || quantiles.some((q) => !(q >= 0 && q <= 1))) this.unsupported('quantiles must be numbers from 0 to 1', op);
      return { fn: 'quantile_over_time', quantiles, by };
    }
    return this.unsupported(`metrics function ${this.text(op).split('(')[0] ?? ''}()`, op);
  }
}

function failMetrics(n: SyntaxNode, r: Reader): (m: MetricsStage) => void {
  return () => r.unsupported('a metrics function inside a spanset operand', n);
}

function parseScalar(text: string): Static | undefined {
  if (/^-?\d+$/.test(text)) return { type: 'int', value: BigInt(text) };
  if (/^-?\d*\.\d+$/.test(text)) return { type: 'float', value: Number(text) };
  const ns = parseDurationNs(text);
  return ns === undefined ? undefined : { type: 'duration', ns };
}

function children(n: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c !== null; c = c.nextSibling) out.push(c);
  return out;
}

function descendants(n: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const walk = (x: SyntaxNode) => {
    for (let c = x.firstChild; c !== null; c = c.nextSibling) {
      if (c.name === name) out.push(c);
      else walk(c);
    }
  };
  walk(n);
  return out;
}
