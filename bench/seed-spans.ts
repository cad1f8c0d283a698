import { randomBytes } from 'node:crypto';
import { emptySpan } from '../src/pdata/defaults.ts';
import type { KeyValue, Span, TracesData } from '../src/pdata/model.ts';

// Span batches shaped like the seed's payment-api: each trace is an HTTP server
// span named by route template with payment.validate and payment.charge children,
// about ten attributes a span, a declined charge now and then. With `children: 4`
// (the shape issue 9's figures use, `npm run bench`) a trace also has a
// fraud.check span and an `INSERT payments` database client span: five spans.

const currencies = ['EUR', 'USD', 'GBP', 'JPY', 'CHF'];
const str = (key: string, value: string): KeyValue => ({ key, value: { type: 'string', value } });
const int = (key: string, value: number): KeyValue => ({ key, value: { type: 'int', value: BigInt(value) } });
const dbl = (key: string, value: number): KeyValue => ({ key, value: { type: 'double', value } });

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

function span(fields: Partial<Span> & Pick<Span, 'traceId' | 'spanId' | 'name' | 'startTimeUnixNano' | 'endTimeUnixNano'>): Span {
  return { ...emptySpan(), flags: 1, kind: 1, ...fields };
}

/** One trace of three spans (five with `children: 4`) starting at `startNs`. */
function paymentTrace(startNs: bigint, n: number, children: 2 | 4): Span[] {
  const traceId = hex(16);
  const serverId = hex(8);
  const currency = currencies[n % currencies.length]!;
  const amount = 5 + ((n * 37) % 995) + 0.99;
  const declined = n % 50 === 0;
  const chargeNs = BigInt(5_000_000 + ((n * 7919) % 400) * 1_000_000);
  const common = [
    str('http.request.method', 'POST'),
    str('server.address', 'payment-api.internal'),
    int('server.port', 8000),
    str('network.protocol.version', '1.1'),
  ];
  const server = span({
    traceId,
    spanId: serverId,
    name: 'POST /payments',
    kind: 2,
    startTimeUnixNano: startNs,
    endTimeUnixNano: startNs + chargeNs + 4_000_000n,
    attributes: [
      ...common,
      str('http.route', '/payments'),
      str('url.path', '/payments'),
      str('url.scheme', 'http'),
      int('http.response.status_code', declined ? 402 : 200),
      str('user_agent.original', 'python-requests/2.32.3'),
      str('client.address', `10.0.${n % 256}.${(n * 13) % 256}`),
    ],
    status: { code: declined ? 2 : 0, message: '' },
  });
  const validate = span({
    traceId,
    spanId: hex(8),
    parentSpanId: serverId,
    name: 'payment.validate',
    startTimeUnixNano: startNs + 1_000_000n,
    endTimeUnixNano: startNs + 2_000_000n,
    attributes: [...common, dbl('payment.amount', amount), str('payment.currency', currency), str('payment.method', 'card'),
      str('customer.tier', n % 3 === 0 ? 'gold' : 'standard'), int('payment.items', 1 + (n % 5)), str('code.function', 'validate_payment')],
  });
  const charge = span({
    traceId,
    spanId: hex(8),
    parentSpanId: serverId,
    name: 'payment.charge',
    kind: 3,
    startTimeUnixNano: startNs + 2_000_000n,
    endTimeUnixNano: startNs + 2_000_000n + chargeNs,
    attributes: [...common, str('payment.provider', 'stripe'), str('payment.currency', currency), dbl('payment.amount', amount),
      str('payment.transaction_id', `tx_${hex(8)}`), str('code.function', 'charge_payment')],
    events: declined
      ? [{ timeUnixNano: startNs + 2_000_000n + chargeNs, name: 'exception', droppedAttributesCount: 0,
          attributes: [str('exception.type', 'PaymentDeclinedError'), str('exception.message', `card declined for ${currency}`),
            str('exception.stacktrace', 'Traceback (most recent call last):\n  File "main.py", line 42, in charge_payment\nPaymentDeclinedError')] }]
      : [],
    status: { code: declined ? 2 : 1, message: declined ? `card declined for ${currency}` : '' },
  });
  if (children === 2) return [server, validate, charge];
  const fraud = span({
    traceId,
    spanId: hex(8),
    parentSpanId: serverId,
    name: 'fraud.check',
    startTimeUnixNano: startNs + 1_200_000n,
    endTimeUnixNano: startNs + 1_900_000n,
    attributes: [...common, dbl('fraud.score', ((n * 31) % 100) / 100), str('fraud.rule_set', 'v7'),
      str('fraud.decision', declined ? 'review' : 'allow'), str('payment.currency', currency),
      str('customer.tier', n % 3 === 0 ? 'gold' : 'standard'), str('code.function', 'check_fraud')],
  });
  const insert = span({
    traceId,
    spanId: hex(8),
    parentSpanId: serverId,
    name: 'INSERT payments',
    kind: 3,
    startTimeUnixNano: startNs + 2_000_000n + chargeNs + 500_000n,
    endTimeUnixNano: startNs + 2_000_000n + chargeNs + 3_500_000n,
    attributes: [str('db.system.name', 'postgresql'), str('db.namespace', 'payments'), str('db.operation.name', 'INSERT'),
      str('db.collection.name', 'payments'), str('db.query.text', 'INSERT INTO payments (id, amount, currency, status) VALUES ($1, $2, $3, $4)'),
      str('server.address', 'payments-db.internal'), int('server.port', 5432), str('network.peer.address', '10.1.0.12'),
      int('db.response.returned_rows', 1), str('code.function', 'store_payment')],
  });
  return [server, validate, fraud, charge, insert];
}

/**
 * A request of `spanCount` spans ending near `nowNs`: whole traces, the last one cut
 * short when `spanCount` is not a multiple of the trace size.
 */
export function seedBatch(spanCount: number, nowNs: bigint, offset: number, options: { children?: 2 | 4 } = {}): TracesData {
  const spans: Span[] = [];
  for (let i = 0; spans.length < spanCount; i++) {
    spans.push(...paymentTrace(nowNs - BigInt(i) * 1_000_000n, offset + i, options.children ?? 2));
  }
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            str('service.name', 'payment-api'),
            str('service.version', '1.0.0'),
            str('deployment.environment', 'production'),
            str('telemetry.sdk.language', 'python'),
            str('telemetry.sdk.name', 'opentelemetry'),
            str('telemetry.sdk.version', '1.42.0'),
          ],
          droppedAttributesCount: 0,
        },
        scopeSpans: [
          {
            scope: { name: 'opentelemetry.instrumentation.fastapi', version: '0.63b0', attributes: [], droppedAttributesCount: 0 },
            spans: spans.slice(0, spanCount),
            schemaUrl: 'https://opentelemetry.io/schemas/1.11.0',
          },
        ],
        schemaUrl: '',
      },
    ],
  };
}
