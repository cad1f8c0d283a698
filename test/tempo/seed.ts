import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span, Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

// Seed-shaped traces for the Tempo corpus, made by the OpenTelemetry JS SDK and
// sent by its OTLP/HTTP protobuf exporter. Each checkout: frontend SERVER
// "GET /checkout" -> payment-api SERVER "POST /payments" -> INTERNAL
// "payment.validate" (payment.currency) and INTERNAL "payment.charge"
// (payment.amount double, payment.retries int) -> CLIENT "SELECT payments".
// The worker's two spans are each sent twice. Times are fixed offsets from
// baseMs, so durations are exact.

export type SeedName = 'usd' | 'declined' | 'slow' | 'eur' | 'worker';

export interface Seeded {
  ids: Record<SeedName, string>;
  baseMs: number;
}

export async function sendTempoSeed(otlpUrl: string, baseMs: number): Promise<Seeded> {
  const providers = new Map<string, TracerProvider>();
  const tracer = (service: string): Tracer => {
    let p = providers.get(service);
    if (p === undefined) {
      p = new TracerProvider({
        resource: resourceFromAttributes({ 'service.name': service, 'deployment.environment': 'production', 'service.version': service === 'payment-api' ? '2.1.0' : '1.0.0' }),
        // The worker's spans are exported twice (a sender's retry): each must count once.
        spanProcessors: Array.from({ length: service === 'worker' ? 2 : 1 }, () => new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${otlpUrl}/v1/traces` }) })),
      });
      providers.set(service, p);
    }
    return p.getTracer('tempo-seed', '1.0.0');
  };
  const at = (ms: number) => new Date(baseMs + ms);
  const under = (s: Span) => trace.setSpan(context.active(), s);

  const checkout = (t0: number, o: { currency: string; amount: number; retries: number; declined: boolean; slowMs: number }): string => {
    const root = tracer('frontend').startSpan('GET /checkout', { kind: SpanKind.SERVER, startTime: at(t0), attributes: { 'http.route': '/checkout' } });
    const server = tracer('payment-api').startSpan('POST /payments', { kind: SpanKind.SERVER, startTime: at(t0 + 2), attributes: { 'http.route': '/payments', 'http.response.status_code': o.declined ? 402 : 200 } }, under(root));
    const validate = tracer('payment-api').startSpan('payment.validate', { kind: SpanKind.INTERNAL, startTime: at(t0 + 4), attributes: { 'payment.currency': o.currency } }, under(server));
    validate.end(at(t0 + 10));
    const charge = tracer('payment-api').startSpan('payment.charge', { kind: SpanKind.INTERNAL, startTime: at(t0 + 12), attributes: { 'payment.amount': o.amount, 'payment.retries': o.retries, 'payment.card.tokenized': !o.declined } }, under(server));
    const db = tracer('payment-api').startSpan('SELECT payments', { kind: SpanKind.CLIENT, startTime: at(t0 + 14), attributes: { 'db.system': 'postgresql' } }, under(charge));
    db.end(at(t0 + 20));
    if (o.declined) {
      charge.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
      server.setStatus({ code: SpanStatusCode.ERROR });
    } else charge.setStatus({ code: SpanStatusCode.OK });
    charge.end(at(t0 + 30 + o.slowMs));
    server.end(at(t0 + 38 + o.slowMs));
    root.end(at(t0 + 40 + o.slowMs));
    return root.spanContext().traceId;
  };

  const usd = checkout(0, { currency: 'USD', amount: 42.25, retries: 0, declined: false, slowMs: 0 });
  const declined = checkout(1000, { currency: 'EUR', amount: 1250.5, retries: 3, declined: true, slowMs: 0 });
  const slow = checkout(2000, { currency: 'USD', amount: 99, retries: 1, declined: false, slowMs: 1500 });
  const eur = checkout(5000, { currency: 'EUR', amount: 10, retries: 0, declined: false, slowMs: 0 });
  const job = tracer('worker').startSpan('process order', { kind: SpanKind.CONSUMER, startTime: at(6000), attributes: { 'messaging.system': 'kafka' } });
  tracer('worker').startSpan('update inventory', { kind: SpanKind.INTERNAL, startTime: at(6010) }, under(job)).end(at(6050));
  job.end(at(6100));
  for (const p of providers.values()) await p.forceFlush();
  for (const p of providers.values()) await p.shutdown();
  return { ids: { usd, declined, slow, eur, worker: job.spanContext().traceId }, baseMs };
}
