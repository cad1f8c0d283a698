import { emptyLogRecord, emptySpan } from '../../src/pdata/defaults.ts';
import { encodeLogsProto, encodeMetricsProto, encodeTracesProto } from '../../src/pdata/index.ts';
import type { KeyValue, Metric, NumberDataPoint, Signal, Span, TracesData } from '../../src/pdata/model.ts';
import type { Random } from './random.ts';

// Hand-made attacks with a known right answer: what each must get is in `expect`
// (the random mutations in corpus.ts may get any answer but a server error).
// Protobuf is built with the project's encoder, then patched, or byte by byte
// where no encoder would write it.

/**
 * What a body must get. `accepted`: 200 and the decoder refused nothing; `refused`:
 * 200 with items refused by the decoder (a partial success naming their path);
 * `ok`: 200, whatever the store refused (the batch processor shares a batch's
 * store refusals among the requests in it, so they cannot be pinned on one);
 * `any`: 200 or 400.
 */
export type Expectation = 'accepted' | 'refused' | 'ok' | 'malformed' | 'any';

export interface Crafted {
  kind: string;
  signal: Signal;
  /** Protobuf bytes, sent over OTLP/HTTP and gRPC; or OTLP/JSON text. */
  protobuf?: Uint8Array;
  json?: string;
  expect: Expectation;
}

const TWO_63 = 0x8000000000000000n;
const MAX_U64 = 0xffffffffffffffffn;

// ---------------------------------------------------------------- wire helpers
function varint(n: bigint): number[] {
  let v = BigInt.asUintN(64, n);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
type Bytes = Uint8Array | readonly number[];
const cat = (...parts: Bytes[]): Uint8Array => Buffer.concat(parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p))));
const len = (field: number, body: Bytes): Uint8Array => cat(varint(BigInt(field * 8 + 2)), varint(BigInt(body.length)), body);
/** TracesData { ResourceSpans { ScopeSpans { Span <span bytes> } } }. */
const wrapSpan = (span: Uint8Array) => len(1, len(2, len(2, span)));
const hexBytes = (random: Random, n: number) => Array.from({ length: n }, () => random.int(256));
const ids = (random: Random) => cat(len(1, hexBytes(random, 16)), len(2, hexBytes(random, 8)));
const fixed64 = (field: number, n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return [...varint(BigInt(field * 8 + 1)), ...b];
};

/**
 * AnyValue { array_value { values { ... } } } nested `depth` deep, written from the
 * inside out in one buffer (wrapping an array per level would cost O(depth^2)
 * and stall the test's event loop for seconds at 5,000 levels).
 */
function nestedArrays(depth: number): Uint8Array {
  const out = new Uint8Array(depth * 12);
  let pos = out.length;
  const prepend = (n: number) => {
    const bytes = varint(BigInt(n));
    pos -= bytes.length;
    out.set(bytes, pos);
  };
  for (let i = 0; i < depth; i++) {
    prepend(out.length - pos); // ArrayValue.values[0]: the AnyValue inside
    out[--pos] = 0x0a;
    prepend(out.length - pos); // AnyValue.array_value
    out[--pos] = 0x2a;
  }
  return out.subarray(pos);
}

/** The bytes with every occurrence of `marker` replaced by the same number of `replacement` bytes. */
function patch(bytes: Uint8Array, marker: string, replacement: readonly number[]): Uint8Array {
  const buf = Buffer.from(bytes);
  for (let at = buf.indexOf(marker); at >= 0; at = buf.indexOf(marker, at + 1)) Buffer.from(replacement).copy(buf, at);
  return new Uint8Array(buf);
}

// ---------------------------------------------------------------- model helpers
const hex = (random: Random, n: number) => hexBytes(random, n).map((b) => b.toString(16).padStart(2, '0')).join('');
const str = (key: string, value: string): KeyValue => ({ key, value: { type: 'string', value } });

function traces(random: Random, baseNs: bigint, spans: Partial<Span>[], resourceAttrs: KeyValue[] = []): TracesData {
  return {
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'fuzz'), ...resourceAttrs], droppedAttributesCount: 0 },
        scopeSpans: [
          {
            scope: { name: 'fuzz', version: '1', attributes: [], droppedAttributesCount: 0 },
            spans: spans.map((s) => ({
              ...emptySpan(),
              traceId: hex(random, 16),
              spanId: hex(random, 8),
              name: 'op',
              startTimeUnixNano: baseNs,
              endTimeUnixNano: baseNs + 1000n,
              ...s,
            })),
            schemaUrl: '',
          },
        ],
        schemaUrl: '',
      },
    ],
  };
}

function metrics(metricList: Metric[]) {
  const scope = { name: 'fuzz', version: '', attributes: [], droppedAttributesCount: 0 };
  return encodeMetricsProto({
    resourceMetrics: [{ resource: { attributes: [str('service.name', 'fuzz')], droppedAttributesCount: 0 }, scopeMetrics: [{ scope, metrics: metricList, schemaUrl: '' }], schemaUrl: '' }],
  });
}
const point = (timeUnixNano: bigint, value: number): NumberDataPoint => ({
  attributes: [],
  startTimeUnixNano: 0n,
  timeUnixNano,
  value: { type: 'double', value },
  exemplars: [],
  flags: 0,
});

const INVALID_UTF8: readonly (readonly number[])[] = [
  [0xff, 0xfe, 0x41, 0x42], // bytes no sequence starts with
  [0xc3, 0x28, 0x41, 0x42], // a lead byte without its continuation
  [0xed, 0xa0, 0x80, 0x41], // an encoded surrogate (CESU-8)
  [0xf0, 0x82, 0x82, 0xac], // an overlong form
];

/** One crafted attack; `baseNs` is a time inside the retention. */
export function craft(random: Random, baseNs: bigint): Crafted {
  const choice = random.int(14);
  switch (choice) {
    case 0: {
      // Invalid UTF-8 in a span name, an attribute key or value, a resource attribute: refused, never stored as U+FFFD.
      const where = random.int(4);
      const data = traces(random, baseNs, [
        { name: 'ok' },
        where === 0 ? { name: 'MARK' } : where === 1 ? { attributes: [str('MARK', 'v')] } : { attributes: [str('k', `${'x'.repeat(random.int(100))}MARK`)] },
      ], where === 3 ? [str('host.name', 'MARK')] : []);
      return { kind: 'invalid-utf8', signal: 'traces', protobuf: patch(encodeTracesProto(data), 'MARK', random.pick(INVALID_UTF8)), expect: 'refused' };
    }
    case 1: {
      // Times storage cannot hold (finding 6): from 2^63 on, refused at decode; 0 is older than any retention.
      const times = [0n, TWO_63 - 1n, TWO_63, MAX_U64, baseNs];
      const start = random.pick(times);
      const end = random.pick(times);
      // From 2^63 on the decoder refuses; 0 and 2^63 - 1 the store (older than the retention, past its TTL's range).
      const expect = start >= TWO_63 || end >= TWO_63 ? 'refused' : start !== baseNs ? 'ok' : 'accepted';
      return { kind: 'timestamps', signal: 'traces', protobuf: encodeTracesProto(traces(random, baseNs, [{ startTimeUnixNano: start, endTimeUnixNano: end }])), expect };
    }
    case 2: {
      // Lone surrogates as \u escapes (finding 1): the span is refused, the others kept.
      const lone = random.pick(['\ud800', '\udfff', 'a\udbff', '\udc00z']);
      const inKey = random.int(2) === 0;
      const attribute = { key: inKey ? lone : 'k', value: { stringValue: inKey ? 'v' : lone } };
      const spans = [{ name: 'ok' }, random.int(2) === 0 ? { name: lone } : { attributes: [attribute] }];
      return { kind: 'lone-surrogate', signal: 'traces', json: JSON.stringify(traceJson(random, baseNs, spans)), expect: 'refused' };
    }
    case 3: {
      // AnyValue arrays nested `depth` deep: up to 99 read, deeper refused (no stack overflow).
      const depth = random.pick([10, 98, 101, 150, 5000]);
      const value = nestedArrays(depth);
      const span = cat(ids(random), fixed64(7, baseNs), fixed64(8, baseNs + 1n), len(9, cat(len(1, [0x6b]), len(2, value))));
      return { kind: `nesting-${depth}`, signal: 'traces', protobuf: wrapSpan(span), expect: depth < 99 ? 'accepted' : 'malformed' };
    }
    case 4: {
      // A million-level deep JSON (array brackets) or values nested past the limit.
      const depth = random.pick([20, 150, 100_000]);
      let value = '{"stringValue":"leaf"}';
      if (depth < 1000) for (let i = 0; i < depth; i++) value = `{"arrayValue":{"values":[${value}]}}`;
      else value = '['.repeat(depth);
      const span = { ...traceSpanJson(random, baseNs), attributes: ['@'] };
      const text = JSON.stringify(traceJson(random, baseNs, [])).replace('"spans":[]', `"spans":[${JSON.stringify(span).replace('"@"', `{"key":"k","value":${value}}`)}]`);
      return { kind: `json-nesting-${depth}`, signal: 'traces', json: text, expect: depth <= 20 ? 'accepted' : 'malformed' };
    }
    case 5: {
      // Unknown fields of deprecated group type, nested 30,000 deep (skipped without recursion), closed or not.
      const n = 30_000;
      const closed = random.int(2) === 0;
      const open = Buffer.alloc(2 * n, Uint8Array.from([0xa3, 0x06])); // start-group, field 100
      const close = Buffer.alloc(closed ? 2 * n : 0, Uint8Array.from([0xa4, 0x06])); // end-group, field 100
      const span = cat(ids(random), fixed64(7, baseNs), fixed64(8, baseNs + 1n), open, close);
      return { kind: 'group-nesting', signal: 'traces', protobuf: wrapSpan(span), expect: closed ? 'accepted' : 'malformed' };
    }
    case 6: {
      // Huge strings and attribute counts (under the body limits): stored as sent.
      const big = random.int(2) === 0;
      const span: Partial<Span> = big
        ? { name: 'n'.repeat(256 * 1024 + random.int(1024)) }
        : { attributes: Array.from({ length: 1000 + random.int(3000) }, (_, i) => str(`attr.${i}`, 'v')) };
      return { kind: big ? 'huge-string' : 'many-attributes', signal: 'traces', protobuf: encodeTracesProto(traces(random, baseNs, [span])), expect: 'accepted' };
    }
    case 7: {
      // NaN, infinities and -0 as attribute values and metric values: stored.
      const special = random.pick([NaN, Infinity, -Infinity, -0, Number.MAX_VALUE, Number.MIN_VALUE]);
      if (random.int(2) === 0) {
        const data = traces(random, baseNs, [{ attributes: [{ key: 'd', value: { type: 'double', value: special } }] }]);
        return { kind: 'special-double', signal: 'traces', protobuf: encodeTracesProto(data), expect: 'accepted' };
      }
      const gauge: Metric = { name: 'fuzz.gauge', description: '', unit: '', metadata: [], data: { type: 'gauge', dataPoints: [point(baseNs, special)] } };
      return { kind: 'special-double-metric', signal: 'metrics', protobuf: metrics([gauge]), expect: 'accepted' };
    }
    case 8: {
      // Extreme varints: a 10-byte -1 enum (read), an 11-byte varint and a 2^32-1 length (refused).
      const which = random.int(3);
      const kind = which === 0 ? [0x30, ...varint(-1n)] : which === 1 ? [0x30, ...Array<number>(10).fill(0xff), 0x01] : [0x2a, 0xff, 0xff, 0xff, 0xff, 0x0f];
      const span = cat(ids(random), fixed64(7, baseNs), fixed64(8, baseNs + 1n), kind);
      return { kind: `varint-${which}`, signal: 'traces', protobuf: wrapSpan(span), expect: which === 0 ? 'accepted' : 'malformed' };
    }
    case 9: {
      // Log records and data points with unstorable values; the good ones kept.
      if (random.int(2) === 0) {
        const records = [{ ...emptyLogRecord(), timeUnixNano: baseNs }, { ...emptyLogRecord(), timeUnixNano: random.pick([TWO_63, MAX_U64]) }];
        const scope = { name: '', version: '', attributes: [], droppedAttributesCount: 0 };
        const bytes = encodeLogsProto({ resourceLogs: [{ resource: { attributes: [], droppedAttributesCount: 0 }, scopeLogs: [{ scope, logRecords: records, schemaUrl: '' }], schemaUrl: '' }] });
        return { kind: 'log-times', signal: 'logs', protobuf: bytes, expect: 'refused' };
      }
      const sum: Metric = { name: 'MARK', description: '', unit: '', metadata: [], data: { type: 'gauge', dataPoints: [point(baseNs, 1)] } };
      const ok: Metric = { name: 'fuzz.ok', description: '', unit: '', metadata: [], data: { type: 'gauge', dataPoints: [point(baseNs, 2), point(MAX_U64, 3)] } };
      return { kind: 'metric-values', signal: 'metrics', protobuf: patch(metrics([ok, sum]), 'MARK', random.pick(INVALID_UTF8)), expect: 'refused' };
    }
    case 10: {
      // JSON type confusions where a field's type is fixed: refused with the path.
      const confusion = random.pick<Record<string, unknown>>([
        { startTimeUnixNano: {} },
        { attributes: 'x' },
        { attributes: [{ key: 'k', value: { intValue: 1.5 } }] },
        { kind: [] },
        { traceId: 7 },
        { status: { code: 'NOT_A_CODE' } },
        { events: [{ timeUnixNano: '1e400' }] },
      ]);
      return { kind: 'json-type', signal: 'traces', json: JSON.stringify(traceJson(random, baseNs, [confusion])), expect: 'malformed' };
    }
    case 11: {
      // __proto__ / constructor keys as JSON fields and as attribute keys: plain data, never a prototype.
      const span = traceSpanJson(random, baseNs);
      const text = JSON.stringify(traceJson(random, baseNs, [span]))
        .replace('"spans":[{', '"__proto__":{"polluted":"scope"},"spans":[{"constructor":{"prototype":{"polluted":"span"}},')
        .replace('"resource":{', '"resource":{"__proto__":{"polluted":"resource"},')
        .replace('"attributes":[', '"attributes":[{"key":"__proto__","value":{"stringValue":"p"}},{"key":"constructor","value":{"kvlistValue":{"values":[{"key":"prototype","value":{"stringValue":"x"}}]}}},');
      return { kind: 'proto-keys', signal: 'traces', json: text, expect: 'accepted' };
    }
    case 12: {
      // Special doubles in OTLP/JSON: the proto3 JSON strings are read; a bare NaN is not JSON.
      const value = random.pick(['"NaN"', '"Infinity"', '"-Infinity"', '1e400', '-0', 'NaN']);
      const span = { ...traceSpanJson(random, baseNs), attributes: ['@'] };
      const text = JSON.stringify(traceJson(random, baseNs, [span])).replace('"@"', `{"key":"d","value":{"doubleValue":${value}}}`);
      return { kind: 'json-double', signal: 'traces', json: text, expect: value === 'NaN' ? 'malformed' : 'accepted' };
    }
    default: {
      // JSON timestamps at the edges, as strings and bare numbers.
      const value = random.pick(['"0"', '"18446744073709551615"', '"9223372036854775808"', '18446744073709551616', '"-1"', '1.5', '"1e30"']);
      const span = traceSpanJson(random, baseNs);
      const text = JSON.stringify(traceJson(random, baseNs, [span])).replace(/"startTimeUnixNano":"\d+"/, `"startTimeUnixNano":${value}`);
      const expect = value === '"0"' ? 'ok' : ['"18446744073709551615"', '"9223372036854775808"'].includes(value) ? 'refused' : 'malformed';
      return { kind: 'json-times', signal: 'traces', json: text, expect };
    }
  }
}

function traceSpanJson(random: Random, baseNs: bigint): Record<string, unknown> {
  return { traceId: hex(random, 16), spanId: hex(random, 8), name: 'op', startTimeUnixNano: String(baseNs), endTimeUnixNano: String(baseNs + 1000n), attributes: [] };
}

function traceJson(random: Random, baseNs: bigint, spans: Record<string, unknown>[]): unknown {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'fuzz' } }] },
        scopeSpans: [{ scope: { name: 'fuzz' }, spans: spans.map((s) => ({ ...traceSpanJson(random, baseNs), ...s })) }],
      },
    ],
  };
}
