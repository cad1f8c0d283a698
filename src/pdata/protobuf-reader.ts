import { DecodeError } from './decode-error.ts';
import { hexOf16, hexOf8 } from './hex.ts';
import { UnstorableValueError, TIMESTAMP_TOO_LARGE } from './decode-refusals.ts';
import type { DecodeRefusals } from './decode-refusals.ts';
import { checkedUtf8, internedString, MAX_INTERNED_BYTES } from './utf8-strings.ts';
import type { NodeBuffer } from './utf8-strings.ts';

// A protobuf wire-format reader over one request body
// (https://protobuf.dev/programming-guides/encoding/). It is the ingest hot path
// (bench/decode-bench.ts): no per-field allocation beyond the decoded values,
// 64-bit integers assembled from two 32-bit halves and turned into a bigint once,
// ids turned to hex straight from the bytes.
//
// `end` is the limit of the message being read; `enter()` narrows it to a nested
// message so that a length that overruns its parent is caught, and `leave()`
// restores it.

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_SGROUP = 3;
export const WIRE_EGROUP = 4;
export const WIRE_I32 = 5;

/** Tag value for `field` with wire type `wire`, for `case` labels. */
export function tagOf(field: number, wire: number): number {
  return field * 8 + wire;
}

const TWO_POW_32 = 4294967296;

/**
 * AnyValue nesting allowed (arrays and kvlists in arrays ...). Decoding recurses, so
 * without a limit a 4 MiB body of nested arrays (2 bytes a level) would overflow
 * the stack; 100 is protobuf C++'s and Java's default recursion limit.
 */
export const MAX_VALUE_DEPTH = 100;

export class ProtoReader {
  readonly buf: NodeBuffer;
  readonly view: DataView;
  pos = 0;
  end: number;
  /** Nesting of AnyValue messages being decoded (see MAX_VALUE_DEPTH). */
  valueDepth = 0;
  /**
   * Where items with values storage cannot keep are reported (decode-refusals.ts);
   * undefined: such a value fails the whole decode.
   */
  refusals: DecodeRefusals | undefined = undefined;
  /** Indices of the resource group, scope group and item being decoded, for refusal paths. */
  resourceIndex = 0;
  scopeIndex = 0;
  itemIndex = 0;
  // The halves of the last 64-bit varint, kept here to avoid allocating a pair.
  private lo = 0;
  private hi = 0;

  constructor(bytes: Uint8Array) {
    this.buf = (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as NodeBuffer;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.end = bytes.byteLength;
  }

  truncated(): DecodeError {
    return new DecodeError(`truncated message at byte ${this.pos}`);
  }

  /** A varint's low 32 bits, unsigned (uint32 fields, tags, lengths). */
  uint32(): number {
    // Most tags and lengths are one byte: that case first, on its own.
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.buf[pos]!;
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    return this.uint32Long();
  }

  private uint32Long(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos + 10 > this.end) return this.uint32Slow();
    let b = buf[pos++]!;
    let v = b & 0x7f;
    if (b >= 0x80) {
      b = buf[pos++]!;
      v |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = buf[pos++]!;
        v |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = buf[pos++]!;
          v |= (b & 0x7f) << 21;
          if (b >= 0x80) {
            b = buf[pos++]!;
            v |= b << 28;
            // Bytes 6-10 only carry bits above 32 (a negative int32 is sign-extended).
            while (b >= 0x80) {
              if (pos - this.pos >= 10) throw new DecodeError(`varint longer than 10 bytes at byte ${this.pos}`);
              b = buf[pos++]!;
            }
          }
        }
      }
    }
    this.pos = pos;
    return v >>> 0;
  }

  /** uint32() near the end of the message, where every byte needs a bounds check. */
  private uint32Slow(): number {
    this.varint64();
    return this.lo;
  }

  /** A varint's low 32 bits as a signed int32 (int32 and enum fields). */
  int32(): number {
    return this.uint32() | 0;
  }

  sint32(): number {
    const n = this.uint32();
    return (n >>> 1) ^ -(n & 1);
  }

  bool(): boolean {
    this.varint64();
    return (this.lo | this.hi) !== 0;
  }

  uint64(): bigint {
    this.varint64();
    return this.hi < 0x200000 ? BigInt(this.hi * TWO_POW_32 + this.lo) : (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  int64(): bigint {
    this.varint64();
    if (this.hi < 0x200000) return BigInt(this.hi * TWO_POW_32 + this.lo);
    return BigInt.asIntN(64, (BigInt(this.hi) << 32n) | BigInt(this.lo));
  }

  /** Reads a varint of up to 10 bytes into `lo`/`hi` (both unsigned 32-bit). */
  private varint64(): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) throw this.truncatedAt(pos);
      b = buf[pos++]!;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) return this.setVarint(pos, lo, 0);
    }
    if (pos >= end) throw this.truncatedAt(pos);
    b = buf[pos++]!;
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b < 0x80) return this.setVarint(pos, lo, hi);
    for (let shift = 3; shift < 32; shift += 7) {
      if (pos >= end) throw this.truncatedAt(pos);
      b = buf[pos++]!;
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) return this.setVarint(pos, lo, hi);
    }
    throw new DecodeError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  private setVarint(pos: number, lo: number, hi: number): void {
    this.pos = pos;
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  private truncatedAt(pos: number): DecodeError {
    return new DecodeError(`truncated message at byte ${pos}`);
  }

  /** Moves past `n` bytes, which must lie inside the current message. */
  private advance(n: number): number {
    const start = this.pos;
    if (n > this.end - start) throw this.truncated();
    this.pos = start + n;
    return start;
  }

  fixed32(): number {
    return this.view.getUint32(this.advance(4), true);
  }

  fixed64(): bigint {
    return this.view.getBigUint64(this.advance(8), true);
  }

  sfixed64(): bigint {
    return this.view.getBigInt64(this.advance(8), true);
  }

  double(): number {
    return this.view.getFloat64(this.advance(8), true);
  }

  /** A fixed64 time kept in a DateTime64(9) column: UnstorableValueError from 2^63 on. */
  timestamp(): bigint {
    const at = this.advance(8);
    if (this.buf[at + 7]! >= 0x80) throw new UnstorableValueError(TIMESTAMP_TOO_LARGE);
    return this.view.getBigUint64(at, true);
  }

  /** Length of a LEN field, checked against the enclosing message. */
  private length(): number {
    const n = this.uint32();
    if (n > this.end - this.pos) throw new DecodeError(`truncated message at byte ${this.end}: length ${n} at byte ${this.pos} overruns it`);
    return n;
  }

  string(): string {
    const n = this.length();
    const start = this.pos;
    const stop = start + n;
    this.pos = stop;
    return n <= MAX_INTERNED_BYTES ? internedString(this.buf, this.view, start, stop) : checkedUtf8(this.buf, start, stop);
  }

  /** A copy of a bytes field: the model must not alias the request buffer. */
  bytes(): Uint8Array {
    const n = this.length();
    const start = this.pos;
    this.pos = start + n;
    return new Uint8Array(this.buf.subarray(start, start + n));
  }

  /** A trace (16) or span (8) id as lowercase hex; '' when empty. */
  id(size: number): string {
    const n = this.length();
    if (n === 0) return '';
    if (n !== size) throw new DecodeError(`expected ${size} bytes, got ${n}`);
    const start = this.pos;
    this.pos = start + n;
    return n === 16 ? hexOf16(this.buf, start) : hexOf8(this.buf, start);
  }

  /** Narrows `end` to the nested message that starts here; returns the outer end for leave(). */
  enter(): number {
    const n = this.length();
    const outer = this.end;
    this.end = this.pos + n;
    return outer;
  }

  leave(outer: number): void {
    this.end = outer;
  }

  /**
   * After an UnstorableValueError thrown inside a field whose length prefix is at
   * `start`, in a message ending at `end`: puts back the position, limit and value
   * depth the throw left behind, so the field can be skipped or counted.
   */
  resetTo(start: number, end: number): void {
    this.pos = start;
    this.end = end;
    this.valueDepth = 0;
  }

  /** Moves past a LEN field's value (the reader on its length prefix). */
  skipMessage(): void {
    this.advance(this.length());
  }

  // Repeated scalars: parsers must accept both the packed (one LEN field) and the
  // unpacked (one field per element) encodings, whatever the .proto declares.

  fixed64s(wire: number, out: bigint[]): void {
    if (wire === WIRE_I64) {
      out.push(this.fixed64());
      return;
    }
    const outer = this.enterPacked(wire, WIRE_I64);
    while (this.pos < this.end) out.push(this.fixed64());
    this.leave(outer);
  }

  doubles(wire: number, out: number[]): void {
    if (wire === WIRE_I64) {
      out.push(this.double());
      return;
    }
    const outer = this.enterPacked(wire, WIRE_I64);
    while (this.pos < this.end) out.push(this.double());
    this.leave(outer);
  }

  uint64s(wire: number, out: bigint[]): void {
    if (wire === WIRE_VARINT) {
      out.push(this.uint64());
      return;
    }
    const outer = this.enterPacked(wire, WIRE_VARINT);
    while (this.pos < this.end) out.push(this.uint64());
    this.leave(outer);
  }

  private enterPacked(wire: number, elementWire: number): number {
    if (wire !== WIRE_LEN) throw new DecodeError(`invalid wire type ${wire} (expected ${elementWire}, or ${WIRE_LEN} packed)`);
    return this.enter();
  }

  /**
   * The default branch of every message's switch: a field this decoder does not
   * know is skipped (newer senders add fields), a known field with another wire
   * type is an error. `known` has bit n set for each known field number n < 32.
   */
  skip(tag: number, known: number): void {
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 0) throw new DecodeError(`invalid field number 0 at byte ${this.pos}`);
    if (field < 32 && (known >>> field) & 1 && wire <= WIRE_I32) {
      throw new DecodeError(`invalid wire type ${wire} for field ${field}`);
    }
    this.skipValue(field, wire);
  }

  private skipValue(field: number, wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint64();
        return;
      case WIRE_I64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.advance(this.length());
        return;
      case WIRE_I32:
        this.advance(4);
        return;
      case WIRE_SGROUP: {
        // Deprecated groups: skip fields up to the matching end-group tag. Nested
        // groups are tracked on a list, not by recursion, so a body of a million
        // start-group tags cannot overflow the stack.
        const open = [field];
        while (open.length > 0) {
          if (this.pos >= this.end) throw this.truncated();
          const tag = this.uint32();
          const inner = tag >>> 3;
          const innerWire = tag & 7;
          if (inner === 0) throw new DecodeError(`invalid field number 0 at byte ${this.pos}`);
          if (innerWire === WIRE_SGROUP) open.push(inner);
          else if (innerWire !== WIRE_EGROUP) this.skipValue(inner, innerWire);
          else if (open.pop() !== inner) throw new DecodeError(`end-group for field ${inner} does not close the open group`);
        }
        return;
      }
      case WIRE_EGROUP:
        throw new DecodeError(`unexpected end-group for field ${field}`);
      default:
        throw new DecodeError(`invalid wire type ${wire} for field ${field}`);
    }
  }
}
