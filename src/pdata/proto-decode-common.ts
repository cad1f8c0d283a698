import { DecodeError, segment, within } from './decode-error.ts';
import type { AnyValue, InstrumentationScope, KeyValue, Resource } from './model.ts';
import { MAX_VALUE_DEPTH } from './protobuf-reader.ts';
import type { ProtoReader } from './protobuf-reader.ts';

// Decoders for the messages every signal shares (common.proto, resource.proto) and
// the resource/scope envelope around each signal's items. Each decoder is called
// with the reader on a nested message's length prefix: it enters the message,
// loops over its fields and leaves it.
//
// Field tags are spelled as numbers in `case` labels (field * 8 + wire type, e.g.
// 10 = field 1 LEN): V8 compiles a dense integer switch to a jump table, and the
// proto field list sits in a comment above each switch.
//
// A singular message field sent twice merges into the first, as protobuf requires:
// the decoders fill an object the caller created with its defaults.

/**
 * `names[field]` for the field of `tag`; '' for a field this decoder does not know,
 * whose errors (only framing ones: it is skipped) are reported at the message.
 */
export function fieldName(names: readonly string[], tag: number): string {
  return names[tag >>> 3] ?? '';
}

/** Bit set of the field numbers in `names` (for ProtoReader.skip). */
export function knownFields(names: readonly string[]): number {
  let mask = 0;
  names.forEach((name, field) => {
    if (name !== '' && field < 32) mask |= 1 << field;
  });
  return mask;
}

export const EMPTY_VALUE: AnyValue = Object.freeze({ type: 'empty' });

// AnyValue: 1 string_value, 2 bool_value, 3 int_value (int64), 4 double_value,
// 5 array_value, 6 kvlist_value, 7 bytes_value; 8 string_value_strindex belongs to
// the profiles dictionary and is skipped as unknown. A oneof sent twice: last wins.
const ANY_VALUE_FIELDS = ['', 'stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'];
const ANY_VALUE_KNOWN = knownFields(ANY_VALUE_FIELDS);

export function decodeAnyValue(r: ProtoReader): AnyValue {
  const outer = r.enter();
  if (++r.valueDepth > MAX_VALUE_DEPTH) throw new DecodeError(`values nested deeper than ${MAX_VALUE_DEPTH} levels`);
  let value = EMPTY_VALUE;
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      switch (tag) {
        case 10:
          value = { type: 'string', value: r.string() };
          break;
        case 16:
          value = { type: 'bool', value: r.bool() };
          break;
        case 24:
          value = { type: 'int', value: r.int64() };
          break;
        case 33:
          value = { type: 'double', value: r.double() };
          break;
        case 42:
          value = { type: 'array', value: decodeValues(r, [], decodeAnyValue) };
          break;
        case 50:
          value = { type: 'kvlist', value: decodeValues(r, [], decodeKeyValue) };
          break;
        case 58:
          value = { type: 'bytes', value: r.bytes() };
          break;
        default:
          r.skip(tag, ANY_VALUE_KNOWN);
      }
    }
  } catch (error) {
    throw within(error, fieldName(ANY_VALUE_FIELDS, tag));
  }
  r.valueDepth--;
  r.leave(outer);
  return value;
}

/** ArrayValue / KeyValueList: 1 values (repeated). */
function decodeValues<T>(r: ProtoReader, values: T[], decode: (r: ProtoReader) => T): T[] {
  const outer = r.enter();
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      if (tag === 10) values.push(decode(r));
      else r.skip(tag, 2);
    }
  } catch (error) {
    throw within(error, tag >>> 3 === 1 ? segment('values', tag === 10 ? values.length : -1) : '');
  }
  r.leave(outer);
  return values;
}

// KeyValue: 1 key, 2 value; 3 key_strindex (profiles dictionary) skipped.
const KEY_VALUE_FIELDS = ['', 'key', 'value'];
const KEY_VALUE_KNOWN = knownFields(KEY_VALUE_FIELDS);

export function decodeKeyValue(r: ProtoReader): KeyValue {
  const outer = r.enter();
  let key = '';
  let value = EMPTY_VALUE;
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      if (tag === 10) key = r.string();
      else if (tag === 18) value = decodeAnyValue(r);
      else r.skip(tag, KEY_VALUE_KNOWN);
    }
  } catch (error) {
    throw within(error, fieldName(KEY_VALUE_FIELDS, tag));
  }
  r.leave(outer);
  return { key, value };
}

export function emptyResource(): Resource {
  return { attributes: [], droppedAttributesCount: 0 };
}

// Resource: 1 attributes, 2 dropped_attributes_count; 3 entity_refs (development)
// has no place in the model and is skipped.
const RESOURCE_FIELDS = ['', 'attributes', 'droppedAttributesCount'];
const RESOURCE_KNOWN = knownFields(RESOURCE_FIELDS);

export function decodeResource(r: ProtoReader, into: Resource): void {
  const outer = r.enter();
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      if (tag === 10) into.attributes.push(decodeKeyValue(r));
      else if (tag === 16) into.droppedAttributesCount = r.uint32();
      else r.skip(tag, RESOURCE_KNOWN);
    }
  } catch (error) {
    throw within(error, segment(fieldName(RESOURCE_FIELDS, tag), tag === 10 ? into.attributes.length : -1));
  }
  r.leave(outer);
}

export function emptyScope(): InstrumentationScope {
  return { name: '', version: '', attributes: [], droppedAttributesCount: 0 };
}

// InstrumentationScope: 1 name, 2 version, 3 attributes, 4 dropped_attributes_count.
const SCOPE_FIELDS = ['', 'name', 'version', 'attributes', 'droppedAttributesCount'];
const SCOPE_KNOWN = knownFields(SCOPE_FIELDS);

export function decodeScope(r: ProtoReader, into: InstrumentationScope): void {
  const outer = r.enter();
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      switch (tag) {
        case 10:
          into.name = r.string();
          break;
        case 18:
          into.version = r.string();
          break;
        case 26:
          into.attributes.push(decodeKeyValue(r));
          break;
        case 32:
          into.droppedAttributesCount = r.uint32();
          break;
        default:
          r.skip(tag, SCOPE_KNOWN);
      }
    }
  } catch (error) {
    throw within(error, segment(fieldName(SCOPE_FIELDS, tag), tag === 26 ? into.attributes.length : -1));
  }
  r.leave(outer);
}
