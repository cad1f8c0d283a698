import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackpressureError, BadRequestError, PermanentError, StorageUnavailableError } from '../../consumer/errors.ts';
import { ProtoReader } from '../../pdata/protobuf-reader.ts';
import { grpcFailureFor, httpFailureFor } from './status.ts';

/** Reads the RetryInfo delay (seconds) out of a google.rpc.Status with one Any detail. */
function retryDelaySeconds(statusBytes: Uint8Array): { typeUrl: string; seconds: number } {
  const fields = (bytes: Uint8Array) => {
    const r = new ProtoReader(bytes);
    const out = new Map<number, Uint8Array | number>();
    while (r.pos < bytes.length) {
      const tag = r.uint32();
      out.set(tag >>> 3, (tag & 7) === 2 ? r.bytes() : r.uint32());
    }
    return out;
  };
  const any = fields(fields(statusBytes).get(3) as Uint8Array);
  const typeUrl = Buffer.from(any.get(1) as Uint8Array).toString();
  const retryInfo = fields(any.get(2) as Uint8Array);
  const duration = fields(retryInfo.get(1) as Uint8Array);
  return { typeUrl, seconds: duration.get(1) as number };
}

test('HTTP statuses per error kind', () => {
  assert.equal(httpFailureFor(new BadRequestError('bad')).status, 400);
  // A processor refusing data for good must not invite retries.
  assert.equal(httpFailureFor(new PermanentError('no')).status, 400);
  assert.deepEqual(httpFailureFor(new BackpressureError('busy', 2000)), {
    status: 429,
    grpcCode: 8,
    message: 'busy',
    retryAfterSeconds: 2,
  });
  assert.equal(httpFailureFor(new StorageUnavailableError('down', 500)).retryAfterSeconds, 1);
  assert.equal(httpFailureFor(new Error('surprise')).status, 503);
});

test('gRPC: RESOURCE_EXHAUSTED and UNAVAILABLE carry a RetryInfo; bad data is INVALID_ARGUMENT without one', () => {
  const busy = grpcFailureFor(new BackpressureError('busy', 3000));
  assert.equal(busy.code, 8);
  const details = busy.metadata.get('grpc-status-details-bin')[0] as Buffer;
  assert.deepEqual(retryDelaySeconds(details), { typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', seconds: 3 });
  const down = grpcFailureFor(new StorageUnavailableError('down', 1000));
  assert.equal(down.code, 14);
  assert.equal(retryDelaySeconds(down.metadata.get('grpc-status-details-bin')[0] as Buffer).seconds, 1);
  const bad = grpcFailureFor(new BadRequestError('spans[0].traceId: expected 16 bytes'));
  assert.equal(bad.code, 3);
  assert.equal(bad.details, 'spans[0].traceId: expected 16 bytes');
  assert.deepEqual(bad.metadata.get('grpc-status-details-bin'), []);
});

test('an error with engine detail answers our message and a request id; the detail is only in serverLog', () => {
  const engine = new Error('Code: 243. DB::Exception: not enough space (NOT_ENOUGH_SPACE)');
  const f = httpFailureFor(new StorageUnavailableError('storage could not take the write', 1000, { cause: engine }));
  assert.match(f.message, /^storage could not take the write; request id [0-9a-f]{16}, see the server log$/);
  assert.equal(f.serverLog?.requestId, /request id ([0-9a-f]{16})/.exec(f.message)?.[1]);
  assert.match(f.serverLog?.detail ?? '', /StorageUnavailableError: storage could not take the write <- caused by Error: Code: 243/);
  assert.match(httpFailureFor(new Error('DB::Exception: boom')).message, /^internal error; request id [0-9a-f]{16}/);
  // Our own precise messages stay as they are, without an id.
  assert.equal(httpFailureFor(new BadRequestError('spans[0].name: lone surrogate', { cause: engine })).message, 'spans[0].name: lone surrogate');
  assert.equal(httpFailureFor(new StorageUnavailableError('the store is closed', 1000)).serverLog, undefined);
});
