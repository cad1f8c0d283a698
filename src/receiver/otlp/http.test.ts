import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import zlib from 'node:zlib';
import { context, SpanKind, trace } from '@opentelemetry/api';
import {
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { ConsumeResult, TelemetryConsumer } from '../../consumer/consumer.ts';
import { BackpressureError, StorageUnavailableError } from '../../consumer/errors.ts';
import { silentLogger } from '../../lib/log.ts';
import type { LogsData, MetricsData, TracesData } from '../../pdata/model.ts';
import { createOtlpHttpReceiver } from './http.ts';

// The receiver on its own: real SDK payloads in, a sink consumer behind it.

function sink(behaviour: () => ConsumeResult = () => ({})) {
  const traces: TracesData[] = [];
  const logs: LogsData[] = [];
  const metrics: MetricsData[] = [];
  const consumer: TelemetryConsumer = {
    consumeTraces: async (d) => (traces.push(d), behaviour()),
    consumeLogs: async (d) => (logs.push(d), behaviour()),
    consumeMetrics: async (d) => (metrics.push(d), behaviour()),
  };
  return { consumer, traces, logs, metrics };
}

function sdkSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'payment-api' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('payment-api', '1.0.0');
  const root = tracer.startSpan('POST /payments', { kind: SpanKind.SERVER, attributes: { 'http.route': '/payments' } });
  const child = tracer.startSpan(
    'payment.charge',
    { attributes: { 'payment.amount': 12.5, 'payment.currency': 'EUR' } },
    trace.setSpan(context.active(), root),
  );
  child.end();
  root.end();
  return exporter.getFinishedSpans();
}

const spans = sdkSpans();
const protoBody = ProtobufTraceSerializer.serializeRequest(spans)!;
const jsonBody = JsonTraceSerializer.serializeRequest(spans)!;

function post(app: ReturnType<typeof createOtlpHttpReceiver>, path: string, body: Uint8Array, headers: Record<string, string>) {
  return app.request(path, { method: 'POST', body, headers });
}

const receiver = (consumer: TelemetryConsumer, maxRequestBodyBytes = 1024 * 1024, corsOrigins: string[] = []) =>
  createOtlpHttpReceiver({
    consumers: { traces: consumer, metrics: consumer, logs: consumer },
    maxRequestBodyBytes,
    cors: { allowedOrigins: corsOrigins, allowedHeaders: ['X-Tenant'], maxAgeSeconds: 600 },
    logger: silentLogger,
  });

describe('OTLP/HTTP receiver', () => {
  test('accepts SDK protobuf and answers with an empty protobuf ExportTraceServiceResponse', async () => {
    const s = sink();
    const res = await post(receiver(s.consumer), '/v1/traces', protoBody, { 'Content-Type': 'application/x-protobuf' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/x-protobuf');
    assert.equal((await res.arrayBuffer()).byteLength, 0);
    const names = s.traces[0]!.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((ss) => ss.spans.map((sp) => sp.name)));
    assert.deepEqual(names.sort(), ['POST /payments', 'payment.charge']);
  });

  test('accepts SDK JSON (with a charset parameter) and answers in JSON', async () => {
    const s = sink();
    const res = await post(receiver(s.consumer), '/v1/traces', jsonBody, { 'Content-Type': 'application/json; charset=utf-8' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {});
    assert.equal(s.traces[0]!.resourceSpans[0]!.scopeSpans[0]!.spans.length, 2);
  });

  test('gzip and deflate bodies are decoded', async () => {
    for (const [encoding, body] of [
      ['gzip', zlib.gzipSync(protoBody)],
      ['deflate', zlib.deflateSync(protoBody)],
      ['deflate', zlib.deflateRawSync(protoBody)],
    ] as const) {
      const s = sink();
      const res = await post(receiver(s.consumer), '/v1/traces', body, {
        'Content-Type': 'application/x-protobuf',
        'Content-Encoding': encoding,
      });
      assert.equal(res.status, 200, encoding);
      assert.equal(s.traces.length, 1);
    }
  });

  test('logs go to the logs consumer', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
    provider.getLogger('x').emit({ body: 'hello', severityNumber: 9 });
    const body = ProtobufLogsSerializer.serializeRequest(exporter.getFinishedLogRecords())!;
    const s = sink();
    const res = await post(receiver(s.consumer), '/v1/logs', body, { 'Content-Type': 'application/x-protobuf' });
    assert.equal(res.status, 200);
    assert.deepEqual(s.logs[0]!.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!.body, { type: 'string', value: 'hello' });
  });

  test('malformed protobuf is a 400 with a google.rpc.Status naming the problem', async () => {
    const s = sink();
    const res = await post(receiver(s.consumer), '/v1/traces', protoBody.subarray(0, protoBody.length - 7), {
      'Content-Type': 'application/x-protobuf',
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), 'application/x-protobuf');
    const status = decodeStatus(new Uint8Array(await res.arrayBuffer()));
    assert.equal(status.code, 3);
    assert.match(status.message, /truncat|end of|length/i);
    assert.equal(s.traces.length, 0);
  });

  test('malformed JSON is a 400 with a JSON Status naming the field', async () => {
    const s = sink();
    const bad = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'xyz', spanId: '0102030405060708' }] }] }] });
    const res = await post(receiver(s.consumer), '/v1/traces', Buffer.from(bad), { 'Content-Type': 'application/json' });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { code: number; message: string };
    assert.equal(body.code, 3);
    assert.match(body.message, /traceId/);
    const notJson = await post(receiver(s.consumer), '/v1/traces', Buffer.from('{"resourceSpans": ['), {
      'Content-Type': 'application/json',
    });
    assert.equal(notJson.status, 400);
  });

  test('a body past the limit is a 413, also when only its decompressed size is', async () => {
    const s = sink();
    const small = receiver(s.consumer, 1000);
    const big = Buffer.alloc(5000, 1);
    const plain = await post(small, '/v1/traces', big, { 'Content-Type': 'application/x-protobuf' });
    assert.equal(plain.status, 413);
    // A gzip bomb: 64 MiB of zeros compresses to ~64 KiB; the limit stops inflation early.
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const res = await post(receiver(s.consumer, 1024 * 1024), '/v1/traces', bomb, {
      'Content-Type': 'application/x-protobuf',
      'Content-Encoding': 'gzip',
    });
    assert.equal(res.status, 413);
    assert.match(decodeStatus(new Uint8Array(await res.arrayBuffer())).message, /limit of 1048576 bytes/);
    assert.equal(s.traces.length, 0);
  });

  test('an unsupported content type or encoding is a 415', async () => {
    const s = sink();
    const type = await post(receiver(s.consumer), '/v1/traces', protoBody, { 'Content-Type': 'text/plain' });
    assert.equal(type.status, 415);
    assert.match(((await type.json()) as { message: string }).message, /application\/x-protobuf/);
    const enc = await post(receiver(s.consumer), '/v1/traces', protoBody, {
      'Content-Type': 'application/x-protobuf',
      'Content-Encoding': 'br',
    });
    assert.equal(enc.status, 415);
  });

  test('a wrong method is a 405 with Allow: POST', async () => {
    const res = await receiver(sink().consumer).request('/v1/traces', { method: 'GET' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST');
  });

  test('storage unavailable is a 503 and saturation a 429, both with Retry-After', async () => {
    const down = sink(() => {
      throw new StorageUnavailableError('storage is down', 2500);
    });
    const r503 = await post(receiver(down.consumer), '/v1/traces', protoBody, { 'Content-Type': 'application/x-protobuf' });
    assert.equal(r503.status, 503);
    assert.equal(r503.headers.get('retry-after'), '3');
    assert.equal(decodeStatus(new Uint8Array(await r503.arrayBuffer())).code, 14);
    const busy = sink(() => {
      throw new BackpressureError('too much pending', 1000);
    });
    const r429 = await post(receiver(busy.consumer), '/v1/traces', jsonBody, { 'Content-Type': 'application/json' });
    assert.equal(r429.status, 429);
    assert.equal(r429.headers.get('retry-after'), '1');
  });

  test('partial success from the consumer reaches the sender in both encodings', async () => {
    const s = sink(() => ({ partialSuccess: { rejected: 2n, errorMessage: 'two spans had no ids' } }));
    const json = await post(receiver(s.consumer), '/v1/traces', jsonBody, { 'Content-Type': 'application/json' });
    assert.deepEqual(await json.json(), { partialSuccess: { rejectedSpans: '2', errorMessage: 'two spans had no ids' } });
    const proto = await post(receiver(s.consumer), '/v1/traces', protoBody, { 'Content-Type': 'application/x-protobuf' });
    const response = ProtobufTraceSerializer.deserializeResponse(new Uint8Array(await proto.arrayBuffer()));
    assert.equal(Number(response.partialSuccess?.rejectedSpans), 2);
    assert.equal(response.partialSuccess?.errorMessage, 'two spans had no ids');
  });

  test('CORS is off by default and answers preflights for configured origins', async () => {
    const off = await receiver(sink().consumer).request('/v1/traces', {
      method: 'OPTIONS',
      headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(off.headers.get('access-control-allow-origin'), null);
    const on = receiver(sink().consumer, 1024, ['http://app.example', 'https://*.shop.example']);
    const preflight = await on.request('/v1/traces', {
      method: 'OPTIONS',
      headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://app.example');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /X-Tenant/);
    assert.equal(preflight.headers.get('access-control-max-age'), '600');
    const wildcard = await on.request('/v1/traces', {
      method: 'OPTIONS',
      headers: { Origin: 'https://eu.shop.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(wildcard.headers.get('access-control-allow-origin'), 'https://eu.shop.example');
    const stranger = await on.request('/v1/traces', {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(stranger.headers.get('access-control-allow-origin'), null);
  });
});

/** google.rpc.Status { int32 code = 1; string message = 2; }, read by hand so the test does not trust our encoder. */
function decodeStatus(bytes: Uint8Array): { code: number; message: string } {
  let code = 0;
  let message = '';
  let i = 0;
  const varint = () => {
    let shift = 0;
    let result = 0;
    for (;;) {
      const b = bytes[i++]!;
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
    }
  };
  while (i < bytes.length) {
    const tag = varint();
    if (tag === (1 << 3)) code = varint();
    else if (tag === ((2 << 3) | 2)) {
      const len = varint();
      message = Buffer.from(bytes.subarray(i, i + len)).toString('utf8');
      i += len;
    } else throw new Error(`unexpected tag ${tag}`);
  }
  return { code, message };
}
