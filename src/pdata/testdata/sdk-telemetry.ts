import { context, SpanKind, SpanStatusCode, trace, ValueType } from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

// Telemetry made by the real OpenTelemetry JS SDK, shaped like the reference
// scenario (a FastAPI payment-api): an HTTP server span `POST /payments` under a
// remote parent with a trace state, children payment.validate and payment.charge
// with business attributes of every type, a recorded exception, ERROR status, a
// link and events; logs inside the spans; counters, histograms, an exponential
// histogram and a gauge. Timestamps carry nanoseconds so a codec that passes them
// through a double would be caught.

export const T0: HrTime = [1700000000, 123456789];
export const at = (ms: number, ns = 0): HrTime => [T0[0] + Math.floor(ms / 1000), T0[1] + (ms % 1000) * 1e6 + ns];
/** Nanoseconds since the epoch of an HrTime, exactly. */
export const nanos = (t: HrTime): bigint => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

export const resourceAttributes = {
  'service.name': 'payment-api',
  'service.version': '1.0.0',
  'deployment.environment': 'production',
};

export const remoteParent = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
  isRemote: true,
  traceState: new TraceState('vendor=abc,rojo=00f067aa0ba902b7'),
};

export const linkedContext = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: 0,
  isRemote: false,
};

export interface SdkTelemetry {
  spans: ReadableSpan[];
  logs: ReadableLogRecord[];
  metrics: ResourceMetrics;
}

class CollectingReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

export async function makeSdkTelemetry(): Promise<SdkTelemetry> {
  const resource = resourceFromAttributes(resourceAttributes);
  const spanMemory = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor({ exporter: spanMemory })] });
  const logMemory = new InMemoryLogRecordExporter();
  const loggerProvider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: logMemory })] });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({
    resource,
    readers: [reader],
    views: [{ instrumentName: 'payments.latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });

  const tracer = tracerProvider.getTracer('payment-api', '1.0.0');
  const logger = loggerProvider.getLogger('payment-api', '1.0.0');
  const meter = meterProvider.getMeter('payment-api', '1.0.0');

  const parentContext = trace.setSpanContext(context.active(), remoteParent);
  const server = tracer.startSpan(
    'POST /payments',
    {
      kind: SpanKind.SERVER,
      startTime: at(0, 1),
      attributes: {
        'http.route': '/payments',
        'http.request.method': 'POST',
        'url.path': '/payments',
        'server.port': 8000,
        'user_agent.original': 'python-requests/2.32 — naïve',
      },
      links: [{ context: linkedContext, attributes: { 'link.reason': 'retry-of' } }],
    },
    parentContext,
  );
  const inServer = trace.setSpan(context.active(), server);
  const validate = tracer.startSpan(
    'payment.validate',
    { kind: SpanKind.INTERNAL, startTime: at(1), attributes: { 'payment.amount': 42.5, 'payment.currency': 'EUR' } },
    inServer,
  );
  validate.addEvent('validation.passed', { 'rules.checked': 12 }, at(2, 7));
  logger.emit({
    severityNumber: 9,
    severityText: 'INFO',
    body: 'validating payment of 42.5 EUR',
    attributes: { 'payment.currency': 'EUR' },
    context: trace.setSpan(context.active(), validate),
    timestamp: at(2, 3),
    observedTimestamp: at(2, 4),
  });
  validate.end(at(3));

  const charge = tracer.startSpan(
    'payment.charge',
    {
      kind: SpanKind.CLIENT,
      startTime: at(4),
      attributes: {
        'payment.provider': 'stripe',
        'payment.retries': 2,
        'payment.card_present': false,
        'payment.tags': ['card', 'online'],
        'payment.amounts': [1.5, 2.25],
      },
    },
    inServer,
  );
  charge.recordException(Object.assign(new Error('card declined for EUR'), { name: 'PaymentDeclinedError' }), at(24, 999));
  charge.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined for EUR' });
  logger.emit({
    eventName: 'payment.declined',
    severityNumber: 17,
    severityText: 'ERROR',
    body: { reason: 'card_declined', amount: 42.5, attempts: 2, codes: ['05', '51'] },
    attributes: { 'payment.currency': 'EUR', 'exception.type': 'PaymentDeclinedError' },
    context: trace.setSpan(context.active(), charge),
    timestamp: at(24, 5),
  });
  charge.end(at(25));
  server.setAttribute('http.response.status_code', 402);
  server.setStatus({ code: SpanStatusCode.ERROR });
  server.end(at(30, 11));

  meter
    .createCounter('payments.processed', { unit: '1', description: 'Total number of payments processed', valueType: ValueType.INT })
    .add(3, { 'payment.currency': 'EUR', 'payment.status': 'declined' });
  const value = meter.createHistogram('payments.value', { unit: 'EUR', description: 'Distribution of payment values' });
  for (const v of [42.5, 7, 1200]) value.record(v, { 'payment.currency': 'EUR' });
  const latency = meter.createHistogram('payments.latency', { unit: 'ms' });
  for (const v of [20, 21, 250, 0.5]) latency.record(v, { 'payment.provider': 'stripe' });
  const inflight = meter.createUpDownCounter('payments.inflight', { unit: '1' });
  inflight.add(2);
  inflight.add(-1);
  meter.createObservableGauge('payments.queue_depth', { unit: '1' }).addCallback((r) => r.observe(3, { 'payment.provider': 'stripe' }));

  const { resourceMetrics } = await reader.collect();
  const telemetry = { spans: spanMemory.getFinishedSpans(), logs: logMemory.getFinishedLogRecords(), metrics: resourceMetrics };
  await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown(), meterProvider.shutdown()]);
  return telemetry;
}
