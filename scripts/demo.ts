import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startPaymentApi } from './lib/payment-api.ts';
import type { InstrumentationMode, OtlpProtocol } from './lib/payment-api.ts';
import { ensureVenv, fastapiExampleDir } from './lib/python-venv.ts';
import { portOrAny, startTracehouseProcess } from './lib/tracehouse-process.ts';

// npm run demo [-- --mode zero-code --protocol grpc --rate 10 --free-ports]
//
// Tracehouse, the seed's FastAPI payment-api exporting to it, and a load driver,
// in one command. Creates the Python venv on the first run. Ctrl-C stops the load,
// then the app (which flushes its telemetry), then Tracehouse, in that order: each
// runs in its own process group so the terminal's SIGINT reaches only this script.

const usage = `usage: npm run demo -- [options]
  --mode programmatic|zero-code    how the app is instrumented (default programmatic)
  --protocol http/protobuf|grpc    OTLP transport from the app (default http/protobuf)
  --rate N                         load: requests per second (default 5)
  --free-ports                     use free ports instead of 4317, 4318, 8080 and 8000
  --venv DIR                       Python venv to create or reuse (default examples/fastapi-payment-api/.venv)
  --data-dir DIR                   keep Tracehouse's data here (default: a temporary directory, removed at exit)`;

const host = '127.0.0.1';
const children: ChildProcess[] = [];
let tempDir: string | undefined;

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Lines of `text` with a prefix, for output passed through from a child. */
function prefixed(prefix: string) {
  let partial = '';
  return (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) say(`${prefix}${line}`);
  };
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string', default: 'programmatic' },
      protocol: { type: 'string', default: 'http/protobuf' },
      rate: { type: 'string', default: '5' },
      'free-ports': { type: 'boolean', default: false },
      venv: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    say(usage);
    return 0;
  }
  const mode = values.mode as InstrumentationMode;
  const protocol = values.protocol as OtlpProtocol;
  const rate = Number(values.rate);
  if (!['programmatic', 'zero-code'].includes(mode)) throw new UsageError(`--mode: expected programmatic or zero-code, got ${mode}`);
  if (!['http/protobuf', 'grpc'].includes(protocol)) throw new UsageError(`--protocol: expected http/protobuf or grpc, got ${protocol}`);
  if (!(rate > 0)) throw new UsageError(`--rate: expected a number > 0, got ${values.rate}`);

  const venv = await ensureVenv({
    dir: values.venv === undefined ? path.join(fastapiExampleDir, '.venv') : path.resolve(values.venv),
    log: (text) => process.stdout.write(text),
  });

  const port = async (wanted: number, what: string) => {
    if (values['free-ports']) return 0;
    const got = await portOrAny(host, wanted);
    if (got === 0) say(`port ${wanted} (${what}) is busy; using a free one`);
    return got;
  };
  const [grpcPort, httpPort, apiPort, appPort] = [
    await port(4317, 'OTLP/gRPC'),
    await port(4318, 'OTLP/HTTP'),
    await port(8080, 'query API'),
    await port(8000, 'payment-api'),
  ];

  tempDir = await mkdtemp(path.join(os.tmpdir(), 'tracehouse-demo-'));
  const dataDir = values['data-dir'] === undefined ? path.join(tempDir, 'data') : path.resolve(values['data-dir']);
  say('starting Tracehouse...');
  const th = await startTracehouseProcess({ host, grpcPort, httpPort, apiPort, dataDir, detached: true });
  children.push(th.child);

  say(`starting the FastAPI payment-api (${mode}, OTLP ${protocol})...`);
  const app = await startPaymentApi({
    venv,
    mode,
    protocol,
    otlpEndpoint: protocol === 'grpc' ? th.otlpGrpcUrl : th.otlpHttpUrl,
    port: appPort,
    // Short, so what the load does shows up within seconds (the SDK defaults are 5 s and 60 s).
    exportIntervalMs: 2000,
    detached: true,
  });
  children.push(app.child);

  const load = spawn(venv.bin('python'), ['load.py', '--url', app.url, '--rate', String(rate)], {
    cwd: fastapiExampleDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(load);
  load.stdout.on('data', (chunk: Buffer) => process.stdout.write(chunk));
  load.stderr.on('data', prefixed('load: '));

  const api = th.apiUrl;
  const q = (query: string) => `${api}${query}`;
  const ui = await fetch(`${api}/`).then(
    (r) => (r.ok && (r.headers.get('content-type') ?? '').includes('text/html') ? `${api}/` : undefined),
    () => undefined,
  );
  say(`
Tracehouse    OTLP/gRPC ${th.otlpGrpcUrl}   OTLP/HTTP ${th.otlpHttpUrl}   API ${api}
payment-api   ${app.url}  (FastAPI, ${mode} instrumentation, OTLP ${protocol}; try ${app.url}/docs)
load          ${rate} requests/s: payments in six currencies, some slow, some declined; item lookups; health checks
${ui === undefined ? '' : `\nWeb UI        ${ui}\n`}
Open:
  ${q('/api/v1/services')}
  ${q('/api/v1/traces?service=payment-api')}
  ${q('/api/v1/traces?service=payment-api&spanName=payment.charge&status=error')}   declined charges
  ${q('/api/v1/traces?service=payment-api&spanName=payment.charge&minDuration=250ms')}   slow charges
  ${q('/api/v1/traces?service=payment-api&attr=payment.currency=EUR')}
  ${q('/api/v1/logs?service=payment-api&minSeverity=warn')}
  ${q('/api/v1/metrics')}
  ${q('/api/v1/metrics/payments.processed/points?limit=4')}
  ${q('/api/v1/metrics/http.server.request.duration/points?attr=http.route=/payments&limit=2')}
  ${q('/api/v1/traces/')}<traceId>   one trace;   ${q('/api/v1/logs?traceId=')}<traceId>   its logs

Press Ctrl-C to stop.
`);

  // A trace to open, once the first ones are stored.
  const sample = setTimeout(() => {
    void fetch(q('/api/v1/traces?service=payment-api&spanName=payment.charge&status=error&limit=1'))
      .then((r) => r.json() as Promise<{ traces?: { traceId: string }[] }>)
      .then((body) => {
        const id = body.traces?.[0]?.traceId;
        if (id !== undefined) say(`a declined payment: ${q(`/api/v1/traces/${id}`)}\n  its logs:        ${q(`/api/v1/logs?traceId=${id}`)}`);
      })
      .catch(() => undefined);
  }, 15_000);

  const reason = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('interrupted'));
    process.once('SIGTERM', () => resolve('terminated'));
    void th.exited.then((code) => resolve(`Tracehouse exited (${code})`));
    void app.exited.then((code) => resolve(`the payment-api exited (${code}):\n${app.output().slice(-3000)}`));
    load.once('exit', (code) => resolve(`the load driver exited (${code})`));
  });
  clearTimeout(sample);
  const clean = reason === 'interrupted' || reason === 'terminated';
  say(`\n${reason}; stopping the load, then the app (flushing its telemetry), then Tracehouse...`);
  await stopProcess(load, 'SIGINT', 5_000);
  await app.stop(15_000);
  await stopProcess(th.child, 'SIGTERM', 15_000);
  say('stopped.');
  return clean ? 0 : 1;
}

class UsageError extends Error {}

/** Last resort: no detached child outlives this script. */
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

main()
  .then(
    (code) => code,
    (error: unknown) => {
      process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
      if (error instanceof UsageError) process.stderr.write(`${usage}\n`);
      return 1;
    },
  )
  .then(async (code) => {
    // After a failure, whatever was started is stopped too, newest first.
    for (const child of [...children].reverse()) await stopProcess(child, 'SIGTERM', 10_000);
    if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
    process.exit(code);
  });
