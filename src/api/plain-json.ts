import type { AnyValue, KeyValue } from '../pdata/model.ts';

// Log records in the API are read by people and scripts, so attributes and bodies
// are plain JSON (`{"http.route": "/items/{item_id}"}`) rather than OTLP's typed
// wrappers. Ints stay numbers while exact; past 2^53 they become decimal strings
// so no digit is lost. Bytes are base64. Doubles stay numbers, -0 included (the
// API writes its answers with jsonText, which keeps the sign); NaN and the
// infinities, which JSON has no number for, become "NaN", "Infinity", "-Infinity".

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

/**
 * Keys are data: `out[key] = v` with the key `__proto__` would set the object's
 * prototype instead of adding a key (and drop it from the JSON), so every key is
 * defined as an own property. A repeated key keeps its first place, the last value.
 */
export function attributesToPlain(attributes: readonly KeyValue[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of attributes) {
    Object.defineProperty(out, key, { value: anyValueToPlain(value), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
