import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError } from '../consumer/errors.ts';
import { decodeLogsProto, decodeMetricsProto, decodeTracesProto, encodeTracesProto } from './index.ts';
import { fullTraces, SPAN_ID, TRACE_ID } from './testdata/full-model.ts';

// Protobuf decoding of hand-made bytes: what other senders may legally send
// (unknown fields of every wire type, unpacked repeated scalars, deprecated fields,
// a message split in two) and what they must not (truncation, wrong wire types,
// ids of the wrong length, invalid UTF-8: refused item by item, see
// decode-refusals.test.ts). Bytes are built by the helpers below, not
// by our encoder, so the two cannot share a mistake.

function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const tag = (field: number, wire: number) => varint(field * 8 + wire);
const len = (field: number, ...parts: number[][]) => {
  const body = parts.flat();
  return [...tag(field, 2), ...varint(body.length), ...body];
};
const str = (field: number, s: string) => len(field, [...Buffer.from(s)]);
const hex = (field: number, h: string) => len(field, [...Buffer.from(h, 'hex')]);
const vint = (field: number, n: number | bigint) => [...tag(field, 0), ...varint(n)];
const fixed64 = (field: number, n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return [...tag(field, 1), ...b];
};
const double = (field: number, n: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(n);
  return [...tag(field, 1), ...b];
};
const fixed32 = (field: number, n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return [...tag(field, 5), ...b];
};
const bytes = (...parts: number[][]) => new Uint8Array(parts.flat());

/** TracesData with one resource, one scope and the given span bodies. */
const traces = (...spans: number[][]) => bytes(len(1, len(2, ...spans.map((s) => len(2, s)))));
const firstSpan = (data: Uint8Array) => decodeTracesProto(data).resourceSpans[0]!.scopeSpans[0]!.spans[0]!;

function rejects(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof BadRequestError, `expected BadRequestError, got ${String(error)}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

describe('protobuf decoding of what senders may send', () => {
  it('reads a span built by hand, field by field', () => {
    const span = firstSpan(
      traces([
        ...hex(1, TRACE_ID),
        ...hex(2, SPAN_ID),
        ...str(3, 'k=v'),
        ...str(5, 'GET /items/{item_id}'),
        ...vint(6, 2),
        ...fixed64(7, 1700000000123456789n),
        ...fixed64(8, 1700000000123456790n),
        ...len(9, str(1, 'http.route'), len(2, str(1, '/items/{item_id}'))),
        ...len(9, str(1, 'n'), len(2, vint(3, -5))),
        ...vint(10, 1),
        ...len(15, str(2, 'boom'), vint(3, 2)),
        ...fixed32(16, 0x301),
      ]),
    );
    assert.equal(span.traceId, TRACE_ID);
    assert.equal(span.spanId, SPAN_ID);
    assert.equal(span.traceState, 'k=v');
    assert.equal(span.name, 'GET /items/{item_id}');
    assert.equal(span.kind, 2);
    assert.equal(span.startTimeUnixNano, 1700000000123456789n);
    assert.equal(span.endTimeUnixNano, 1700000000123456790n);
    assert.deepEqual(span.attributes, [
      { key: 'http.route', value: { type: 'string', value: '/items/{item_id}' } },
      { key: 'n', value: { type: 'int', value: -5n } },
    ]);
    assert.equal(span.droppedAttributesCount, 1);
    assert.deepEqual(span.status, { message: 'boom', code: 2 });
    assert.equal(span.flags, 0x301);
  });

  it('skips unknown fields of every wire type at every level', () => {
    const unknown = [
      ...vint(99, 123456789012345n),
      ...fixed64(98, 1n),
      ...str(97, 'future'),
      ...fixed32(96, 7),
      ...tag(95, 3), // a group, with nested fields and a nested group
      ...vint(1, 1),
      ...tag(2, 3),
      ...str(1, 'x'),
      ...tag(2, 4),
      ...tag(95, 4),
    ];
    const data = bytes(
      unknown,
      len(
        1,
        unknown,
        len(1, unknown, len(1, unknown, str(1, 'k'), len(2, unknown, str(1, 'v')))),
        // ResourceSpans 1000 is the pre-1.0 instrumentation_library_spans: skipped.
        len(1000, len(2, hex(1, TRACE_ID))),
        len(2, unknown, len(1, unknown, str(1, 'scope')), len(2, unknown, str(5, 'span'), len(15, vint(1, 1), unknown))),
        unknown,
      ),
    );
    const group = decodeTracesProto(data).resourceSpans[0]!;
    assert.deepEqual(group.resource.attributes, [{ key: 'k', value: { type: 'string', value: 'v' } }]);
    assert.equal(group.scopeSpans.length, 1);
    assert.equal(group.scopeSpans[0]!.scope.name, 'scope');
    assert.equal(group.scopeSpans[0]!.spans[0]!.name, 'span');
    // Status field 1 (deprecated_code) is reserved: skipped, the code stays unset.
    assert.deepEqual(group.scopeSpans[0]!.spans[0]!.status, { message: '', code: 0 });
  });

  it('reads repeated scalars packed and unpacked', () => {
    const point = [
      ...fixed64(6, 1n), // histogram bucket_counts unpacked ...
      ...len(6, [...Buffer.from(new BigUint64Array([2n, 18446744073709551615n]).buffer)]), // ... then packed
      ...double(7, 0.5),
      ...len(7, [...Buffer.from(new Float64Array([1.5, 2.5]).buffer)]),
    ];
    const exponential = [...len(8, vint(1, 6), vint(2, 3), len(2, varint(4), varint(300)), vint(2, 2n ** 63n))];
    const data = bytes(len(1, len(2, len(2, str(1, 'h'), len(9, len(1, point))), len(2, str(1, 'e'), len(10, len(1, exponential))))));
    const [histogram, expo] = decodeMetricsProto(data).resourceMetrics[0]!.scopeMetrics[0]!.metrics;
    assert.ok(histogram?.data?.type === 'histogram');
    assert.deepEqual(histogram.data.dataPoints[0]!.bucketCounts, [1n, 2n, 18446744073709551615n]);
    assert.deepEqual(histogram.data.dataPoints[0]!.explicitBounds, [0.5, 1.5, 2.5]);
    assert.ok(expo?.data?.type === 'exponentialHistogram');
    // offset is sint32: zigzag 6 is 3.
    assert.deepEqual(expo.data.dataPoints[0]!.positive, { offset: 3, bucketCounts: [3n, 4n, 300n, 2n ** 63n] });
  });

  it('merges a singular message sent twice and lets the last scalar win', () => {
    const span = firstSpan(traces([...str(5, 'first'), ...len(15, str(2, 'm')), ...str(5, 'second'), ...len(15, vint(3, 1))]));
    assert.equal(span.name, 'second');
    assert.deepEqual(span.status, { message: 'm', code: 1 });
    const data = bytes(len(1, len(1, len(1, str(1, 'a'))), len(1, len(1, str(1, 'b')), vint(2, 3))));
    const resource = decodeTracesProto(data).resourceSpans[0]!.resource;
    assert.deepEqual(resource.attributes.map((a) => a.key), ['a', 'b']);
    assert.equal(resource.droppedAttributesCount, 3);
  });

  it('refuses invalid UTF-8 (proto3 strings are UTF-8), naming the field, and keeps U+FFFD sent as such', () => {
    rejects(() => firstSpan(traces([...len(5, [0x61, 0xff, 0x62])])), 'resourceSpans[0].scopeSpans[0].spans[0].name: invalid UTF-8');
    rejects(
      () => firstSpan(traces([...len(3, [...Buffer.from('x'.repeat(40)), 0xc3])])),
      'resourceSpans[0].scopeSpans[0].spans[0].traceState: invalid UTF-8',
    );
    assert.equal(firstSpan(traces([...str(5, 'a\ufffdb')])).name, 'a\ufffdb');
  });

  it('reads negative int32 enums sent as 10-byte varints, and every AnyValue kind', () => {
    const span = firstSpan(
      traces([
        ...vint(6, -1),
        ...len(9, str(1, 'b'), len(2, vint(2, 1))),
        ...len(9, str(1, 'd'), len(2, double(4, -0.25))),
        ...len(9, str(1, 'x'), len(2, len(7, [0, 255]))),
        ...len(9, str(1, 'a'), len(2, len(5, len(1, str(1, 's')), len(1)))),
        ...len(9, str(1, 'kv'), len(2, len(6, len(1, str(1, 'k'))))),
        ...len(9, str(1, 'e'), len(2)),
        ...len(9, str(1, 'none')),
      ]),
    );
    assert.equal(span.kind, -1);
    assert.deepEqual(
      span.attributes.map((a) => a.value),
      [
        { type: 'bool', value: true },
        { type: 'double', value: -0.25 },
        { type: 'bytes', value: new Uint8Array([0, 255]) },
        { type: 'array', value: [{ type: 'string', value: 's' }, { type: 'empty' }] },
        { type: 'kvlist', value: [{ key: 'k', value: { type: 'empty' } }] },
        { type: 'empty' },
        { type: 'empty' },
      ],
    );
  });

  it('never confuses short strings that share a string-cache slot', () => {
    // Same length and same sampled bytes (first, middle, last two): one cache slot.
    const names = Array.from({ length: 300 }, (_, i) => `a${String(i).padStart(3, '0')}b${'é'.repeat(i % 2)}zzz`);
    const spans = [...names, ...names.slice().reverse()].map((name) => str(5, name));
    const decoded = decodeTracesProto(traces(...spans)).resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name);
    assert.deepEqual(decoded, [...names, ...names.slice().reverse()]);
  });

  it('reads log records, including event_name (field 12)', () => {
    const data = bytes(len(1, len(2, len(2, fixed64(1, 5n), fixed64(11, 6n), vint(2, 17), str(3, 'ERROR'), len(5, str(1, 'body')), fixed32(8, 1), hex(9, TRACE_ID), hex(10, SPAN_ID), str(12, 'payment.declined')))));
    const log = decodeLogsProto(data).resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
    assert.deepEqual(log, {
      timeUnixNano: 5n,
      observedTimeUnixNano: 6n,
      severityNumber: 17,
      severityText: 'ERROR',
      body: { type: 'string', value: 'body' },
      attributes: [],
      droppedAttributesCount: 0,
      flags: 1,
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      eventName: 'payment.declined',
    });
  });
});

describe('protobuf decoding of malformed input', () => {
  it('names the path of a trace id of the wrong length', () => {
    const spans = [[], [], [], [], hex(1, '0102030405')];
    const data = bytes(len(1, len(2), len(2, ...spans.map((s) => len(2, s)))));
    rejects(() => decodeTracesProto(data), 'resourceSpans[0].scopeSpans[1].spans[4].traceId: expected 16 bytes, got 5');
    rejects(() => decodeTracesProto(traces(hex(2, '01020304'))), 'resourceSpans[0].scopeSpans[0].spans[0].spanId: expected 8 bytes, got 4');
    rejects(
      () => decodeTracesProto(traces([...len(13, hex(1, TRACE_ID)), ...len(13, hex(2, TRACE_ID))])),
      'resourceSpans[0].scopeSpans[0].spans[0].links[1].spanId: expected 8 bytes, got 16',
    );
    rejects(
      () => decodeLogsProto(bytes(len(1, len(2, len(2, hex(9, 'ff')))))),
      'resourceLogs[0].scopeLogs[0].logRecords[0].traceId: expected 16 bytes, got 1',
    );
  });

  it('names the attribute and value field at fault', () => {
    const attrs = [...len(9, str(1, 'ok'), len(2, str(1, 'v'))), ...len(9, str(1, 'bad'), len(2, len(2, [1])))];
    rejects(() => decodeTracesProto(traces(attrs)), 'resourceSpans[0].scopeSpans[0].spans[0].attributes[1].value.boolValue: invalid wire type 2 for field 2');
    const nested = len(9, str(1, 'a'), len(2, len(5, len(1, vint(2, 1)), len(1, fixed32(3, 0)))));
    rejects(() => decodeTracesProto(traces(nested)), 'resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.arrayValue.values[1].intValue: invalid wire type 5 for field 3');
    rejects(
      () => decodeLogsProto(bytes(len(1, len(1, len(1, str(1, 'k'), len(2, str(1, 'x'))), len(1, [0x0a, 9]))))),
      'resourceLogs[0].resource.attributes[1].key: truncated message at byte 18: length 9 at byte 18 overruns it',
    );
  });

  it('accepts empty ids', () => {
    const span = firstSpan(traces([...len(1), ...len(2), ...len(4)]));
    assert.deepEqual([span.traceId, span.spanId, span.parentSpanId], ['', '', '']);
  });

  it('refuses a known field with the wrong wire type, and invalid wire types', () => {
    rejects(() => decodeTracesProto(traces(vint(1, 5))), 'resourceSpans[0].scopeSpans[0].spans[0].traceId: invalid wire type 0 for field 1');
    rejects(() => decodeTracesProto(traces(fixed64(16, 1n))), 'resourceSpans[0].scopeSpans[0].spans[0].flags: invalid wire type 1 for field 16');
    rejects(() => decodeTracesProto(bytes([0x0f])), 'resourceSpans: invalid wire type 7 for field 1');
    rejects(() => decodeTracesProto(bytes(tag(3, 6), [0])), 'invalid wire type 6 for field 3');
    rejects(() => decodeTracesProto(bytes(tag(3, 4))), 'unexpected end-group for field 3');
    rejects(() => decodeTracesProto(traces(tag(40, 7))), 'resourceSpans[0].scopeSpans[0].spans[0]: invalid wire type 7 for field 40');
    rejects(() => decodeTracesProto(bytes([0x00])), /invalid field number 0/);
    rejects(
      () => decodeMetricsProto(bytes(len(1, len(2, len(2, len(9, len(1, vint(6, 1)))))))),
      'resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].bucketCounts: invalid wire type 0 for field 6',
    );
  });

  it('names the byte where a truncated message ends', () => {
    const data = traces(str(5, 'payment.charge'));
    rejects(() => decodeTracesProto(data.subarray(0, data.length - 3)), /^resourceSpans\[0\]: truncated message at byte \d+/);
    rejects(() => decodeTracesProto(bytes([0x0a, 0x05, 1, 2])), 'resourceSpans[0]: truncated message at byte 4: length 5 at byte 2 overruns it');
    rejects(() => decodeTracesProto(traces([...tag(7, 1), 1, 2, 3])), 'resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: truncated message at byte 7');
    rejects(() => decodeTracesProto(bytes([0x10, 0xff, 0xff])), 'truncated message at byte 3');
  });

  it('refuses a nested length that overruns its parent message', () => {
    // The span claims 10 bytes inside a scope that holds 4: the buffer has them, the parent does not.
    const data = bytes(len(1, len(2, [...tag(2, 2), 10, ...str(5, 'ab')]), str(3, 'https://x')));
    rejects(() => decodeTracesProto(data), /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]: truncated message at byte \d+: length 10/);
  });

  it('skips deeply nested unknown groups without overflowing the stack', () => {
    const depth = 1_000_000;
    const data = bytes(Array(depth).fill(tag(7, 3)[0]), Array(depth).fill(tag(7, 4)[0]), len(1, str(3, 'https://x')));
    assert.equal(decodeTracesProto(data).resourceSpans[0]!.schemaUrl, 'https://x');
    rejects(() => decodeTracesProto(bytes(tag(7, 3), tag(7, 3), tag(8, 4))), 'end-group for field 8 does not close the open group');
    rejects(() => decodeTracesProto(bytes(tag(7, 3), tag(7, 3), tag(7, 4))), /^truncated message at byte 3$/);
  });

  it('refuses varints longer than 10 bytes', () => {
    rejects(() => decodeTracesProto(bytes([0x10], Array(10).fill(0xff), [0x01])), 'varint longer than 10 bytes at byte 1');
    rejects(() => decodeTracesProto(traces([...vint(6, 1), 0x30, ...Array(10).fill(0x80), 0x00])), /spans\[0\]\.kind: varint longer than 10 bytes/);
  });

  it('refuses AnyValues nested past the limit without overflowing the stack', () => {
    // AnyValue { 5 array_value: ArrayValue { 1 values: AnyValue { ... } } }, 100,000 deep,
    // built from the inside out as prefixes (2 to 8 bytes a level).
    const prefixes: number[][] = [];
    let size = 2; // the innermost AnyValue: bool_value true
    for (let i = 0; i < 100_000; i++) {
      const inner = [...tag(1, 2), ...varint(size)];
      size += inner.length;
      const outer = [...tag(5, 2), ...varint(size)];
      size += outer.length;
      prefixes.push(inner, outer);
    }
    const value = [...prefixes.reverse().flat(), ...vint(2, 1)];
    rejects(() => decodeTracesProto(traces(len(9, str(1, 'deep'), len(2, value)))), /values nested deeper than 100 levels/);
  });

  it('only ever throws BadRequestError on truncated or corrupted bytes', () => {
    const good = encodeTracesProto(fullTraces);
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const attempts: Uint8Array[] = [];
    for (let cut = 0; cut < good.length; cut += 7) attempts.push(good.subarray(0, cut));
    for (let i = 0; i < 2000; i++) {
      const copy = new Uint8Array(good);
      for (let k = 0; k < 3; k++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
      attempts.push(copy);
    }
    for (const attempt of attempts) {
      try {
        decodeTracesProto(attempt);
      } catch (error) {
        assert.ok(error instanceof BadRequestError, String(error));
      }
    }
  });
});
