import { randomBytes } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { logs, metrics, SeverityNumber, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { createRouter, HttpError } from './http-server.ts';

// The payment-api of the FastAPI example, route for route: GET /items/{item_id},
// GET /health, POST /payments with payment.validate and payment.charge spans, the
// payments.processed and payments.value metrics, and log records tied to the
// request. Only the OpenTelemetry API is used here; telemetry.ts sets up the SDK.

const cardLimit = 5000;
const screeningThreshold = 1000;
const supportedCurrencies = new Set(['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD']);

class PaymentDeclinedError extends Error {
  override name = 'PaymentDeclinedError';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function charge(amount: number, currency: string): Promise<string> {
  let delayMs = 10 + Math.random() * 30;
  if (amount >= screeningThreshold) delayMs += 300 + Math.random() * 300;
  await sleep(delayMs);
  if (amount > cardLimit) {
    throw new PaymentDeclinedError(`amount ${amount.toFixed(2)} ${currency} exceeds the card limit of ${cardLimit.toFixed(2)}`);
  }
  return `tx_${randomBytes(8).toString('hex')}`;
}

function parsePayment(body: unknown): { amount: number; currency: string } {
  const { amount, currency } = (body ?? {}) as { amount?: unknown; currency?: unknown };
  if (typeof amount !== 'number' || !(amount > 0)) throw new HttpError(422, 'amount: expected a number > 0');
  if (typeof currency !== 'string' || currency.length !== 3) throw new HttpError(422, 'currency: expected 3 letters');
  return { amount, currency };
}

/** Call after the SDK is registered (see telemetry.ts): the metrics API has no late binding. */
export function createPaymentApi(): RequestListener {
  const tracer = trace.getTracer('payment-api', '1.0.0');
  const meter = metrics.getMeter('payment-api', '1.0.0');
  const logger = logs.getLogger('payment-api', '1.0.0');
  const processed = meter.createCounter('payments.processed', { unit: '1', description: 'Total number of payments processed' });
  const value = meter.createHistogram('payments.value', { unit: 'USD', description: 'Distribution of payment values' });

  /** To the console and, with the active span's trace and span ids, to OpenTelemetry. */
  const log = (severity: 'INFO' | 'WARN', body: string, attributes: Attributes = {}): void => {
    const severityNumber = severity === 'INFO' ? SeverityNumber.INFO : SeverityNumber.WARN;
    logger.emit({ severityNumber, severityText: severity, body, attributes });
    console.log(`${new Date().toISOString()} ${severity} ${body}`);
  };

  return createRouter(
    [
      {
        method: 'GET',
        template: '/items/{item_id}',
        async handler({ item_id }) {
          const id = Number(item_id);
          if (!Number.isInteger(id)) throw new HttpError(422, 'item_id: expected an integer');
          log('INFO', `looking up item ${id}`, { 'item.id': id });
          if (id >= 1000) throw new HttpError(404, `item ${id} not found`);
          return { status: 200, body: { item_id: id, name: `item ${id}` } };
        },
      },
      { method: 'GET', template: '/health', handler: async () => ({ status: 200, body: { status: 'ok' } }) },
      {
        method: 'POST',
        template: '/payments',
        async handler(_params, body) {
          const { amount, currency } = parsePayment(body);
          const attributes = { 'payment.amount': amount, 'payment.currency': currency };
          log('INFO', `payment received: ${amount.toFixed(2)} ${currency}`, attributes);

          await tracer.startActiveSpan('payment.validate', { attributes }, async (span) => {
            try {
              log('INFO', `validating payment: ${amount.toFixed(2)} ${currency}`, attributes);
              if (!supportedCurrencies.has(currency)) throw new HttpError(422, `unsupported currency ${currency}`);
            } finally {
              span.end();
            }
          });

          const result = await tracer.startActiveSpan('payment.charge', { attributes }, async (span) => {
            span.setAttribute('payment.provider', 'stripe');
            try {
              const transactionId = await charge(amount, currency);
              span.setAttribute('payment.transaction_id', transactionId);
              return { status: 'approved', transactionId };
            } catch (error) {
              if (!(error instanceof PaymentDeclinedError)) throw error;
              span.recordException(error);
              span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
              log('WARN', `payment declined: ${error.message}`, attributes);
              return { status: 'declined', detail: error.message };
            } finally {
              span.end();
            }
          });

          processed.add(1, { 'payment.currency': currency, 'payment.status': result.status });
          value.record(amount, { 'payment.currency': currency });
          if (result.status === 'declined') return { status: 402, body: { status: 'declined', detail: result.detail } };
          log('INFO', `payment approved: ${result.transactionId}`, attributes);
          return { status: 200, body: { transaction_id: result.transactionId, status: result.status } };
        },
      },
    ],
    { excludedUrls: [/health/, /readyz/, /livez/, /metrics/] },
  );
}
