import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, test } from 'node:test';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { decodeTracesJson } from '../../src/pdata/index.ts';
import { flattenSpans } from '../helpers/normalize.ts';
import { createSdkTelemetry } from '../helpers/sdk-telemetry.ts';
import type { SdkTelemetry, SentTrace } from '../helpers/sdk-telemetry.ts';
import { eventually, freePortArgs, getJson, startChild, stopChild } from '../helpers/tracehouse.ts';
import type { ChildTracehouse } from '../helpers/tracehouse.ts';
import { cleanupAfterTests } from './cleanups.ts';
import { freePorts, startCollector } from './collector-process.ts';
import type { RunningCollector } from './collector-process.ts';
import { buildTimeoutMs, ensureGoTools } from './go-tools.ts';

// The seed guide's topology: app -> OpenTelemetry Collector (the guide's
// otel-collector-config.yaml) -> Tracehouse. The real JS SDK sends seed-shaped
// telemetry to the real Collector over OTLP/HTTP (protobuf) and OTLP/gRPC; the
// Collector batches it (5 s, as the guide says) and exports it with its `otlp`
// exporter to Tracehouse's OTLP/gRPC receiver. Traces must come back exactly as the
// SDK made them.

const routes = [
  { label: 'OTLP/HTTP protobuf', encoding: 'protobuf', service: 'payment-api' },
  { label: 'OTLP/gRPC', encoding: 'grpc', service: 'payment-api-grpc' },
] as const;

const cleanups = cleanupAfterTests();
let th: ChildTracehouse;
let collector: RunningCollector;
const senders = new Map<string, { sdk: SdkTelemetry; sent: SentTrace[] }>();

/** `text` with `from` replaced, which must be there: a changed fixture fails loudly. */
function replaceOnce(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `the seed config no longer contains ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

before(
  async () => {
    const { otelcol } = await ensureGoTools();
    th = await startChild([...freePortArgs, '--data-dir', await cleanups.tempDir('tracehouse')]);
    cleanups.child(th.child, () => stopChild(th));

    const [grpcPort, httpPort] = await freePorts(2);
    const seed = await readFile(new URL('../fixtures/otel-collector-config.yaml', import.meta.url), 'utf8');
    // Only where it listens and where it sends change; the guide's exporter speaks
    // TLS to "your-backend", Tracehouse here is local plaintext.
    let config = replaceOnce(seed, '0.0.0.0:4317', `127.0.0.1:${grpcPort}`);
    config = replaceOnce(config, '0.0.0.0:4318', `127.0.0.1:${httpPort}`);
    config = replaceOnce(config, 'endpoint: your-backend:4317', `endpoint: ${th.grpcAddress}\n    tls:\n      insecure: true`);
    collector = await startCollector(otelcol, await cleanups.tempDir('otelcol'), config);
    cleanups.child(collector.child, () => collector.stop());

    const urls = { protobuf: `http://127.0.0.1:${httpPort}`, grpc: `http://127.0.0.1:${grpcPort}` };
    for (const { label, encoding, service } of routes) {
      const sdk = createSdkTelemetry(urls[encoding], encoding, service);
      cleanups.add(() => sdk.shutdown());
      const sent = [
        sdk.payment({ currency: 'EUR', amount: 50, chargeMs: 20 }),
        sdk.payment({ currency: 'USD', amount: 80, declined: true, chargeMs: 30 }),
        sdk.payment({ currency: 'GBP', amount: 120, chargeMs: 400 }),
      ];
      sdk.log(13, `${label} sender done`);
      // Resolves once the Collector acknowledged; Tracehouse gets the data when
      // the batch processor's timeout fires.
      await sdk.flush();
      senders.set(label, { sdk, sent });
    }
  },
  { timeout: buildTimeoutMs },
);

const api = (path: string) => getJson(`${th.apiUrl}${path}`);

/** Polls until `check` holds; on timeout the error carries both processes' logs. */
function arrives<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  return eventually(check, 200).catch(() => {
    throw new Error(`${what} did not arrive\n--- otelcol:\n${collector.output()}\n--- tracehouse:\n${th.stderr()}`);
  });
}

for (const { label, service } of routes) {
  const sender = () => senders.get(label)!;

  test(`app -> Collector (seed config) -> Tracehouse: traces sent over ${label} arrive losslessly`, async () => {
    await arrives(`${service} spans`, async () => {
      const { body } = await api('/api/v1/services?start=0');
      return body.services.find((s: { name: string }) => s.name === service)?.spanCount === 9 ? true : undefined;
    });
    const { sdk, sent } = sender();
    for (const { traceId } of sent) {
      const { status, body } = await api(`/api/v1/traces/${traceId}`);
      assert.equal(status, 200);
      const sdkSpans = sdk.finishedSpans().filter((s) => s.spanContext().traceId === traceId);
      assert.equal(sdkSpans.length, 3);
      const expected = decodeTracesJson(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(sdkSpans)));
      assert.deepEqual(flattenSpans(decodeTracesJson(JSON.stringify(body))), flattenSpans(expected));
    }
  });

  test(`app -> Collector (seed config) -> Tracehouse: logs sent over ${label} arrive with their trace context`, async () => {
    // One "validating" log per payment, one for the decline, and the closing log.
    const logs = await arrives(`${service} logs`, async () => {
      const { body } = await api(`/api/v1/logs?service=${service}&start=0&limit=100`);
      return body.logs.length === 5 ? body.logs : undefined;
    });
    assert.ok(logs.some((l: { body: string }) => l.body === `${label} sender done`));
    const declined = sender().sent.find((t) => t.declined)!;
    const { body } = await api(`/api/v1/logs?traceId=${declined.traceId}`);
    assert.deepEqual(
      body.logs.map((l: any) => [l.body, l.spanId, l.severityText]),
      [
        ['payment declined: USD 80', declined.chargeSpanId, 'ERROR'],
        ['validating payment of 80 USD', declined.validateSpanId, 'INFO'],
      ],
    );
    assert.equal(body.logs[0].resource['deployment.environment'], 'production');
  });

  test(`app -> Collector (seed config) -> Tracehouse: metrics sent over ${label} arrive with their points`, async () => {
    const metrics = await arrives(`${service} metrics`, async () => {
      const { body } = await api('/api/v1/metrics?start=0');
      const mine = body.metrics.filter((m: { services: string[] }) => m.services.includes(service));
      return mine.length === 5 ? mine : undefined;
    });
    assert.deepEqual(Object.fromEntries(metrics.map((m: { name: string; kind: string }) => [m.name, m.kind])), {
      'payments.processed': 'sum',
      'payments.value': 'histogram',
      'payments.latency': 'exponentialHistogram',
      'payments.inflight': 'sum',
      'payments.queue_depth': 'gauge',
    });
    const { body } = await api('/api/v1/metrics/payments.value/points?start=0&attr=payment.currency=GBP');
    const points = body.resourceMetrics
      .filter((r: any) => r.resource.attributes.some((a: any) => a.key === 'service.name' && a.value.stringValue === service))
      .flatMap((r: any) => r.scopeMetrics.flatMap((s: any) => s.metrics.flatMap((m: any) => m.histogram.dataPoints)));
    assert.equal(points.length, 1);
    assert.deepEqual([points[0].count, points[0].sum], ['1', 120]);
  });
}
