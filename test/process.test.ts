import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { freePortArgs, getJson, repoRoot, startChild, tempDir } from './helpers/tracehouse.ts';

// `tracehouse` as users run it: a separate process, stopped by signals, killed hard.

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function dataDir() {
  const temp = await tempDir();
  cleanups.push(temp.remove);
  return temp.dir;
}

const freePorts = freePortArgs;

/** One SDK-made request body holding `spans` spans of one trace (a root and its children). */
function traceRequest(spans: number): { body: Uint8Array; traceId: string } {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'payment-api' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('load');
  const root = tracer.startSpan('POST /payments');
  for (let i = 1; i < spans; i++) {
    tracer.startSpan('payment.charge', { attributes: { i } }, trace.setSpan(context.active(), root)).end();
  }
  root.end();
  return { body: ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!, traceId: root.spanContext().traceId };
}

function post(otlpUrl: string, body: Uint8Array) {
  return fetch(`${otlpUrl}/v1/traces`, { method: 'POST', body, headers: { 'Content-Type': 'application/x-protobuf' } });
}

describe('the tracehouse process', () => {
  test('everything acknowledged survives kill -9 right after the acks', async () => {
    const dir = await dataDir();
    const first = await startChild([...freePorts, '--data-dir', dir]);
    cleanups.push(async () => first.child.kill('SIGKILL'));
    const requests = Array.from({ length: 20 }, () => traceRequest(50));
    const responses = await Promise.all(requests.map((r) => post(first.otlpUrl, r.body)));
    assert.deepEqual(responses.map((r) => r.status), Array(20).fill(200));
    first.child.kill('SIGKILL');
    assert.equal(await first.exited, 'SIGKILL');

    const second = await startChild([...freePorts, '--data-dir', dir]);
    cleanups.push(async () => second.child.kill('SIGKILL'));
    const { body } = await getJson(`${second.apiUrl}/api/v1/services`);
    assert.deepEqual(body.services, [{ name: 'payment-api', spanCount: 1000 }]);
    for (const { traceId } of requests.slice(0, 3)) {
      assert.equal((await getJson(`${second.apiUrl}/api/v1/traces/${traceId}`)).status, 200);
    }
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0);
  });

  test('SIGTERM flushes and exits 0; the log says where everything is', async () => {
    const dir = await dataDir();
    const th = await startChild([...freePorts, '--data-dir', dir]);
    cleanups.push(async () => th.child.kill('SIGKILL'));
    assert.equal((await post(th.otlpUrl, traceRequest(3).body)).status, 200);
    th.child.kill('SIGTERM');
    assert.equal(await th.exited, 0);
    const log = th.stderr();
    assert.match(log, /OTLP\/HTTP receiver listening url=http:\/\/127\.0\.0\.1:\d+/);
    assert.match(log, /query API listening url=http:\/\/127\.0\.0\.1:\d+/);
    assert.ok(log.includes(`dataDir=${path.resolve(dir)}`), log);
    assert.match(log, /received SIGTERM/);
    assert.match(log, /stopped/);
  });

  test('a port already in use is a one-line error', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const port = (blocker.address() as net.AddressInfo).port;
    const dir = await dataDir();
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', ...freePorts, '--otlp-http-port', String(port), '--data-dir', dir],
      { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(result.status, 1);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.at(-1), `tracehouse: cannot listen for OTLP/HTTP on 127.0.0.1:${port}: address already in use`);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
    const grpc = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', ...freePorts, '--otlp-grpc-port', String(port), '--data-dir', dir],
      { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(grpc.status, 1);
    assert.equal(grpc.stderr.trim().split('\n').at(-1), `tracehouse: cannot listen for OTLP/gRPC on 127.0.0.1:${port}: address already in use`);
    assert.doesNotMatch(grpc.stderr, /\n\s+at /);
  });

  test('--help lists every flag with its environment variable; a bad flag is a clear error', () => {
    const help = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', '--help'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(help.status, 0);
    for (const text of ['--otlp-http-port', 'TRACEHOUSE_OTLP_HTTP_PORT', '--api-port', '--data-dir', '--clickhouse-url', '--retention']) {
      assert.ok(help.stdout.includes(text), text);
    }
    // The `tracehouse` bin entry runs the same CLI without a build step.
    const bin = spawnSync(process.execPath, ['bin/tracehouse.mjs', '--help'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(bin.status, 0, bin.stderr);
    assert.match(bin.stdout, /^Usage: tracehouse/);
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', '--api-port', 'eighty'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--api-port: expected a port number/);
    const env = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, TRACEHOUSE_RETENTION: 'forever' },
    });
    assert.equal(env.status, 2);
    assert.match(env.stderr, /TRACEHOUSE_RETENTION: expected a duration/);
  });
});
