import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { repoRoot } from './python-venv.ts';

// Tracehouse as its own process, the way a user starts it (`npm start`), for the
// demo. Ports and readiness are read from its start-up log.

export interface TracehouseProcess {
  child: ChildProcess;
  /** http://host:port of the OTLP/HTTP receiver. */
  otlpHttpUrl: string;
  /** http://host:port of the OTLP/gRPC receiver (the form OTEL_EXPORTER_OTLP_ENDPOINT takes). */
  otlpGrpcUrl: string;
  apiUrl: string;
  exited: Promise<number | string>;
}

export interface TracehouseProcessOptions {
  host: string;
  grpcPort: number;
  httpPort: number;
  apiPort: number;
  dataDir: string;
  /** Everything Tracehouse logs. */
  onOutput?: (text: string) => void;
  /** In its own process group: a Ctrl-C in the terminal reaches only the parent, which stops things in order. */
  detached?: boolean;
}

export async function startTracehouseProcess(options: TracehouseProcessOptions): Promise<TracehouseProcess> {
  const { host } = options;
  const args = [
    '--import', 'tsx', path.join(repoRoot, 'src/main.ts'),
    '--otlp-grpc-host', host, '--otlp-grpc-port', String(options.grpcPort),
    '--otlp-http-host', host, '--otlp-http-port', String(options.httpPort),
    '--api-host', host, '--api-port', String(options.apiPort),
    '--data-dir', options.dataDir,
  ];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  let log = '';
  const found = await new Promise<Omit<TracehouseProcess, 'child' | 'exited'>>((resolve, reject) => {
    const take = (chunk: Buffer) => {
      const text = chunk.toString();
      log += text;
      options.onOutput?.(text);
      const http = /OTLP\/HTTP receiver listening url=(\S+)/.exec(log)?.[1];
      const grpc = /OTLP\/gRPC receiver listening endpoint=(\S+)/.exec(log)?.[1];
      const api = /query API listening url=(\S+)/.exec(log)?.[1];
      if (http && grpc && api && log.includes('storage ready')) {
        resolve({ otlpHttpUrl: http, otlpGrpcUrl: `http://${grpc}`, apiUrl: api });
      }
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    void exited.then((code) => reject(new Error(`tracehouse exited (${code}) before it was ready:\n${log.slice(-4000)}`)));
  });
  return { child, exited, ...found };
}

/** `port` when nothing listens on it at `host`, else 0 (any free port). */
export function portOrAny(host: string, port: number): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(0));
    probe.listen(port, host, () => probe.close(() => resolve(port)));
  });
}
