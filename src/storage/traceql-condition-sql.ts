import { compileGoRegexp, GoRegexpError } from '../lib/go-regexp.ts';
import type { Condition, Field, FieldOp, Static } from '../query/traceql/ast.ts';
import { fieldText } from '../query/traceql/ast.ts';
import { TraceqlError } from '../query/traceql/traceql-error.ts';
import { ident } from './sql.ts';
import type { QueryParams } from './sql.ts';

// TraceQL comparisons -> SQL. A span-level comparison is a condition on one row
// of `spans` (its typed attribute maps, attribute-columns.ts; its resource's in
// resource_scopes, as attribute-filter.ts does); the trace-level intrinsics
// (rootName, rootServiceName, traceDuration) are expressions on the per-trace
// aliases the search query computes (traceql-search-sql.ts).
//
// Typed as Tempo compares: a string literal meets string attributes, a number
// int and double ones, a bool bool ones; `!=` needs the attribute to exist with
// that type (Tempo's `!=`); `= nil` / `!= nil` test absence / presence. Regular
// expressions are RE2 and fully anchored (Tempo 2.7+: construct-traceql-queries.md,
// "All regular expressions are treated as fully anchored"), run by ClickHouse's
// match() (RE2 too) after re2js has checked the syntax.

const STATUS_CODE = { unset: 0, ok: 1, error: 2 } as const;
const KIND_CODE = { unspecified: 0, internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

/** Trace-level aliases the search query defines. */
export const TRACE_ALIASES = { rootName: 'rootName', rootServiceName: 'rootServiceName', traceDuration: 'traceDurationNs' } as const;

/** Compiles one condition tree; span-level leaves become entries of `flags` (row SQL). */
export class ConditionCompiler {
  /** Span-level leaf conditions, each a UInt8 expression over a `spans` row. */
  readonly flags: string[] = [];

  constructor(private readonly p: QueryParams) {}

  /** The condition as an expression over the row flags `f` and the trace aliases. */
  compile(c: Condition, flagVar: string): string {
    switch (c.kind) {
      case 'true':
        return '1';
      case 'false':
        return '0';
      case 'and':
      case 'or':
        return `(${this.compile(c.left, flagVar)} ${c.kind === 'and' ? 'AND' : 'OR'} ${this.compile(c.right, flagVar)})`;
      case 'compare': {
        const f = c.field;
        if (f.kind === 'intrinsic' && (f.name === 'rootName' || f.name === 'rootServiceName' || f.name === 'traceDuration')) {
          return this.compare(TRACE_ALIASES[f.name], f.name === 'traceDuration' ? 'number' : 'string', c.op, c.value, f);
        }
        this.flags.push(this.spanLeaf(f, c.op, c.value));
        return `${flagVar}[${this.flags.length}]`;
      }
    }
  }

  /** A span-level condition a candidate trace needs one span to meet (trace-level leaves relaxed to true). */
  relaxed(c: Condition): string {
    switch (c.kind) {
      case 'true':
        return '1';
      case 'false':
        return '0';
      case 'and':
      case 'or':
        return `(${this.relaxed(c.left)} ${c.kind === 'and' ? 'AND' : 'OR'} ${this.relaxed(c.right)})`;
      case 'compare': {
        const f = c.field;
        if (f.kind === 'intrinsic' && (f.name === 'rootName' || f.name === 'rootServiceName' || f.name === 'traceDuration')) return '1';
        return this.spanLeaf(f, c.op, c.value);
      }
    }
  }

  spanLeaf(f: Field, op: FieldOp, v: Static): string {
    if (f.kind === 'intrinsic') {
      switch (f.name) {
        case 'name':
          return this.compare('SpanName', 'string', op, v, f);
        case 'statusMessage':
          return this.compare('StatusMessage', 'string', op, v, f);
        case 'duration':
          return this.compare('Duration', 'number', op, v, f);
        case 'status':
          if (v.type !== 'status' || (op !== '=' && op !== '!=')) throw mismatch(f, op, v);
          return `(StatusCode ${op} ${this.p.bind('Int32', STATUS_CODE[v.value])})`;
        case 'kind':
          if (v.type !== 'kind' || (op !== '=' && op !== '!=')) throw mismatch(f, op, v);
          return `(SpanKind ${op} ${this.p.bind('Int32', KIND_CODE[v.value])})`;
        default:
          throw mismatch(f, op, v);
      }
    }
    const span = this.attribute('Attributes', f, op, v);
    // service.name is the row's ServiceName column (the sort key's first column).
    const resource =
      f.key === 'service.name' && v.type === 'string' && op === '='
        ? `(ServiceName = ${this.p.bind('String', v.value)})`
        : `(ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ${this.attribute('ResourceAttributes', f, op, v)}))`;
    if (f.scope === 'span') return span;
    if (f.scope === 'resource') return resource;
    return `(${span} OR ${resource})`;
  }

  private attribute(prefix: string, f: Field & { kind: 'attribute' }, op: FieldOp, v: Static): string {
    const key = this.p.bind('String', f.key);
    const col = (suffix: string) => `${ident(prefix + suffix)}`;
    const has = (suffix: string) => `mapContains(${col(suffix)}, ${key})`;
    if (v.type === 'nil') {
      const any = ['String', 'Int', 'Double', 'Bool', 'Json'].map(has).join(' OR ');
      if (op === '=') return `(NOT (${any}))`;
      if (op === '!=') return `(${any})`;
      throw mismatch(f, op, v);
    }
    const typed = (suffix: string, kind: 'string' | 'number' | 'bool') => `(${has(suffix)} AND ${this.compare(`${col(suffix)}[${key}]`, kind, op, v, f)})`;
    switch (v.type) {
      case 'string':
        return typed('String', 'string');
      case 'int':
      case 'float':
      case 'duration':
        return `(${typed('Int', 'number')} OR ${typed('Double', 'number')})`;
      case 'bool':
        return typed('Bool', 'bool');
      default:
        throw mismatch(f, op, v);
    }
  }

  /** `expr op value` for a string, number or bool expression. */
  compare(expr: string, kind: 'string' | 'number' | 'bool', op: FieldOp, v: Static, f: Field): string {
    if (kind === 'string') {
      if (v.type !== 'string') throw mismatch(f, op, v);
      if (op === '=~' || op === '!~') {
        try {
          compileGoRegexp(v.value);
        } catch (error) {
          if (error instanceof GoRegexpError) throw new TraceqlError(`invalid regular expression in ${fieldText(f)} ${op}: ${error.message}`, { cause: error });
          throw error;
        }
        const m = `match(${expr}, ${this.p.bind('String', `^(?:${v.value})$`)})`;
        return op === '=~' ? m : `NOT ${m}`;
      }
      return `(${expr} ${op} ${this.p.bind('String', v.value)})`;
    }
    if (op === '=~' || op === '!~') throw mismatch(f, op, v);
    if (kind === 'bool') {
      if (v.type !== 'bool' || (op !== '=' && op !== '!=')) throw mismatch(f, op, v);
      return `(${expr} ${op} ${this.p.bind('Bool', v.value)})`;
    }
    switch (v.type) {
      case 'int':
        return `(${expr} ${op} ${this.p.bindInt64(v.value)})`;
      case 'duration':
        return `(${expr} ${op} ${this.p.bindInt64(v.ns)})`;
      case 'float':
        return `(${expr} ${op} ${this.p.bind('Float64', v.value)})`;
      default:
        throw mismatch(f, op, v);
    }
  }
}

function mismatch(f: Field, op: FieldOp, v: Static): TraceqlError {
  return new TraceqlError(`unsupported TraceQL: ${fieldText(f)} ${op} a ${v.type} value`);
}
