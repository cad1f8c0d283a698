import { randomBytes } from 'node:crypto';
import { context, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import type { Attributes, Context } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

// Services made with the real OpenTelemetry JS SDK (OTLP/HTTP protobuf), each
// with one planted setup mistake from the seed's "Common Setup Problems", and a
// clean one: the instrumentation doctor must name each mistake for its service
// only. Every service sends traces, logs and metrics (twice, so series have a
// gap) unless its mistake is about that.

export type Planted = 'clean' | 'health' | 'filled-paths' | 'detached' | 'logs-no-context' | 'simple-processor' | 'unknown-service' | 'old-semconv' | 'orphans';

export const plantedServices: Record<Planted, string | undefined> = {
  clean: 'checkout-api',
  health: 'health-api',
  'filled-paths': 'items-api',
  detached: 'manual-api',
  'logs-no-context': 'logs-api',
  'simple-processor': 'simple-api',
  'unknown-service': undefined, // the SDK's fallback, unknown_service:<process>
  'old-semconv': 'legacy-api',
  orphans: 'orphan-api',
};

/** The finding ids each planted service must get, and nothing else. */
export const expectedFindings: Record<Planted, string[]> = {
  clean: [],
  health: ['health-check-spans'],
  'filled-paths': ['http-route-missing', 'span-name-high-cardinality'],
  detached: ['spans-outside-request-context'],
  'logs-no-context': ['logs-without-trace-context'],
  'simple-processor': ['span-per-export-request'],
  'unknown-service': ['service-version-missing', 'unknown-service'],
  'old-semconv': ['old-http-semconv'],
  // No setup-problem finding: orphans fail the Instrumentation Score's SPA-002 only.
  orphans: [],
};

const at = (ms: number) => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)] as [number, number];

/** Sends `kind`'s telemetry to Tracehouse at `baseUrl`; resolves when every export was answered. */
export async function sendPlanted(baseUrl: string, kind: Planted, instance: number): Promise<void> {
  const name = plantedServices[kind];
  // The SDK's default resource, as NodeSDK merges it: telemetry.sdk.* and the
  // service.name fallback unknown_service:<process>.
  const resource = defaultResource().merge(resourceFromAttributes({
    ...(name === undefined ? {} : { 'service.name': name }),
    ...(kind === 'unknown-service' ? {} : { 'service.version': '2.4.1' }),
    'deployment.environment.name': 'production',
    'service.instance.id': `instance-${instance}`,
  }));
  const url = (signal: string) => `${baseUrl}/v1/${signal}`;
  const spanExporter = new OTLPTraceExporter({ url: url('traces') });
  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors: [kind === 'simple-processor' ? new SimpleSpanProcessor({ exporter: spanExporter }) : new BatchSpanProcessor({ exporter: spanExporter, scheduledDelayMillis: 60_000, maxExportBatchSize: 2048, maxQueueSize: 4096 })],
  });
  const loggerProvider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: url('logs') }), scheduledDelayMillis: 60_000 })] });
  const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: url('metrics') }), exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ resource, readers: [reader] });
  const tracer = tracerProvider.getTracer('shop', '1.0.0');
  const logger = loggerProvider.getLogger('shop', '1.0.0');
  const meter = meterProvider.getMeter('shop', '1.0.0');
  const requests = meter.createCounter('shop.requests', { unit: '{request}' });
  const oldDuration = meter.createHistogram('http.server.duration', { unit: 'ms' });
  const newDuration = meter.createHistogram('http.server.request.duration', { unit: 's' });

  const request = (t0: number, method: string, path: string, route: string | undefined, child: (ctx: Context, t: number) => void) => {
    const attributes: Attributes =
      kind === 'old-semconv'
        ? { 'http.method': method, 'http.target': path, 'http.status_code': 200, 'http.route': route ?? path }
        : { 'http.request.method': method, 'url.path': path, 'http.response.status_code': 200, ...(route === undefined ? {} : { 'http.route': route }) };
    // Orphans: the request continues a trace whose parent span is never sent.
    const parent = kind === 'orphans' ? trace.setSpanContext(ROOT_CONTEXT, { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), traceFlags: 1, isRemote: true }) : ROOT_CONTEXT;
    const server = tracer.startSpan(route === undefined ? `${method} ${path}` : `${method} ${route}`, { kind: SpanKind.SERVER, startTime: at(t0), attributes }, parent);
    const ctx = trace.setSpan(ROOT_CONTEXT, server);
    child(ctx, t0);
    server.end(at(t0 + 50));
    requests.add(1, { 'http.route': route ?? path });
    if (kind === 'old-semconv') oldDuration.record(50, { 'http.method': method });
    else newDuration.record(0.05, { 'http.request.method': method });
  };
  const work = (ctx: Context, t0: number) => {
    const span = tracer.startSpan('order.validate', { startTime: at(t0 + 5) }, ctx);
    logger.emit({ severityNumber: 9, severityText: 'INFO', body: 'validating order', context: trace.setSpan(ctx, span), timestamp: at(t0 + 6) });
    span.end(at(t0 + 20));
  };

  const now = Date.now() - 60_000;
  for (let i = 0; i < 25; i++) {
    const t0 = now + i * 100;
    if (kind === 'filled-paths') request(t0, 'GET', `/items/${1000 + i}`, undefined, work);
    else request(t0, 'POST', '/orders', '/orders', work);
    if (kind === 'health') request(t0 + 60, 'GET', '/health', '/health', () => {});
    if (kind === 'detached') {
      request(t0 + 70, 'POST', '/orders', '/orders', (_ctx, t) => {
        // The mistake: a span started from the root context while the request span is open.
        tracer.startSpan('order.audit', { startTime: at(t + 10) }, ROOT_CONTEXT).end(at(t + 30));
      });
    }
    // At most 30 exports in flight (the OTLP exporter's concurrencyLimit): wait for them.
    if (kind === 'simple-processor') await tracerProvider.forceFlush();
    if (kind === 'logs-no-context') logger.emit({ severityNumber: 9, severityText: 'INFO', body: `order ${i} stored`, context: ROOT_CONTEXT, timestamp: at(t0 + 40) });
  }
  void context; // the global context manager is never used: every span names its parent context
  await meterProvider.forceFlush();
  await new Promise((r) => setTimeout(r, 20));
  requests.add(1, { 'http.route': '/orders' });
  await Promise.all([tracerProvider.forceFlush(), loggerProvider.forceFlush(), meterProvider.forceFlush()]);
  await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown(), meterProvider.shutdown()]);
}
