import type { AnyValue, InstrumentationScope, KeyValue, Resource } from './model.ts';

// Model -> OTLP/JSON objects (plain, JSON.stringify-able): int64/uint64 as decimal
// strings, bytes as base64, ids as lowercase hex, enums as integers, non-finite
// doubles as "NaN"/"Infinity"/"-Infinity", and fields holding their proto3 default
// left out. Messages the Collector's JSON marshaler always writes (resource, scope,
// span status, histogram buckets) are always written here too, possibly as {}.

export type JsonObjectOut = Record<string, unknown>;

/** A double in proto3 JSON: a number, or a string for the values JSON has no number for. */
export function doubleJson(n: number): number | string {
  if (Number.isFinite(n)) return n;
  return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
}

export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** An AnyValue as OTLP/JSON; intValue is a decimal string so every digit survives. */
export function anyValueToOtlpJson(value: AnyValue): unknown {
  switch (value.type) {
    case 'string':
      return { stringValue: value.value };
    case 'bool':
      return { boolValue: value.value };
    case 'int':
      return { intValue: value.value.toString() };
    case 'double':
      return { doubleValue: doubleJson(value.value) };
    case 'bytes':
      return { bytesValue: base64(value.value) };
    case 'array':
      return { arrayValue: value.value.length === 0 ? {} : { values: value.value.map(anyValueToOtlpJson) } };
    case 'kvlist':
      return { kvlistValue: value.value.length === 0 ? {} : { values: keyValuesJson(value.value) } };
    case 'empty':
      return {};
  }
}

export function keyValuesJson(list: readonly KeyValue[]): unknown[] {
  return list.map((kv) => ({ key: kv.key, value: anyValueToOtlpJson(kv.value) }));
}

/** Sets `out[name]` unless `value` is the field's default ('' , 0, 0n, false, empty list). */
export function put(out: JsonObjectOut, name: string, value: string | number | bigint | boolean | readonly unknown[]): void {
  switch (typeof value) {
    case 'string':
      if (value !== '') out[name] = value;
      return;
    case 'number':
      if (value !== 0 || Object.is(value, -0)) out[name] = doubleJson(value);
      return;
    case 'bigint':
      if (value !== 0n) out[name] = value.toString();
      return;
    case 'boolean':
      if (value) out[name] = true;
      return;
    default:
      if (value.length > 0) out[name] = value;
  }
}

export function putAttributes(out: JsonObjectOut, name: string, list: readonly KeyValue[]): void {
  if (list.length > 0) out[name] = keyValuesJson(list);
}

function resourceJson(resource: Resource): JsonObjectOut {
  const out: JsonObjectOut = {};
  putAttributes(out, 'attributes', resource.attributes);
  put(out, 'droppedAttributesCount', resource.droppedAttributesCount);
  return out;
}

function scopeJson(scope: InstrumentationScope): JsonObjectOut {
  const out: JsonObjectOut = {};
  put(out, 'name', scope.name);
  put(out, 'version', scope.version);
  putAttributes(out, 'attributes', scope.attributes);
  put(out, 'droppedAttributesCount', scope.droppedAttributesCount);
  return out;
}

export interface JsonEncodeShape<R, S, I> {
  /** lowerCamelCase names: e.g. resourceSpans, scopeSpans, spans. */
  readonly names: readonly [string, string, string];
  scopes(group: R): readonly S[];
  items(group: S): readonly I[];
  item(item: I): unknown;
}

/** { resourceX: [{ resource, scopeX: [{ scope, items, schemaUrl }], schemaUrl }] }; the top array is always present. */
export function envelopeToJson<R extends { resource: Resource; schemaUrl: string }, S extends { scope: InstrumentationScope; schemaUrl: string }, I>(
  groups: readonly R[],
  shape: JsonEncodeShape<R, S, I>,
): JsonObjectOut {
  const [resourcesName, scopesName, itemsName] = shape.names;
  return {
    [resourcesName]: groups.map((group) => {
      const out: JsonObjectOut = { resource: resourceJson(group.resource) };
      put(
        out,
        scopesName,
        shape.scopes(group).map((scopeGroup) => {
          const s: JsonObjectOut = { scope: scopeJson(scopeGroup.scope) };
          put(s, itemsName, shape.items(scopeGroup).map(shape.item));
          put(s, 'schemaUrl', scopeGroup.schemaUrl);
          return s;
        }),
      );
      put(out, 'schemaUrl', group.schemaUrl);
      return out;
    }),
  };
}
