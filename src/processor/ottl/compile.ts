import { compileGoRegexp, GoRegexpError, type GoRegexp } from '../../lib/go-regexp.ts';
import {
  enumsByKind,
  tableFor,
  type Accessor,
  type ContextByKind,
  type ContextKind,
  type DataPoint,
  type EvalContext,
} from './contexts.ts';
import { OttlSyntaxError } from './lexer.ts';
import { parseCondition, type BoolExpr, type ValueExpr } from './parser.ts';
import { compare, index, lookup, stringLike, type OttlValue } from './values.ts';

// Turns a parsed OTTL condition into a function of one telemetry item of a context
// (contexts.ts). Paths, enums and functions outside the supported set fail here,
// at config load, with the offending name. Functions: IsMatch, IsString, IsInt,
// IsDouble, IsBool, IsMap, IsList, and in metric conditions HasAttrKeyOnDatapoint
// and HasAttrOnDatapoint.

/** Evaluates to true or false; throws OttlEvalError when the item does not fit. */
export type Condition<C> = (context: C) => boolean;

/** Parses and compiles; throws OttlSyntaxError (with a position) if unsupported. */
export function compileCondition<K extends ContextKind>(text: string, kind: K): Condition<ContextByKind[K]> {
  return compileBool(parseCondition(text), kind);
}

/** "unsupported function "x" at column 3", for config error messages. */
export function describeConditionError(error: unknown): string {
  if (error instanceof OttlSyntaxError) return `${error.message} (at column ${error.pos + 1})`;
  return error instanceof Error ? error.message : String(error);
}

function compileBool(expr: BoolExpr, kind: ContextKind): Condition<EvalContext> {
  switch (expr.kind) {
    case 'or': {
      const terms = expr.terms.map((term) => compileBool(term, kind));
      return (context) => terms.some((term) => term(context));
    }
    case 'and': {
      const terms = expr.terms.map((term) => compileBool(term, kind));
      return (context) => terms.every((term) => term(context));
    }
    case 'not': {
      const operand = compileBool(expr.operand, kind);
      return (context) => !operand(context);
    }
    case 'compare': {
      const left = compileValue(expr.left, kind);
      const right = compileValue(expr.right, kind);
      const op = expr.op;
      return (context) => compare(left(context), right(context), op);
    }
    case 'value': {
      const value = expr.value;
      if (value.kind === 'literal' && typeof value.value === 'boolean') {
        const constant = value.value;
        return () => constant;
      }
      if (value.kind === 'call') {
        const call = compileValue(value, kind);
        return (context) => call(context) === true;
      }
      throw new OttlSyntaxError(
        'a condition must be a comparison, true, false or a function returning a boolean',
        value.pos,
      );
    }
  }
}

function compileValue(expr: ValueExpr, kind: ContextKind): Accessor {
  switch (expr.kind) {
    case 'literal': {
      const value = expr.value;
      return () => value;
    }
    case 'enum': {
      const value = enumsByKind[kind][expr.name];
      if (value === undefined) throw new OttlSyntaxError(`unknown enum ${expr.name}`, expr.pos);
      return () => value;
    }
    case 'path':
      return compilePath(expr, kind);
    case 'call':
      return compileCall(expr, kind);
  }
}

// ---------------------------------------------------------------- paths

function compilePath(expr: Extract<ValueExpr, { kind: 'path' }>, kind: ContextKind): Accessor {
  const written = expr.segments.join('.');
  const [table, rest] = tableFor(expr.segments, kind);
  const field = table[rest.join('.')];
  if (!field) throw new OttlSyntaxError(`unsupported path "${written}"`, expr.pos);
  if (expr.keys.length === 0) return field.get;
  if (!field.indexable) throw new OttlSyntaxError(`path "${written}" cannot be indexed`, expr.pos);
  const keys = expr.keys;
  const get = field.get;
  return (context) => {
    let value = get(context);
    for (const key of keys) value = index(value, key);
    return value;
  };
}

// ---------------------------------------------------------------- functions

const typeChecks: Record<string, (value: OttlValue) => boolean> = {
  IsString: (v) => typeof v === 'string',
  IsInt: (v) => typeof v === 'bigint',
  IsDouble: (v) => typeof v === 'number',
  IsBool: (v) => typeof v === 'boolean',
  IsMap: (v) => v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'map',
  IsList: (v) => v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && v.kind === 'list',
};

const supportedFunctions = ['IsMatch', ...Object.keys(typeChecks), 'HasAttrKeyOnDatapoint', 'HasAttrOnDatapoint'];

function compileCall(expr: Extract<ValueExpr, { kind: 'call' }>, kind: ContextKind): Accessor {
  const { name, args, pos } = expr;
  const arity = (count: number): void => {
    if (args.length !== count) {
      throw new OttlSyntaxError(`${name} takes ${count} argument${count === 1 ? '' : 's'}, got ${args.length}`, pos);
    }
  };
  const stringLiteral = (arg: ValueExpr | undefined, what: string): string => {
    if (arg?.kind !== 'literal' || typeof arg.value !== 'string') {
      throw new OttlSyntaxError(`the ${what} of ${name} must be a string literal`, arg?.pos ?? pos);
    }
    return arg.value;
  };

  if (name === 'IsMatch') {
    arity(2);
    const target = compileValue(args[0]!, kind);
    const pattern = stringLiteral(args[1], 'pattern');
    let regexp: GoRegexp;
    try {
      regexp = compileGoRegexp(pattern);
    } catch (error) {
      if (error instanceof GoRegexpError) throw new OttlSyntaxError(`IsMatch pattern: ${error.message}`, args[1]!.pos);
      throw error;
    }
    return (context) => {
      const value = target(context);
      return value === null ? false : regexp.test(stringLike(value));
    };
  }
  const check = typeChecks[name];
  if (check) {
    arity(1);
    const value = compileValue(args[0]!, kind);
    return (context) => check(value(context));
  }
  if ((name === 'HasAttrKeyOnDatapoint' || name === 'HasAttrOnDatapoint') && kind === 'metric') {
    const withValue = name === 'HasAttrOnDatapoint';
    arity(withValue ? 2 : 1);
    const key = stringLiteral(args[0], 'key');
    const expected = withValue ? stringLiteral(args[1], 'value') : undefined;
    return (context) =>
      (context.metric!.data?.dataPoints ?? []).some((point: DataPoint) => {
        const value = lookup(point.attributes, key);
        return expected === undefined ? value !== null : value === expected;
      });
  }
  const hint = supportedFunctions.includes(name) ? ` in a ${kind} condition` : '';
  throw new OttlSyntaxError(`unsupported function "${name}"${hint}`, pos);
}

