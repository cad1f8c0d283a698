import type { AnyValue, InstrumentationScope, KeyValue, Resource } from './model.ts';
import { ProtoWriter } from './protobuf-writer.ts';

// Encoders for common.proto, resource.proto and the resource/scope envelope
// shared by the signals (field numbers in proto-decode-common.ts and
// proto-decode-envelope.ts). Fields are written in field-number order.

/** The fields of an AnyValue (the caller wrote its tag and forked). */
function writeAnyValueBody(w: ProtoWriter, v: AnyValue): void {
  switch (v.type) {
    // Oneof members have presence: written even when they hold the default.
    case 'string':
      w.uint32(10);
      w.string(v.value);
      return;
    case 'bool':
      w.uint32(16);
      w.bool(v.value);
      return;
    case 'int':
      w.uint32(24);
      w.uint64(v.value);
      return;
    case 'double':
      w.uint32(33);
      w.double(v.value);
      return;
    case 'array': {
      w.uint32(42);
      const start = w.fork();
      for (const item of v.value) writeAnyValue(w, 10, item);
      w.join(start);
      return;
    }
    case 'kvlist': {
      w.uint32(50);
      const start = w.fork();
      writeKeyValues(w, 10, v.value);
      w.join(start);
      return;
    }
    case 'bytes':
      w.uint32(58);
      w.bytesField(v.value);
      return;
    case 'empty':
      return;
  }
}

export function writeAnyValue(w: ProtoWriter, tag: number, v: AnyValue): void {
  w.uint32(tag);
  const start = w.fork();
  writeAnyValueBody(w, v);
  w.join(start);
}

/** Each KeyValue { 1 key, 2 value } of `list` as field `tag`. */
export function writeKeyValues(w: ProtoWriter, tag: number, list: readonly KeyValue[]): void {
  for (let i = 0; i < list.length; i++) {
    const kv = list[i]!;
    w.uint32(tag);
    const start = w.fork();
    if (kv.key !== '') {
      w.uint32(10);
      w.string(kv.key);
    }
    writeAnyValue(w, 18, kv.value);
    w.join(start);
  }
}

export function writeStringField(w: ProtoWriter, tag: number, s: string): void {
  if (s === '') return;
  w.uint32(tag);
  w.string(s);
}

export function writeUint32Field(w: ProtoWriter, tag: number, n: number): void {
  if (n === 0) return;
  w.uint32(tag);
  w.uint32(n);
}

export function writeInt32Field(w: ProtoWriter, tag: number, n: number): void {
  if (n === 0) return;
  w.uint32(tag);
  w.int32(n);
}

export function writeFixed64Field(w: ProtoWriter, tag: number, n: bigint): void {
  if (n === 0n) return;
  w.uint32(tag);
  w.fixed64(n);
}

export function writeDoubleField(w: ProtoWriter, tag: number, n: number): void {
  // -0 is not the default: its bits differ, and proto3 keeps it.
  if (n === 0 && !Object.is(n, -0)) return;
  w.uint32(tag);
  w.double(n);
}

export function writeIdField(w: ProtoWriter, tag: number, hex: string, size: number): void {
  if (hex === '') return;
  w.uint32(tag);
  w.id(hex, size);
}

function writeResource(w: ProtoWriter, tag: number, resource: Resource): void {
  w.uint32(tag);
  const start = w.fork(2);
  writeKeyValues(w, 10, resource.attributes);
  writeUint32Field(w, 16, resource.droppedAttributesCount);
  w.join(start, 2);
}

function writeScope(w: ProtoWriter, tag: number, scope: InstrumentationScope): void {
  w.uint32(tag);
  const start = w.fork();
  writeStringField(w, 10, scope.name);
  writeStringField(w, 18, scope.version);
  writeKeyValues(w, 26, scope.attributes);
  writeUint32Field(w, 32, scope.droppedAttributesCount);
  w.join(start);
}

export interface EncodeShape<R, S, I> {
  scopes(group: R): readonly S[];
  items(group: S): readonly I[];
  /** Writes one item's fields (the envelope wrote its tag and forked). */
  writeItem(w: ProtoWriter, item: I): void;
  /** Length prefix to reserve per item: 2 fits items of 128 B to 16 KiB, most spans. */
  itemPrefixBytes: number;
}

/** XData { 1 ResourceX { 1 resource, 2 ScopeX { 1 scope, 2 item, 3 schema_url }, 3 schema_url } }. */
// One writer reused by every request encode: growing a fresh buffer from a few KiB
// to a 200 KiB request cost 15% of encode time (bench/decode-bench.ts); reusing one
// costs a single copy of the result. Encoding is synchronous, so it is never shared
// by two encodes at once. A buffer grown past 16 MiB is let go after use.
let scratch = new ProtoWriter(64 * 1024);
const KEEP_SCRATCH_BYTES = 16 * 1024 * 1024;

export function encodeEnvelope<R extends { resource: Resource; schemaUrl: string }, S extends { scope: InstrumentationScope; schemaUrl: string }, I>(
  groups: readonly R[],
  shape: EncodeShape<R, S, I>,
): Uint8Array {
  const w = scratch;
  w.reset();
  for (const group of groups) {
    w.uint32(10);
    const groupStart = w.fork(3);
    // The resource message is always written, even empty: receivers such as the
    // Collector treat a missing resource the same, and it keeps the bytes stable.
    writeResource(w, 10, group.resource);
    for (const scopeGroup of shape.scopes(group)) {
      w.uint32(18);
      const scopeStart = w.fork(3);
      writeScope(w, 10, scopeGroup.scope);
      for (const item of shape.items(scopeGroup)) {
        w.uint32(18);
        const itemStart = w.fork(shape.itemPrefixBytes);
        shape.writeItem(w, item);
        w.join(itemStart, shape.itemPrefixBytes);
      }
      writeStringField(w, 26, scopeGroup.schemaUrl);
      w.join(scopeStart, 3);
    }
    writeStringField(w, 26, group.schemaUrl);
    w.join(groupStart, 3);
  }
  const bytes = w.copy();
  if (w.pos > KEEP_SCRATCH_BYTES) scratch = new ProtoWriter(64 * 1024);
  return bytes;
}
