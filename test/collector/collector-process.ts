import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

// The real OpenTelemetry Collector as a child process. Its config needs concrete
// ports (it has no "port 0, then tell me"), so tests pick free ones first.

/** `count` distinct free ports on 127.0.0.1, held open together so none repeats. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<net.Server>((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      }),
    ),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

const readyTimeoutMs = 30_000;

export interface RunningCollector {
  child: ChildProcess;
  /** Everything the Collector logged so far (it logs to stderr). */
  output(): string;
  exited: Promise<number | string>;
  /** SIGTERM (the Collector drains its pipelines), SIGKILL if it hangs. */
  stop(): Promise<number | string>;
}

/**
 * Writes `config` to `dir`/otelcol.yaml and starts the Collector on it; resolves
 * once it logs that its pipelines are running.
 */
export async function startCollector(binary: string, dir: string, config: string): Promise<RunningCollector> {
  const file = path.join(dir, 'otelcol.yaml');
  await writeFile(file, config);
  // Its own metrics would listen on :8888 and collide with any other Collector.
  const child = spawn(binary, ['--config', file, '--set=service.telemetry.metrics.level=none'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  await new Promise<void>((resolve, reject) => {
    // Start-up takes well under a second; a Collector that neither gets ready nor
    // exits would otherwise outlive the test file.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`otelcol was not ready within ${readyTimeoutMs} ms:\n${output}`));
    }, readyTimeoutMs);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Everything is ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('error', reject);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`otelcol exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
