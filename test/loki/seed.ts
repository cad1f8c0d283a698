import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';

// Seed-shaped logs with known answers for the Loki corpus, sent with the
// OpenTelemetry JS SDK's OTLP/HTTP protobuf log exporter. payment-api logs each
// of 30 requests (one every 10 s from t0) as a JSON line inside its validate
// span; every 5th request is declined and adds an ERROR logfmt line inside its
// charge span; one DEBUG record has a map body. checkout writes 10 plain WARN
// lines without trace context, one every 30 s.

export const REQUESTS = 30;
export const t0Ms = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000;
export const t0Ns = BigInt(t0Ms) * 1_000_000n;

export interface SeedRequest {
  i: number;
  traceId: string;
  validateSpanId: string;
  chargeSpanId: string;
  currency: 'EUR' | 'USD';
  amount: number;
  declined: boolean;
  /** The JSON body of its INFO line. */
  body: string;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

export function seedRequests(): SeedRequest[] {
  return Array.from({ length: REQUESTS }, (_, i) => {
    const currency = i % 3 === 0 ? 'EUR' : 'USD';
    const amount = 100 + i * 10;
    const declined = i % 5 === 0;
    return {
      i,
      traceId: `4bf92f3577b34da6a3ce929d${hex(i + 1, 8)}`,
      validateSpanId: `00f067aa${hex(2 * i + 1, 8)}`,
      chargeSpanId: `00f067aa${hex(2 * i + 2, 8)}`,
      currency,
      amount,
      declined,
      body: JSON.stringify({ level: 'info', msg: 'validating payment', amount, currency, http: { status: declined ? 402 : 200 }, detected_level: 'info' }),
    };
  });
}

export const declinedLine = (r: SeedRequest) => `level=error msg="payment declined" currency=${r.currency} amount=${r.amount} status=402`;
export const checkoutLine = (i: number) => `cart abandoned after 30s user=u${i}`;

const at = (ms: number): [number, number] => [Math.floor(ms / 1000), (ms % 1000) * 1e6];

export async function sendSeed(otlpUrl: string): Promise<void> {
  const send = async (resource: Record<string, string>, emit: (logger: ReturnType<LoggerProvider['getLogger']>) => void) => {
    const provider = new LoggerProvider({
      resource: resourceFromAttributes(resource),
      processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${otlpUrl}/v1/logs` }), scheduledDelayMillis: 60_000 })],
    });
    emit(provider.getLogger(resource['service.name']!, '1.0.0'));
    await provider.forceFlush();
    await provider.shutdown();
  };
  await send(
    { 'service.name': 'payment-api', 'service.version': '1.0.0', 'deployment.environment': 'production', 'k8s.pod.name': 'payment-api-7d9f' },
    (logger) => {
      for (const r of seedRequests()) {
        const start = t0Ms + r.i * 10_000;
        const inSpan = (spanId: string) => trace.setSpanContext(ROOT_CONTEXT, { traceId: r.traceId, spanId, traceFlags: 1 });
        logger.emit({
          severityNumber: 9,
          severityText: 'INFO',
          body: r.body,
          attributes: { 'payment.currency': r.currency, 'payment.amount': r.amount },
          context: inSpan(r.validateSpanId),
          timestamp: at(start + 1),
        });
        if (r.declined) {
          logger.emit({
            severityNumber: 17,
            severityText: 'ERROR',
            body: declinedLine(r),
            attributes: { 'exception.type': 'PaymentDeclinedError' },
            context: inSpan(r.chargeSpanId),
            timestamp: at(start + 2),
          });
        }
      }
      logger.emit({ severityNumber: 5, severityText: 'DEBUG', body: { event: 'cache_miss', key: 'k1' }, timestamp: at(t0Ms + 5_000) });
    },
  );
  await send({ 'service.name': 'checkout', 'deployment.environment': 'staging' }, (logger) => {
    for (let i = 0; i < 10; i++) logger.emit({ severityNumber: 13, severityText: 'WARN', body: checkoutLine(i), timestamp: at(t0Ms + i * 30_000) });
  });
}
