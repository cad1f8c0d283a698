import type { SyntaxNode } from '@lezer/common';
import { compileGoRegexp, GoRegexpError } from '../../lib/go-regexp.ts';
import type { CompareOp, ExtractField, LabelMatcher, LabelPredicate, MatchOp, Stage } from './ast.ts';
import { parseLineTemplate } from './line-template.ts';
import { unquoteString } from './literals.ts';
import { LogqlError, unsupported } from './logql-error.ts';

// The log half of the LogQL parser (parse.ts): stream selectors and pipeline
// stages, read from @grafana/lezer-logql's tree. Each regex is compiled with re2js
// here: ClickHouse's match() is RE2 too, and a pattern RE2 refuses is a 400 naming
// it, never an engine error.

const MATCH_OPS: Record<string, MatchOp> = { Eq: '=', Neq: '!=', Re: '=~', Nre: '!~' };
const COMPARE_OPS: Record<string, CompareOp> = { Eq: '==', Eql: '==', Neq: '!=', Gtr: '>', Gte: '>=', Lss: '<', Lte: '<=' };
const LINE_OPS: Record<string, '|=' | '!=' | '|~' | '!~'> = { PipeExact: '|=', Neq: '!=', PipeMatch: '|~', Nre: '!~' };

export class PipelineReader {
  constructor(readonly text: (n: SyntaxNode) => string) {}

  children(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c !== null; c = c.nextSibling) out.push(c);
    return out;
  }

  /** The one child of `n` (named `name`, if given); anything else is unsupported. */
  sole(n: SyntaxNode, name?: string): SyntaxNode {
    const kids = this.children(n).filter((c) => name === undefined || c.name === name);
    if (kids.length !== 1) throw unsupported(`expression ${JSON.stringify(this.text(n))}`);
    return kids[0]!;
  }

  child(n: SyntaxNode, name: string): SyntaxNode | undefined {
    return this.children(n).find((c) => c.name === name);
  }

  selector(n: SyntaxNode): LabelMatcher[] {
    const matchers: LabelMatcher[] = [];
    const walk = (m: SyntaxNode) => {
      for (const c of this.children(m)) {
        if (c.name === 'Matchers') walk(c);
        else if (c.name === 'Matcher') matchers.push(this.matcher(c));
      }
    };
    const list = this.child(n, 'Matchers');
    if (list !== undefined) walk(list);
    // Loki: "queries require at least one regexp or equality matcher that does not have an empty-compatible value".
    if (!matchers.some((m) => (m.op === '=' || m.op === '=~') && !compileGoRegexp(anchored(m)).test(''))) {
      throw new LogqlError('parse error: queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~".*" does not meet this requirement, but app=~".+" will');
    }
    return matchers;
  }

  matcher(n: SyntaxNode): LabelMatcher {
    const [name, op, value] = this.children(n);
    const matchOp = op === undefined ? undefined : MATCH_OPS[op.name];
    if (name === undefined || matchOp === undefined || value === undefined) throw unsupported(`matcher ${this.text(n)}`);
    const m = { name: this.text(name), op: matchOp, value: unquoteString(this.text(value)) };
    if (m.op === '=~' || m.op === '!~') checkRegexp(m.value);
    return m;
  }

  pipeline(n: SyntaxNode): Stage[] {
    const stages: Stage[] = [];
    for (const c of this.children(n)) {
      if (c.name === 'PipelineExpr') stages.push(...this.pipeline(c));
      else if (c.name === 'PipelineStage') stages.push(...this.stage(c));
    }
    return stages;
  }

  stage(n: SyntaxNode): Stage[] {
    const body = this.children(n).find((c) => c.name !== 'Pipe');
    if (body === undefined) throw unsupported(`pipeline stage ${this.text(n)}`);
    switch (body.name) {
      case 'LineFilters':
        return this.lineFilters(body);
      case 'LabelParser': {
        const kind = this.children(body)[0]?.name;
        if (kind === 'Json') return [{ kind: 'json', fields: [] }];
        if (kind === 'Logfmt') return [{ kind: 'logfmt', fields: [] }];
        throw unsupported(`the ${this.text(body).split(/\s/)[0]} parser`);
      }
      case 'LogfmtParser':
        if (this.child(body, 'LogfmtParserFlags') !== undefined) throw unsupported('logfmt flags (--strict, --keep-empty)');
        return [{ kind: 'logfmt', fields: [] }];
      case 'JsonExpressionParser':
        return [{ kind: 'json', fields: this.extractFields(body, true) }];
      case 'LogfmtExpressionParser':
        if (this.child(body, 'LogfmtParserFlags') !== undefined) throw unsupported('logfmt flags (--strict, --keep-empty)');
        return [{ kind: 'logfmt', fields: this.extractFields(body, false) }];
      case 'LabelFilter':
        return [{ kind: 'labelFilter', predicate: this.labelFilter(body) }];
      case 'LineFormatExpr': {
        const s = this.child(body, 'String');
        if (s === undefined) throw unsupported(`line_format ${this.text(body)}`);
        return [{ kind: 'lineFormat', template: parseLineTemplate(unquoteString(this.text(s))) }];
      }
      case 'LabelFormatExpr':
        throw unsupported('| label_format');
      case 'DecolorizeExpr':
        throw unsupported('| decolorize');
      case 'DropLabelsExpr':
        return [{ kind: 'drop', labels: this.labelNames(body, 'drop') }];
      case 'KeepLabelsExpr':
        return [{ kind: 'keep', labels: this.labelNames(body, 'keep') }];
      default:
        throw unsupported(`pipeline stage ${JSON.stringify(this.text(body))}`);
    }
  }

  /** `| drop a, b` / `| keep a, b`: plain names (Grafana's log volume adds `| drop __error__`). */
  labelNames(n: SyntaxNode, stage: 'drop' | 'keep'): string[] {
    const names: string[] = [];
    const walk = (m: SyntaxNode) => {
      for (const c of this.children(m)) {
        if (c.name === 'DropLabels' || c.name === 'KeepLabels' || c.name === 'DropLabel' || c.name === 'KeepLabel') walk(c);
        else if (c.name === 'Identifier') names.push(this.text(c));
        else if (c.name === 'Matcher') throw unsupported(`| ${stage} with a matcher (${this.text(c)})`);
      }
    };
    walk(n);
    return names;
  }

  lineFilters(n: SyntaxNode): Stage[] {
    const out: Stage[] = [];
    for (const c of this.children(n)) {
      if (c.name === 'LineFilters') {
        out.push(...this.lineFilters(c));
        continue;
      }
      if (c.name !== 'LineFilter') continue;
      const filter = this.child(c, 'Filter');
      const opNode = filter === undefined ? undefined : this.sole(filter);
      const op = opNode === undefined ? undefined : LINE_OPS[opNode.name];
      if (op === undefined) throw unsupported(`line filter ${JSON.stringify(this.text(c))}`);
      const values: string[] = [];
      const collect = (m: SyntaxNode) => {
        for (const k of this.children(m)) {
          if (k.name === 'String') values.push(unquoteString(this.text(k)));
          else if (k.name === 'OrFilter') collect(k);
          else if (k.name === 'Ip' || k.name === 'Npa') throw unsupported(`line filter ${JSON.stringify(this.text(c))}`);
        }
      };
      collect(c);
      if (values.length === 0) throw unsupported(`line filter ${JSON.stringify(this.text(c))}`);
      if (op === '|~' || op === '!~') values.forEach(checkRegexp);
      out.push({ kind: 'line', op, values });
    }
    return out;
  }

  extractFields(n: SyntaxNode, json: boolean): ExtractField[] {
    const fields: ExtractField[] = [];
    const walk = (m: SyntaxNode) => {
      for (const c of this.children(m)) {
        if (c.name === 'LabelExtractionExpressionList') walk(c);
        else if (c.name === 'LabelExtractionExpression') {
          const id = this.child(c, 'Identifier');
          const s = this.child(c, 'String');
          if (id === undefined) throw unsupported(`extraction ${this.text(c)}`);
          const label = this.text(id);
          const source = s === undefined ? label : unquoteString(this.text(s));
          fields.push({ label, path: json ? jsonPath(source) : [source] });
        }
      }
    };
    walk(n);
    return fields;
  }

  labelFilter(n: SyntaxNode): LabelPredicate {
    const kids = this.children(n);
    const subs = kids.filter((c) => c.name === 'LabelFilter');
    if (subs.length === 2) {
      const or = kids.some((c) => c.name === 'Or');
      return { kind: or ? 'or' : 'and', left: this.labelFilter(subs[0]!), right: this.labelFilter(subs[1]!) };
    }
    if (subs.length === 1) return this.labelFilter(subs[0]!); // ( LabelFilter )
    const body = kids[0];
    if (body === undefined) throw unsupported(`label filter ${this.text(n)}`);
    if (body.name === 'Matcher') {
      const matcher = this.matcher(body);
      return { kind: 'match', matcher };
    }
    if (body.name === 'NumberFilter') {
      const [id, op, literal] = this.children(body);
      const cmp = op === undefined ? undefined : COMPARE_OPS[op.name];
      if (id === undefined || cmp === undefined || literal === undefined) throw unsupported(`label filter ${this.text(body)}`);
      const value = Number(this.text(literal).replace(/\s+/g, ''));
      if (!Number.isFinite(value)) throw new LogqlError(`label filter ${this.text(body)}: not a number`);
      return { kind: 'number', name: this.text(id), op: cmp, value };
    }
    if (body.name === 'UnitFilter') {
      const unit = this.sole(body).name === 'BytesFilter' ? 'bytes' : 'duration';
      throw unsupported(`${unit} label filter ${JSON.stringify(this.text(body))}`);
    }
    if (body.name === 'IpLabelFilter') throw unsupported('ip() label filter');
    throw unsupported(`label filter ${JSON.stringify(this.text(n))}`);
  }
}

/** Loki's label regex matchers are anchored at both ends (as Prometheus's). */
export function anchored(m: LabelMatcher): string {
  return m.op === '=~' || m.op === '!~' ? `^(?:${m.value})$` : `^${m.value.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')}$`;
}

function checkRegexp(pattern: string): void {
  try {
    compileGoRegexp(pattern);
  } catch (error) {
    if (error instanceof GoRegexpError) throw new LogqlError(`invalid regex ${JSON.stringify(pattern)}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** `| json l="a.b[0]"` paths (Loki: dots, [index] and ["quoted key"]). */
function jsonPath(source: string): Array<string | number> {
  const path: Array<string | number> = [];
  const re = /\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\.?([^.[\]]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < source.length && (m = re.exec(source)) !== null) {
    if (m[1] !== undefined) path.push(Number(m[1]));
    else if (m[2] !== undefined) path.push(m[2].replace(/\\(.)/g, '$1'));
    else path.push(m[3]!);
    at = re.lastIndex;
  }
  if (at !== source.length || path.length === 0) throw new LogqlError(`json: invalid extraction path ${JSON.stringify(source)}`);
  return path;
}
