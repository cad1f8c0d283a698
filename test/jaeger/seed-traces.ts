import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Context, Link, Span, Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

// Seed-shaped traces made by the real OpenTelemetry JS SDK and sent by its real
// OTLP/HTTP protobuf exporter to every target at once (one exporter per target
// on each provider), so Jaeger and Tracehouse receive the same bytes:
// - checkout: frontend SERVER → frontend CLIENT → payment-api SERVER →
//   payment-api INTERNAL payment.charge (with an event) → payment-api CLIENT to
//   the database; a declined one ends in an ERROR status with a recorded exception;
// - worker: a CONSUMER span in its own trace with a link to a checkout span.
// Times are fixed offsets from `baseMs`, so durations are exact.

export interface SeedTargets {
  /** OTLP/HTTP base URLs (http://127.0.0.1:PORT). */
  otlpUrls: string[];
  /** Unix ms of the first span's start; the traces lie within the following 10 s. */
  baseMs: number;
}

export interface SeededTrace {
  traceId: string;
  kind: 'checkout' | 'declined' | 'worker';
}

const services = ['frontend', 'payment-api', 'worker'] as const;
type ServiceName = (typeof services)[number];

export async function sendSeedTraces(targets: SeedTargets): Promise<SeededTrace[]> {
  const providers = new Map<ServiceName, TracerProvider>();
  for (const name of services) {
    providers.set(
      name,
      new TracerProvider({
        resource: resourceFromAttributes({ 'service.name': name, 'service.version': '1.4.2', 'deployment.environment': 'production', 'host.cpu.count': 4 }),
        spanProcessors: targets.otlpUrls.map((base) => new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${base}/v1/traces` }) })),
      }),
    );
  }
  const tracer = (name: ServiceName): Tracer => providers.get(name)!.getTracer('seed', '0.1.0');
  const at = (ms: number) => new Date(targets.baseMs + ms);
  const seeded: SeededTrace[] = [];
  const inSpan = (span: Span): Context => trace.setSpan(context.active(), span);

  const checkout = (startMs: number, declined: boolean): { span: Span } => {
    const root = tracer('frontend').startSpan('GET /checkout', { kind: SpanKind.SERVER, startTime: at(startMs), attributes: { 'http.request.method': 'GET', 'http.route': '/checkout', 'http.response.status_code': declined ? 502 : 200 } });
    const client = tracer('frontend').startSpan('POST', { kind: SpanKind.CLIENT, startTime: at(startMs + 2), attributes: { 'http.request.method': 'POST', 'server.address': 'payment-api' } }, inSpan(root));
    const server = tracer('payment-api').startSpan('POST /payments', { kind: SpanKind.SERVER, startTime: at(startMs + 4), attributes: { 'http.request.method': 'POST', 'http.route': '/payments' } }, inSpan(client));
    const charge = tracer('payment-api').startSpan('payment.charge', { kind: SpanKind.INTERNAL, startTime: at(startMs + 6), attributes: { 'payment.currency': declined ? 'EUR' : 'USD', 'payment.amount': declined ? 1250.5 : 42.25, 'payment.retries': declined ? 3 : 0, 'payment.card.tokenized': true, 'payment.tags': ['card', 'online'] } }, inSpan(server));
    charge.addEvent('charge.attempt', { 'attempt.number': 1, 'gateway': 'acme' }, at(startMs + 7));
    const db = tracer('payment-api').startSpan('SELECT payments', { kind: SpanKind.CLIENT, startTime: at(startMs + 8), attributes: { 'db.system': 'postgresql', 'db.query.text': 'SELECT * FROM payments WHERE id = $1' } }, inSpan(charge));
    db.end(at(startMs + 12));
    if (declined) {
      charge.recordException({ name: 'CardDeclinedError', message: 'card declined by issuer' }, at(startMs + 30));
      charge.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
      server.setStatus({ code: SpanStatusCode.ERROR });
    }
    charge.end(at(startMs + (declined ? 31 : 20)));
    server.end(at(startMs + (declined ? 33 : 22)));
    client.end(at(startMs + (declined ? 35 : 24)));
    root.end(at(startMs + (declined ? 40 : 26)));
    seeded.push({ traceId: root.spanContext().traceId, kind: declined ? 'declined' : 'checkout' });
    return { span: charge };
  };

  const first = checkout(0, false);
  checkout(1000, true);
  checkout(2000, false);
  const link: Link = { context: first.span.spanContext(), attributes: { 'link.reason': 'order' } };
  const job = tracer('worker').startSpan('process order', { kind: SpanKind.CONSUMER, startTime: at(3000), links: [link], attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' } });
  const step = tracer('worker').startSpan('update inventory', { kind: SpanKind.INTERNAL, startTime: at(3010) }, inSpan(job));
  step.end(at(3050));
  job.end(at(3100));
  seeded.push({ traceId: job.spanContext().traceId, kind: 'worker' });

  for (const provider of providers.values()) await provider.forceFlush();
  for (const provider of providers.values()) await provider.shutdown();
  return seeded;
}
