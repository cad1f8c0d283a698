import path from 'node:path';
import { freePortArgs, getJson, repoRoot, startChild, stopChild, tempDir } from '../test/helpers/tracehouse.ts';
import type { ChildTracehouse } from '../test/helpers/tracehouse.ts';
import type { BenchOptions } from './bench-options.ts';
import { checkIdentity, ingestFigures, ingestPhase, loadPhase, mib, run, settle, shuffled } from './bench-phases.ts';
import type { SystemFigures } from './bench-phases.ts';
import type { ExpectedSpan } from './otlp-template.ts';
import { analysisPhase } from './analysis-phase.ts';
import { promqlPhase } from './promql-phase.ts';
import { round, timeQuery } from './query-timing.ts';

// Tracehouse through the phases of `npm run bench`, as a user runs it: `tracehouse`
// in its own process (embedded chDB, a fresh data directory), fed over OTLP/HTTP
// and read through the query API only.
//   1. ingest at `concurrency` in flight (warm-up, then the measured window);
//      every acknowledged span must be queryable, and a sample of acknowledged
//      traces fetched by id must be exactly the spans sent;
//   2. stop, merge every table (bench/disk-usage.ts), bytes on disk per span;
//   3. restart on the same directory, load up to `totalSpans` spread over
//      `spreadH` hours with logs, check again;
//   4. query latencies.

const hourMs = 3_600_000;
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

export async function runTracehouse(options: BenchOptions): Promise<SystemFigures> {
  const data = await tempDir('tracehouse-bench-');
  let server: ChildTracehouse | undefined;
  try {
    const start = () => startChild([...freePortArgs, '--data-dir', data.dir]);
    server = await start();
    log(`tracehouse: ingest, ${options.concurrency} in flight, ${options.warmupS} s warm-up + ${options.measureS} s measured`);
    const ingest = await ingestPhase(server.otlpUrl, server.child.pid!, options, path.join(data.dir, 'ingest-sample.json'));
    const api = () => server!.apiUrl;
    const afterIngest = await storedSpans(api());
    const figures: SystemFigures = {
      system: 'tracehouse',
      ingest: ingestFigures(ingest.result, ingest.peakRssBytes, afterIngest),
      ingestIdentity: await checkIdentity(ingest.sample, (id) => fetchTrace(api(), id)),
      disk: null,
      load: null,
      loadIdentity: null,
      queries: {},
    };

    await stopChild(server);
    log('tracehouse: merging every table (OPTIMIZE FINAL) for bytes on disk');
    const disk = JSON.parse(await run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench/disk-usage.ts'), data.dir])) as {
      optimizeS: number; tables: { table: string; bytes: number; rows: number; parts: number }[];
    };
    const spansTable = disk.tables.find((t) => t.table === 'spans');
    const allBytes = disk.tables.reduce((n, t) => n + t.bytes, 0);
    figures.disk = spansTable === undefined || spansTable.rows === 0 ? null : {
      bytesPerSpan: round(spansTable.bytes / spansTable.rows),
      bytesPerSpanAllTables: round(allBytes / spansTable.rows),
      mergeS: round(disk.optimizeS),
      detail: disk.tables,
    };

    server = await start();
    const toLoad = Math.max(0, options.totalSpans - ingest.result.acknowledgedSpans);
    let queryIds = ingest.sample.queryIds;
    let logTraceIds: string[] = [];
    if (toLoad > 0) {
      log(`tracehouse: loading ${toLoad} spans over ${options.spreadH} h of timestamps, ${options.loadConcurrency} in flight`);
      const load = await loadPhase(server.otlpUrl, server.child.pid!, toLoad, options, path.join(data.dir, 'load-sample.json'), true);
      const stored = await storedSpans(api());
      figures.load = {
        sentSpans: load.result.acknowledgedSpans,
        storedSpans: stored,
        lost: stored === null ? null : ingest.result.acknowledgedSpans + load.result.acknowledgedSpans - stored,
        acknowledgedLogs: load.result.acknowledgedLogs,
        seconds: round(load.seconds),
        spansPerSecond: Math.round(load.result.acknowledgedSpans / load.seconds),
        peakRssMiB: mib(load.peakRssBytes),
        failedRequests: load.result.failures + load.result.logFailures,
        settleS: 0,
      };
      log(`tracehouse: loaded in ${figures.load.seconds} s (${figures.load.spansPerSecond} spans/s)`);
      figures.loadIdentity = await checkIdentity(load.sample, (id) => fetchTrace(api(), id));
      figures.load.settleS = await settle(server.child.pid!);
      log(`tracehouse: background merges settled after ${figures.load.settleS} s`);
      queryIds = [...queryIds, ...load.sample.queryIds];
      logTraceIds = load.sample.logTraceIds;
    }

    log('tracehouse: queries');
    const q = { warmup: options.queryWarmup, runs: options.queryRuns };
    const ids = shuffled(queryIds);
    const dayAgoMs = () => Date.now() - 24 * hourMs;
    const searchCheck = (body: unknown) => ((body as { traces: unknown[] }).traces.length > 0 ? undefined : 'no traces found');
    const searches = {
      searchLastHour: `service=payment-api&attr=payment.currency%3DEUR&limit=20`,
      search24h: `service=payment-api&attr=payment.currency%3DEUR&limit=20&start=`,
      searchNoService24h: `attr=payment.currency%3DEUR&limit=20&start=`,
    };
    figures.queries.traceById = await timeQuery(
      (i) => `${api()}/api/v1/traces/${ids[i % ids.length]}`,
      (body) => (spansOf(body).length > 0 ? undefined : 'no spans'),
      { ...q, label: 'tracehouse traceById' },
    );
    for (const [name, query] of Object.entries(searches)) {
      figures.queries[name] = await timeQuery(
        () => `${api()}/api/v1/traces?${query}${query.endsWith('start=') ? dayAgoMs() : ''}`,
        searchCheck,
        { ...q, label: `tracehouse ${name}` },
      );
    }
    const logIds = shuffled(logTraceIds);
    figures.queries.logsByTraceId = logIds.length === 0 ? null : await timeQuery(
      (i) => `${api()}/api/v1/logs?traceId=${logIds[i % logIds.length]}&start=${dayAgoMs() - hourMs}`,
      (body) => ((body as { logs: unknown[] }).logs.length > 0 ? undefined : 'no logs'),
      { ...q, label: 'tracehouse logsByTraceId' },
    );
    log('tracehouse: root-cause analyses (breakdown, compare) over the last day');
    Object.assign(figures.queries, await analysisPhase(api(), q));
    log('tracehouse: PromQL phase (24 h of 1,000 bucket series, then the p95-per-route range query)');
    figures.metrics = await promqlPhase(server.otlpUrl, api(), q, server.child.pid!);
    figures.queries.promqlRange = figures.metrics.query;
    return figures;
  } finally {
    if (server !== undefined) await stopChild(server, options.keepData ? 'SIGTERM' : 'SIGKILL');
    if (options.keepData) log(`tracehouse: data kept in ${data.dir}`);
    else await data.remove();
  }
}

/** Spans the query API holds (every service, all time), or null when it cannot say. */
async function storedSpans(apiUrl: string): Promise<number | null> {
  const services = await getJson(`${apiUrl}/api/v1/services?start=0&end=${Date.now() + 24 * hourMs}`);
  if (services.status !== 200) return null;
  return (services.body.services as { spanCount: number }[]).reduce((n, s) => n + s.spanCount, 0);
}

async function fetchTrace(apiUrl: string, traceId: string): Promise<ExpectedSpan[] | undefined> {
  const response = await getJson(`${apiUrl}/api/v1/traces/${traceId}`);
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw new Error(`trace ${traceId}: HTTP ${response.status}`);
  return spansOf(response.body);
}

function spansOf(body: unknown): ExpectedSpan[] {
  const data = body as { resourceSpans: { scopeSpans: { spans: ExpectedSpan[] }[] }[] };
  return data.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ spanId: s.spanId, name: s.name }))));
}
