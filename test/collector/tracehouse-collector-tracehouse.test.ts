import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
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

// Tracehouse as a forwarder in front of a real Collector: app -> Tracehouse A
// (a Collector config whose pipelines end in its `otlp` and `otlphttp` exporters)
// -> OpenTelemetry Collector -> Tracehouse B. Each hop changes protocol so both of
// A's exporters meet the Collector's receiver and both of the Collector's exporters
// meet B's receivers:
//   traces:        app -HTTP-> A -gRPC (otlp)-> Collector -HTTP (otlp_http)-> B
//   logs, metrics: app -HTTP-> A -HTTP (otlphttp)-> Collector -gRPC (otlp_grpc)-> B

const cleanups = cleanupAfterTests();
let a: ChildTracehouse;
let b: ChildTracehouse;
let collector: RunningCollector;
let sdk: SdkTelemetry;
let sent: SentTrace[];

before(
  async () => {
    const { otelcol } = await ensureGoTools();
    b = await startChild([...freePortArgs, '--data-dir', await cleanups.tempDir('b')]);
    cleanups.child(b.child, () => stopChild(b));

    // The Collector's receiver/exporter types are its current spellings; the seed's
    // `otlp` alias is covered by app-collector-tracehouse.test.ts.
    const [grpcPort, httpPort] = await freePorts(2);
    collector = await startCollector(
      otelcol,
      await cleanups.tempDir('otelcol'),
      `
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:${grpcPort}
      http:
        endpoint: 127.0.0.1:${httpPort}
processors:
  batch:
    timeout: 200ms
exporters:
  otlp_grpc:
    endpoint: ${b.grpcAddress}
    tls:
      insecure: true
  otlp_http:
    endpoint: ${b.otlpUrl}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlp_http]
    metrics:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlp_grpc]
    logs:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlp_grpc]
`,
    );
    cleanups.child(collector.child, () => collector.stop());

    const aData = await cleanups.tempDir('a');
    const aConfig = path.join(aData, 'forward.yaml');
    await writeFile(
      aConfig,
      `
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:0
      http:
        endpoint: 127.0.0.1:0
processors:
  batch:
    timeout: 50ms
exporters:
  otlp:
    endpoint: 127.0.0.1:${grpcPort}
    tls:
      insecure: true
  otlphttp:
    endpoint: http://127.0.0.1:${httpPort}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlp]
    metrics:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlphttp]
    logs:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlphttp]
`,
    );
    a = await startChild(['--config', aConfig, '--api-host', '127.0.0.1', '--api-port', '0', '--data-dir', aData]);
    cleanups.child(a.child, () => stopChild(a));

    sdk = createSdkTelemetry(a.otlpUrl, 'protobuf');
    cleanups.add(() => sdk.shutdown());
    sent = [
      sdk.payment({ currency: 'EUR', amount: 50, chargeMs: 20 }),
      sdk.payment({ currency: 'USD', amount: 80, declined: true, chargeMs: 30 }),
      sdk.payment({ currency: 'JPY', amount: 1000, chargeMs: 15 }),
      sdk.payment({ currency: 'EUR', amount: 70, chargeMs: 12 }),
    ];
    await sdk.flush();
  },
  { timeout: buildTimeoutMs },
);

const atB = (query: string) => getJson(`${b.apiUrl}${query}`);

/** Polls B until `check` holds; on timeout the error carries every process's log. */
function arrives<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  return eventually(check, 200).catch(() => {
    throw new Error(
      `${what} did not arrive at B\n--- A:\n${a.stderr()}\n--- otelcol:\n${collector.output()}\n--- B:\n${b.stderr()}`,
    );
  });
}

test('traces forwarded by Tracehouse through the Collector arrive losslessly', async () => {
  await arrives('12 spans', async () => {
    const { body } = await atB('/api/v1/services?start=0');
    return body.services[0]?.spanCount === 12 ? true : undefined;
  });
  const { body } = await atB('/api/v1/services?start=0');
  assert.deepEqual(body.services, [{ name: 'payment-api', spanCount: 12 }]);
  for (const { traceId } of sent) {
    const trace = await atB(`/api/v1/traces/${traceId}`);
    assert.equal(trace.status, 200);
    const sdkSpans = sdk.finishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const expected = decodeTracesJson(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(sdkSpans)));
    assert.deepEqual(flattenSpans(decodeTracesJson(JSON.stringify(trace.body))), flattenSpans(expected));
  }
});

test('logs forwarded by Tracehouse through the Collector arrive with their trace context', async () => {
  // One "validating" log per payment and one for the decline.
  const logs = await arrives('5 logs', async () => {
    const { body } = await atB('/api/v1/logs?start=0&limit=100');
    return body.logs.length === 5 ? body.logs : undefined;
  });
  for (const { traceId, validateSpanId } of sent) {
    const mine = logs.filter((l: { traceId: string }) => l.traceId === traceId);
    assert.ok(mine.some((l: { spanId: string }) => l.spanId === validateSpanId), traceId);
  }
  const declined = logs.find((l: { severityNumber: number }) => l.severityNumber === 17);
  assert.equal(declined.body, 'payment declined: USD 80');
  assert.deepEqual(declined.attributes, { 'payment.currency': 'USD', 'exception.type': 'PaymentDeclinedError' });
});

test('metrics forwarded by Tracehouse through the Collector arrive with their points', async () => {
  const metrics = await arrives('5 metrics', async () => {
    const { body } = await atB('/api/v1/metrics?start=0');
    return body.metrics.length === 5 ? body.metrics : undefined;
  });
  assert.deepEqual(Object.fromEntries(metrics.map((m: { name: string; kind: string }) => [m.name, m.kind])), {
    'payments.processed': 'sum',
    'payments.value': 'histogram',
    'payments.latency': 'exponentialHistogram',
    'payments.inflight': 'sum',
    'payments.queue_depth': 'gauge',
  });
  const { body } = await atB('/api/v1/metrics/payments.processed/points?start=0&attr=payment.currency=EUR');
  const points = body.resourceMetrics.flatMap((r: any) =>
    r.scopeMetrics.flatMap((s: any) => s.metrics.flatMap((m: any) => m.sum.dataPoints)),
  );
  assert.equal(points.length, 1);
  assert.equal(points[0].asDouble ?? Number(points[0].asInt), 2);
});

test('A stores nothing itself: its pipelines end in the forwarding exporters', async () => {
  const { body } = await getJson(`${a.apiUrl}/api/v1/services?start=0`);
  assert.deepEqual(body.services, []);
});
