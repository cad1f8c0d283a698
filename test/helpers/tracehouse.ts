import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveOptions } from '../../src/config/options.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { startTracehouse } from '../../src/server.ts';
import type { Tracehouse } from '../../src/server.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export async function tempDir(prefix = 'tracehouse-test-'): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Every listener on 127.0.0.1 and a free port. */
export const freePortArgs = [
  '--otlp-http-host', '127.0.0.1', '--otlp-http-port', '0',
  '--otlp-grpc-host', '127.0.0.1', '--otlp-grpc-port', '0',
  '--api-host', '127.0.0.1', '--api-port', '0',
];

export interface RunningTracehouse {
  server: Tracehouse;
  otlpUrl: string;
  /** host:port of the OTLP/gRPC receiver. */
  grpcAddress: string;
  apiUrl: string;
  dataDir: string;
  /** Closes the server; `keepData` leaves the directory for a restart. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** Tracehouse in this process, on free ports, with a temporary data directory. */
export async function startInProcess(extraArgs: string[] = [], dataDir?: string): Promise<RunningTracehouse> {
  const temp = dataDir === undefined ? await tempDir() : undefined;
  const dir = dataDir ?? temp!.dir;
  const options = resolveOptions(
    [...freePortArgs, '--data-dir', dir, ...extraArgs],
    {},
  );
  const server = await startTracehouse(options, silentLogger);
  const http = server.endpoints.find((e) => e.protocol === 'http');
  const grpc = server.endpoints.find((e) => e.protocol === 'grpc');
  return {
    server,
    otlpUrl: `http://127.0.0.1:${http?.port}`,
    grpcAddress: `127.0.0.1:${grpc?.port}`,
    apiUrl: `http://127.0.0.1:${server.api.port}`,
    dataDir: dir,
    async stop({ keepData = false } = {}) {
      await server.close();
      if (!keepData) await temp?.remove();
    },
  };
}

export interface ChildTracehouse {
  child: ChildProcess;
  otlpUrl: string;
  /** host:port of the OTLP/gRPC receiver, '' when none listens. */
  grpcAddress: string;
  apiUrl: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

/** `tracehouse` as a separate process (for signals and kill -9), on free ports. */
export async function startChild(args: string[], env: Record<string, string> = {}): Promise<ChildTracehouse> {
  const child = spawn(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', path.join(repoRoot, 'src/main.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const urls = await new Promise<{ otlpUrl: string; apiUrl: string }>((resolve, reject) => {
    let otlpUrl = '';
    let apiUrl = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      otlpUrl ||= /OTLP\/HTTP receiver listening url=(\S+)/.exec(stderr)?.[1] ?? '';
      apiUrl ||= /query API listening url=(\S+)/.exec(stderr)?.[1] ?? '';
      if (otlpUrl && apiUrl && stderr.includes('storage ready')) resolve({ otlpUrl, apiUrl });
    });
    void exited.then((code) => reject(new Error(`tracehouse exited (${code}) before listening:\n${stderr}`)));
  });
  return {
    child,
    grpcAddress: (/OTLP\/gRPC receiver listening endpoint=(\S+)/.exec(stderr)?.[1] ?? '').replace('0.0.0.0', '127.0.0.1'),
    otlpUrl: urls.otlpUrl.replace('0.0.0.0', '127.0.0.1'),
    apiUrl: urls.apiUrl.replace('0.0.0.0', '127.0.0.1'),
    stderr: () => stderr,
    exited,
  };
}

/** Stops a child: SIGTERM (clean) or SIGKILL, and waits for it to exit. */
export async function stopChild(th: ChildTracehouse, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<number | string> {
  if (th.child.exitCode === null && th.child.signalCode === null) th.child.kill(signal);
  return th.exited;
}

/** Polls `check` until it returns a value, for data that lands asynchronously (e.g. forwarded). */
export async function eventually<T>(check: () => Promise<T | undefined>, attempts = 100, delayMs = 100): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, delayMs));
  }
  throw new Error('condition not met in time');
}

export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url);
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}
