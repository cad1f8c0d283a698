import type { OtlpAnyValueJson, OtlpKeyValueJson, TypedAttribute } from '../../../src/api/types.ts';

// Attribute values shown as text: every value goes through String/JSON.stringify
// into a React text node, never into HTML.

export function formatAttributeValue(attribute: TypedAttribute): string {
  const { value, type } = attribute;
  if (type === 'string' || type === 'bytes') return String(value);
  if (type === 'empty') return '(empty)';
  if (type === 'array' || type === 'kvlist') return JSON.stringify(value);
  return String(value);
}

export function formatPlainValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** OTLP/JSON AnyValue to the plain value and type of a TypedAttribute. */
export function anyValueToTyped(key: string, value: OtlpAnyValueJson): TypedAttribute {
  if ('stringValue' in value) return { key, type: 'string', value: value.stringValue };
  if ('intValue' in value) return { key, type: 'int', value: value.intValue };
  if ('doubleValue' in value) return { key, type: 'double', value: value.doubleValue };
  if ('boolValue' in value) return { key, type: 'bool', value: value.boolValue };
  if ('bytesValue' in value) return { key, type: 'bytes', value: value.bytesValue };
  if ('arrayValue' in value) return { key, type: 'array', value: (value.arrayValue.values ?? []).map((v) => anyValueToTyped('', v).value) };
  if ('kvlistValue' in value) {
    return { key, type: 'kvlist', value: Object.fromEntries((value.kvlistValue.values ?? []).map((kv) => [kv.key, anyValueToTyped(kv.key, kv.value).value])) };
  }
  return { key, type: 'empty', value: null };
}

export function keyValuesToTyped(list: OtlpKeyValueJson[] | undefined): TypedAttribute[] {
  return (list ?? []).map((kv) => anyValueToTyped(kv.key, kv.value));
}

/** Plain-JSON attributes of a log record as typed rows (the type inferred from the JSON value). */
export function plainToTyped(record: Record<string, unknown>): TypedAttribute[] {
  return Object.entries(record).map(([key, value]) => ({
    key,
    value,
    type: typeof value === 'string' ? 'string'
      : typeof value === 'boolean' ? 'bool'
      : typeof value === 'number' ? (Number.isInteger(value) ? 'int' : 'double')
      : Array.isArray(value) ? 'array'
      : value === null ? 'empty' : 'kvlist',
  }));
}
