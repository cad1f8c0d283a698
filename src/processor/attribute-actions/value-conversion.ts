import { createHash } from 'node:crypto';
import { jsonText } from '../../lib/json-text.ts';
import type { AnyValue } from '../../pdata/model.ts';

// Value operations of the Collector's attribute actions (contrib
// internal/coreinternal/attraction: hasher.go, type_converter.go), byte for byte
// where users can observe it: a hashed value must equal the Collector's so that
// both can be joined on it.

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/**
 * `hash`: SHA-256, hex. The bytes hashed are the Collector's: a string's UTF-8, a
 * bool as one byte (1/0), an int as 8 little-endian bytes, a double as its 8
 * little-endian IEEE-754 bytes. Other types (bytes, maps, lists, empty) become "",
 * as in the Collector.
 */
export function hashValue(value: AnyValue): AnyValue {
  let bytes: Buffer | undefined;
  switch (value.type) {
    case 'string':
      bytes = Buffer.from(value.value, 'utf8');
      break;
    case 'bool':
      bytes = Buffer.from([value.value ? 1 : 0]);
      break;
    case 'int':
      bytes = Buffer.alloc(8);
      bytes.writeBigInt64LE(value.value);
      break;
    case 'double':
      bytes = Buffer.alloc(8);
      bytes.writeDoubleLE(value.value);
      break;
    default:
      bytes = undefined;
  }
  const hashed = bytes && bytes.length > 0 ? createHash('sha256').update(bytes).digest('hex') : '';
  return { type: 'string', value: hashed };
}

export type ConvertedType = 'int' | 'double' | 'string';

/** `convert`: the value as `to`, or the value unchanged if it cannot be converted. */
export function convertValue(value: AnyValue, to: ConvertedType): AnyValue {
  switch (to) {
    case 'string':
      return value.type === 'string' ? value : { type: 'string', value: valueAsString(value) };
    case 'int':
      switch (value.type) {
        case 'double': {
          if (!Number.isFinite(value.value)) return value;
          const truncated = BigInt(Math.trunc(value.value));
          return { type: 'int', value: truncated < int64Min ? int64Min : truncated > int64Max ? int64Max : truncated };
        }
        case 'bool':
          return { type: 'int', value: value.value ? 1n : 0n };
        case 'string': {
          // strconv.ParseInt(s, 10, 64): an optional sign and decimal digits only.
          if (!/^[+-]?\d+$/.test(value.value)) return value;
          const parsed = BigInt(value.value);
          return parsed < int64Min || parsed > int64Max ? value : { type: 'int', value: parsed };
        }
        default:
          return value;
      }
    case 'double':
      switch (value.type) {
        case 'int':
          return { type: 'double', value: Number(value.value) };
        case 'bool':
          return { type: 'double', value: value.value ? 1 : 0 };
        case 'string': {
          const parsed = parseGoFloat(value.value);
          return parsed === undefined ? value : { type: 'double', value: parsed };
        }
        default:
          return value;
      }
  }
}

/** strconv.ParseFloat for the decimal forms (and inf / nan, any case). */
function parseGoFloat(text: string): number | undefined {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
  if (!special) return undefined;
  if (special[2]!.toLowerCase() === 'nan') return Number.NaN;
  return special[1] === '-' ? -Infinity : Infinity;
}

/** pcommon.Value.AsString, which `convert` to string and `extract` rely on. */
export function valueAsString(value: AnyValue): string {
  switch (value.type) {
    case 'string':
      return value.value;
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'int':
      return value.value.toString();
    case 'double':
      return formatGoFloat(value.value);
    case 'bytes':
      return Buffer.from(value.value).toString('base64');
    case 'array':
    case 'kvlist':
      return jsonText(toJson(value));
    case 'empty':
      return '';
  }
}

/** strconv.FormatFloat(v, 'f', -1, 64): shortest digits, never an exponent. */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Object.is(value, -0)) return '-0';
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', lead = '', rest = '', exponentText = '0'] = match;
  const digits = lead + rest;
  const exponent = Number(exponentText);
  if (exponent >= 0) return sign + digits.padEnd(exponent + 1, '0');
  return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
}

function toJson(value: AnyValue): unknown {
  switch (value.type) {
    case 'array':
      return value.value.map(toJson);
    case 'kvlist':
      return Object.fromEntries(value.value.map((kv) => [kv.key, toJson(kv.value)]));
    case 'int':
      return Number(value.value);
    case 'bytes':
      return Buffer.from(value.value).toString('base64');
    case 'empty':
      return null;
    default:
      return value.value;
  }
}
