import { JsonNumber, parseOtlpJson } from './json-parse.ts';
import type { JsonObject, JsonValue } from './json-parse.ts';
import {
  child,
  describe,
  fail,
  readArray,
  readBool,
  readBytes,
  readDouble,
  readInt64,
  readObject,
  readString,
  readUint32,
} from './json-read.ts';
import type { AnyValue, InstrumentationScope, KeyValue, Resource } from './model.ts';
import { UnstorableValueError } from './decode-refusals.ts';
import type { DecodeRefusals } from './decode-refusals.ts';
import { EMPTY_VALUE } from './proto-decode-common.ts';
import { MAX_VALUE_DEPTH } from './protobuf-reader.ts';

// OTLP/JSON decoding of the messages every signal shares, and the resource/scope
// envelope. Field names are accepted in lowerCamelCase (the OTLP/JSON spelling)
// and in the proto's snake_case (protobuf JSON parsers must accept both; the
// Collector does): each key goes through camel() before the switch, and errors
// always name the lowerCamelCase path. Unknown fields are
// skipped, and a null field reads as its default (proto3 JSON).

/** Each element of a repeated field, decoded with its `path[i]`. */
export function readList<T>(v: JsonValue, path: string, decode: (v: JsonValue, path: string) => T): T[] {
  const list = readArray(v, path);
  const out: T[] = [];
  for (let i = 0; i < list.length; i++) out.push(decode(list[i]!, `${path}[${i}]`));
  return out;
}

/** The lowerCamelCase spelling of a field name that may be in snake_case. */
export function camel(key: string): string {
  return key.includes('_') ? key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) : key;
}

export function decodeAnyValueJson(v: JsonValue, path: string): AnyValue {
  return anyValueAt(v, path, 0);
}

export function decodeKeyValueJson(v: JsonValue, path: string): KeyValue {
  return keyValueAt(v, path, 0);
}

/**
 * `depth` counts arrays and kvlists around the value: JSON.parse reads any depth,
 * and this recursion must not overflow the stack, so nesting stops where the
 * protobuf decoder's does (MAX_VALUE_DEPTH).
 */
function anyValueAt(v: JsonValue, path: string, depth: number): AnyValue {
  if (depth > MAX_VALUE_DEPTH) fail(path, `values nested deeper than ${MAX_VALUE_DEPTH} levels`);
  const o = readObject(v, path);
  let value = EMPTY_VALUE;
  // A oneof sent with several members: the last one wins, as in the protobuf decoder.
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    switch (camel(key)) {
      case 'stringValue':
        value = { type: 'string', value: readString(f, child(path, 'stringValue')) };
        break;
      case 'boolValue':
        value = { type: 'bool', value: readBool(f, child(path, 'boolValue')) };
        break;
      case 'intValue':
        value = { type: 'int', value: readInt64(f, child(path, 'intValue')) };
        break;
      case 'doubleValue':
        value = { type: 'double', value: readDouble(f, child(path, 'doubleValue')) };
        break;
      case 'bytesValue':
        value = { type: 'bytes', value: readBytes(f, child(path, 'bytesValue')) };
        break;
      case 'arrayValue':
        value = { type: 'array', value: readValues(f, child(path, 'arrayValue'), (x, p) => anyValueAt(x, p, depth + 1)) };
        break;
      case 'kvlistValue':
        value = { type: 'kvlist', value: readValues(f, child(path, 'kvlistValue'), (x, p) => keyValueAt(x, p, depth + 1)) };
        break;
    }
  }
  return value;
}

/** ArrayValue / KeyValueList: { values: [...] }. */
function readValues<T>(v: JsonValue, path: string, decode: (v: JsonValue, path: string) => T): T[] {
  const o = readObject(v, path);
  const values = o['values'];
  return values === null || values === undefined ? [] : readList(values, child(path, 'values'), decode);
}

function keyValueAt(v: JsonValue, path: string, depth: number): KeyValue {
  const o = readObject(v, path);
  let key = '';
  let value = EMPTY_VALUE;
  for (const name in o) {
    const f = o[name];
    if (f === null || f === undefined) continue;
    if (name === 'key') key = readString(f, child(path, 'key'));
    else if (name === 'value') value = anyValueAt(f, child(path, 'value'), depth);
  }
  return { key, value };
}

export function readAttributes(v: JsonValue, path: string): KeyValue[] {
  return readList(v, path, decodeKeyValueJson);
}

function decodeResourceJson(v: JsonValue, path: string): Resource {
  const o = readObject(v, path);
  const resource: Resource = { attributes: [], droppedAttributesCount: 0 };
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    const name = camel(key);
    if (name === 'attributes') resource.attributes = readAttributes(f, child(path, 'attributes'));
    else if (name === 'droppedAttributesCount') resource.droppedAttributesCount = readUint32(f, child(path, name));
  }
  return resource;
}

function decodeScopeJson(v: JsonValue, path: string): InstrumentationScope {
  const o = readObject(v, path);
  const scope: InstrumentationScope = { name: '', version: '', attributes: [], droppedAttributesCount: 0 };
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    switch (camel(key)) {
      case 'name':
        scope.name = readString(f, child(path, 'name'));
        break;
      case 'version':
        scope.version = readString(f, child(path, 'version'));
        break;
      case 'attributes':
        scope.attributes = readAttributes(f, child(path, 'attributes'));
        break;
      case 'droppedAttributesCount':
        scope.droppedAttributesCount = readUint32(f, child(path, 'droppedAttributesCount'));
        break;
    }
  }
  return scope;
}

export interface JsonEnvelopeShape<Item, ScopeGroup, ResourceGroup> {
  /** lowerCamelCase names: e.g. resourceSpans, scopeSpans, spans. */
  readonly names: readonly [string, string, string];
  /** Decodes one item; `refusals` takes the parts it refuses alone (data points). */
  decodeItem(v: JsonValue, path: string, refusals: DecodeRefusals | undefined): Item;
  /** The refusal unit in a decoded item: 1 for a span or log record, a metric's data points. */
  units(item: Item): number;
  /** The units in an item's JSON value (one that failed to decode). */
  unitsIn(v: JsonValue): number;
  scopeGroup(scope: InstrumentationScope, items: Item[], schemaUrl: string): ScopeGroup;
  resourceGroup(resource: Resource, scopes: ScopeGroup[], schemaUrl: string): ResourceGroup;
}

/** Whether `error` is a value to refuse an item for, rather than a reason to fail the decode. */
export function refusableJson(error: unknown, refusals: DecodeRefusals | undefined): error is UnstorableValueError {
  return error instanceof UnstorableValueError && refusals !== undefined;
}

/**
 * Parses the request text and decodes its resource groups (field names from
 * `shape`). With `refusals`, items holding values storage cannot keep are left
 * out and reported there (as proto-decode-envelope.ts does for protobuf).
 */
export function decodeJsonEnvelope<I, S, R>(text: string, shape: JsonEnvelopeShape<I, S, R>, refusals?: DecodeRefusals): R[] {
  const root = parseOtlpJson(text);
  if (root === null || typeof root !== 'object' || Array.isArray(root) || root instanceof JsonNumber) {
    fail('', `expected a JSON object (${shape.names[0]}), got ${describe(root)}`);
  }
  const [resourcesName, scopesName, itemsName] = shape.names;

  /** Runs `decode`; an unstorable value in it is returned (when refusals are taken) instead of thrown. */
  const attempt = (decode: () => void): UnstorableValueError | undefined => {
    try {
      decode();
      return undefined;
    } catch (error) {
      if (!refusableJson(error, refusals)) throw error;
      return error;
    }
  };

  const decodeScopeGroup = (v: JsonValue, path: string): { group: S; kept: number } | undefined => {
    const o = readObject(v, path);
    let scope: InstrumentationScope = { name: '', version: '', attributes: [], droppedAttributesCount: 0 };
    const items: I[] = [];
    let kept = 0;
    let refused: UnstorableValueError | undefined;
    let schemaUrl = '';
    for (const key in o) {
      const f = o[key];
      if (f === null || f === undefined) continue;
      const name = camel(key);
      if (name === itemsName) {
        // The field spelled twice (camelCase and snake_case): the last one wins.
        items.length = 0;
        kept = 0;
        const list = readArray(f, child(path, itemsName));
        for (let i = 0; i < list.length; i++) {
          const value = list[i]!;
          if (refusals !== undefined) refusals.unitsRefusedInItem = 0;
          const error = attempt(() => {
            const item = shape.decodeItem(value, `${path}.${itemsName}[${i}]`, refusals);
            items.push(item);
            kept += shape.units(item);
          });
          if (error !== undefined) refusals!.refuse('', error, shape.unitsIn(value) - refusals!.unitsRefusedInItem);
        }
      } else if (name === 'scope') refused ??= attempt(() => (scope = decodeScopeJson(f, child(path, 'scope'))));
      else if (name === 'schemaUrl') refused ??= attempt(() => (schemaUrl = readString(f, child(path, 'schemaUrl'))));
    }
    if (refused !== undefined) {
      refusals!.refuse('', refused, kept);
      return undefined;
    }
    return { group: shape.scopeGroup(scope, items, schemaUrl), kept };
  };

  const decodeResourceGroup = (v: JsonValue, path: string): R | undefined => {
    const o = readObject(v, path);
    let resource: Resource = { attributes: [], droppedAttributesCount: 0 };
    const scopes: S[] = [];
    let kept = 0;
    let refused: UnstorableValueError | undefined;
    let schemaUrl = '';
    for (const key in o) {
      const f = o[key];
      if (f === null || f === undefined) continue;
      const name = camel(key);
      if (name === 'resource') refused ??= attempt(() => (resource = decodeResourceJson(f, child(path, 'resource'))));
      else if (name === scopesName) {
        scopes.length = 0;
        kept = 0;
        const list = readArray(f, child(path, scopesName));
        for (let i = 0; i < list.length; i++) {
          const scoped = decodeScopeGroup(list[i]!, `${path}.${scopesName}[${i}]`);
          if (scoped === undefined) continue;
          scopes.push(scoped.group);
          kept += scoped.kept;
        }
      } else if (name === 'schemaUrl') refused ??= attempt(() => (schemaUrl = readString(f, child(path, 'schemaUrl'))));
    }
    if (refused !== undefined) {
      refusals!.refuse('', refused, kept);
      return undefined;
    }
    return shape.resourceGroup(resource, scopes, schemaUrl);
  };

  const groups: R[] = [];
  for (const key in root) {
    const f = root[key];
    if (f === null || f === undefined || camel(key) !== resourcesName) continue;
    groups.length = 0;
    const list = readArray(f, resourcesName);
    for (let i = 0; i < list.length; i++) {
      const group = decodeResourceGroup(list[i]!, `${resourcesName}[${i}]`);
      if (group !== undefined) groups.push(group);
    }
  }
  return groups;
}

/**
 * An AnyValue from its OTLP/JSON form, parsed by us or by JSON.parse (storage keeps
 * complex attribute values as the text anyValueToOtlpJson makes, whose intValue is
 * a string, so JSON.parse keeps it exact). `path` names the value in errors.
 */
export function anyValueFromOtlpJson(json: unknown, path: string): AnyValue {
  return decodeAnyValueJson(json as JsonValue, path);
}
