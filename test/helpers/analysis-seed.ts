import { createHash } from 'node:crypto';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

// Seed-shaped traces with planted causes (issue 11), made by the real OpenTelemetry
// JS SDK and sent over OTLP/HTTP protobuf:
// - payment-api `POST /payments`: EUR payments are slow in `payment.charge`
//   (`payment.currency` sits only on `payment.validate`); amounts above
//   LARGE_AMOUNT are slow in `payment.validate`; JPY payments fail (the charge is
//   declined: ERROR status on the charge and the server span);
// - catalog-api `GET /items/{id}`: a clean control service, durations and errors
//   independent of every attribute.
// Every span carries high-cardinality attributes too (ids, a timestamp).
// Deterministic: a seeded generator, so a failure reproduces.

export const LARGE_AMOUNT = 250;

export interface SeedSummary {
  payments: number;
  eurTraceIds: string[];
  largeAmountTraceIds: string[];
  jpyTraceIds: string[];
}

/**
 * Uniform draws from SHA-256 of (seed, counter): deterministic, and with no
 * correlation between draws a few apart (mulberry32 gave the control service's
 * category a link to its duration at lag 3, a false cause).
 */
function prng(seed: number): () => number {
  let n = 0;
  return () => createHash('sha256').update(`${seed}:${n++}`).digest().readUInt32BE(0) / 4294967296;
}

const at = (ms: number) => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)] as [number, number];

function provider(otlpUrl: string, service: string): TracerProvider {
  return new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.version': '1.0.0', 'deployment.environment': 'production' }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${otlpUrl}/v1/traces` }),
        maxQueueSize: 100_000,
        maxExportBatchSize: 2_000,
        scheduledDelayMillis: 60_000,
      }),
    ],
  });
}

/** Sends `payments` payment traces and `payments` catalog traces ending within the last minute; resolves when exported. */
export async function sendAnalysisSeed(otlpUrl: string, payments = 600): Promise<SeedSummary> {
  const random = prng(11);
  const payment = provider(otlpUrl, 'payment-api');
  const catalog = provider(otlpUrl, 'catalog-api');
  const pay = payment.getTracer('payment-api', '1.0.0');
  const cat = catalog.getTracer('catalog-api', '1.0.0');
  const summary: SeedSummary = { payments, eurTraceIds: [], largeAmountTraceIds: [], jpyTraceIds: [] };
  const base = Date.now() - 60_000;
  for (let n = 0; n < payments; n++) {
    const t0 = base + n * 50;
    const r = random();
    const currency = r < 0.03 ? 'EUR' : r < 0.18 ? 'JPY' : r < 0.4 ? 'GBP' : 'USD';
    const amount = random() < 0.04 ? Math.round(300 + random() * 600) : Math.round(5 + random() * 195);
    const validateMs = amount > LARGE_AMOUNT ? 120 + random() * 20 : 2 + random() * 2;
    const chargeMs = currency === 'EUR' ? 300 + random() * 50 : 20 + random() * 20;
    const declined = currency === 'JPY';
    const server = pay.startSpan('POST /payments', {
      kind: SpanKind.SERVER,
      startTime: at(t0),
      attributes: {
        'http.route': '/payments',
        'http.request.method': 'POST',
        'url.path': '/payments',
        'user.id': `user-${Math.floor(random() * 1e9)}`,
        'request.start_time': Math.round(t0),
      },
    });
    const inServer = trace.setSpan(context.active(), server);
    let t = t0 + 1;
    const validate = pay.startSpan('payment.validate', { startTime: at(t), attributes: { 'payment.amount': amount, 'payment.currency': currency } }, inServer);
    t += validateMs;
    validate.end(at(t));
    const charge = pay.startSpan(
      'payment.charge',
      { kind: SpanKind.CLIENT, startTime: at(t + 1), attributes: { 'payment.provider': 'stripe', 'payment.transaction_id': `tx-${n}-${Math.floor(random() * 1e9)}` } },
      inServer,
    );
    t += 1 + chargeMs;
    if (declined) charge.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
    charge.end(at(t));
    const db = pay.startSpan('INSERT payments', { kind: SpanKind.CLIENT, startTime: at(t + 1), attributes: { 'db.system.name': 'postgresql' } }, inServer);
    t += 1 + 2 + random();
    db.end(at(t));
    server.setAttribute('http.response.status_code', declined ? 402 : 200);
    if (declined) server.setStatus({ code: SpanStatusCode.ERROR });
    server.end(at(t + 1));
    const traceId = server.spanContext().traceId;
    if (currency === 'EUR') summary.eurTraceIds.push(traceId);
    if (currency === 'JPY') summary.jpyTraceIds.push(traceId);
    if (amount > LARGE_AMOUNT) summary.largeAmountTraceIds.push(traceId);

    // The control: nothing about its attributes decides its duration or status.
    const c0 = t0 + 10;
    const item = cat.startSpan('GET /items/{id}', {
      kind: SpanKind.SERVER,
      startTime: at(c0),
      attributes: { 'http.route': '/items/{id}', 'http.request.method': 'GET', 'item.category': ['books', 'games', 'music', 'tools', 'toys'][Math.floor(random() * 5)]! },
    });
    const inItem = trace.setSpan(context.active(), item);
    const lookupMs = 5 + random() * 100;
    const lookup = cat.startSpan('catalog.lookup', { startTime: at(c0 + 1), attributes: { 'item.count': Math.floor(random() * 10), 'cache.region': ['eu', 'us', 'ap'][Math.floor(random() * 3)]! } }, inItem);
    lookup.end(at(c0 + 1 + lookupMs));
    const failed = random() < 0.08;
    if (failed) item.setStatus({ code: SpanStatusCode.ERROR });
    item.end(at(c0 + 2 + lookupMs));
  }
  await Promise.all([payment.forceFlush(), catalog.forceFlush()]);
  await Promise.all([payment.shutdown(), catalog.shutdown()]);
  return summary;
}
