import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import { createSdkTelemetry } from './helpers/sdk-telemetry.ts';
import { eventually, freePortArgs, getJson, startChild, stopChild, tempDir } from './helpers/tracehouse.ts';
import type { ChildTracehouse } from './helpers/tracehouse.ts';

// Two Tracehouse processes: A takes OTLP and forwards it with `otlp` (gRPC) and
// `otlphttp` through persistent sending queues to B, which stores it. B goes away
// while A keeps acknowledging; A is killed and restarted; B comes back: everything
// A acknowledged arrives at B exactly once.

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function dir(): Promise<string> {
  const temp = await tempDir();
  cleanups.push(temp.remove);
  return temp.dir;
}

async function child(args: string[]): Promise<ChildTracehouse> {
  const th = await startChild(args);
  cleanups.push(() => stopChild(th, 'SIGKILL'));
  return th;
}

const portOf = (address: string) => address.split(':').at(-1)!;

/** B's stored span and log counts (everything, whatever its time). */
async function countsAt(apiUrl: string): Promise<{ spans: number; logs: number }> {
  const services = await getJson(`${apiUrl}/api/v1/services?start=0`);
  const logs = await getJson(`${apiUrl}/api/v1/logs?start=0&limit=1000`);
  return {
    spans: services.body.services.reduce((n: number, s: { spanCount: number }) => n + s.spanCount, 0),
    logs: logs.body.logs.length,
  };
}

async function send(otlpUrl: string, payments: number): Promise<void> {
  const sdk = createSdkTelemetry(otlpUrl, 'protobuf');
  for (let i = 0; i < payments; i++) sdk.payment({ currency: i % 2 ? 'EUR' : 'USD', amount: 10 + i });
  await sdk.flush();
  await sdk.shutdown();
}

test('forwarding through persistent queues survives the downstream and the forwarder going away', async () => {
  const bData = await dir();
  let b = await child([...freePortArgs, '--data-dir', bData]);
  const bPorts = ['--otlp-grpc-port', portOf(b.grpcAddress), '--otlp-http-port', portOf(b.otlpUrl)];

  const aData = await dir();
  const config = path.join(aData, 'forward.yaml');
  await writeFile(
    config,
    `
extensions:
  file_storage:
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
  otlp/b:
    endpoint: \${env:B_GRPC}
    tls:
      insecure: true
    sending_queue:
      storage: file_storage
    retry_on_failure:
      initial_interval: 100ms
      max_interval: 300ms
      max_elapsed_time: 0
  otlphttp/b:
    endpoint: http://\${env:B_HTTP}
    sending_queue:
      storage: file_storage
    retry_on_failure:
      initial_interval: 100ms
      max_interval: 300ms
      max_elapsed_time: 0
service:
  extensions: [file_storage]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlp/b]
    logs:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlphttp/b]
`,
  );
  const env = { B_GRPC: b.grpcAddress, B_HTTP: b.otlpUrl.replace('http://', '') };
  const startA = async () => {
    const th = await startChild(['--config', config, '--api-host', '127.0.0.1', '--api-port', '0', '--data-dir', aData], env);
    cleanups.push(() => stopChild(th, 'SIGKILL'));
    return th;
  };
  let a = await startA();

  // B up: 4 payments = 12 spans (over gRPC) and 4 logs (over HTTP) arrive.
  await send(a.otlpUrl, 4);
  await eventually(async () => {
    const c = await countsAt(b.apiUrl);
    return c.spans === 12 && c.logs === 4 ? c : undefined;
  });

  // B down: A still acknowledges, into its persistent queues.
  assert.equal(await stopChild(b), 0);
  await send(a.otlpUrl, 6);

  // A killed hard and restarted: the queued requests are on disk.
  await stopChild(a, 'SIGKILL');
  a = await startA();

  // B back on the same ports and data: everything arrives, once.
  b = await child([...freePortArgs, ...bPorts, '--data-dir', bData]);
  const final = await eventually(async () => {
    const c = await countsAt(b.apiUrl);
    return c.spans >= 30 && c.logs >= 10 ? c : undefined;
  }, 300);
  // Give a duplicate a chance to show up before checking for exactly-once.
  await new Promise((r) => setTimeout(r, 1000));
  assert.deepEqual(await countsAt(b.apiUrl), { spans: 30, logs: 10 });
  assert.deepEqual(final, { spans: 30, logs: 10 });
  const metrics = await fetch(`${a.apiUrl}/metrics`).then((r) => r.text());
  assert.match(metrics, /otelcol_exporter_sent_spans_total\{exporter="otlp\/b"\} \d+/);
  assert.match(metrics, /otelcol_exporter_queue_size\{/);
});

test("the seed guide's collector config runs unchanged but for where it listens and sends", async () => {
  const bData = await dir();
  const b = await child([...freePortArgs, '--data-dir', bData]);
  const aData = await dir();
  const seed = await readFile(new URL('fixtures/otel-collector-config.yaml', import.meta.url), 'utf8');
  const config = path.join(aData, 'otel-collector-config.yaml');
  // The guide's exporter speaks TLS to "your-backend"; B is local plaintext, so the
  // test points it there and adds tls.insecure, as a user of a local backend would.
  await writeFile(
    config,
    seed
      .replace('0.0.0.0:4317', '127.0.0.1:0')
      .replace('0.0.0.0:4318', '127.0.0.1:0')
      .replace('endpoint: your-backend:4317', `endpoint: ${b.grpcAddress}\n    tls:\n      insecure: true`)
      .replace('timeout: 5s', 'timeout: 100ms'),
  );
  const validate = await import('node:child_process').then(({ spawnSync }) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'validate', '--config', config], { encoding: 'utf8' }),
  );
  assert.equal(validate.status, 0, validate.stderr);
  const a = await child(['--config', config, '--api-host', '127.0.0.1', '--api-port', '0', '--data-dir', aData]);
  await send(a.otlpUrl, 2);
  const counts = await eventually(async () => {
    const c = await countsAt(b.apiUrl);
    return c.spans === 6 && c.logs === 2 ? c : undefined;
  });
  assert.deepEqual(counts, { spans: 6, logs: 2 });
});
