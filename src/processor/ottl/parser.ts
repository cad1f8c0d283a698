import { OttlSyntaxError, tokenize, type ComparisonOp, type Token } from './lexer.ts';
import type { OttlValue } from './values.ts';

// A parser for OTTL boolean conditions, the subset users write in filter processor
// configs to drop health checks and noise (pkg/ottl LANGUAGE.md, "Boolean
// Expressions"): comparisons of paths, literals, enums and converter calls with
// == != < <= > >=, joined by `and` / `or`, negated by `not`, grouped by ().
// Hand-written recursive descent: there is no maintained OTTL implementation for
// JavaScript, and the subset is small. What OTTL has and we do not (math, lists,
// maps, named arguments, computed keys) is refused here with a message, never
// misread; which paths, enums and functions exist is decided in compile.ts.
//
// Precedence, as in OTTL: `not` binds tightest, then `and`, then `or`.

export type ValueExpr =
  | { kind: 'literal'; value: OttlValue; pos: number }
  | { kind: 'path'; segments: string[]; keys: Array<string | bigint>; pos: number }
  | { kind: 'enum'; name: string; pos: number }
  | { kind: 'call'; name: string; args: ValueExpr[]; pos: number };

export type BoolExpr =
  | { kind: 'or'; terms: BoolExpr[] }
  | { kind: 'and'; terms: BoolExpr[] }
  | { kind: 'not'; operand: BoolExpr }
  | { kind: 'compare'; op: ComparisonOp; left: ValueExpr; right: ValueExpr }
  /** A value standing alone: `true`, `false` or a converter call. */
  | { kind: 'value'; value: ValueExpr };

export function parseCondition(text: string): BoolExpr {
  const tokens = tokenize(text);
  let index = 0;
  const peek = (offset = 0): Token => tokens[Math.min(index + offset, tokens.length - 1)]!;
  const next = (): Token => tokens[index++]!;
  const isPunct = (token: Token, text: string): boolean => token.kind === 'punct' && token.text === text;
  const isKeyword = (token: Token, word: string): boolean => token.kind === 'ident' && token.text === word;
  const expectPunct = (text: string): void => {
    const token = next();
    if (!isPunct(token, text)) throw new OttlSyntaxError(`expected "${text}" but found ${describe(token)}`, token.pos);
  };

  const parseOr = (): BoolExpr => {
    const terms = [parseAnd()];
    while (isKeyword(peek(), 'or')) {
      next();
      terms.push(parseAnd());
    }
    return terms.length === 1 ? terms[0]! : { kind: 'or', terms };
  };

  const parseAnd = (): BoolExpr => {
    const terms = [parseNot()];
    while (isKeyword(peek(), 'and')) {
      next();
      terms.push(parseNot());
    }
    return terms.length === 1 ? terms[0]! : { kind: 'and', terms };
  };

  const parseNot = (): BoolExpr => {
    if (isKeyword(peek(), 'not')) {
      next();
      return { kind: 'not', operand: parseNot() };
    }
    return parseBoolean();
  };

  const parseBoolean = (): BoolExpr => {
    if (isPunct(peek(), '(')) {
      next();
      const inner = parseOr();
      expectPunct(')');
      return inner;
    }
    const left = parseValue();
    const token = peek();
    if (token.kind === 'op') {
      next();
      const right = parseValue();
      return { kind: 'compare', op: token.text, left, right };
    }
    return { kind: 'value', value: left };
  };

  const parseValue = (): ValueExpr => {
    const value = parsePrimary();
    const after = peek();
    if (after.kind === 'punct' && '+-*/'.includes(after.text)) {
      throw new OttlSyntaxError('math expressions are not supported', after.pos);
    }
    return value;
  };

  const parsePrimary = (): ValueExpr => {
    const token = next();
    switch (token.kind) {
      case 'string':
      case 'float':
      case 'int':
      case 'bytes':
        return { kind: 'literal', value: token.value, pos: token.pos };
      case 'punct': {
        if ((token.text === '-' || token.text === '+') && (peek().kind === 'int' || peek().kind === 'float')) {
          const number = next() as Extract<Token, { kind: 'int' | 'float' }>;
          const value = token.text === '-' ? -number.value : number.value;
          return { kind: 'literal', value, pos: token.pos };
        }
        if (token.text === '[') throw new OttlSyntaxError('list values are not supported', token.pos);
        if (token.text === '{') throw new OttlSyntaxError('map values are not supported', token.pos);
        if (token.text === '(') throw new OttlSyntaxError('math expressions are not supported', token.pos);
        throw new OttlSyntaxError(`expected a value but found ${describe(token)}`, token.pos);
      }
      case 'ident':
        return parseIdentifier(token);
      default:
        throw new OttlSyntaxError(`expected a value but found ${describe(token)}`, token.pos);
    }
  };

  const parseIdentifier = (token: Extract<Token, { kind: 'ident' }>): ValueExpr => {
    const name = token.text;
    if (name === 'true' || name === 'false') return { kind: 'literal', value: name === 'true', pos: token.pos };
    if (name === 'nil') return { kind: 'literal', value: null, pos: token.pos };
    if (name === 'and' || name === 'or' || name === 'not') {
      throw new OttlSyntaxError(`expected a value but found "${name}"`, token.pos);
    }
    if (isPunct(peek(), '(')) {
      next();
      const args: ValueExpr[] = [];
      if (!isPunct(peek(), ')')) {
        for (;;) {
          if (peek().kind === 'ident' && isPunct(peek(1), '=')) {
            throw new OttlSyntaxError('named arguments are not supported', peek().pos);
          }
          args.push(parseValue());
          if (!isPunct(peek(), ',')) break;
          next();
        }
      }
      expectPunct(')');
      if (isPunct(peek(), '[')) throw new OttlSyntaxError('indexing the result of a function is not supported', peek().pos);
      return { kind: 'call', name, args, pos: token.pos };
    }
    if (/^[A-Z][A-Z0-9_]*$/.test(name) && !isPunct(peek(), '.') && !isPunct(peek(), '[')) {
      return { kind: 'enum', name, pos: token.pos };
    }
    const segments = [name];
    while (isPunct(peek(), '.')) {
      next();
      const segment = next();
      if (segment.kind !== 'ident') throw new OttlSyntaxError(`expected a path segment after "."`, segment.pos);
      segments.push(segment.text);
    }
    const keys: Array<string | bigint> = [];
    while (isPunct(peek(), '[')) {
      next();
      const key = next();
      if (key.kind === 'string' || key.kind === 'int') keys.push(key.value);
      else throw new OttlSyntaxError('only string and integer literal keys are supported in paths', key.pos);
      expectPunct(']');
    }
    if (isPunct(peek(), '.')) throw new OttlSyntaxError('a path cannot continue after a key', peek().pos);
    return { kind: 'path', segments, keys, pos: token.pos };
  };

  const condition = parseOr();
  const rest = peek();
  if (rest.kind !== 'eof') {
    throw new OttlSyntaxError(`unexpected ${describe(rest)} after the end of the condition`, rest.pos);
  }
  return condition;
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'the end of the condition';
    case 'ident':
    case 'op':
    case 'punct':
      return `"${token.text}"`;
    case 'string':
      return 'a string';
    default:
      return 'a number';
  }
}
