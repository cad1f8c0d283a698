// The only helpers that put text into SQL. Identifiers pass `ident()`; every value
// a user can influence is bound as a `{name:Type}` query parameter through
// `QueryParams` (STYLE.md habit 4), so no value is ever spliced into a statement.

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A database, table or column name, back-quoted; anything else is refused. */
export function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a valid SQL identifier: ${JSON.stringify(name)}`);
  return `\`${name}\``;
}

/** ClickHouse types used for parameters (the `Type` in `{name:Type}`). */
export type ParamType = 'String' | 'Int64' | 'UInt32' | 'Float64' | 'Bool' | 'Int32' | 'Array(String)' | 'Array(UInt64)';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Collects bound values for one statement. `bind()` returns the placeholder to
 * write into the SQL; the value itself only ever travels in `values`.
 */
export class QueryParams {
  readonly values: Record<string, unknown> = {};
  #next = 0;

  bind(type: ParamType, value: string | number | bigint | boolean | readonly string[] | readonly bigint[]): string {
    const name = `p${this.#next++}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }

  /** An Int64, clamped: a bound past the range means "no limit" there. */
  bindInt64(n: bigint): string {
    return this.bind('Int64', n < INT64_MIN ? INT64_MIN : n > INT64_MAX ? INT64_MAX : n);
  }

  /** A Unix-nanosecond instant as a DateTime64(9) expression (a signed 64-bit count). */
  bindNs(ns: bigint): string {
    return `fromUnixTimestamp64Nano(${this.bindInt64(ns)})`;
  }
}

/**
 * A LIKE pattern matching `text` anywhere: `%`, `_` and `\` in the text are
 * escaped so they match themselves (ClickHouse LIKE escapes with a backslash).
 * The result is a value to bind, never SQL.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A non-negative integer for the few DDL spots that take no parameters (a TTL
 * interval). It comes from validated configuration, and is checked again here
 * because it is spliced into SQL.
 */
export function intLiteral(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a non-negative integer: ${n}`);
  return String(n);
}
