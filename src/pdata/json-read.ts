import { DecodeError } from './decode-error.ts';
import { isWellFormedString, MAX_TIMESTAMP_NS, TIMESTAMP_TOO_LARGE, UnstorableValueError } from './decode-refusals.ts';
import { isHex } from './hex.ts';
import { JsonNumber } from './json-parse.ts';
import type { JsonObject, JsonValue } from './json-parse.ts';

// Typed readers for OTLP/JSON field values (the proto3 JSON mapping,
// https://protobuf.dev/programming-guides/json/, with OTLP's exceptions: trace and
// span ids are hex, not base64, and enums are integers, though names are accepted
// as the Collector does). Each takes the value and its JSON path (used only in the
// error message) and throws a DecodeError carrying that path.

export function fail(path: string, detail: string): never {
  throw new DecodeError(detail).within(path);
}

/** A short rendering of a JSON value for error messages. */
export function describe(v: JsonValue): string {
  if (v instanceof JsonNumber) return v.raw;
  if (typeof v === 'number') return JSON.stringify(v) ?? String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (Array.isArray(v)) return 'an array';
  if (v !== null && typeof v === 'object') return 'an object';
  return String(v);
}

export function readObject(v: JsonValue, path: string): JsonObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof JsonNumber) {
    fail(path, `expected an object, got ${describe(v)}`);
  }
  return v;
}

/** A repeated field. (A null field is skipped by the message decoders, as proto3 JSON reads it as the default.) */
export function readArray(v: JsonValue, path: string): JsonValue[] {
  if (!Array.isArray(v)) fail(path, `expected an array, got ${describe(v)}`);
  return v;
}

/** A string field's value: text that has a UTF-8 form, so storage can keep it. */
export function readString(v: JsonValue, path: string): string {
  const s = stringOf(v, path);
  // JSON text is UTF-8 (checked as it is read), but a \ud800 escape spells a lone
  // surrogate, which no UTF-8 encoder can write: refused as an unstorable value.
  if (!isWellFormedString(s)) throw new UnstorableValueError('lone UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair): not valid Unicode text').within(path);
  return s;
}

/** A JSON string whose text is then checked for its own syntax (ids, base64, enum names). */
function stringOf(v: JsonValue, path: string): string {
  if (typeof v !== 'string') fail(path, `expected a string, got ${describe(v)}`);
  return v;
}

export function readBool(v: JsonValue, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, `expected true or false, got ${describe(v)}`);
  return v;
}

const INTEGER = /^-?\d+$/;
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * The exact integer spelled by a JSON number or a string (proto3 JSON allows both
 * for 64-bit fields); undefined when it is not an integer. `1.5e3` counts (it is
 * 1500), `1.5` does not. Never passes through a JS number.
 */
function exactInteger(v: JsonValue): bigint | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : undefined;
  const text = v instanceof JsonNumber ? v.raw : typeof v === 'string' ? v.trim() : undefined;
  if (text === undefined || text === '' || text.length > 400) return undefined;
  if (INTEGER.test(text)) return BigInt(text);
  const m = DECIMAL.exec(text);
  if (m === null) return undefined;
  const [, sign, whole, fraction = '', exponent = '0'] = m;
  let digits = whole! + fraction;
  let scale = Number(exponent) - fraction.length;
  if (scale < 0) {
    if (!/^0*$/.test(digits.slice(scale))) return undefined;
    digits = digits.slice(0, scale) || '0';
    scale = 0;
  }
  if (scale > 40) return undefined;
  const n = BigInt(digits) * 10n ** BigInt(scale);
  return sign === '-' ? -n : n;
}

function readInteger(v: JsonValue, path: string, min: bigint, max: bigint): bigint {
  const n = exactInteger(v);
  if (n === undefined) fail(path, `expected an integer, got ${describe(v)}`);
  if (n < min || n > max) fail(path, `integer ${describe(v)} out of range [${min}, ${max}]`);
  return n;
}

const U64_MAX = 0xffffffffffffffffn;
const I64_MIN = -0x8000000000000000n;
const I64_MAX = 0x7fffffffffffffffn;

/** uint64 and fixed64 fields: counts, times not kept in DateTime64 columns. */
export function readUint64(v: JsonValue, path: string): bigint {
  return readInteger(v, path, 0n, U64_MAX);
}

/** A fixed64 time kept in a DateTime64(9) column (decode-refusals.ts): refused from 2^63 on. */
export function readTimestamp(v: JsonValue, path: string): bigint {
  const ns = readInteger(v, path, 0n, U64_MAX);
  if (ns > MAX_TIMESTAMP_NS) throw new UnstorableValueError(TIMESTAMP_TOO_LARGE).within(path);
  return ns;
}

/** int64 and sfixed64 fields: intValue, asInt. */
export function readInt64(v: JsonValue, path: string): bigint {
  return readInteger(v, path, I64_MIN, I64_MAX);
}

export function readUint32(v: JsonValue, path: string): number {
  return Number(readInteger(v, path, 0n, 0xffffffffn));
}

export function readInt32(v: JsonValue, path: string): number {
  return Number(readInteger(v, path, -0x80000000n, 0x7fffffffn));
}

/** An enum: its integer (OTLP/JSON) or its name (what jsonpb senders write). */
export function readEnum(v: JsonValue, path: string, names: Readonly<Record<string, number>>): number {
  if (typeof v === 'string' && Object.hasOwn(names, v)) return names[v]!;
  if (typeof v === 'string' && !INTEGER.test(v.trim())) fail(path, `unknown enum value ${describe(v)}`);
  return readInt32(v, path);
}

const SPECIAL_DOUBLES: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** A double: a JSON number, or a string ("NaN", "Infinity", "-Infinity", or a numeric literal). */
export function readDouble(v: JsonValue, path: string): number {
  if (v instanceof JsonNumber) return Number(v.raw);
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (Object.hasOwn(SPECIAL_DOUBLES, v)) return SPECIAL_DOUBLES[v]!;
    if (DECIMAL.test(v.trim())) return Number(v);
  }
  fail(path, `expected a number, got ${describe(v)}`);
}

// Standard or URL-safe alphabet, padding optional: protobuf JSON parsers accept all four.
const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;

export function readBytes(v: JsonValue, path: string): Uint8Array {
  const s = stringOf(v, path);
  if (!BASE64.test(s) || s.replace(/=+$/, '').length % 4 === 1) fail(path, `expected base64, got ${describe(v)}`);
  return new Uint8Array(Buffer.from(s, 'base64'));
}

/** A trace (16) or span (8) id: hex of either case, lowercased; '' when empty. */
export function readId(v: JsonValue, path: string, size: number): string {
  const s = stringOf(v, path);
  if (s === '') return '';
  if (s.length !== 2 * size || !isHex(s)) fail(path, `expected ${2 * size} hex digits, got ${describe(v)}`);
  return s.toLowerCase();
}

/** `${path}.${name}`, or `name` at the top. */
export function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}
