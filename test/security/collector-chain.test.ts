import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, test } from 'node:test';
import { cleanupAfterTests } from '../collector/cleanups.ts';
import { freePorts, startCollector } from '../collector/collector-process.ts';
import type { RunningCollector } from '../collector/collector-process.ts';
import { buildTimeoutMs, ensureGoTools } from '../collector/go-tools.ts';
import { createSdkTelemetry } from '../helpers/sdk-telemetry.ts';
import type { SdkTelemetry } from '../helpers/sdk-telemetry.ts';
import { eventually, getJson, startChild, stopChild } from '../helpers/tracehouse.ts';
import type { ChildTracehouse } from '../helpers/tracehouse.ts';
import { startWith } from './harness.ts';
import type { SecuredTracehouse } from './harness.ts';
import { exportSpan } from './sdk-export.ts';
import { createTestCa } from './test-ca.ts';

// Authenticated forwarding through the real OpenTelemetry Collector (built with
// its bearertokenauth extension by scripts/collector/build.sh), every hop over
// TLS with a CA made at test time and a bearer token:
//   app -HTTP-> Tracehouse A -otlp gRPC, mutual TLS, token-> Collector -otlp_http, HTTPS, token-> Tracehouse B   (traces)
//   app -HTTP-> Tracehouse A -otlphttp, HTTPS, token-> Collector -otlp_grpc, TLS, token-> Tracehouse B   (logs)
// A's exporters use our client authenticator against the Collector's server one;
// the Collector's client authenticator meets our receivers.

const cleanups = cleanupAfterTests();
let a: ChildTracehouse;
let b: SecuredTracehouse;
let collector: RunningCollector;
let sdk: SdkTelemetry;
let caPem: Buffer;
let collectorHttpPort: number;

before(
  async () => {
    const { otelcol } = await ensureGoTools();
    const pkiDir = await cleanups.tempDir('pki');
    const ca = createTestCa(pkiDir);
    const server = ca.issue('server', 'server');
    const forwarder = ca.issue('tracehouse-a', 'client');
    caPem = ca.ca;
    b = await startWith({
      yaml: () => `
extensions:
  bearertokenauth/in:
    token: token-for-b
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:0
        tls: { cert_file: ${server.certFile}, key_file: ${server.keyFile} }
        auth: { authenticator: bearertokenauth/in }
      http:
        endpoint: 127.0.0.1:0
        tls: { cert_file: ${server.certFile}, key_file: ${server.keyFile} }
        auth: { authenticator: bearertokenauth/in }
exporters:
  tracehouse:
service:
  extensions: [bearertokenauth/in]
  pipelines:
    traces: { receivers: [otlp], exporters: [tracehouse] }
    logs: { receivers: [otlp], exporters: [tracehouse] }
`,
    });
    cleanups.add(() => b.stop());

    const [grpcPort, httpPort] = (await freePorts(2)) as [number, number];
    collectorHttpPort = httpPort;
    collector = await startCollector(
      otelcol,
      await cleanups.tempDir('otelcol'),
      `
extensions:
  bearertokenauth/in:
    token: token-for-collector
  bearertokenauth/out:
    token: token-for-b
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:${grpcPort}
        tls: { cert_file: ${server.certFile}, key_file: ${server.keyFile}, client_ca_file: ${ca.caFile} }
        auth: { authenticator: bearertokenauth/in }
      http:
        endpoint: 127.0.0.1:${httpPort}
        tls: { cert_file: ${server.certFile}, key_file: ${server.keyFile} }
        auth: { authenticator: bearertokenauth/in }
processors:
  batch:
    timeout: 100ms
exporters:
  otlp_grpc:
    endpoint: 127.0.0.1:${b.port('grpc')}
    tls: { ca_file: ${ca.caFile} }
    auth: { authenticator: bearertokenauth/out }
  otlp_http:
    endpoint: https://127.0.0.1:${b.port('http')}
    tls: { ca_file: ${ca.caFile} }
    auth: { authenticator: bearertokenauth/out }
service:
  extensions: [bearertokenauth/in, bearertokenauth/out]
  pipelines:
    traces: { receivers: [otlp], processors: [batch], exporters: [otlp_http] }
    logs: { receivers: [otlp], processors: [batch], exporters: [otlp_grpc] }
`,
    );
    cleanups.child(collector.child, () => collector.stop());

    const aData = await cleanups.tempDir('a');
    const aConfig = path.join(aData, 'forward.yaml');
    await writeFile(
      aConfig,
      `
extensions:
  bearertokenauth/collector:
    token: token-for-collector
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
exporters:
  otlp:
    endpoint: 127.0.0.1:${grpcPort}
    tls: { ca_file: ${ca.caFile}, cert_file: ${forwarder.certFile}, key_file: ${forwarder.keyFile} }
    auth: { authenticator: bearertokenauth/collector }
  otlphttp:
    endpoint: https://127.0.0.1:${httpPort}
    tls: { ca_file: ${ca.caFile} }
    auth: { authenticator: bearertokenauth/collector }
service:
  extensions: [bearertokenauth/collector]
  pipelines:
    traces: { receivers: [otlp], exporters: [otlp] }
    logs: { receivers: [otlp], exporters: [otlphttp] }
`,
    );
    a = await startChild(['--config', aConfig, '--api-host', '127.0.0.1', '--api-port', '0', '--data-dir', aData]);
    cleanups.child(a.child, () => stopChild(a));

    sdk = createSdkTelemetry(a.otlpUrl, 'protobuf', 'chain-app');
    cleanups.add(() => sdk.shutdown());
  },
  { timeout: buildTimeoutMs },
);

test('traces and logs reach B through the Collector, authenticated and encrypted at every hop', async () => {
  const sent = sdk.payment({ currency: 'EUR', amount: 42, chargeMs: 5 });
  sdk.log(13, 'forwarded with a token');
  await sdk.flush();
  const trace = await eventually(async () => {
    const { status, body } = await getJson(`${b.apiUrl}/api/v1/traces/${sent.traceId}`);
    return status === 200 ? body : undefined;
  }, 200).catch(() => {
    throw new Error(`the trace did not arrive at B\n--- A:\n${a.stderr()}\n--- otelcol:\n${collector.output()}`);
  });
  assert.equal(trace.resourceSpans[0].resource.attributes.find((kv: { key: string }) => kv.key === 'service.name').value.stringValue, 'chain-app');
  const logs = await eventually(async () => {
    const { body } = await getJson(`${b.apiUrl}/api/v1/logs?service=chain-app&start=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`);
    return body.logs.some((l: { body: unknown }) => JSON.stringify(l.body).includes('forwarded with a token')) ? body.logs : undefined;
  }, 200).catch(() => {
    throw new Error(`the logs did not arrive at B\n--- A:\n${a.stderr()}\n--- otelcol:\n${collector.output()}`);
  });
  assert.ok(logs.length > 0);
});

test("the Collector's receiver and B refuse senders without the right token", async () => {
  for (const [where, url, token] of [
    ['Collector', `https://127.0.0.1:${collectorHttpPort}`, 'token-for-b'],
    ['B', `https://127.0.0.1:${b.port('http')}`, 'token-for-collector'],
  ] as const) {
    const missing = await exportSpan('http/protobuf', url, 'no-token', { tls: { ca: caPem } });
    assert.equal(missing.code, 401, `${where} without a token: ${missing.message}`);
    const wrong = await exportSpan('http/protobuf', url, 'wrong-token', { tls: { ca: caPem }, headers: { authorization: `Bearer ${token}` } });
    assert.equal(wrong.code, 401, `${where} with the other hop's token: ${wrong.message}`);
  }
});
