import type { KeyValue } from '../pdata/model.ts';
import { chDouble, doubleFromCh } from './ch-values.ts';
import { anyValueFromJson, anyValueJson, q } from './otlp-json.ts';
import type { Json } from './otlp-json.ts';
import type { RowBuffer } from './row-buffer.ts';

// Attributes are stored as five maps, one per value type, so that string
// equality is a plain Map(String, String) lookup, numeric comparison runs on
// real Int64/Float64 values (no parsing at query time), and the original type
// comes back: an int stays an int, a double a double. Values with no scalar
// column (bytes, array, kvlist, empty) keep their OTLP/JSON text in the fifth.
// Limit: the order of attributes across types is not kept (strings come back
// first, then ints, doubles, bools, the rest); within a type it is.

/** Column-name suffixes of the five maps, in the order rows carry them. */
export const ATTRIBUTE_MAP_SUFFIXES = ['String', 'Int', 'Double', 'Bool', 'Json'] as const;

/** The five map column names for a prefix such as `Attributes` or `ResourceAttributes`. */
export function attributeMapColumns(prefix: string): string[] {
  return ATTRIBUTE_MAP_SUFFIXES.map((s) => prefix + s);
}

/**
 * The five maps as JSON objects separated by commas, ready to splice into a
 * JSONCompactEachRow row. Hot path: one pass, string building only.
 */
export function attributeMapsJson(attrs: readonly KeyValue[]): string {
  if (attrs.length === 0) return '{},{},{},{},{}';
  let s = '';
  let i = '';
  let d = '';
  let b = '';
  let j = '';
  for (const { key, value } of attrs) {
    switch (value.type) {
      case 'string':
        s += (s === '' ? keyJson(key) : `,${keyJson(key)}`) + q(value.value);
        break;
      case 'int':
        i += (i === '' ? keyJson(key) : `,${keyJson(key)}`) + value.value;
        break;
      case 'double':
        d += (d === '' ? keyJson(key) : `,${keyJson(key)}`) + chDouble(value.value);
        break;
      case 'bool':
        b += (b === '' ? keyJson(key) : `,${keyJson(key)}`) + value.value;
        break;
      default:
        j += (j === '' ? keyJson(key) : `,${keyJson(key)}`) + q(anyValueJson(value));
    }
  }
  return `{${s}},{${i}},{${d}},{${b}},{${j}}`;
}

const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }
const COMMA = 0x2c;
const COLON = 0x3a;
const EMPTY_MAPS = Buffer.from('{},{},{},{},{}');
const STRING = 1;
const INT = 2;
const DOUBLE = 4;
const BOOL = 8;
const OTHER = 16;

/**
 * `"key":` as bytes, per attribute key: a service sends the same few keys on every
 * span, so a key is escaped and encoded once, not once a span. Hot path:
 * `npm run bench:store`'s encode figure 2.47-2.68 -> 2.34-2.48 µs a span (three
 * interleaved pairs, load 0.7-0.8). Keys that never repeat only refill it
 * (cleared when full).
 */
const KEY_BYTES = new Map<string, Buffer>();
const MAX_KEYS = 4096;

function keyBytes(key: string): Buffer {
  let b = KEY_BYTES.get(key);
  if (b === undefined) {
    if (KEY_BYTES.size >= MAX_KEYS) KEY_BYTES.clear();
    b = Buffer.from(`${JSON.stringify(key)}:`);
    KEY_BYTES.set(key, b);
  }
  return b;
}

/**
 * The five maps written into a row, byte for byte what `attributeMapsJson` gives.
 * Hot path (bench/store-bench.ts): a pass per type present, no strings built
 * except for the values that are not scalars.
 */
export function writeAttributeMaps(out: RowBuffer, attrs: readonly KeyValue[]): void {
  if (attrs.length === 0) {
    out.bytes(EMPTY_MAPS);
    return;
  }
  let present = 0;
  for (const { value } of attrs) {
    const t = value.type;
    present |= t === 'string' ? STRING : t === 'int' ? INT : t === 'double' ? DOUBLE : t === 'bool' ? BOOL : OTHER;
  }
  out.byte(OPEN);
  if ((present & STRING) !== 0) {
    let first = true;
    for (const { key, value } of attrs) {
      if (value.type !== 'string') continue;
      if (!first) out.byte(COMMA);
      first = false;
      out.bytes(keyBytes(key));
      out.jsonString(value.value);
    }
  }
  out.byte(CLOSE);
  out.byte(COMMA);
  out.byte(OPEN);
  if ((present & INT) !== 0) {
    let first = true;
    for (const { key, value } of attrs) {
      if (value.type !== 'int') continue;
      if (!first) out.byte(COMMA);
      first = false;
      out.bytes(keyBytes(key));
      out.ascii(value.value.toString());
    }
  }
  out.byte(CLOSE);
  out.byte(COMMA);
  out.byte(OPEN);
  if ((present & DOUBLE) !== 0) {
    let first = true;
    for (const { key, value } of attrs) {
      if (value.type !== 'double') continue;
      if (!first) out.byte(COMMA);
      first = false;
      out.bytes(keyBytes(key));
      out.ascii(chDouble(value.value));
    }
  }
  out.byte(CLOSE);
  out.byte(COMMA);
  out.byte(OPEN);
  if ((present & BOOL) !== 0) {
    let first = true;
    for (const { key, value } of attrs) {
      if (value.type !== 'bool') continue;
      if (!first) out.byte(COMMA);
      first = false;
      out.bytes(keyBytes(key));
      out.ascii(value.value ? 'true' : 'false');
    }
  }
  out.byte(CLOSE);
  out.byte(COMMA);
  out.byte(OPEN);
  if ((present & OTHER) !== 0) {
    let first = true;
    for (const { key, value } of attrs) {
      const t = value.type;
      if (t === 'string' || t === 'int' || t === 'double' || t === 'bool') continue;
      if (!first) out.byte(COMMA);
      first = false;
      out.bytes(keyBytes(key));
      out.jsonString(anyValueJson(value));
    }
  }
  out.byte(CLOSE);
}

/**
 * `"key":` for a map entry. Attribute keys repeat across nearly every row, so
 * they are quoted once and remembered (bounded: past the limit, new keys are
 * simply quoted each time).
 */
const keyCache = new Map<string, string>();
const KEY_CACHE_LIMIT = 10_000;

function keyJson(key: string): string {
  let text = keyCache.get(key);
  if (text === undefined) {
    text = `${q(key)}:`;
    if (keyCache.size < KEY_CACHE_LIMIT) keyCache.set(key, text);
  }
  return text;
}

/** The maps of one row as ClickHouse's JSON output gives them. */
export interface AttributeMaps {
  string: Record<string, string>;
  int: Record<string, string | number>;
  double: Record<string, number | string>;
  bool: Record<string, boolean>;
  json: Record<string, string>;
}

/** Reads the five maps named `${prefix}String` ... from a JSONEachRow row. */
export function attributeMapsOf(row: Record<string, unknown>, prefix: string): AttributeMaps {
  return {
    string: row[`${prefix}String`] as AttributeMaps['string'],
    int: row[`${prefix}Int`] as AttributeMaps['int'],
    double: row[`${prefix}Double`] as AttributeMaps['double'],
    bool: row[`${prefix}Bool`] as AttributeMaps['bool'],
    json: row[`${prefix}Json`] as AttributeMaps['json'],
  };
}

export function attributesFromMaps(m: AttributeMaps): KeyValue[] {
  const out: KeyValue[] = [];
  for (const [key, value] of Object.entries(m.string)) out.push({ key, value: { type: 'string', value } });
  for (const [key, value] of Object.entries(m.int)) out.push({ key, value: { type: 'int', value: BigInt(value) } });
  for (const [key, value] of Object.entries(m.double)) out.push({ key, value: { type: 'double', value: doubleFromCh(value) } });
  for (const [key, value] of Object.entries(m.bool)) out.push({ key, value: { type: 'bool', value } });
  for (const [key, value] of Object.entries(m.json)) out.push({ key, value: anyValueFromJson(JSON.parse(value) as Json) });
  return out;
}
