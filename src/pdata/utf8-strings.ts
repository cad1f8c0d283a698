import { isValidUtf8Decoding, UnstorableValueError } from './decode-refusals.ts';

// UTF-8 string decoding for the protobuf reader, the hot path of ingest
// (bench/decode-bench.ts).

// Buffer's native utf8Slice (undocumented, present in every Node release) skips
// the subarray and argument checks of TextDecoder per call. Invalid UTF-8 becomes
// U+FFFD; checkedUtf8 then refuses it (decode-refusals.ts says why and how cheaply).
export type NodeBuffer = Buffer & { utf8Slice?: (start: number, end: number) => string };
const fallbackDecoder = new TextDecoder('utf-8');
export function utf8(buf: NodeBuffer, start: number, end: number): string {
  return buf.utf8Slice !== undefined ? buf.utf8Slice(start, end) : fallbackDecoder.decode(buf.subarray(start, end));
}

/** utf8(), or UnstorableValueError when the bytes are not valid UTF-8. */
export function checkedUtf8(buf: NodeBuffer, start: number, end: number): string {
  const s = utf8(buf, start, end);
  if (!isValidUtf8Decoding(s, buf, start, end)) throw new UnstorableValueError('invalid UTF-8');
  return s;
}

// Telemetry repeats the same short strings over and over (attribute keys, methods,
// routes, service names): a direct-mapped cache hands back the string decoded last
// time for the same bytes, with no allocation and no native call. The slot comes
// from the length and four sampled bytes (O(1)); a hit is confirmed by comparing
// the bytes with the copy kept in the slot, four at a time, so the cache can never
// return a wrong string. Only valid strings are kept, so a hit needs no UTF-8
// check (checkedUtf8 throws before the slot is filled). bench/decode-bench.ts: about 35% less decode time than
// decoding every string.
export const MAX_INTERNED_BYTES = 32;
const INTERN_SLOTS = 4096; // a power of two
const internedStrings: (string | undefined)[] = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);
const internedLengths = new Int32Array(INTERN_SLOTS).fill(-1);
const internedBytes = new Uint8Array(INTERN_SLOTS * MAX_INTERNED_BYTES);
const internedView = new DataView(internedBytes.buffer);

export function internedString(buf: NodeBuffer, view: DataView, start: number, stop: number): string {
  const n = stop - start;
  if (n === 0) return '';
  let hash = Math.imul(n, 0x9e3779b1) ^ buf[start]!;
  hash = Math.imul(hash, 31) + buf[start + (n >>> 1)]!;
  hash = Math.imul(hash, 31) + buf[stop - 1]!;
  hash = Math.imul(hash, 31) + buf[n === 1 ? start : stop - 2]!;
  const slot = (hash ^ (hash >>> 13)) & (INTERN_SLOTS - 1);
  const base = slot * MAX_INTERNED_BYTES;
  if (internedLengths[slot] === n) {
    let i = 0;
    while (i + 4 <= n && internedView.getInt32(base + i) === view.getInt32(start + i)) i += 4;
    while (i < n && internedBytes[base + i] === buf[start + i]) i++;
    if (i === n) return internedStrings[slot]!;
  }
  const s = checkedUtf8(buf, start, stop);
  internedStrings[slot] = s;
  internedLengths[slot] = n;
  for (let i = 0; i < n; i++) internedBytes[base + i] = buf[start + i]!;
  return s;
}
