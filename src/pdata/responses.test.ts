import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeExportResponseProto, encodeStatusProto, exportResponseToOtlpJson, statusToJson } from './index.ts';

// The answers of an OTLP server (opentelemetry-proto docs/specification.md,
// "Full Success", "Partial Success", "Failures"), checked byte by byte.

describe('ExportXServiceResponse', () => {
  it('is empty bytes and {} when everything was accepted', () => {
    assert.deepEqual(encodeExportResponseProto(), new Uint8Array(0));
    assert.deepEqual(exportResponseToOtlpJson('traces'), {});
  });

  it('carries partial_success { rejected, error_message } in protobuf', () => {
    const bytes = encodeExportResponseProto({ rejected: 300n, errorMessage: 'bad span' });
    // 0a: field 1 LEN; 0d: 13 bytes; 08: field 1 varint, 300 = ac 02; 12: field 2 LEN, 8 bytes.
    assert.deepEqual([...bytes], [0x0a, 13, 0x08, 0xac, 0x02, 0x12, 8, ...Buffer.from('bad span')]);
  });

  it('writes a rejected count past 2^53 exactly', () => {
    const bytes = encodeExportResponseProto({ rejected: 2n ** 63n - 1n, errorMessage: '' });
    assert.deepEqual([...bytes], [0x0a, 10, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
  });

  it('names the rejected field per signal in JSON, as a string int64', () => {
    const partial = { rejected: 2n, errorMessage: 'dropped' };
    assert.deepEqual(exportResponseToOtlpJson('traces', partial), { partialSuccess: { rejectedSpans: '2', errorMessage: 'dropped' } });
    assert.deepEqual(exportResponseToOtlpJson('metrics', partial), { partialSuccess: { rejectedDataPoints: '2', errorMessage: 'dropped' } });
    assert.deepEqual(exportResponseToOtlpJson('logs', partial), { partialSuccess: { rejectedLogRecords: '2', errorMessage: 'dropped' } });
    assert.deepEqual(exportResponseToOtlpJson('logs', { rejected: 0n, errorMessage: 'warning only' }), { partialSuccess: { errorMessage: 'warning only' } });
  });
});

describe('google.rpc.Status', () => {
  it('encodes code (field 1 varint) and message (field 2)', () => {
    assert.deepEqual([...encodeStatusProto(3, 'bad')], [0x08, 3, 0x12, 3, ...Buffer.from('bad')]);
    assert.deepEqual([...encodeStatusProto(0, '')], []);
    const long = 'é'.repeat(100);
    const bytes = encodeStatusProto(14, long);
    assert.deepEqual([...bytes.subarray(0, 5)], [0x08, 14, 0x12, 0xc8, 0x01]);
    assert.equal(Buffer.from(bytes.subarray(5)).toString('utf8'), long);
  });

  it('is {"code":3,"message":"..."} in JSON', () => {
    assert.equal(JSON.stringify(statusToJson(3, 'resourceSpans[0]: bad')), '{"code":3,"message":"resourceSpans[0]: bad"}');
  });
});
