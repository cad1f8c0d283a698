import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../helpers/tracehouse.ts';

// A real Jaeger v2 (v1.76.0, built by scripts/jaeger/build.sh into .cache/go-bin,
// reused once built) with its memory store (scripts/jaeger/config-memory.yaml),
// every listener on 127.0.0.1 and a free port.

export interface RunningJaeger {
  otlpUrl: string;
  queryUrl: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function jaegerBinary(): Promise<string> {
  const { stdout } = await promisify(execFile)(path.join(repoRoot, 'scripts/jaeger/build.sh'), [], { timeout: 600_000 });
  const binary = /^jaeger=(.+)$/m.exec(stdout)?.[1];
  if (binary === undefined) throw new Error(`scripts/jaeger/build.sh printed no jaeger=PATH:\n${stdout}`);
  return binary;
}

export async function startJaeger(binary: string): Promise<RunningJaeger> {
  const [otlp, queryHttp, queryGrpc, health] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const child: ChildProcess = spawn(binary, ['--config', path.join(repoRoot, 'scripts/jaeger/config-memory.yaml')], {
    env: {
      ...process.env,
      JAEGER_OTLP_HTTP_ENDPOINT: `127.0.0.1:${otlp}`,
      JAEGER_QUERY_HTTP_ENDPOINT: `127.0.0.1:${queryHttp}`,
      JAEGER_QUERY_GRPC_ENDPOINT: `127.0.0.1:${queryGrpc}`,
      JAEGER_HEALTH_ENDPOINT: `127.0.0.1:${health}`,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const queryUrl = `http://127.0.0.1:${queryHttp}`;
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`jaeger exited (${child.exitCode}) before listening:\n${stderr}`);
    const ok = await fetch(`${queryUrl}/api/services`).then((r) => r.ok, () => false);
    const receiving = ok && (await fetch(`http://127.0.0.1:${otlp}/v1/traces`, { method: 'POST' }).then(() => true, () => false));
    if (receiving) return { otlpUrl: `http://127.0.0.1:${otlp}`, queryUrl, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`jaeger did not answer on ${queryUrl} within 30 s:\n${stderr}`);
}
