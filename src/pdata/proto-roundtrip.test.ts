import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeLogsProto,
  decodeMetricsProto,
  decodeTracesProto,
  encodeLogsProto,
  encodeMetricsProto,
  encodeTracesProto,
} from './index.ts';
import { fullLogs, fullMetrics, fullTraces } from './testdata/full-model.ts';

// Every field of every message, through encode and decode: the model must come
// back equal (bigints exact, NaN kept, bytes kept, defaults as defaults).

describe('protobuf round trip', () => {
  it('keeps every trace field', () => {
    const bytes = encodeTracesProto(fullTraces);
    assert.deepEqual(decodeTracesProto(bytes), fullTraces);
  });

  it('keeps every log field and every body kind', () => {
    assert.deepEqual(decodeLogsProto(encodeLogsProto(fullLogs)), fullLogs);
  });

  it('keeps every metric kind, exemplars, optional sum/min/max and metadata', () => {
    assert.deepEqual(decodeMetricsProto(encodeMetricsProto(fullMetrics)), fullMetrics);
  });

  it('encodes an empty request as zero bytes and decodes it back', () => {
    assert.equal(encodeTracesProto({ resourceSpans: [] }).length, 0);
    assert.deepEqual(decodeTracesProto(new Uint8Array(0)), { resourceSpans: [] });
    assert.deepEqual(decodeMetricsProto(new Uint8Array(0)), { resourceMetrics: [] });
    assert.deepEqual(decodeLogsProto(new Uint8Array(0)), { resourceLogs: [] });
  });

  it('decodes from a plain Uint8Array at an offset as well as from a Buffer', () => {
    const bytes = encodeTracesProto(fullTraces);
    const padded = new Uint8Array(bytes.length + 7);
    padded.set(bytes, 5);
    assert.deepEqual(decodeTracesProto(padded.subarray(5, 5 + bytes.length)), fullTraces);
    assert.deepEqual(decodeTracesProto(Buffer.from(bytes)), fullTraces);
  });

  it('returns bytes values that do not alias the request buffer', () => {
    const bytes = Buffer.from(encodeLogsProto(fullLogs));
    const decoded = decodeLogsProto(bytes);
    bytes.fill(0);
    assert.deepEqual(decoded, fullLogs);
  });

  it('refuses to encode an id that is not hex of the right length', () => {
    const span = { ...fullTraces.resourceSpans[0]!.scopeSpans[0]!.spans[0]!, spanId: 'abc' };
    const data = { resourceSpans: [{ resource: { attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', scopeSpans: [{ scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', spans: [span] }] }] };
    assert.throws(() => encodeTracesProto(data), /invalid id "abc": expected 16 hex digits/);
  });
});
