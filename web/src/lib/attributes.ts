import type { TypedAttribute } from '../../../src/api/types.ts';

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
