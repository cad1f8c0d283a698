import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startPaymentApi } from '../../scripts/lib/payment-api.ts';
import type { InstrumentationMode, OtlpProtocol, RunningPaymentApi } from '../../scripts/lib/payment-api.ts';
import type { PythonVenv } from '../../scripts/lib/python-venv.ts';
import { eventually, getJson, startInProcess } from '../helpers/tracehouse.ts';
import type { RunningTracehouse } from '../helpers/tracehouse.ts';
import { latestPoints, newTraceparent, pointsOf, spansOf } from './helpers/otlp-json.ts';
import type { FlatSpan } from './helpers/otlp-json.ts';
import { pythonSkipReason, testVenv } from './helpers/python.ts';

// The seed's payment-api (examples/fastapi-payment-api) for real: FastAPI under
// uvicorn with the pinned Python SDK, instrumented programmatically (main.py) and
// zero-code (opentelemetry-instrument), exporting over OTLP/HTTP and OTLP/gRPC to
// one Tracehouse. Everything the seed says is captured is looked up through the
// query API. Each app run has its own service.instance.id, so the four runs share
// the store without seeing each other's data.

const combinations: [InstrumentationMode, OtlpProtocol][] = [
  ['programmatic', 'http/protobuf'],
  ['programmatic', 'grpc'],
  ['zero-code', 'http/protobuf'],
  ['zero-code', 'grpc'],
];
const skip = pythonSkipReason();

let th: RunningTracehouse;
let venv: PythonVenv;

before(async () => {
  if (skip) return;
  // The first run installs the requirements (tens of seconds); later runs reuse .cache/venv-*.
  const [made, started] = await Promise.allSettled([testVenv(), startInProcess()]);
  if (started.status === 'fulfilled') th = started.value; // stopped by after(), whatever else failed
  if (made.status === 'rejected') throw made.reason;
  if (started.status === 'rejected') throw started.reason;
  venv = made.value;
}, { timeout: 600_000 });

after(async () => {
  await th?.stop();
});

const api = async (path: string, params: Record<string, string | string[]> = {}) => {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) query.append(key, v);
  const { status, body } = await getJson(`${th.apiUrl}${path}${query.size > 0 ? `?${query}` : ''}`);
  assert.equal(status, 200, `${path}?${query}: ${JSON.stringify(body)}`);
  return body;
};
const traceSpans = async (traceId: string) => spansOf(await api(`/api/v1/traces/${traceId}`));
/**
 * The spans of a request's trace, once its SERVER span is stored. Not merely
 * its first span: zero-code instrumentation's `http send` children end before
 * the server span, so they can be in one export and the server span in the next
 * (a search right after a wait for "any span" once missed the server span).
 */
const waitForRequest = (traceId: string) =>
  eventually(async () => {
    const { status, body } = await getJson(`${th.apiUrl}/api/v1/traces/${traceId}`);
    const spans = status === 200 ? spansOf(body) : [];
    return spans.some((s) => s.kind === 2) ? spans : undefined;
  }, 200);
const serverSpan = (spans: FlatSpan[]) => {
  const found = spans.filter((s) => s.kind === 2);
  assert.equal(found.length, 1, `one SERVER span in ${JSON.stringify(spans.map((s) => s.name))}`);
  return found[0]!;
};

for (const [mode, protocol] of combinations) {
  describe(`FastAPI payment-api, ${mode}, ${protocol}`, { skip }, () => {
    const instance = `${mode}-${protocol.replace('/', '-')}`;
    const byInstance = `service.instance.id=${instance}`;
    let app: RunningPaymentApi;
    const item = newTraceparent();
    const approved = newTraceparent();
    const declined = newTraceparent();
    const marker = newTraceparent();
    let transactionId: string;

    const send = async (method: string, path: string, traceparent?: string, body?: unknown) => {
      const headers: Record<string, string> = {};
      if (traceparent !== undefined) headers['traceparent'] = traceparent;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${app.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as any };
    };

    before(async () => {
      app = await startPaymentApi({
        venv,
        mode,
        protocol,
        otlpEndpoint: protocol === 'grpc' ? `http://${th.grpcAddress}` : th.otlpUrl,
        resourceAttributes: { 'service.instance.id': instance },
        exportIntervalMs: 500,
      });
      assert.equal((await send('GET', '/items/42', item.header)).status, 200);
      assert.equal((await send('GET', '/items/7')).status, 200);
      const ok = await send('POST', '/payments', approved.header, { amount: 42.5, currency: 'EUR' });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      transactionId = ok.body.transaction_id;
      const refused = await send('POST', '/payments', declined.header, { amount: 7500, currency: 'USD' });
      assert.equal(refused.status, 402, JSON.stringify(refused.body));
      for (let i = 0; i < 3; i++) assert.equal((await send('GET', '/health')).status, 200);
      // Sent last: once its server span is stored, every span ended before it was exported.
      assert.equal((await send('GET', '/items/99', marker.header)).status, 200);
      await waitForRequest(marker.traceId);
    });

    after(async () => {
      const code = await app?.stop();
      if (code !== undefined && code !== 0) console.error(`payment-api exited ${code}:\n${app.output()}`);
    });

    test('span names use the route template, with the HTTP attributes', async () => {
      const server = serverSpan(await waitForRequest(item.traceId));
      assert.equal(server.name, 'GET /items/{item_id}');
      assert.equal(server.attributes['http.route'], '/items/{item_id}');
      assert.equal(server.attributes['http.request.method'], 'GET');
      assert.equal(server.attributes['http.response.status_code'], 200);
      assert.equal(server.attributes['url.path'], '/items/42');

      const templated = await api('/api/v1/traces', { spanName: 'GET /items/{item_id}', attr: byInstance });
      assert.equal(templated.traces.length, 3, JSON.stringify(templated));
      for (const filled of ['GET /items/42', 'GET /items/7', 'GET /items/99']) {
        assert.deepEqual((await api('/api/v1/traces', { spanName: filled, attr: byInstance })).traces, []);
      }
    });

    test('a request with a W3C traceparent continues that trace; one without starts a new one', async () => {
      const server = serverSpan(await traceSpans(item.traceId));
      assert.equal(server.traceId, item.traceId);
      assert.equal(server.parentSpanId, item.parentSpanId);

      const fresh = await api('/api/v1/traces', { attr: [byInstance, 'url.path=/items/7'] });
      assert.equal(fresh.traces.length, 1);
      const [root] = (await traceSpans(fresh.traces[0].traceId)).filter((s) => s.kind === 2);
      assert.equal(root?.parentSpanId, '');
      assert.equal(fresh.traces[0].rootSpanName, 'GET /items/{item_id}');
    });

    test('payment.validate and payment.charge are children of the request span, with their attributes', async () => {
      const spans = await traceSpans(approved.traceId);
      const server = serverSpan(spans);
      assert.equal(server.name, 'POST /payments');
      assert.equal(server.attributes['http.response.status_code'], 200);
      const validate = spans.find((s) => s.name === 'payment.validate');
      const charge = spans.find((s) => s.name === 'payment.charge');
      assert.ok(validate && charge, JSON.stringify(spans.map((s) => s.name)));
      assert.equal(validate.parentSpanId, server.spanId);
      assert.equal(charge.parentSpanId, server.spanId);
      assert.equal(validate.attributes['payment.amount'], 42.5);
      assert.equal(validate.attributes['payment.currency'], 'EUR');
      assert.equal(charge.attributes['payment.provider'], 'stripe');
      assert.equal(charge.attributes['payment.transaction_id'], transactionId);
      assert.notEqual(charge.status.code, 2);
      assert.deepEqual(charge.events, []);
    });

    test('a declined charge records one exception event and ERROR status; the request answers 402', async () => {
      const spans = await traceSpans(declined.traceId);
      const server = serverSpan(spans);
      assert.equal(server.attributes['http.response.status_code'], 402);
      const charge = spans.find((s) => s.name === 'payment.charge');
      assert.ok(charge);
      assert.equal(charge.parentSpanId, server.spanId);
      assert.equal(charge.status.code, 2);
      assert.match(charge.status.message, /exceeds the card limit/);
      assert.equal(charge.attributes['payment.amount'], 7500);
      assert.equal(charge.attributes['payment.currency'], 'USD');
      const exceptions = charge.events.filter((e) => e.name === 'exception');
      assert.equal(exceptions.length, 1, JSON.stringify(charge.events));
      const attrs = exceptions[0]!.attributes;
      assert.match(String(attrs['exception.type']), /PaymentDeclinedError$/);
      assert.equal(attrs['exception.message'], 'amount 7500.00 USD exceeds the card limit of 5000.00');
      assert.match(String(attrs['exception.stacktrace']), /Traceback[\s\S]*charge_payment[\s\S]*PaymentDeclinedError/);

      const errors = await api('/api/v1/traces', { status: 'error', attr: byInstance });
      assert.deepEqual(
        errors.traces.map((t: { traceId: string }) => t.traceId),
        [declined.traceId],
      );
      const found = await api('/api/v1/traces', { attr: [byInstance, 'http.response.status_code=402'] });
      assert.deepEqual(
        found.traces.map((t: { traceId: string }) => t.traceId),
        [declined.traceId],
      );
    });

    test('log records written in a request carry its trace id and span id', async () => {
      const logsOf = (traceId: string, count: number) =>
        eventually(async () => {
          const body = await api('/api/v1/logs', { traceId });
          return body.logs.length >= count ? (body.logs as any[]) : undefined;
        }, 200);
      const bySpan = (spans: FlatSpan[], name: string) => spans.find((s) => s.name === name)!.spanId;

      const approvedSpans = await traceSpans(approved.traceId);
      const approvedLogs = await logsOf(approved.traceId, 3);
      const bodies = new Map(approvedLogs.map((l) => [String(l.body).split(':')[0], l]));
      assert.equal(bodies.get('payment received')?.spanId, serverSpan(approvedSpans).spanId);
      assert.equal(bodies.get('validating payment')?.spanId, bySpan(approvedSpans, 'payment.validate'));
      assert.equal(bodies.get('payment approved')?.spanId, serverSpan(approvedSpans).spanId);
      assert.equal(bodies.get('validating payment')?.body, 'validating payment: 42.50 EUR');
      assert.equal(bodies.get('validating payment')?.severityText, 'INFO');
      assert.equal(bodies.get('validating payment')?.attributes['payment.currency'], 'EUR');
      for (const log of approvedLogs) {
        assert.equal(log.traceId, approved.traceId);
        assert.equal(log.serviceName, 'payment-api');
      }

      const declinedSpans = await traceSpans(declined.traceId);
      const declinedLogs = await logsOf(declined.traceId, 3);
      const warning = declinedLogs.find((l) => String(l.body).startsWith('payment declined'));
      assert.ok(warning, JSON.stringify(declinedLogs.map((l) => l.body)));
      assert.equal(warning.spanId, bySpan(declinedSpans, 'payment.charge'));
      assert.equal(warning.severityNumber, 13);
      const viaSpan = await api('/api/v1/logs', { spanId: warning.spanId });
      assert.deepEqual(viaSpan.logs.map((l: any) => l.body), [warning.body]);

      const [itemLog] = await logsOf(item.traceId, 1);
      assert.equal(itemLog.body, 'looking up item 42');
      assert.equal(itemLog.spanId, serverSpan(await traceSpans(item.traceId)).spanId);
    });

    test('http.server.request.duration, http.server.active_requests and the payment metrics arrive', async () => {
      const points = (name: string, attrs: string[] = []) =>
        api(`/api/v1/metrics/${name}/points`, { attr: [byInstance, ...attrs], limit: '1000' }).then(pointsOf);

      // Cumulative: wait for an export made after the last request.
      const duration = await eventually(async () => {
        const latest = latestPoints(await points('http.server.request.duration', ['http.route=/items/{item_id}']), []);
        const point = latest.get('');
        return point?.count === 3 ? point : undefined;
      }, 200);
      assert.equal(duration.kind, 'histogram');
      assert.equal(duration.unit, 's');
      assert.equal(duration.attributes['http.request.method'], 'GET');
      assert.equal(duration.attributes['http.response.status_code'], 200);

      const payments = latestPoints(await points('http.server.request.duration', ['http.route=/payments']), [
        'http.response.status_code',
      ]);
      assert.equal(payments.get('200')?.count, 1);
      assert.equal(payments.get('402')?.count, 1);
      // Excluded URLs leave no duration either.
      assert.deepEqual(await points('http.server.request.duration', ['http.route=/health']), []);

      const active = await points('http.server.active_requests');
      assert.ok(active.length > 0);
      assert.equal(active[0]!.kind, 'sum');
      assert.notEqual(active[0]!.isMonotonic, true); // an UpDownCounter (false is omitted in OTLP JSON)
      assert.equal(active[0]!.attributes['http.request.method'] !== undefined, true);

      const processed = latestPoints(await points('payments.processed'), ['payment.currency', 'payment.status']);
      assert.equal(processed.get('EUR|approved')?.value, 1);
      assert.equal(processed.get('USD|declined')?.value, 1);
      assert.equal(processed.get('EUR|approved')?.isMonotonic, true);
      assert.equal(processed.get('EUR|approved')?.unit, '1');

      const value = latestPoints(await points('payments.value'), ['payment.currency']);
      assert.equal(value.get('EUR')?.kind, 'histogram');
      assert.equal(value.get('EUR')?.sum, 42.5);
      assert.equal(value.get('USD')?.sum, 7500);
      assert.equal(value.get('EUR')?.unit, 'USD');
    });

    test('excluded URLs: calls to /health leave no spans', async () => {
      // The marker request came after the health checks, and its spans are stored.
      assert.deepEqual((await api('/api/v1/traces', { spanName: 'GET /health', attr: byInstance })).traces, []);
      assert.deepEqual((await api('/api/v1/traces', { attr: [byInstance, 'url.path=/health'] })).traces, []);
    });

    test('service.name, service.version and deployment.environment are kept on every signal', async () => {
      const expected = {
        'service.name': 'payment-api',
        'service.version': '1.0.0',
        'deployment.environment': 'production',
        'service.instance.id': instance,
      };
      const pick = (resource: Record<string, unknown>) =>
        Object.fromEntries(Object.keys(expected).map((k) => [k, resource[k]]));
      for (const span of await traceSpans(approved.traceId)) assert.deepEqual(pick(span.resource), expected);
      const logs = await api('/api/v1/logs', { traceId: approved.traceId });
      for (const log of logs.logs) assert.deepEqual(pick(log.resource), expected);
      const points = pointsOf(await api('/api/v1/metrics/payments.processed/points', { attr: byInstance }));
      assert.ok(points.length > 0);
      for (const point of points) assert.deepEqual(pick(point.resource), expected);
      const services = await api('/api/v1/services');
      assert.ok(services.services.some((s: { name: string }) => s.name === 'payment-api'));
    });
  });
}

test('without OTEL_PYTHON_FASTAPI_EXCLUDED_URLS, /health is traced (so the exclusion checks above mean something)', { skip }, async () => {
  const app = await startPaymentApi({
    venv,
    mode: 'programmatic',
    protocol: 'http/protobuf',
    otlpEndpoint: th.otlpUrl,
    resourceAttributes: { 'service.instance.id': 'no-exclusions' },
    exportIntervalMs: 60_000,
    env: { OTEL_PYTHON_FASTAPI_EXCLUDED_URLS: '' },
  });
  try {
    assert.equal((await fetch(`${app.url}/health`)).status, 200);
  } finally {
    await app.stop();
  }
  const found = await api('/api/v1/traces', { spanName: 'GET /health', attr: 'service.instance.id=no-exclusions' });
  assert.equal(found.traces.length, 1);
});

for (const mode of ['programmatic', 'zero-code'] as const) {
  describe(`FastAPI payment-api, ${mode}: SIGTERM sends what the SDK still holds`, { skip }, () => {
    test('spans, logs and metrics buffered for 60 s arrive when the app is stopped', async () => {
      const instance = `${mode}-sigterm`;
      const app = await startPaymentApi({
        venv,
        mode,
        protocol: 'http/protobuf',
        otlpEndpoint: th.otlpUrl,
        resourceAttributes: { 'service.instance.id': instance },
        exportIntervalMs: 60_000,
      });
      try {
        const payment = newTraceparent();
        const response = await fetch(`${app.url}/payments`, {
          method: 'POST',
          headers: { traceparent: payment.header, 'content-type': 'application/json' },
          body: JSON.stringify({ amount: 19.99, currency: 'GBP' }),
        });
        assert.equal(response.status, 200);
        assert.equal((await getJson(`${th.apiUrl}/api/v1/traces/${payment.traceId}`)).status, 404);

        // uvicorn re-raises SIGTERM after its graceful shutdown, so the process ends by the signal.
        assert.ok([0, 'SIGTERM'].includes(await app.stop()), app.output());
        const spans = await traceSpans(payment.traceId);
        assert.deepEqual(
          spans.filter((s) => s.name.startsWith('payment.')).map((s) => s.name).sort(),
          ['payment.charge', 'payment.validate'],
        );
        const logs = await api('/api/v1/logs', { traceId: payment.traceId });
        assert.equal(logs.logs.length, 3);
        const points = pointsOf(
          await api('/api/v1/metrics/payments.processed/points', { attr: `service.instance.id=${instance}` }),
        );
        assert.deepEqual(
          points.map((p) => [p.attributes['payment.currency'], p.value]),
          [['GBP', 1]],
        );
      } finally {
        await app.stop();
      }
    });
  });
}
