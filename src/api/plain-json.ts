import type { AnyValue, KeyValue } from '../pdata/model.ts';

// Log records in the API are read by people and scripts, so attributes and bodies
// are plain JSON (`{"http.route": "/items/{item_id}"}`) rather than OTLP's typed
// wrappers. Ints stay numbers while exact; past 2^53 they become decimal strings
// so no digit is lost. Bytes are base64.

export function anyValueToPlain(value: AnyValue): unknown {
  switch (value.type) {
    case 'string':
    case 'bool':
      return value.value;
    case 'int':
      return value.value >= BigInt(Number.MIN_SAFE_INTEGER) && value.value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value.value)
        : value.value.toString();
    case 'double':
      return Number.isFinite(value.value) ? value.value : String(value.value);
    case 'bytes':
      return Buffer.from(value.value).toString('base64');
    case 'array':
      return value.value.map(anyValueToPlain);
    case 'kvlist':
      return attributesToPlain(value.value);
    case 'empty':
      return null;
  }
}

export function attributesToPlain(attributes: readonly KeyValue[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of attributes) out[key] = anyValueToPlain(value);
  return out;
}
