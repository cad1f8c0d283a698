import type { Signal } from '../../src/pdata/model.ts';
import { craft } from './crafted.ts';
import type { Expectation } from './crafted.ts';
import { Random } from './random.ts';
import type { SeedRequest } from './sdk-seeds.ts';

// The fuzz corpus: a seeded, lazily generated stream of OTLP request bodies for
// the three transports. Most are random mutations of valid requests (made by the
// OpenTelemetry JS SDK's serializers or the project's encoder): bit flips,
// truncations, spliced and duplicated ranges, extreme varints, and for OTLP/JSON
// type confusions, __proto__/constructor keys, lone surrogates, special numbers
// and broken text. The rest are the hand-made attacks of crafted.ts, each with the
// answer it must get. Same seed, same seeds: same corpus.

export type Transport = 'protobuf' | 'json' | 'grpc';
export const TRANSPORTS: readonly Transport[] = ['protobuf', 'json', 'grpc'];

export interface FuzzBody {
  index: number;
  transport: Transport;
  signal: Signal;
  body: Uint8Array;
  /** OTLP/HTTP Content-Type (gRPC has none). */
  contentType: string;
  /** What made it, for failure messages. */
  kind: string;
  /** The answer it must get; `too-large`: 413 / RESOURCE_EXHAUSTED, `unsupported`: 415. */
  expect: Expectation | 'too-large' | 'unsupported';
}

export interface CorpusOptions {
  seed: number;
  count: number;
  /** A time inside the server's retention, in ns, for crafted items that must be stored. */
  baseNs: bigint;
  maxHttpBytes: number;
  maxGrpcBytes: number;
}

const CONTENT_TYPE: Readonly<Record<Transport, string>> = { protobuf: 'application/x-protobuf', json: 'application/json', grpc: '' };
const utf8 = new TextEncoder();

export function* fuzzCorpus(seeds: readonly SeedRequest[], options: CorpusOptions): Generator<FuzzBody> {
  const random = new Random(options.seed);
  for (let index = 0; index < options.count; index++) {
    const transport = TRANSPORTS[index % TRANSPORTS.length]!;
    const base = { index, transport, contentType: CONTENT_TYPE[transport] };
    if (index % 4999 === 17) {
      // Past the body limit: refused before decoding, whatever it holds.
      const limit = transport === 'grpc' ? options.maxGrpcBytes : options.maxHttpBytes;
      yield { ...base, signal: 'traces', body: new Uint8Array(limit + 1 + random.int(1024)).fill(0x0a), kind: 'oversize', expect: 'too-large' };
      continue;
    }
    if (transport !== 'grpc' && index % 997 === 5) {
      const seed = random.pick(seeds);
      const unknownType = random.int(2) === 0;
      yield unknownType
        ? { ...base, signal: seed.signal, body: seed.json, contentType: 'text/plain', kind: 'content-type', expect: 'unsupported' }
        : // The other encoding's body under this Content-Type: decoding may fail or read something.
          { ...base, signal: seed.signal, body: transport === 'json' ? seed.protobuf : seed.json, kind: 'crossed-encoding', expect: 'any' };
      continue;
    }
    if (random.chance(0.12)) {
      // A crafted attack in this transport's encoding (protobuf ones go to HTTP and gRPC).
      for (;;) {
        const crafted = craft(random, options.baseNs);
        const body = transport === 'json' ? crafted.json : crafted.protobuf;
        if (body === undefined) continue;
        yield { ...base, signal: crafted.signal, body: typeof body === 'string' ? utf8.encode(body) : body, kind: crafted.kind, expect: crafted.expect };
        break;
      }
      continue;
    }
    const seed = random.pick(seeds);
    if (transport === 'json') yield { ...base, signal: seed.signal, ...mutateJson(random, seed.json), expect: 'any' };
    else yield { ...base, signal: seed.signal, ...mutateBytes(random, seed.protobuf), expect: 'any' };
  }
}

// ---------------------------------------------------------------- bytes

const EXTREME_VARINTS: readonly (readonly number[])[] = [
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // 2^64 - 1
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // 11 bytes
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], // zero, overlong
  [0xff, 0xff, 0xff, 0xff, 0x0f], // 2^32 - 1, as a length
  [0x80, 0x80, 0x80, 0x80, 0x10], // 2^32
];

function mutateBytes(random: Random, seed: Uint8Array): { body: Uint8Array; kind: string } {
  let bytes: Uint8Array = Uint8Array.from(seed);
  const kinds: string[] = [];
  const steps = 1 + random.int(3);
  for (let step = 0; step < steps; step++) {
    const at = random.int(bytes.length + 1);
    switch (random.int(7)) {
      case 0: {
        const flips = 1 + random.int(4);
        for (let i = 0; i < flips && bytes.length > 0; i++) bytes[random.int(bytes.length)]! ^= 1 << random.int(8);
        kinds.push('bit-flip');
        break;
      }
      case 1:
        bytes = bytes.slice(0, at);
        kinds.push('truncate');
        break;
      case 2: {
        const n = 1 + random.int(32);
        bytes = concat(bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + n)));
        kinds.push('delete');
        break;
      }
      case 3: {
        const n = 1 + random.int(64);
        bytes = concat(bytes.subarray(0, at), bytes.subarray(at, at + n), bytes.subarray(at));
        kinds.push('duplicate');
        break;
      }
      case 4:
        bytes = concat(bytes.subarray(0, at), Uint8Array.from(random.pick(EXTREME_VARINTS)), bytes.subarray(at));
        kinds.push('extreme-varint');
        break;
      case 5: {
        // Overwrite with a varint: lands on tags, lengths and values alike.
        const v = random.pick(EXTREME_VARINTS);
        bytes = concat(bytes.subarray(0, at), Uint8Array.from(v), bytes.subarray(at + v.length));
        kinds.push('overwrite-varint');
        break;
      }
      default: {
        const n = 1 + random.int(16);
        bytes = concat(bytes.subarray(0, at), Uint8Array.from({ length: n }, () => random.int(256)), bytes.subarray(at));
        kinds.push('insert-random');
      }
    }
  }
  return { body: bytes, kind: kinds.join('+') };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---------------------------------------------------------------- JSON

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const CONFUSIONS: readonly Json[] = [null, true, 0, -1, 1.5, 1e300, '', 'x', 'NaN', '-Infinity', '18446744073709551616', [], [1, 'a'], {}, { stringValue: 'v' }];
const LONE_SURROGATES = ['\ud800', '\udfff', 'x\udbffy', '\udc00\ud800'];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf'];

function mutateJson(random: Random, seed: Uint8Array): { body: Uint8Array; kind: string } {
  if (random.chance(0.3)) {
    // Text-level damage: may break the syntax or the UTF-8.
    const bytes = mutateBytes(random, seed);
    return { body: bytes.body, kind: `json-text:${bytes.kind}` };
  }
  const root = JSON.parse(new TextDecoder().decode(seed)) as Json;
  const kinds: string[] = [];
  const steps = 1 + random.int(3);
  for (let step = 0; step < steps; step++) {
    const slot = randomSlot(random, root);
    if (slot === undefined) break;
    switch (random.int(5)) {
      case 0:
        slot.set(structuredClone(random.pick(CONFUSIONS)));
        kinds.push('type-confusion');
        break;
      case 1: {
        const container = slot.get();
        if (container !== null && typeof container === 'object' && !Array.isArray(container)) {
          // Defined, not assigned: an own key named __proto__, as JSON.parse makes it.
          Object.defineProperty(container, random.pick(PROTO_KEYS), {
            value: { polluted: 'yes', prototype: { polluted: 'yes' } },
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else slot.set(JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}') as Json);
        kinds.push('proto-key');
        break;
      }
      case 2:
        slot.set(random.pick(LONE_SURROGATES));
        kinds.push('lone-surrogate');
        break;
      case 3: {
        const value = slot.get();
        if (Array.isArray(value) && value.length > 0) value.push(...Array.from({ length: 1 + random.int(20) }, () => value[0]!));
        else slot.set('s'.repeat(random.int(20_000)));
        kinds.push('grow');
        break;
      }
      default:
        slot.delete();
        kinds.push('delete');
    }
  }
  return { body: utf8.encode(JSON.stringify(root)), kind: `json:${kinds.join('+')}` };
}

interface Slot {
  get(): Json;
  set(value: Json): void;
  delete(): void;
}

/**
 * A random place in the tree where a value sits (not the root): a walk down from
 * the root that stops at each level with some probability, or at a leaf. Cheap
 * (O(depth)), and every depth gets its share: shallow fields and deep attribute values.
 */
function randomSlot(random: Random, root: Json): Slot | undefined {
  let slot: Slot | undefined;
  let node = root;
  for (;;) {
    let next: Slot;
    if (Array.isArray(node)) {
      if (node.length === 0) return slot;
      const list = node;
      const i = random.int(list.length);
      next = { get: () => list[i]!, set: (v) => (list[i] = v), delete: () => void list.splice(i, 1) };
    } else if (node !== null && typeof node === 'object') {
      const object = node;
      const keys = Object.keys(object);
      if (keys.length === 0) return slot;
      const key = random.pick(keys);
      next = { get: () => object[key]!, set: (v) => (object[key] = v), delete: () => delete object[key] };
    } else return slot;
    slot = next;
    if (random.chance(0.2)) return slot;
    node = slot.get();
  }
}
