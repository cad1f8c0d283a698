import { anyValueFromOtlpJson } from '../pdata/index.ts';
import type { AnyValue, KeyValue } from '../pdata/model.ts';

// OTLP/JSON text for the parts of a row kept as JSON strings (non-scalar attribute
// values, events, links, scope attributes, exemplars, metric metadata). It is the
// OTLP/JSON encoding (proto3 JSON: int64 as decimal strings, bytes as base64, ids
// as hex), so a stored value reads the same as what the sender posted and nothing
// needs a private format.
//
// Written as string building rather than JSON.stringify of objects: it runs for
// every span on the insert path (bench/store-bench.ts), and building the object
// first costs as much again as the stringify.
//
// Reading goes through the codec (anyValueFromOtlpJson in src/pdata). Writing
// does not use the codec's anyValueToOtlpJson: that builds objects (the cost above)
// and writes -0 as 0 (JSON.stringify drops the sign), which storage must keep.
// sql.test.ts checks that the codec reads back every kind written here.

/**
 * Characters JSON.stringify would escape (quote, backslash, controls) or rewrite
 * (lone surrogates; a pair also lands here and simply takes the slow path).
 */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * A JSON string literal, identical to JSON.stringify(s). Most strings need no
 * escaping, and the regex test plus concatenation is ~40% cheaper than the
 * builtin for the short strings of a span (bench/store-bench.ts).
 */
export function q(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** An OTLP/JSON double: proto3 JSON spells the non-finite values as strings. */
export function otlpDouble(n: number): string {
  if (Number.isFinite(n)) return Object.is(n, -0) ? '-0' : String(n);
  return Number.isNaN(n) ? '"NaN"' : n > 0 ? '"Infinity"' : '"-Infinity"';
}

export function anyValueJson(v: AnyValue): string {
  switch (v.type) {
    case 'string':
      return `{"stringValue":${q(v.value)}}`;
    case 'bool':
      return v.value ? '{"boolValue":true}' : '{"boolValue":false}';
    case 'int':
      return `{"intValue":"${v.value}"}`;
    case 'double':
      return `{"doubleValue":${otlpDouble(v.value)}}`;
    case 'bytes':
      return `{"bytesValue":"${Buffer.from(v.value.buffer, v.value.byteOffset, v.value.byteLength).toString('base64')}"}`;
    case 'array': {
      let out = '';
      for (const item of v.value) out += (out === '' ? '' : ',') + anyValueJson(item);
      return `{"arrayValue":{"values":[${out}]}}`;
    }
    case 'kvlist':
      return `{"kvlistValue":{"values":${keyValuesJson(v.value)}}}`;
    case 'empty':
      return '{}';
  }
}

export function keyValuesJson(kvs: readonly KeyValue[]): string {
  if (kvs.length === 0) return '[]';
  let out = '';
  for (const kv of kvs) out += `${out === '' ? '' : ','}{"key":${q(kv.key)},"value":${anyValueJson(kv.value)}}`;
  return `[${out}]`;
}

// ---------------------------------------------------------------- reading

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function doubleFromOtlp(v: Json | undefined): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  return Number(v ?? 0);
}

/** An AnyValue from its stored OTLP/JSON (already parsed). */
export function anyValueFromJson(j: Json | undefined): AnyValue {
  return j === undefined ? { type: 'empty' } : anyValueFromOtlpJson(j, 'stored value');
}

export function keyValuesFromJson(j: Json | undefined): KeyValue[] {
  if (!Array.isArray(j)) return [];
  return j.map((kv) => {
    const o = kv as { key?: Json; value?: Json };
    return { key: String(o.key ?? ''), value: anyValueFromJson(o.value) };
  });
}
