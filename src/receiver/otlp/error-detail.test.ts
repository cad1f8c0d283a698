import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { TelemetryConsumer } from '../../consumer/consumer.ts';
import { StorageRefusedDataError, StorageUnavailableError } from '../../consumer/errors.ts';
import { createLogger } from '../../lib/log.ts';
import { EngineInsertError } from '../../storage/insert-failure.ts';
import { startOtlpGrpcReceiver } from './grpc.ts';
import { createOtlpHttpReceiver } from './http.ts';

// Engine error text never reaches a client (it names tables and columns and quotes
// rows, other senders' among them): the client gets our message and a request
// id, the server log the detail under that id. Real SDK payloads, both transports.

const engineMessage =
  "Code: 25. DB::Exception: Cannot parse escape sequence: (while reading the value of key SpanName): (at row 3)\nRow 3: Column 0, name: TraceId, type: String, parsed text: \"secret-of-another-sender\"";
const engineText = /DB::Exception|Code:|SpanName|TraceId|spans|secret-of-another-sender/;

const failures: Record<string, () => Error> = {
  'storage refused the data': () =>
    new StorageRefusedDataError('storage refused a value in this request that it cannot store', { cause: new EngineInsertError(engineMessage, 25) }),
  'storage unavailable': () =>
    new StorageUnavailableError('storage could not take the write', 1000, { cause: new EngineInsertError('Code: 243. DB::Exception: Cannot reserve 1.00 MiB, not enough space in /data/store/spans. (NOT_ENOUGH_SPACE)', 243) }),
  'an unexpected error': () => new Error(`DB::Exception: table tracehouse.spans: ${engineMessage}`),
};

function sdkRequest(): Uint8Array {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  provider.getTracer('payment-api').startSpan('POST /payments').end();
  return ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans() as ReadableSpan[])!;
}

function failingConsumers(make: () => Error): TelemetryConsumer {
  const fail = async () => {
    throw make();
  };
  return { consumeTraces: fail, consumeMetrics: fail, consumeLogs: fail };
}

function capturingLogger() {
  const lines: string[] = [];
  return { lines, logger: createLogger('debug', (line) => lines.push(line)) };
}

for (const [name, make] of Object.entries(failures)) {
  test(`OTLP/HTTP, ${name}: the body has no engine text, the request id leads to it in the log`, async () => {
    const { lines, logger } = capturingLogger();
    const consumer = failingConsumers(make);
    const app = createOtlpHttpReceiver({
      consumers: { traces: consumer, metrics: consumer, logs: consumer },
      maxRequestBodyBytes: 1 << 20,
      cors: { allowedOrigins: [], allowedHeaders: [] },
      logger,
    });
    for (const contentType of ['application/x-protobuf', 'application/json']) {
      const body = contentType === 'application/json' ? '{"resourceSpans":[]}' : sdkRequest();
      const res = await app.request('/v1/traces', { method: 'POST', headers: { 'Content-Type': contentType }, body });
      assert.ok(res.status === 400 || res.status === 503, `${res.status}`);
      const text = Buffer.from(await res.arrayBuffer()).toString('latin1');
      assert.doesNotMatch(text, engineText, `${contentType} body: ${text}`);
      const id = /request id ([0-9a-f]{16}), see the server log/.exec(text)?.[1];
      assert.ok(id !== undefined, `a request id in ${text}`);
      const logged = lines.filter((l) => l.includes(id));
      assert.equal(logged.length, 1, 'logged once');
      assert.match(logged[0]!, /DB::Exception/, 'the log has the detail');
    }
  });
}

test('OTLP/gRPC: details and the status in grpc-status-details-bin have no engine text', async () => {
  const { lines, logger } = capturingLogger();
  for (const [name, make] of Object.entries(failures)) {
    const consumer = failingConsumers(make);
    const listener = await startOtlpGrpcReceiver({ consumers: { traces: consumer }, maxRecvMsgSizeBytes: 1 << 20, logger }, '127.0.0.1', 0);
    try {
      const client = new grpc.Client(`127.0.0.1:${listener.port}`, grpc.credentials.createInsecure());
      const error = await new Promise<grpc.ServiceError>((resolve, reject) => {
        client.makeUnaryRequest(
          '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.from(sdkRequest()),
          (err) => (client.close(), err ? resolve(err) : reject(new Error('expected a failure'))),
        );
      });
      assert.ok(error.code === grpc.status.INVALID_ARGUMENT || error.code === grpc.status.UNAVAILABLE, `${name}: ${error.code}`);
      assert.doesNotMatch(error.details, engineText, name);
      for (const bin of error.metadata.get('grpc-status-details-bin')) {
        assert.doesNotMatch(Buffer.from(bin as Buffer).toString('latin1'), engineText, name);
      }
      const id = /request id ([0-9a-f]{16})/.exec(error.details)?.[1];
      assert.ok(id !== undefined && lines.some((l) => l.includes(id) && l.includes('DB::Exception')), `${name}: id in the log`);
    } finally {
      await listener.close();
    }
  }
});
