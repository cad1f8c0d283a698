import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { decodeTracesJson } from '../src/pdata/index.ts';
import { flattenSpans } from './helpers/normalize.ts';
import { createSdkTelemetry } from './helpers/sdk-telemetry.ts';
import type { SdkTelemetry, SentTrace } from './helpers/sdk-telemetry.ts';
import { getJson, startInProcess, tempDir } from './helpers/tracehouse.ts';
import type { RunningTracehouse } from './helpers/tracehouse.ts';

// The real OpenTelemetry JS SDK's gRPC exporters against the OTLP/gRPC receiver:
// the same data must come back as over HTTP, and errors must carry the status
// codes the OTLP specification asks for.

let th: RunningTracehouse;
let dir: Awaited<ReturnType<typeof tempDir>>;
let sdk: SdkTelemetry;
let ok: SentTrace;
let declined: SentTrace;

before(async () => {
  dir = await tempDir();
  th = await startInProcess(['--max-recv-msg-size-mib', '1'], dir.dir);
  sdk = createSdkTelemetry(`http://${th.grpcAddress}`, 'grpc', 'payment-api-grpc');
  ok = sdk.payment({ currency: 'EUR', amount: 42, chargeMs: 12 });
  declined = sdk.payment({ currency: 'USD', amount: 99, declined: true });
  await sdk.flush();
});

after(async () => {
  await sdk?.shutdown();
  await th?.stop();
  await dir?.remove();
});

const api = (path: string) => getJson(`${th.apiUrl}${path}`);

/** A raw unary call, to send bytes the SDK would never send. */
function exportRaw(body: Buffer): Promise<{ code: number; details: string; metadata: grpc.Metadata }> {
  const client = new grpc.Client(th.grpcAddress, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      (b: Buffer) => b,
      (b: Buffer) => b,
      body,
      (error) => {
        client.close();
        resolve(error ? { code: error.code, details: error.details, metadata: error.metadata } : { code: 0, details: '', metadata: new grpc.Metadata() });
      },
    );
  });
}

describe('OTLP/gRPC', () => {
  test('traces sent by the SDK gRPC exporter come back losslessly', async () => {
    for (const sent of [ok, declined]) {
      const { status, body } = await api(`/api/v1/traces/${sent.traceId}`);
      assert.equal(status, 200);
      const sdkSpans = sdk.finishedSpans().filter((s) => s.spanContext().traceId === sent.traceId);
      const expected = decodeTracesJson(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(sdkSpans)));
      assert.deepEqual(flattenSpans(decodeTracesJson(JSON.stringify(body))), flattenSpans(expected));
    }
  });

  test('logs and metrics arrive too', async () => {
    const logs = await api(`/api/v1/logs?traceId=${declined.traceId}`);
    assert.deepEqual(
      logs.body.logs.map((l: { body: string }) => l.body),
      ['payment declined: USD 99', 'validating payment of 99 USD'],
    );
    const metrics = await api('/api/v1/metrics');
    const processed = metrics.body.metrics.find((m: { name: string }) => m.name === 'payments.processed');
    assert.deepEqual(processed.services, ['payment-api-grpc']);
  });

  test('a malformed message is INVALID_ARGUMENT naming the problem; the server keeps serving', async () => {
    const result = await exportRaw(Buffer.from([0x0a, 0xff, 0xff, 0x01]));
    assert.equal(result.code, grpc.status.INVALID_ARGUMENT);
    assert.match(result.details, /truncat|length|end/i);
    const good = ProtobufTraceSerializer.serializeRequest(sdk.finishedSpans().slice(0, 1))!;
    assert.equal((await exportRaw(Buffer.from(good))).code, grpc.status.OK);
  });

  test('a message past max_recv_msg_size_mib is refused with RESOURCE_EXHAUSTED', async () => {
    const result = await exportRaw(Buffer.alloc(2 * 1024 * 1024));
    assert.equal(result.code, grpc.status.RESOURCE_EXHAUSTED);
  });
});
