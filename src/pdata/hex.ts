import { BadRequestError } from '../consumer/errors.ts';

// Trace and span ids travel as bytes in protobuf and as hex in OTLP/JSON, the model,
// storage and the API; these helpers are the one place that converts.

/** Two lowercase hex digits for each byte value. */
export const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Value of a hex digit by char code (either case), -1 for anything else. */
const HEX_DIGIT = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) HEX_DIGIT[48 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX_DIGIT[65 + c] = 10 + c;
  HEX_DIGIT[97 + c] = 10 + c;
}

/** Lowercase hex of `bytes[start, end)`. */
export function hexFromRange(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) out += HEX_BYTE[bytes[i]!]!;
  return out;
}

export function hexFromBytes(bytes: Uint8Array): string {
  return hexFromRange(bytes, 0, bytes.length);
}

// Ids are decoded for every span (bench/decode-bench.ts): one String.fromCharCode
// call with all the digits builds a flat string directly, about twice as fast as
// Buffer's native hexSlice and four times a concatenation loop.
const HI = new Uint8Array(256);
const LO = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  HI[b] = '0123456789abcdef'.charCodeAt(b >> 4);
  LO[b] = '0123456789abcdef'.charCodeAt(b & 15);
}

/** Lowercase hex of the 8 bytes at `bytes[s]` (a span id). */
export function hexOf8(bytes: Uint8Array, s: number): string {
  const a = bytes[s]!;
  const b = bytes[s + 1]!;
  const c = bytes[s + 2]!;
  const d = bytes[s + 3]!;
  const e = bytes[s + 4]!;
  const f = bytes[s + 5]!;
  const g = bytes[s + 6]!;
  const h = bytes[s + 7]!;
  // prettier-ignore
  return String.fromCharCode(HI[a]!, LO[a]!, HI[b]!, LO[b]!, HI[c]!, LO[c]!, HI[d]!, LO[d]!, HI[e]!, LO[e]!, HI[f]!, LO[f]!, HI[g]!, LO[g]!, HI[h]!, LO[h]!);
}

/** Lowercase hex of the 16 bytes at `bytes[s]` (a trace id); one call, not two joined (a flat string). */
export function hexOf16(bytes: Uint8Array, s: number): string {
  const a = bytes[s]!;
  const b = bytes[s + 1]!;
  const c = bytes[s + 2]!;
  const d = bytes[s + 3]!;
  const e = bytes[s + 4]!;
  const f = bytes[s + 5]!;
  const g = bytes[s + 6]!;
  const h = bytes[s + 7]!;
  const i = bytes[s + 8]!;
  const j = bytes[s + 9]!;
  const k = bytes[s + 10]!;
  const l = bytes[s + 11]!;
  const m = bytes[s + 12]!;
  const n = bytes[s + 13]!;
  const o = bytes[s + 14]!;
  const p = bytes[s + 15]!;
  // prettier-ignore
  return String.fromCharCode(
    HI[a]!, LO[a]!, HI[b]!, LO[b]!, HI[c]!, LO[c]!, HI[d]!, LO[d]!, HI[e]!, LO[e]!, HI[f]!, LO[f]!, HI[g]!, LO[g]!, HI[h]!, LO[h]!,
    HI[i]!, LO[i]!, HI[j]!, LO[j]!, HI[k]!, LO[k]!, HI[l]!, LO[l]!, HI[m]!, LO[m]!, HI[n]!, LO[n]!, HI[o]!, LO[o]!, HI[p]!, LO[p]!,
  );
}

/** The value of the hex digit at `hex[i]`, -1 when it is not one. */
function digitAt(hex: string, i: number): number {
  const c = hex.charCodeAt(i);
  return c < 128 ? HEX_DIGIT[c]! : -1;
}

/** True when `hex` is an even number of hex digits (either case). */
export function isHex(hex: string): boolean {
  if (hex.length % 2 !== 0) return false;
  for (let i = 0; i < hex.length; i++) if (digitAt(hex, i) < 0) return false;
  return true;
}

/**
 * Writes the bytes spelled by `hex` (even length) into `out` at `offset`. Returns
 * the byte count, or -1 when a character is not a hex digit.
 */
export function writeHexInto(hex: string, out: Uint8Array, offset: number): number {
  const n = hex.length >>> 1;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const hi = digitAt(hex, 2 * i);
    const lo = digitAt(hex, 2 * i + 1);
    bad |= hi | lo;
    out[offset + i] = (hi << 4) | lo;
  }
  return bad < 0 ? -1 : n;
}

/** Bytes spelled by `hex` (either case); BadRequestError when it is not hex. */
export function bytesFromHex(hex: string): Uint8Array {
  if (!isHex(hex)) {
    const shown = hex.length > 40 ? `${JSON.stringify(hex.slice(0, 40))}...` : JSON.stringify(hex);
    throw new BadRequestError(`invalid hex ${shown}: expected an even number of hex digits`);
  }
  const out = new Uint8Array(hex.length >>> 1);
  writeHexInto(hex, out, 0);
  return out;
}
