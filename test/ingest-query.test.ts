import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { decodeTracesJson } from '../src/pdata/index.ts';
import { flattenSpans } from './helpers/normalize.ts';
import { createSdkTelemetry } from './helpers/sdk-telemetry.ts';
import type { SdkTelemetry, SentTrace } from './helpers/sdk-telemetry.ts';
import { getJson, startInProcess, tempDir } from './helpers/tracehouse.ts';
import type { RunningTracehouse } from './helpers/tracehouse.ts';

// End to end in one process: the real OpenTelemetry JS SDK exports over OTLP/HTTP
// (protobuf and JSON) to Tracehouse on free ports, and what the query API returns
// is compared with what the SDK produced. Nothing is polled: a 2xx from the
// receiver means stored, so the data must be queryable as soon as flush() returns.

let th: RunningTracehouse;
let dir: Awaited<ReturnType<typeof tempDir>>;
let proto: SdkTelemetry;
let json: SdkTelemetry;
const sent: Record<string, SentTrace> = {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  dir = await tempDir();
  th = await startInProcess([], dir.dir);
  proto = createSdkTelemetry(th.otlpUrl, 'protobuf');
  json = createSdkTelemetry(th.otlpUrl, 'json', 'payment-api-json');
  sent.eurFast = proto.payment({ currency: 'EUR', amount: 50, chargeMs: 20 });
  await sleep(5);
  sent.eurSlow = proto.payment({ currency: 'EUR', amount: 500, chargeMs: 400 });
  await sleep(5);
  sent.usdDeclined = proto.payment({ currency: 'USD', amount: 80, declined: true, chargeMs: 30 });
  await sleep(5);
  sent.gbp = proto.payment({ currency: 'GBP', amount: 120, chargeMs: 10 });
  sent.jpy = json.payment({ currency: 'JPY', amount: 1000, chargeMs: 15 });
  await Promise.all([proto.flush(), json.flush()]);
});

after(async () => {
  await Promise.all([proto?.shutdown(), json?.shutdown()]);
  await th?.stop();
  await dir?.remove();
});

const api = (path: string) => getJson(`${th.apiUrl}${path}`);
const traceIds = (body: { traces: { traceId: string }[] }) => body.traces.map((t) => t.traceId);

describe('traces', () => {
  test('services are listed with their span counts', async () => {
    const { status, body } = await api('/api/v1/services');
    assert.equal(status, 200);
    assert.deepEqual(
      [...body.services].sort((a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name)),
      [
        { name: 'payment-api', spanCount: 12 },
        { name: 'payment-api-json', spanCount: 3 },
      ],
    );
  });

  for (const [label, key, sdk] of [
    ['protobuf', 'usdDeclined', () => proto],
    ['JSON', 'jpy', () => json],
  ] as const) {
    test(`a trace sent as ${label} comes back losslessly as OTLP JSON`, async () => {
      const { traceId } = sent[key]!;
      const { status, body } = await api(`/api/v1/traces/${traceId}`);
      assert.equal(status, 200);
      const sdkSpans = sdk().finishedSpans().filter((s) => s.spanContext().traceId === traceId);
      assert.equal(sdkSpans.length, 3);
      const expected = decodeTracesJson(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(sdkSpans)));
      const actual = decodeTracesJson(JSON.stringify(body));
      assert.deepEqual(flattenSpans(actual), flattenSpans(expected));
    });
  }

  test('the declined charge keeps its exception event and ERROR status; 64-bit values are strings', async () => {
    const { body } = await api(`/api/v1/traces/${sent.usdDeclined!.traceId}`);
    const spans = body.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans));
    const charge = spans.find((s: any) => s.name === 'payment.charge');
    assert.equal(charge.parentSpanId, sent.usdDeclined!.serverSpanId);
    assert.equal(charge.status.code, 2);
    const exception = charge.events.find((e: any) => e.name === 'exception');
    const attrs = Object.fromEntries(exception.attributes.map((a: any) => [a.key, a.value.stringValue]));
    assert.equal(attrs['exception.type'], 'PaymentDeclinedError');
    assert.equal(attrs['exception.message'], 'card declined for USD');
    assert.match(attrs['exception.stacktrace'], /PaymentDeclinedError/);
    assert.equal(typeof charge.startTimeUnixNano, 'string');
    const retries = charge.attributes.find((a: any) => a.key === 'payment.retries');
    assert.deepEqual(retries.value, { intValue: '0' });
  });

  test('search summarises each trace, newest first', async () => {
    const { status, body } = await api('/api/v1/traces?service=payment-api');
    assert.equal(status, 200);
    assert.deepEqual(traceIds(body), [sent.gbp, sent.usdDeclined, sent.eurSlow, sent.eurFast].map((t) => t!.traceId));
    const declined = body.traces[1];
    assert.deepEqual(
      { ...declined, startTimeUnixNano: typeof declined.startTimeUnixNano },
      {
        traceId: sent.usdDeclined!.traceId,
        rootServiceName: 'payment-api',
        rootSpanName: 'POST /payments',
        startTimeUnixNano: 'string',
        durationNano: '40000000',
        spanCount: 3,
        errorCount: 2,
        services: ['payment-api'],
      },
    );
  });

  test('span name, duration and status filters', async () => {
    const slowCharges = await api('/api/v1/traces?spanName=payment.charge&minDuration=300ms');
    assert.deepEqual(traceIds(slowCharges.body), [sent.eurSlow!.traceId]);
    const fastServers = await api('/api/v1/traces?service=payment-api&spanName=POST%20/payments&maxDuration=0.035s');
    assert.deepEqual(traceIds(fastServers.body), [sent.gbp!.traceId, sent.eurFast!.traceId]);
    const errors = await api('/api/v1/traces?status=error');
    assert.deepEqual(traceIds(errors.body), [sent.usdDeclined!.traceId]);
    const unset = await api('/api/v1/traces?status=unset&spanName=payment.charge');
    assert.deepEqual(traceIds(unset.body), []);
  });

  test('attribute filters: string, number, int, resource, and all conditions on one span', async () => {
    const q = async (query: string) => traceIds((await api(`/api/v1/traces?service=payment-api&${query}`)).body);
    assert.deepEqual(await q('attr=payment.currency=EUR'), [sent.eurSlow!.traceId, sent.eurFast!.traceId]);
    assert.deepEqual(await q('attr=payment.currency!=EUR'), [sent.gbp!.traceId, sent.usdDeclined!.traceId]);
    assert.deepEqual(await q('attr=payment.amount>100'), [sent.gbp!.traceId, sent.eurSlow!.traceId]);
    assert.deepEqual(await q('attr=payment.amount<100&attr=payment.currency=USD'), [sent.usdDeclined!.traceId]);
    assert.deepEqual(await q('attr=http.response.status_code=402'), [sent.usdDeclined!.traceId]);
    assert.equal((await q('attr=deployment.environment=production')).length, 4);
    // payment.currency is on payment.validate (2 ms); the 400 ms is on payment.charge:
    // no single span has both, so nothing matches.
    assert.deepEqual(await q('attr=payment.currency=EUR&minDuration=300ms'), []);
    assert.deepEqual(await q('attr=payment.currency=EUR&minDuration=1ms'), [sent.eurSlow!.traceId, sent.eurFast!.traceId]);
  });

  test('limit and time range', async () => {
    const one = await api('/api/v1/traces?service=payment-api&limit=1');
    assert.deepEqual(traceIds(one.body), [sent.gbp!.traceId]);
    const past = await api('/api/v1/traces?start=2020-01-01T00:00:00Z&end=2020-01-02T00:00:00Z');
    assert.deepEqual(past.body, { traces: [] });
    const now = Date.now();
    const window = await api(`/api/v1/traces?service=payment-api-json&start=${now - 60_000}&end=${now}`);
    assert.deepEqual(traceIds(window.body), [sent.jpy!.traceId]);
  });

  test('bad parameters are 400s naming the parameter; unknown traces are 404', async () => {
    const bad = await api('/api/v1/traces?minDuration=fast');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, { error: { parameter: 'minDuration', message: 'expected a duration such as 250ms' } });
    assert.equal((await api('/api/v1/traces?status=broken')).body.error.parameter, 'status');
    assert.equal((await api('/api/v1/traces?attr=payment.amount>many')).body.error.parameter, 'attr');
    assert.equal((await api('/api/v1/traces?limit=0')).body.error.parameter, 'limit');
    assert.equal((await api('/api/v1/traces?start=soon')).body.error.parameter, 'start');
    assert.equal((await api('/api/v1/traces/not-a-trace-id')).status, 400);
    assert.equal((await api(`/api/v1/traces/${'ab'.repeat(16)}`)).status, 404);
  });
});

describe('logs', () => {
  test('logs of one request are found by trace id and carry its span id', async () => {
    const { traceId, validateSpanId, chargeSpanId } = sent.usdDeclined!;
    const { status, body } = await api(`/api/v1/logs?traceId=${traceId}`);
    assert.equal(status, 200);
    assert.equal(body.logs.length, 2);
    const [declined, validating] = body.logs;
    assert.equal(declined.spanId, chargeSpanId);
    assert.equal(validating.spanId, validateSpanId);
    assert.deepEqual(
      { ...declined, timeUnixNano: typeof declined.timeUnixNano, observedTimeUnixNano: typeof declined.observedTimeUnixNano },
      {
        timeUnixNano: 'string',
        observedTimeUnixNano: 'string',
        severityNumber: 17,
        severityText: 'ERROR',
        body: 'payment declined: USD 80',
        attributes: { 'payment.currency': 'USD', 'exception.type': 'PaymentDeclinedError' },
        resource: declined.resource,
        scope: { name: 'payment-api', version: '1.0.0' },
        traceId,
        spanId: chargeSpanId,
        flags: declined.flags,
        eventName: '',
        serviceName: 'payment-api',
      },
    );
    assert.equal(declined.resource['service.name'], 'payment-api');
    assert.equal(declined.resource['deployment.environment'], 'production');
  });

  test('span id, severity, text, attribute and service filters', async () => {
    const q = async (query: string) => (await api(`/api/v1/logs?${query}`)).body.logs.map((l: any) => l.body);
    assert.deepEqual(await q(`spanId=${sent.eurSlow!.validateSpanId}`), ['validating payment of 500 EUR']);
    assert.deepEqual(await q('minSeverity=error'), ['payment declined: USD 80']);
    assert.deepEqual(await q('q=DECLINED%3A%20usd'), ['payment declined: USD 80']);
    assert.deepEqual(await q('attr=payment.currency=GBP'), ['validating payment of 120 GBP']);
    assert.deepEqual(await q('service=payment-api-json'), ['validating payment of 1000 JPY']);
    assert.equal((await q('service=payment-api')).length, 5);
    assert.equal((await q('service=payment-api&limit=2')).length, 2);
    assert.equal((await api('/api/v1/logs?minSeverity=loud')).body.error.parameter, 'minSeverity');
    assert.equal((await api('/api/v1/logs?traceId=xyz')).body.error.parameter, 'traceId');
  });
});

describe('metrics', () => {
  test('every kind the SDK produced is listed with its services', async () => {
    const { status, body } = await api('/api/v1/metrics');
    assert.equal(status, 200);
    const byName = Object.fromEntries(body.metrics.map((m: any) => [m.name, m]));
    assert.deepEqual(byName['payments.processed'], {
      name: 'payments.processed',
      kind: 'sum',
      unit: '1',
      description: 'Total number of payments processed',
      services: ['payment-api', 'payment-api-json'],
    });
    assert.equal(byName['payments.value'].kind, 'histogram');
    assert.equal(byName['payments.latency'].kind, 'exponentialHistogram');
    assert.equal(byName['payments.inflight'].kind, 'sum');
    assert.equal(byName['payments.queue_depth'].kind, 'gauge');
  });

  test('points come back as received, filtered by attribute', async () => {
    const { status, body } = await api('/api/v1/metrics/payments.processed/points?attr=payment.currency=USD');
    assert.equal(status, 200);
    const metrics = body.resourceMetrics.flatMap((r: any) => r.scopeMetrics.flatMap((s: any) => s.metrics));
    assert.equal(metrics.length, 1);
    const sum = metrics[0].sum;
    assert.equal(sum.isMonotonic, true);
    assert.equal(sum.aggregationTemporality, 2);
    assert.equal(sum.dataPoints.length, 1);
    const point = sum.dataPoints[0];
    assert.equal(point.asDouble ?? Number(point.asInt), 1);
    const attrs = Object.fromEntries(point.attributes.map((a: any) => [a.key, a.value.stringValue]));
    assert.deepEqual(attrs, { 'payment.currency': 'USD', 'payment.status': 'declined' });

    const histogram = await api('/api/v1/metrics/payments.value/points?attr=payment.currency=EUR');
    const h = histogram.body.resourceMetrics[0].scopeMetrics[0].metrics[0].histogram;
    assert.equal(h.dataPoints[0].count, '2');
    assert.equal(h.dataPoints[0].sum, 550);
    assert.equal(h.dataPoints[0].min, 50);
    assert.equal(h.dataPoints[0].max, 500);
  });
});

describe('health', () => {
  test('healthz and readyz', async () => {
    assert.deepEqual(await api('/healthz'), { status: 200, body: { status: 'ok' } });
    assert.equal((await api('/readyz')).status, 200);
  });
});

describe('restart', () => {
  test('a restart on the same data directory keeps everything', async () => {
    await th.stop();
    th = await startInProcess([], dir.dir);
    const { status, body } = await api(`/api/v1/traces/${sent.eurFast!.traceId}`);
    assert.equal(status, 200);
    assert.equal(flattenSpans(decodeTracesJson(JSON.stringify(body))).length, 3);
  });
});
