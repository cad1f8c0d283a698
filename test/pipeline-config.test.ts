import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createSdkTelemetry } from './helpers/sdk-telemetry.ts';
import { getJson, startInProcess, tempDir } from './helpers/tracehouse.ts';
import type { RunningTracehouse } from './helpers/tracehouse.ts';

// A Collector-style config in front of the local store, fed by the SDK over gRPC
// and HTTP: filter drops health checks and debug logs, attributes and resource
// rewrite what is kept, and /metrics counts what went where.

let th: RunningTracehouse;
let dir: Awaited<ReturnType<typeof tempDir>>;

before(async () => {
  dir = await tempDir();
  const config = path.join(dir.dir, 'tracehouse.yaml');
  await writeFile(
    config,
    `
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:0
      http:
        endpoint: 127.0.0.1:0
processors:
  memory_limiter:
    check_interval: 1s
    limit_mib: 4000
  batch:
    timeout: 20ms
  filter/noise:
    error_mode: ignore
    traces:
      span:
        - 'IsMatch(attributes["url.path"], "^/(health|readyz|livez)")'
    logs:
      log_record:
        - 'severity_number < SEVERITY_NUMBER_INFO'
  attributes/scrub:
    actions:
      - key: user_agent.original
        action: delete
      - key: payment.transaction_id
        action: hash
  resource/env:
    attributes:
      - key: deployment.environment
        value: staging
        action: upsert
exporters:
  tracehouse:
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, filter/noise, attributes/scrub, resource/env, batch]
      exporters: [tracehouse]
    logs:
      receivers: [otlp]
      processors: [filter/noise, batch]
      exporters: [tracehouse]
`,
  );
  th = await startInProcess(['--config', config], path.join(dir.dir, 'data'));
});

after(async () => {
  await th?.stop();
  await dir?.remove();
});

test('processors shape what is stored; gRPC and HTTP senders are treated the same', async () => {
  for (const [encoding, url] of [
    ['protobuf', th.otlpUrl],
    ['grpc', `http://${th.grpcAddress}`],
  ] as const) {
    const sdk = createSdkTelemetry(url, encoding, `payment-api-${encoding}`);
    const sent = sdk.payment({ currency: 'EUR', amount: 12 });
    // A health check span, and a DEBUG log: both are noise for the filter.
    sdk.health();
    sdk.log(5, 'cache warmed');
    await sdk.flush();
    await sdk.shutdown();

    const services = await getJson(`${th.apiUrl}/api/v1/services`);
    const mine = services.body.services.find((s: { name: string }) => s.name === `payment-api-${encoding}`);
    assert.equal(mine.spanCount, 3, `${encoding}: the /health span was dropped`);
    const trace = await getJson(`${th.apiUrl}/api/v1/traces/${sent.traceId}`);
    const resource = trace.body.resourceSpans[0].resource.attributes;
    assert.deepEqual(resource.find((a: { key: string }) => a.key === 'deployment.environment').value, { stringValue: 'staging' });
    const spans = trace.body.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans));
    const server = spans.find((s: any) => s.name === 'POST /payments');
    assert.equal(server.attributes.find((a: any) => a.key === 'user_agent.original'), undefined);
    const charge = spans.find((s: any) => s.name === 'payment.charge');
    const txId = charge.attributes.find((a: any) => a.key === 'payment.transaction_id').value.stringValue;
    assert.match(txId, /^[0-9a-f]{64}$/, 'hashed with SHA-256');
    const logs = await getJson(`${th.apiUrl}/api/v1/logs?service=payment-api-${encoding}`);
    assert.deepEqual(logs.body.logs.map((l: { body: string }) => l.body), ['validating payment of 12 EUR']);
  }
  const metrics = await fetch(`${th.apiUrl}/metrics`).then((r) => r.text());
  // 4 spans a sender (3 kept, 1 filtered), 2 log records (1 kept).
  assert.match(metrics, /otelcol_receiver_accepted_spans_total\{receiver="otlp",transport="http"\} 4/);
  assert.match(metrics, /otelcol_receiver_accepted_spans_total\{receiver="otlp",transport="grpc"\} 4/);
  assert.match(metrics, /otelcol_processor_filter_spans_filtered_total\{[^}]*\} 2/);
  assert.match(metrics, /otelcol_exporter_sent_spans_total\{exporter="tracehouse"\} 6/);
  // Metrics have no pipeline in this config: the HTTP receiver answers 404 for them.
  const refused = await fetch(`${th.otlpUrl}/v1/metrics`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
  assert.equal(refused.status, 404);
});
