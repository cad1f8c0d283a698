import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePorts } from '../collector/collector-process.ts';
import { repoRoot } from '../helpers/tracehouse.ts';

// A real Jaeger v2 (v1.76.0, built by scripts/jaeger/build.sh into .cache/go-bin,
// reused once built), every listener on 127.0.0.1 and a free port. The oracle
// tests (test/jaeger/) run its memory store; `npm run bench:peers`
// (bench/jaeger-bench.ts) its Badger store in a data directory it owns.

export interface RunningJaeger {
  otlpUrl: string;
  queryUrl: string;
  pid: number;
  /** Stops it (SIGTERM lets Badger write its memtables out) and waits for the exit. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export interface JaegerOptions {
  /** scripts/jaeger/config-<store>.yaml */
  store: 'memory' | 'badger';
  /** The Badger store's directory (JAEGER_DATA_DIR in config-badger.yaml). */
  dataDir?: string;
}

/**
 * Builds Jaeger once (cached under .cache/) and returns the binary's path. 20 min:
 * a cold build took 7 min here with the machine busy; the build's progress (on
 * stderr) is buffered, hence the large maxBuffer.
 */
export async function jaegerBinary(): Promise<string> {
  const { stdout } = await promisify(execFile)(path.join(repoRoot, 'scripts/jaeger/build.sh'), [], { timeout: 1_200_000, maxBuffer: 64 * 1024 * 1024 });
  const binary = /^jaeger=(.+)$/m.exec(stdout)?.[1];
  if (binary === undefined) throw new Error(`scripts/jaeger/build.sh printed no jaeger=PATH:\n${stdout}`);
  return binary;
}

/** Starts Jaeger and resolves once both its query API and its OTLP/HTTP receiver answer. */
export async function startJaeger(binary: string, options: JaegerOptions): Promise<RunningJaeger> {
  const [otlp, queryHttp, queryGrpc, health] = (await freePorts(4)) as [number, number, number, number];
  const child = spawn(binary, ['--config', path.join(repoRoot, `scripts/jaeger/config-${options.store}.yaml`)], {
    env: {
      ...process.env,
      ...(options.dataDir === undefined ? {} : { JAEGER_DATA_DIR: options.dataDir }),
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
  const jaeger: RunningJaeger = {
    otlpUrl: `http://127.0.0.1:${otlp}`,
    queryUrl: `http://127.0.0.1:${queryHttp}`,
    pid: child.pid!,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  // 60 s, the bench's bound before the two launchers became one (it reopens Badger on a day of spans).
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`jaeger exited (${child.exitCode}) before listening:\n${stderr}`);
    const ok = await fetch(`${jaeger.queryUrl}/api/services`).then((r) => r.ok, () => false);
    const receiving = ok && (await fetch(`${jaeger.otlpUrl}/v1/traces`, { method: 'POST' }).then(() => true, () => false));
    if (receiving) return jaeger;
    await new Promise((r) => setTimeout(r, 200));
  }
  await jaeger.stop('SIGKILL');
  throw new Error(`jaeger did not answer on ${jaeger.queryUrl} within 60 s:\n${stderr}`);
}
