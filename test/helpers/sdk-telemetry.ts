import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { OTLPLogExporter as LogsGrpcExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as LogsHttpJsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogsProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as MetricsGrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as MetricsHttpJsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as MetricsProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as TracesGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as TracesHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TracesProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationType, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

// Telemetry made by the real OpenTelemetry JS SDK and sent by its real OTLP
// exporters, shaped like the seed's FastAPI payment-api: an HTTP server span named
// by route template, payment.validate and payment.charge children with business
// attributes, a declined charge with a recorded exception, counters, histograms,
// and logs written inside the request span.

/** OTLP/HTTP with protobuf or JSON bodies, or OTLP/gRPC. */
export type Encoding = 'protobuf' | 'json' | 'grpc';

export const seedResource = {
  'service.name': 'payment-api',
  'service.version': '1.0.0',
  'deployment.environment': 'production',
};

export interface SentTrace {
  traceId: string;
  serverSpanId: string;
  validateSpanId: string;
  chargeSpanId: string;
  currency: string;
  amount: number;
  declined: boolean;
}

export interface SdkTelemetry {
  /** One POST /payments request; `declined` records an exception and ERROR status. */
  payment(options: { currency: string; amount: number; declined?: boolean; chargeMs?: number }): SentTrace;
  /** A GET /health request span, the noise users filter out. */
  health(): void;
  /** A log record outside any request. */
  log(severityNumber: number, body: string): void;
  /** Sends everything buffered; resolves when the receiver answered. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
  /** What the SDK produced, kept in memory beside the export, to compare with what comes back. */
  finishedSpans(): ReadableSpan[];
  finishedLogs(): ReadableLogRecord[];
}

/** SDK providers exporting to `baseUrl` (http://127.0.0.1:4318, or http://127.0.0.1:4317 for gRPC). */
export function createSdkTelemetry(baseUrl: string, encoding: Encoding, serviceName = 'payment-api'): SdkTelemetry {
  const resource = resourceFromAttributes({ ...seedResource, 'service.name': serviceName });
  const url = (signal: string) => `${baseUrl}/v1/${signal}`;
  const exporters = {
    protobuf: () => ({
      spans: new TracesProtoExporter({ url: url('traces') }),
      logs: new LogsProtoExporter({ url: url('logs') }),
      metrics: new MetricsProtoExporter({ url: url('metrics') }),
    }),
    json: () => ({
      spans: new TracesHttpJsonExporter({ url: url('traces') }),
      logs: new LogsHttpJsonExporter({ url: url('logs') }),
      metrics: new MetricsHttpJsonExporter({ url: url('metrics') }),
    }),
    grpc: () => ({
      spans: new TracesGrpcExporter({ url: baseUrl }),
      logs: new LogsGrpcExporter({ url: baseUrl }),
      metrics: new MetricsGrpcExporter({ url: baseUrl }),
    }),
  }[encoding]();
  const spanExporter = exporters.spans;
  const logExporter = exporters.logs;
  const metricExporter = exporters.metrics;

  const spanMemory = new InMemorySpanExporter();
  const logMemory = new InMemoryLogRecordExporter();
  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors: [
      new BatchSpanProcessor({ exporter: spanExporter, scheduledDelayMillis: 60_000 }),
      new SimpleSpanProcessor({ exporter: spanMemory }),
    ],
  });
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [
      new BatchLogRecordProcessor({ exporter: logExporter, scheduledDelayMillis: 60_000 }),
      new SimpleLogRecordProcessor({ exporter: logMemory }),
    ],
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 })],
    views: [
      // An exponential histogram too, so every OTLP metric kind the SDK makes is covered.
      { instrumentName: 'payments.latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
    ],
  });

  const tracer = tracerProvider.getTracer('payment-api', '1.0.0');
  const logger = loggerProvider.getLogger('payment-api', '1.0.0');
  const meter = meterProvider.getMeter('payment-api', '1.0.0');
  const processed = meter.createCounter('payments.processed', { unit: '1', description: 'Total number of payments processed' });
  const value = meter.createHistogram('payments.value', { unit: 'USD', description: 'Distribution of payment values' });
  const latency = meter.createHistogram('payments.latency', { unit: 'ms', description: 'Charge latency' });
  const inflight = meter.createUpDownCounter('payments.inflight', { unit: '1' });
  meter
    .createObservableGauge('payments.queue_depth', { unit: '1' })
    .addCallback((result) => result.observe(3, { 'payment.provider': 'stripe' }));

  const at = (ms: number) => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)] as [number, number];

  return {
    payment({ currency, amount, declined = false, chargeMs = 20 }) {
      const t0 = Date.now() - 1000;
      const server = tracer.startSpan(
        'POST /payments',
        {
          kind: SpanKind.SERVER,
          startTime: at(t0),
          attributes: {
            'http.route': '/payments',
            'http.request.method': 'POST',
            'url.path': '/payments',
            'url.scheme': 'http',
            'server.address': 'payment-api',
            'network.protocol.version': '1.1',
            'user_agent.original': 'python-requests/2.32',
          },
        },
        context.active(),
      );
      const inServer = trace.setSpan(context.active(), server);
      const validate = tracer.startSpan(
        'payment.validate',
        { startTime: at(t0 + 1), attributes: { 'payment.amount': amount, 'payment.currency': currency } },
        inServer,
      );
      logger.emit({
        severityNumber: 9,
        severityText: 'INFO',
        body: `validating payment of ${amount} ${currency}`,
        attributes: { 'payment.currency': currency },
        context: trace.setSpan(context.active(), validate),
        timestamp: at(t0 + 2),
      });
      validate.end(at(t0 + 3));
      const charge: Span = tracer.startSpan(
        'payment.charge',
        {
          kind: SpanKind.CLIENT,
          startTime: at(t0 + 4),
          attributes: { 'payment.provider': 'stripe', 'payment.retries': 0, 'payment.tags': ['card', 'online'] },
        },
        inServer,
      );
      if (declined) {
        charge.recordException(Object.assign(new Error(`card declined for ${currency}`), { name: 'PaymentDeclinedError' }), at(t0 + 4 + chargeMs));
        charge.setStatus({ code: SpanStatusCode.ERROR, message: `card declined for ${currency}` });
        logger.emit({
          severityNumber: 17,
          severityText: 'ERROR',
          body: `payment declined: ${currency} ${amount}`,
          attributes: { 'payment.currency': currency, 'exception.type': 'PaymentDeclinedError' },
          context: trace.setSpan(context.active(), charge),
          timestamp: at(t0 + 4 + chargeMs),
        });
      } else {
        charge.setAttribute('payment.transaction_id', `tx-${server.spanContext().spanId}`);
        charge.setStatus({ code: SpanStatusCode.OK });
      }
      charge.end(at(t0 + 5 + chargeMs));
      server.setAttribute('http.response.status_code', declined ? 402 : 200);
      if (declined) server.setStatus({ code: SpanStatusCode.ERROR });
      server.end(at(t0 + 10 + chargeMs));

      const status = declined ? 'declined' : 'approved';
      processed.add(1, { 'payment.currency': currency, 'payment.status': status });
      value.record(amount, { 'payment.currency': currency });
      latency.record(chargeMs, { 'payment.provider': 'stripe' });
      inflight.add(1);
      inflight.add(-1);
      return {
        traceId: server.spanContext().traceId,
        serverSpanId: server.spanContext().spanId,
        validateSpanId: validate.spanContext().spanId,
        chargeSpanId: charge.spanContext().spanId,
        currency,
        amount,
        declined,
      };
    },
    health() {
      tracer
        .startSpan('GET /health', {
          kind: SpanKind.SERVER,
          attributes: { 'http.route': '/health', 'url.path': '/health', 'http.request.method': 'GET' },
        })
        .end();
    },
    log(severityNumber, body) {
      logger.emit({ severityNumber, body });
    },
    async flush() {
      await tracerProvider.forceFlush();
      await loggerProvider.forceFlush();
      await meterProvider.forceFlush();
    },
    finishedSpans: () => spanMemory.getFinishedSpans(),
    finishedLogs: () => logMemory.getFinishedLogRecords(),
    async shutdown() {
      await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
