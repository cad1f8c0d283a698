import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startJaeger } from '../test/jaeger/jaeger-process.ts';
import type { RunningJaeger } from '../test/jaeger/jaeger-process.ts';
import type { BenchOptions } from './bench-options.ts';
import { checkIdentity, ingestFigures, ingestPhase, loadPhase, mib, settle, shuffled } from './bench-phases.ts';
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
    jaeger = await startJaeger(binary, { store: 'badger', dataDir });
    log(`jaeger: ingest, ${options.concurrency} in flight, ${options.warmupS} s warm-up + ${options.measureS} s measured`);
    const ingest = await ingestPhase(jaeger.otlpUrl, jaeger.pid, options, path.join(dir, 'ingest-sample.json'));
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
    await jaeger.stop();
    const bytes = await diskBytes(dataDir);
    figures.disk = { bytesPerSpan: round(bytes / ingest.result.acknowledgedSpans), bytesPerSpanAllTables: round(bytes / ingest.result.acknowledgedSpans), mergeS: 0, detail: { bytesAfterIngest: bytes } };

    jaeger = await startJaeger(binary, { store: 'badger', dataDir });
    const toLoad = Math.max(0, options.totalSpans - ingest.result.acknowledgedSpans);
    let queryIds = ingest.sample.queryIds;
    if (toLoad > 0) {
      log(`jaeger: loading ${toLoad} spans over ${options.spreadH} h of timestamps, ${options.loadConcurrency} in flight`);
      const load = await loadPhase(jaeger.otlpUrl, jaeger.pid, toLoad, options, path.join(dir, 'load-sample.json'), false);
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
      figures.load.settleS = await settle(jaeger.pid);
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
    await jaeger.stop();
    const storedSpans = ingest.result.acknowledgedSpans + (figures.load?.sentSpans ?? 0);
    figures.disk.detail = { bytesAfterIngest: bytes, bytesAfterLoad: await diskBytes(dataDir), spansAfterLoad: storedSpans };
    return figures;
  } finally {
    if (jaeger !== undefined) await jaeger.stop('SIGKILL');
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
