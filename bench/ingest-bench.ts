import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../test/helpers/tracehouse.ts';
import { benchUsage, parseBenchArgs, parseBenchOptions } from './bench-options.ts';
import { figuresTable } from './figures-table.ts';
import { machineInfo, machineLine } from './proc-stats.ts';
import { runTracehouse } from './tracehouse-bench.ts';

// `npm run bench`: issue 9's benchmark of Tracehouse in one run (bench/
// tracehouse-bench.ts has the phases): ingest at 16 in flight, bytes on disk per
// span after merges, then 10 million spans loaded and the query latencies. Prints
// one table and writes bench/results/ingest.json. `npm run bench -- --help` lists
// the options; `--total-spans 300000 --measure-s 10` is a quick run.

const { values } = parseBenchArgs();
if (values.help === true) {
  console.log(benchUsage);
  process.exit(0);
}
const options = parseBenchOptions(values);
const started = performance.now();
const loadAverageAtStart = os.loadavg();
const figures = await runTracehouse(options);
const totalS = Math.round((performance.now() - started) / 1000);

const machine = await machineInfo();
const result = {
  // The fields earlier versions of this file had, for comparisons across commits.
  machine,
  spansPerSecond: figures.ingest.spansPerSecond,
  acknowledgedSpans: figures.ingest.acknowledgedSpans,
  storedSpans: figures.ingest.storedSpans,
  lost: figures.ingest.lost,
  failedRequests: figures.ingest.failedRequests,
  retriedRequests: figures.ingest.retriedRequests,
  elapsedS: figures.ingest.measuredS,
  requestLatencyMs: figures.ingest.ackLatencyMs,
  peakRssMiB: figures.ingest.peakRssMiB,
  serverCpuMicrosPerSpan: figures.ingest.serverCpuMicrosPerSpan,
  bytesPerSpanOnWire: figures.ingest.bytesPerSpanOnWire,
  bytesOnDiskPerSpan: figures.disk?.bytesPerSpan ?? null,
  bytesOnDiskPerSpanAllTables: figures.disk?.bytesPerSpanAllTables ?? null,
  spansPerRequest: options.spansPerRequest,
  concurrency: options.concurrency,
  // Everything else.
  options,
  figures,
  loadAverage: { atStart: loadAverageAtStart.map((n) => Math.round(n * 100) / 100), atEnd: os.loadavg().map((n) => Math.round(n * 100) / 100) },
  totalS,
  measuredAt: new Date().toISOString(),
};
await mkdir(path.join(repoRoot, 'bench/results'), { recursive: true });
await writeFile(path.join(repoRoot, 'bench/results/ingest.json'), JSON.stringify(result, null, 2) + '\n');

console.log(figuresTable([figures]));
console.log(
  `\n${options.spansPerRequest} spans a request, fresh trace ids, ${options.concurrency} in flight, ${options.warmupS} s warm-up + ${options.measureS} s measured; ` +
    `queries: ${options.queryWarmup} warm-up runs discarded, p50/p95 of ${options.queryRuns}.`,
);
if (figures.load !== null) console.log(`loading ${figures.load.sentSpans.toLocaleString('en-US')} spans took ${figures.load.seconds} s.`);
console.log(`server CPU by thread in the measured window (s): ${JSON.stringify(figures.ingest.serverCpuSecondsByThread)}`);
console.log(machineLine(machine));
console.log(`load average (1, 5, 15 min) at start ${result.loadAverage.atStart.join(', ')}, at end ${result.loadAverage.atEnd.join(', ')}; whole run ${totalS} s; bench/results/ingest.json written.`);
const broken = [figures.ingest.lost, figures.load?.lost, figures.ingestIdentity.mismatchedTraces, figures.loadIdentity?.mismatchedTraces]
  .some((n) => n !== null && n !== undefined && n !== 0);
if (broken) {
  console.log(`NOT EVERY ACKNOWLEDGED SPAN CAME BACK AS SENT: ${figures.ingestIdentity.firstMismatch ?? figures.loadIdentity?.firstMismatch ?? 'see lost'}`);
  process.exitCode = 1;
}
