import { context, SpanKind, SpanStatusCode, trace, ValueType } from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Signal } from '../../src/pdata/model.ts';
import type { Random } from './random.ts';

// Valid export requests made by the real OpenTelemetry JS SDK and its own OTLP
// serializers (@opentelemetry/otlp-transformer), deterministic for a given random
// source: ids come from it, every time is explicit. They are what the fuzz corpus
// mutates, and what must still round-trip after it.

/** A request as a sender puts it on the wire: protobuf bytes and OTLP/JSON text of the same data. */
export interface SeedRequest {
  signal: Signal;
  protobuf: Uint8Array;
  json: Uint8Array;
  /** Trace ids in the request (traces only), to read it back. */
  traceIds: string[];
}

class CollectingReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

const hex = (random: Random, bytes: number) => Array.from({ length: bytes }, () => random.int(256).toString(16).padStart(2, '0')).join('');

/** HrTime of `baseMs` plus `offsetNs` nanoseconds (odd nanoseconds catch a time passed through a double). */
function hr(baseMs: number, offsetNs: number): HrTime {
  const ns = BigInt(baseMs) * 1_000_000n + BigInt(offsetNs);
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
}

/**
 * Traces of one `POST /payments` request each (server span, two children, an event,
 * an exception, a link, attributes of every SDK type), `count` traces per request.
 */
export async function sdkTraceRequest(random: Random, baseMs: number, count: number, service = 'payment-api'): Promise<SeedRequest> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.version': '1.0.0', 'deployment.environment': 'production' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
    idGenerator: { generateTraceId: () => hex(random, 16), generateSpanId: () => hex(random, 8) },
  });
  const tracer = provider.getTracer('payment-api', '1.0.0');
  for (let i = 0; i < count; i++) {
    const t = (ms: number) => hr(baseMs + i * 50, ms * 1_000_000 + 1 + random.int(999));
    const server = tracer.startSpan('POST /payments', {
      kind: SpanKind.SERVER,
      startTime: t(0),
      attributes: { 'http.route': '/payments', 'http.request.method': 'POST', 'server.port': 8000, 'user_agent.original': 'naïve — ✓' },
      links: [{ context: { traceId: hex(random, 16), spanId: hex(random, 8), traceFlags: 1 }, attributes: { 'link.reason': 'retry-of' } }],
    });
    const inServer = trace.setSpan(context.active(), server);
    const validate = tracer.startSpan('payment.validate', { startTime: t(1), attributes: { 'payment.amount': 42.5 + i, 'payment.currency': 'EUR' } }, inServer);
    validate.addEvent('validation.passed', { 'rules.checked': 12 }, t(2));
    validate.end(t(3));
    const charge = tracer.startSpan(
      'payment.charge',
      {
        kind: SpanKind.CLIENT,
        startTime: t(4),
        attributes: { 'payment.retries': i, 'payment.card_present': i % 2 === 0, 'payment.tags': ['card', 'online'], 'payment.amounts': [1.5, 2.25] },
      },
      inServer,
    );
    if (random.int(2) === 0) {
      // A fixed stack: a real one names this file's lines, which would make the corpus differ by caller.
      const stack = 'PaymentDeclinedError: card declined\n    at charge (payments.py:42)';
      charge.recordException(Object.assign(new Error('card declined'), { name: 'PaymentDeclinedError', stack }), t(9));
      charge.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
    }
    charge.end(t(10));
    server.setAttribute('http.response.status_code', 200);
    server.end(t(12));
  }
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return {
    signal: 'traces',
    protobuf: ProtobufTraceSerializer.serializeRequest(spans)!,
    json: JsonTraceSerializer.serializeRequest(spans)!,
    traceIds: [...new Set(spans.map((s) => s.spanContext().traceId))],
  };
}

export async function sdkLogRequest(random: Random, baseMs: number, count: number): Promise<SeedRequest> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'payment-api' }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('payment-api', '1.0.0');
  for (let i = 0; i < count; i++) {
    const spanContext = { traceId: hex(random, 16), spanId: hex(random, 8), traceFlags: 1 };
    logger.emit({
      severityNumber: 9 + random.int(12),
      severityText: 'INFO',
      eventName: i % 3 === 0 ? 'payment.declined' : '',
      body: i % 2 === 0 ? `payment ${i} of ${random.int(1000)} EUR` : { reason: 'card_declined', amount: 42.5, codes: ['05', '51'] },
      attributes: { 'payment.currency': 'EUR', attempt: i },
      context: trace.setSpanContext(context.active(), spanContext),
      timestamp: hr(baseMs + i, 3),
      observedTimestamp: hr(baseMs + i, 4),
    });
  }
  const logs = memory.getFinishedLogRecords();
  await provider.shutdown();
  return { signal: 'logs', protobuf: ProtobufLogsSerializer.serializeRequest(logs)!, json: JsonLogsSerializer.serializeRequest(logs)!, traceIds: [] };
}

/** A counter, a histogram, an up-down counter and a gauge, with every point's times set to fixed values. */
export async function sdkMetricRequest(random: Random, baseMs: number): Promise<SeedRequest> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'payment-api' }), readers: [reader] });
  const meter = provider.getMeter('payment-api', '1.0.0');
  meter.createCounter('payments.processed', { unit: '1', valueType: ValueType.INT }).add(1 + random.int(9), { 'payment.currency': 'EUR' });
  const value = meter.createHistogram('payments.value', { unit: 'EUR' });
  for (let i = 0; i < 3; i++) value.record(random.int(2000) / 4, { 'payment.currency': 'EUR' });
  meter.createUpDownCounter('payments.inflight').add(random.int(5) - 2);
  meter.createObservableGauge('payments.queue_depth').addCallback((r) => r.observe(random.int(50), { 'payment.provider': 'stripe' }));
  const { resourceMetrics } = await reader.collect();
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      // The SDK stamps points with the collection time; the corpus must not change from run to run.
      for (const point of metric.dataPoints) Object.assign(point, { startTime: hr(baseMs, 1), endTime: hr(baseMs + 1000, 7) });
    }
  }
  await provider.shutdown();
  return {
    signal: 'metrics',
    protobuf: ProtobufMetricsSerializer.serializeRequest(resourceMetrics)!,
    json: JsonMetricsSerializer.serializeRequest(resourceMetrics)!,
    traceIds: [],
  };
}
