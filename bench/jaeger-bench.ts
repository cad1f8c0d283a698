import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../test/helpers/tracehouse.ts';
import type { BenchOptions } from './bench-options.ts';
import { checkIdentity, ingestFigures, ingestPhase, loadPhase, mib, run, settle, shuffled } from './bench-phases.ts';
import type { SystemFigures } from './bench-phases.ts';
import type { ExpectedSpan } from './otlp-template.ts';
import { round, timeQuery } from './query-timing.ts';

// Jaeger v2 with its Badger store through the same phases as Tracehouse
// (bench/tracehouse-bench.ts), for `npm run bench:peers`: built from the module
// source by scripts/jaeger/build.sh, configured by scripts/jaeger/config-badger.yaml
// (free ports, a temporary directory), fed the same OTLP/HTTP requests, read
// through its HTTP query API (/api/traces, the one its UI uses). What Jaeger cannot
// answer stays empty: it has no span count (so "lost" is judged on the sampled
// traces only), no logs, and no search without a service.

const hourMs = 3_600_000;
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

export async function buildJaeger(): Promise<string> {
  const out = await run(path.join(repoRoot, 'scripts/jaeger/build.sh'), []);
  const binary = /^jaeger=(.+)$/m.exec(out)?.[1];
  if (binary === undefined) throw new Error(`scripts/jaeger/build.sh printed no jaeger=PATH:\n${out}`);
  return binary;
}

interface RunningJaeger {
  child: ChildProcess;
  otlpUrl: string;
  queryUrl: string;
  exited: Promise<unknown>;
  stderr(): string;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startJaeger(binary: string, dataDir: string): Promise<RunningJaeger> {
  const [otlp, queryHttp, queryGrpc, health] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const child = spawn(binary, ['--config', path.join(repoRoot, 'scripts/jaeger/config-badger.yaml')], {
    env: {
      ...process.env,
      JAEGER_DATA_DIR: dataDir,
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
  const jaeger = { child, otlpUrl: `http://127.0.0.1:${otlp}`, queryUrl: `http://127.0.0.1:${queryHttp}`, exited, stderr: () => stderr };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`jaeger exited (${child.exitCode}) before listening:\n${stderr}`);
    const ok = await fetch(`${jaeger.queryUrl}/api/services`).then((r) => r.ok, () => false);
    if (ok) return jaeger;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`jaeger did not answer on ${jaeger.queryUrl} within 60 s:\n${stderr}`);
}

async function stopJaeger(jaeger: RunningJaeger, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  if (jaeger.child.exitCode === null && jaeger.child.signalCode === null) jaeger.child.kill(signal);
  await jaeger.exited;
}

/** Bytes a directory takes on disk (allocated blocks: Badger's value log files are sparse while open). */
async function diskBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).blocks * 512;
  }
  return total;
}

export async function runJaeger(options: BenchOptions, binary: string): Promise<SystemFigures> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jaeger-bench-'));
  const dataDir = path.join(dir, 'data');
  let jaeger: RunningJaeger | undefined;
  try {
    jaeger = await startJaeger(binary, dataDir);
    log(`jaeger: ingest, ${options.concurrency} in flight, ${options.warmupS} s warm-up + ${options.measureS} s measured`);
    const ingest = await ingestPhase(jaeger.otlpUrl, jaeger.child.pid!, options, path.join(dir, 'ingest-sample.json'));
    const api = () => jaeger!.queryUrl;
    const figures: SystemFigures = {
      system: 'jaeger',
      ingest: ingestFigures(ingest.result, ingest.peakRssBytes, null),
      ingestIdentity: await checkIdentity(ingest.sample, (id) => fetchTrace(api(), id)),
      disk: null,
      load: null,
      loadIdentity: null,
      queries: {},
    };

    // Badger writes its memtables out on close; no merge step to run.
    await stopJaeger(jaeger);
    const bytes = await diskBytes(dataDir);
    figures.disk = { bytesPerSpan: round(bytes / ingest.result.acknowledgedSpans), bytesPerSpanAllTables: round(bytes / ingest.result.acknowledgedSpans), mergeS: 0, detail: { bytesAfterIngest: bytes } };

    jaeger = await startJaeger(binary, dataDir);
    const toLoad = Math.max(0, options.totalSpans - ingest.result.acknowledgedSpans);
    let queryIds = ingest.sample.queryIds;
    if (toLoad > 0) {
      log(`jaeger: loading ${toLoad} spans over ${options.spreadH} h of timestamps, ${options.loadConcurrency} in flight`);
      const load = await loadPhase(jaeger.otlpUrl, jaeger.child.pid!, toLoad, options, path.join(dir, 'load-sample.json'), false);
      figures.load = {
        sentSpans: load.result.acknowledgedSpans,
        storedSpans: null,
        lost: null,
        acknowledgedLogs: 0,
        seconds: round(load.seconds),
        spansPerSecond: Math.round(load.result.acknowledgedSpans / load.seconds),
        peakRssMiB: mib(load.peakRssBytes),
        failedRequests: load.result.failures,
        settleS: 0,
      };
      log(`jaeger: loaded in ${figures.load.seconds} s (${figures.load.spansPerSecond} spans/s)`);
      figures.loadIdentity = await checkIdentity(load.sample, (id) => fetchTrace(api(), id));
      queryIds = [...queryIds, ...load.sample.queryIds];
      figures.load.settleS = await settle(jaeger.child.pid!);
      log(`jaeger: background compactions settled after ${figures.load.settleS} s`);
    }

    log('jaeger: queries');
    const q = { warmup: options.queryWarmup, runs: options.queryRuns };
    const ids = shuffled(queryIds);
    figures.queries.traceById = await timeQuery(
      (i) => `${api()}/api/traces/${ids[i % ids.length]}`,
      (body) => (((body as JaegerTraces).data[0]?.spans.length ?? 0) > 0 ? undefined : 'no spans'),
      { ...q, label: 'jaeger traceById' },
    );
    const tags = encodeURIComponent(JSON.stringify({ 'payment.currency': 'EUR' }));
    const search = (hours: number) => () => {
      const endUs = Date.now() * 1000;
      return `${api()}/api/traces?service=payment-api&tags=${tags}&limit=20&start=${endUs - hours * hourMs * 1000}&end=${endUs}`;
    };
    const found = (body: unknown) => ((body as JaegerTraces).data.length > 0 ? undefined : 'no traces found');
    figures.queries.searchLastHour = await timeQuery(search(1), found, { ...q, label: 'jaeger searchLastHour' });
    figures.queries.search24h = await timeQuery(search(24), found, { ...q, label: 'jaeger search24h' });
    figures.queries.searchNoService24h = null; // Jaeger's search requires a service
    figures.queries.logsByTraceId = null; // Jaeger stores no logs
    // Bytes on disk for everything stored, too: Badger's fixed costs (memtables
    // written out as level-0 tables, value log headers) weigh less at this size.
    await stopJaeger(jaeger);
    const storedSpans = ingest.result.acknowledgedSpans + (figures.load?.sentSpans ?? 0);
    figures.disk.detail = { bytesAfterIngest: bytes, bytesAfterLoad: await diskBytes(dataDir), spansAfterLoad: storedSpans };
    return figures;
  } finally {
    if (jaeger !== undefined) await stopJaeger(jaeger, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}

interface JaegerTraces {
  data: { traceID: string; spans: { spanID: string; operationName: string }[] }[];
}

async function fetchTrace(queryUrl: string, traceId: string): Promise<ExpectedSpan[] | undefined> {
  const response = await fetch(`${queryUrl}/api/traces/${traceId}`);
  const text = await response.text();
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw new Error(`jaeger trace ${traceId}: HTTP ${response.status}: ${text.slice(0, 200)}`);
  const body = JSON.parse(text) as JaegerTraces;
  return body.data.flatMap((t) => t.spans.map((s) => ({ spanId: s.spanID, name: s.operationName })));
}
