// A growing byte buffer that insert rows are written into directly, so the
// encoders build no JavaScript string for a payload. Hot path (bench/store-bench.ts,
// `npm run bench`): building a payload as one concatenated string and then
// `Buffer.from(string)` cost 29% of the event loop under load, half of it in
// Buffer.from alone (flattening the rope and UTF-8 encoding it again).
//
// Short ASCII strings, the bulk of a span (ids, names, attribute keys and values),
// are copied a char at a time: cheaper than a native Buffer#write call for the
// lengths a span holds. Anything that needs escaping or is not ASCII takes the
// exact path: JSON.stringify, then the engine's UTF-8 encoder.

import type { PayloadPool } from './payload-pool.ts';

const QUOTE = 0x22;
/** What JSON.stringify escapes (quote, backslash, controls) or rewrites (lone surrogates; a pair also lands here). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const BACKSLASH = 0x5c;
/** Strings longer than this are written by one native call rather than char by char. */
const NATIVE_WRITE_FROM = 64;

export class RowBuffer {
  #buf: Buffer;
  #pos = 0;
  readonly #pool: PayloadPool | undefined;

  /** With a pool, memory comes from it and the payload `finish` returns lies in it (payload-pool.ts says who releases it). */
  constructor(initialBytes: number, pool?: PayloadPool) {
    this.#pool = pool;
    const bytes = Math.max(256, initialBytes);
    this.#buf = pool === undefined ? Buffer.allocUnsafe(bytes) : pool.take(bytes);
  }

  get length(): number {
    return this.#pos;
  }

  /** Room for `n` more bytes. */
  #ensure(n: number): void {
    const need = this.#pos + n;
    if (need <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < need) size *= 2;
    const grown = this.#pool === undefined ? Buffer.allocUnsafe(size) : this.#pool.take(size);
    this.#buf.copy(grown, 0, 0, this.#pos);
    this.#pool?.release(this.#buf); // nobody else has seen it
    this.#buf = grown;
  }

  byte(c: number): void {
    this.#ensure(1);
    this.#buf[this.#pos++] = c;
  }

  /** Bytes encoded once (a quoted key, a row tail), copied as they are. */
  bytes(b: Uint8Array): void {
    this.#ensure(b.length);
    this.#buf.set(b, this.#pos);
    this.#pos += b.length;
  }

  /** A string known to be ASCII with nothing to escape: digits, hex ids, fixed tokens. */
  ascii(s: string): void {
    const n = s.length;
    this.#ensure(n);
    const buf = this.#buf;
    let pos = this.#pos;
    if (n > NATIVE_WRITE_FROM) pos += buf.write(s, pos, 'latin1');
    else for (let i = 0; i < n; i++) buf[pos++] = s.charCodeAt(i);
    this.#pos = pos;
  }

  /** An integer below 2^53 in magnitude (counts, flags, enum values), as `${n}` prints it. */
  int(n: number): void {
    if (n >= 0 && n < 10) this.byte(0x30 + n);
    else this.ascii(String(n));
  }

  /** A JSON string literal, byte for byte what Buffer.from(JSON.stringify(s)) gives. */
  jsonString(s: string): void {
    const n = s.length;
    if (n <= NATIVE_WRITE_FROM) {
      this.#ensure(n + 2);
      const buf = this.#buf;
      const start = this.#pos;
      let pos = start;
      buf[pos++] = QUOTE;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c === QUOTE || c === BACKSLASH || c >= 0x80) break;
        buf[pos++] = c;
      }
      if (i === n) {
        buf[pos++] = QUOTE;
        this.#pos = pos;
        return;
      }
      this.#pos = start; // rewrite it the exact way
    }
    if (NEEDS_ESCAPE.test(s)) {
      this.utf8(JSON.stringify(s));
    } else {
      this.byte(QUOTE);
      this.utf8(s);
      this.byte(QUOTE);
    }
  }

  /** Any string, UTF-8 encoded as it is (already-escaped JSON text, for one). */
  utf8(s: string): void {
    this.#ensure(s.length * 3);
    this.#pos += this.#buf.write(s, this.#pos, 'utf8');
  }

  /**
   * The bytes written so far. A view of the buffer when it is pooled (it goes
   * back to the pool after its insert) or mostly used (no copy), else a
   * right-sized copy, so a small payload does not pin the slack of a large
   * allocation while it waits for its insert.
   */
  finish(): Buffer {
    const used = this.#buf.subarray(0, this.#pos);
    if (this.#pool?.isOut(this.#buf) === true) return used;
    return this.#pos * 2 >= this.#buf.length ? used : Buffer.from(used);
  }
}

/** `s` as bytes, once: for texts written into many rows. */
export function utf8Bytes(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}
