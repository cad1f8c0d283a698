import { writeHexInto } from './hex.ts';

// A protobuf wire-format writer into one growing buffer. Used to forward data to
// other OTLP backends and by the benchmarks, so it avoids the usual two passes
// (size, then write): a nested message reserves the length prefix it expects, is
// written in place, and is moved only when its length needs another prefix size.
// Fields holding their proto3 default are not written (callers check, since
// fields with presence, such as oneof members and `optional`, must be written
// even when zero).

function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

export class ProtoWriter {
  private bytes: Uint8Array;
  private buf: Buffer;
  private view: DataView;
  pos = 0;
  private capacity: number;

  constructor(initialBytes = 4096) {
    this.bytes = new Uint8Array(initialBytes);
    this.capacity = initialBytes;
    this.buf = Buffer.from(this.bytes.buffer);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Room for `n` more bytes; the check is kept apart from the growth so it inlines. */
  private ensure(n: number): void {
    if (this.pos + n > this.capacity) this.grow(n);
  }

  private grow(n: number): void {
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.pos + n));
    grown.set(this.bytes.subarray(0, this.pos));
    this.bytes = grown;
    this.capacity = grown.length;
    this.buf = Buffer.from(grown.buffer);
    this.view = new DataView(grown.buffer);
  }

  /** The encoded bytes (a view of the writer's buffer, trimmed by a copy when mostly unused). */
  finish(): Uint8Array {
    return this.pos * 2 >= this.bytes.length ? this.bytes.subarray(0, this.pos) : this.bytes.slice(0, this.pos);
  }

  /** A copy of the encoded bytes, leaving the writer's buffer free for reuse. */
  copy(): Uint8Array {
    // allocUnsafeSlow: its own memory, not zero-filled first (it is overwritten at once).
    const out = Buffer.allocUnsafeSlow(this.pos);
    out.set(this.bytes.subarray(0, this.pos));
    return new Uint8Array(out.buffer, out.byteOffset, this.pos);
  }

  reset(): void {
    this.pos = 0;
  }

  /** An unsigned varint of at most 32 bits: tags, lengths, uint32 and non-negative int32. */
  uint32(n: number): void {
    this.ensure(5);
    const bytes = this.bytes;
    let pos = this.pos;
    if (n >>> 0 === n && n < 0x80) {
      bytes[pos] = n;
      this.pos = pos + 1;
      return;
    }
    n >>>= 0;
    while (n >= 0x80) {
      bytes[pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    bytes[pos++] = n;
    this.pos = pos;
  }

  /** int32 and enum fields: negative values take 10 bytes (sign-extended to 64 bits). */
  int32(n: number): void {
    if (n >= 0) this.uint32(n);
    else this.varint64(n >>> 0, 0xffffffff);
  }

  sint32(n: number): void {
    this.uint32((n << 1) ^ (n >> 31));
  }

  uint64(n: bigint): void {
    if (n >= 0n && n < 0x100000000n) return this.uint32(Number(n));
    const u = BigInt.asUintN(64, n);
    this.varint64(Number(u & 0xffffffffn), Number(u >> 32n));
  }

  private varint64(lo: number, hi: number): void {
    this.ensure(10);
    const bytes = this.bytes;
    let pos = this.pos;
    while (hi !== 0 || lo >= 0x80) {
      bytes[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    bytes[pos++] = lo;
    this.pos = pos;
  }

  bool(b: boolean): void {
    this.ensure(1);
    this.bytes[this.pos++] = b ? 1 : 0;
  }

  fixed32(n: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, n >>> 0, true);
    this.pos += 4;
  }

  fixed64(n: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.pos, n, true);
    this.pos += 8;
  }

  sfixed64(n: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.pos, n, true);
    this.pos += 8;
  }

  double(n: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, n, true);
    this.pos += 8;
  }

  /** A length-prefixed UTF-8 string (the tag is the caller's). */
  string(s: string): void {
    const n = s.length;
    // Up to 42 UTF-16 units take at most 126 bytes: a one-byte length, and an
    // inline copy for ASCII, which most telemetry strings are.
    if (n <= 42) {
      this.ensure(1 + 3 * n);
      const bytes = this.bytes;
      const start = this.pos + 1;
      let pos = start;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) {
          pos = start + this.buf.write(s, start, 'utf8');
          break;
        }
        bytes[pos++] = c;
      }
      bytes[start - 1] = pos - start;
      this.pos = pos;
      return;
    }
    const len = Buffer.byteLength(s, 'utf8');
    this.uint32(len);
    this.ensure(len);
    this.pos += this.buf.write(s, this.pos, len, 'utf8');
  }

  bytesField(b: Uint8Array): void {
    this.uint32(b.length);
    this.ensure(b.length);
    this.bytes.set(b, this.pos);
    this.pos += b.length;
  }

  /** A hex trace or span id of `size` bytes as a length-prefixed bytes value. */
  id(hex: string, size: number): void {
    this.ensure(1 + size);
    if (hex.length !== 2 * size || writeHexInto(hex, this.bytes, this.pos + 1) < 0) {
      // A model built by hand with a bad id: refuse rather than send bytes no one can read.
      throw new TypeError(`invalid id ${JSON.stringify(hex)}: expected ${2 * size} hex digits`);
    }
    this.bytes[this.pos] = size;
    this.pos += 1 + size;
  }

  /**
   * Starts a nested message: reserves `prefixBytes` for its length and returns the
   * content start to pass to `join`.
   */
  fork(prefixBytes = 1): number {
    this.ensure(prefixBytes);
    this.pos += prefixBytes;
    return this.pos;
  }

  /** Ends the nested message begun by the `fork` that returned `start`. */
  join(start: number, prefixBytes = 1): void {
    const len = this.pos - start;
    const size = varintSize(len);
    if (size !== prefixBytes) {
      const shift = size - prefixBytes;
      this.ensure(shift);
      this.bytes.copyWithin(start + shift, start, this.pos);
      this.pos += shift;
      start += shift;
    }
    const bytes = this.bytes;
    let at = start - size;
    let n = len;
    while (n >= 0x80) {
      bytes[at++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    bytes[at] = n;
  }
}
