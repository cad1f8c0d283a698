import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { TelemetryConsumer } from '../../consumer/consumer.ts';
import { listen } from '../../lib/listen.ts';
import { silentLogger } from '../../lib/log.ts';
import type { TracesData } from '../../pdata/model.ts';
import { createOtlpHttpReceiver } from './http.ts';

// The receiver served by Node (lib/listen.ts), where it reads the body from
// Node's request stream rather than from a Web stream (body.ts): bodies sent in
// many chunks arrive whole, a body past the limit is a 413 the keep-alive client
// receives and its connection serves the next request, a sender that goes away
// mid-body costs nothing.

function sdkBody(spanCount: number): Uint8Array {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'payment-api' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('payment-api');
  for (let i = 0; i < spanCount; i++) tracer.startSpan(`op ${i}`, { attributes: { 'payment.note': 'x'.repeat(200) } }).end();
  return ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!;
}

async function served(maxRequestBodyBytes: number) {
  const received: TracesData[] = [];
  const consumer: TelemetryConsumer = {
    consumeTraces: async (d) => (received.push(d), {}),
    consumeLogs: async () => ({}),
    consumeMetrics: async () => ({}),
  };
  const app = createOtlpHttpReceiver({
    consumers: { traces: consumer, metrics: consumer, logs: consumer },
    maxRequestBodyBytes,
    cors: { allowedOrigins: [], allowedHeaders: [] },
    logger: silentLogger,
  });
  const listener = await listen(app, '127.0.0.1', 0, 'OTLP/HTTP test');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  /** POSTs `body` in chunks of `chunkBytes`, on the one kept-alive socket. */
  const post = (body: Uint8Array, chunkBytes = 1000) =>
    new Promise<{ status: number; socketReused: boolean }>((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port: listener.port, path: '/v1/traces', method: 'POST', agent, headers: { 'Content-Type': 'application/x-protobuf' } },
        (response) => {
          response.resume();
          response.once('end', () => resolve({ status: response.statusCode ?? 0, socketReused: request.reusedSocket }));
        },
      );
      request.once('error', reject);
      for (let at = 0; at < body.length; at += chunkBytes) request.write(body.subarray(at, at + chunkBytes));
      request.end();
    });
  return {
    received,
    post,
    listener,
    close: async () => {
      agent.destroy();
      await listener.close();
    },
  };
}

test('a body sent in many chunks arrives whole; one past the limit is a 413 and the connection goes on', async () => {
  const s = await served(64 * 1024);
  try {
    const ok = await s.post(sdkBody(20));
    assert.equal(ok.status, 200);
    const names = s.received[0]!.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((ss) => ss.spans.map((sp) => sp.name)));
    assert.deepEqual(names.sort(), Array.from({ length: 20 }, (_, i) => `op ${i}`).sort());

    const tooLarge = await s.post(sdkBody(1000));
    assert.equal(tooLarge.status, 413);
    assert.equal(s.received.length, 1);

    const after = await s.post(sdkBody(3));
    assert.equal(after.status, 200);
    assert.equal(after.socketReused, true, 'the keep-alive connection still serves requests');
    assert.equal(s.received.length, 2);
  } finally {
    await s.close();
  }
});

test('a sender that goes away mid-body is not consumed and the server keeps serving', async () => {
  const s = await served(1024 * 1024);
  try {
    const body = sdkBody(50);
    await new Promise<void>((resolve) => {
      const request = http.request({
        host: '127.0.0.1', port: s.listener.port, path: '/v1/traces', method: 'POST',
        headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': String(body.length) },
      });
      request.once('error', () => resolve());
      request.write(body.subarray(0, 100), () => setTimeout(() => (request.destroy(), resolve()), 50));
    });
    const ok = await s.post(sdkBody(2));
    assert.equal(ok.status, 200);
    assert.equal(s.received.length, 1, 'only the whole request reached the pipeline');
  } finally {
    await s.close();
  }
});
