import { jsonText } from '../../lib/json-text.ts';
import type { AnyValue, KeyValue } from '../../pdata/model.ts';
import type { ComparisonOp } from './lexer.ts';

// OTTL values at evaluation time and the comparison rules of pkg/ottl LANGUAGE.md
// ("Comparison Rules"): nil equals only nil; values of different types are "not
// equal" (`!=` is true, every other operator false), except int and float, which
// compare as float; strings compare as strings, bools with false < true, byte
// slices byte by byte; maps and lists support only == and !=.

export interface OttlMap {
  readonly kind: 'map';
  readonly entries: readonly KeyValue[];
}

export interface OttlList {
  readonly kind: 'list';
  readonly values: readonly AnyValue[];
}

/** nil, string, bool, int64 (bigint), float64 (number), bytes, map, list. */
export type OttlValue = null | string | boolean | bigint | number | Uint8Array | OttlMap | OttlList;

/** Evaluation failed for this item (e.g. a string indexed like a map). */
export class OttlEvalError extends Error {
  readonly code = 'ottl_eval';
}

export function fromAnyValue(value: AnyValue): OttlValue {
  switch (value.type) {
    case 'string':
    case 'bool':
    case 'int':
    case 'double':
    case 'bytes':
      return value.value;
    case 'array':
      return { kind: 'list', values: value.value };
    case 'kvlist':
      return { kind: 'map', entries: value.value };
    case 'empty':
      return null;
  }
}

export function mapOf(entries: readonly KeyValue[]): OttlMap {
  return { kind: 'map', entries };
}

/** A missing key reads as nil, so `attributes["k"] != nil` tests presence. */
export function lookup(entries: readonly KeyValue[], key: string): OttlValue {
  for (const entry of entries) if (entry.key === key) return fromAnyValue(entry.value);
  return null;
}

export function index(value: OttlValue, key: string | bigint): OttlValue {
  if (value === null) return null;
  if (typeof value === 'object' && !(value instanceof Uint8Array)) {
    if (value.kind === 'map' && typeof key === 'string') return lookup(value.entries, key);
    if (value.kind === 'list' && typeof key === 'bigint') {
      const element = key >= 0n && key < BigInt(value.values.length) ? value.values[Number(key)] : undefined;
      if (element === undefined) throw new OttlEvalError(`index ${key} is out of range (list of ${value.values.length})`);
      return fromAnyValue(element);
    }
  }
  throw new OttlEvalError(`cannot index ${typeName(value)} with ${typeof key === 'string' ? 'a string' : 'an integer'} key`);
}

export function typeName(value: OttlValue): string {
  if (value === null) return 'nil';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'float';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (value instanceof Uint8Array) return 'bytes';
  return value.kind;
}

export function compare(left: OttlValue, right: OttlValue, op: ComparisonOp): boolean {
  const order = ordering(left, right);
  switch (op) {
    case '==':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order !== undefined && order !== 'unordered' && order < 0;
    case '<=':
      return order !== undefined && order !== 'unordered' && order <= 0;
    case '>':
      return order !== undefined && order !== 'unordered' && order > 0;
    case '>=':
      return order !== undefined && order !== 'unordered' && order >= 0;
  }
}

/**
 * -1, 0, 1 when ordered; 'unordered' for equal-type values that only support
 * equality and are different (maps, lists); undefined for "not equal" pairs.
 */
function ordering(left: OttlValue, right: OttlValue): number | 'unordered' | undefined {
  if (left === null || right === null) return left === right ? 0 : undefined;
  if (typeof left === 'bigint' && typeof right === 'bigint') return sign(left < right, left > right);
  if ((typeof left === 'bigint' || typeof left === 'number') && (typeof right === 'bigint' || typeof right === 'number')) {
    const a = Number(left);
    const b = Number(right);
    // NaN is neither less, equal nor greater: every operator but != is false.
    if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
    return sign(a < b, a > b);
  }
  if (typeof left === 'string' && typeof right === 'string') return sign(left < right, left > right);
  if (typeof left === 'boolean' && typeof right === 'boolean') return sign(!left && right, left && !right);
  if (left instanceof Uint8Array && right instanceof Uint8Array) return Buffer.compare(left, right);
  if (typeof left === 'object' && typeof right === 'object' && !(left instanceof Uint8Array) && !(right instanceof Uint8Array)) {
    if (left.kind !== right.kind) return undefined;
    return sameValue(left, right) ? 0 : 'unordered';
  }
  return undefined;
}

function sign(less: boolean, greater: boolean): number {
  return less ? -1 : greater ? 1 : 0;
}

function sameValue(left: OttlValue, right: OttlValue): boolean {
  if (left === null || right === null) return left === right;
  if (typeof left !== 'object' || typeof right !== 'object') return typeof left === typeof right && left === right;
  if (left instanceof Uint8Array || right instanceof Uint8Array) {
    return left instanceof Uint8Array && right instanceof Uint8Array && Buffer.compare(left, right) === 0;
  }
  if (left.kind === 'list' && right.kind === 'list') {
    return (
      left.values.length === right.values.length &&
      left.values.every((value, i) => sameValue(fromAnyValue(value), fromAnyValue(right.values[i]!)))
    );
  }
  if (left.kind === 'map' && right.kind === 'map') {
    return (
      left.entries.length === right.entries.length &&
      left.entries.every((entry) => sameValue(fromAnyValue(entry.value), lookup(right.entries, entry.key)))
    );
  }
  return false;
}

/**
 * The string form OTTL's StringLikeGetter gives a value (used by IsMatch): ints and
 * floats in decimal, bools as true/false, bytes as hex, maps and lists as JSON.
 */
export function stringLike(value: Exclude<OttlValue, null>): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Object.is(value, -0)) return '-0';
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return jsonText(toJson(value));
}

function toJson(value: OttlValue): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value.kind === 'list') return value.values.map((v) => toJson(fromAnyValue(v)));
  return Object.fromEntries(value.entries.map((e) => [e.key, toJson(fromAnyValue(e.value))]));
}
