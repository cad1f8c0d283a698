import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createQueryApi } from '../src/api/query-api.ts';
import { silentLogger } from '../src/lib/log.ts';
import { openStore } from '../src/storage/index.ts';
import { repoRoot, tempDir } from '../test/helpers/tracehouse.ts';
import { settle } from './bench-phases.ts';
import { BOUNDS, BUCKET_SERIES, INSTANCES, POINTS_PER_SERIES, QUERY, ROUTES, STEP_S, TARGET_MS, dataRange, metricsBatch, queryRangeParams } from './promql-dataset.ts';

// npm run bench:promql (issue 10, part 6), in one process without HTTP: metric
// data points ingested per second through the store writer (group commit,
// embedded chDB), and the latency of the query
//   histogram_quantile(0.95, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket[5m])))
// as a range query over 24 h at a 60 s step, over 1,000 `_bucket` series at 15 s
// resolution (bench/promql-dataset.ts), through the query API's app.request().
// Target < 500 ms. Prints the figures with the load average and writes
// bench/results/promql.json. `npm run bench` runs the same data and query
// against the server over OTLP/HTTP and HTTP (bench/promql-phase.ts).

const TIMES_PER_WRITE = 40;
const WRITES_IN_FLIGHT = 4;
const QUERY_RUNS = Number(process.env.QUERY_RUNS ?? 5);
const loadAverage = () => os.loadavg().map((n) => n.toFixed(2)).join(', ');

const dir = process.env.KEEP_DIR ? { dir: process.env.KEEP_DIR, remove: async () => {} } : await tempDir('tracehouse-promql-bench-');
const store = await openStore({ dataDir: dir.dir });
try {
  const loadAtStart = os.loadavg();
  const range = dataRange();
  const ingestStart = performance.now();
  let next = 0;
  let points = 0;
  const worker = async () => {
    while (next < POINTS_PER_SERIES) {
      const from = next;
      const count = Math.min(TIMES_PER_WRITE, POINTS_PER_SERIES - from);
      next += count;
      await store.writer.writeMetrics(metricsBatch(range.startMs, from, count));
      points += count * ROUTES * INSTANCES;
    }
  };
  await Promise.all(Array.from({ length: WRITES_IN_FLIGHT }, worker));
  const ingestS = (performance.now() - ingestStart) / 1000;
  const pointsPerS = points / ingestS;
  console.log(`ingest: ${points} histogram points (${points * (BOUNDS.length + 1)} bucket samples) in ${ingestS.toFixed(1)} s: ${Math.round(pointsPerS)} points/s`);
  // As `npm run bench` does (promql-phase.ts): the merges of a day of points that
  // arrived in seconds finish before the queries are timed. chDB runs in this process.
  const settleS = await settle(process.pid);
  console.log(`quiet after ${settleS} s`);

  const app = createQueryApi({ reader: store.reader, logger: silentLogger });
  const params = queryRangeParams(range);
  const latenciesMs: number[] = [];
  let seriesOut = 0;
  for (let i = 0; i < QUERY_RUNS; i++) {
    const t = performance.now();
    const res = await app.request(`/api/v1/query_range?${params}`);
    const body = (await res.json()) as { status: string; data: { result: Array<{ values: unknown[] }> } };
    latenciesMs.push(performance.now() - t);
    if (body.status !== 'success') throw new Error(JSON.stringify(body));
    seriesOut = body.data.result.length;
    console.log(`  run ${i + 1}: ${latenciesMs.at(-1)!.toFixed(0)} ms (load average ${loadAverage()})`);
  }
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  const p95 = sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))] ?? Number.NaN;
  console.log(
    `query_range (24 h, ${STEP_S} s step, ${seriesOut} result series): ${latenciesMs.map((l) => l.toFixed(0)).join(', ')} ms; ` +
      `median ${median.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms (target < ${TARGET_MS} ms); load average (1, 5, 15 min) ${loadAverage()}`,
  );
  const result = {
    measuredAt: new Date().toISOString(),
    machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown'}; shared with other work while measured`,
    loadAverage: { atStart: loadAtStart, atEnd: os.loadavg() },
    ingest: { histogramPoints: points, bucketSamples: points * (BOUNDS.length + 1), seconds: ingestS, pointsPerSecond: pointsPerS, settleS },
    query: { query: QUERY, rangeHours: 24, stepSeconds: STEP_S, bucketSeries: BUCKET_SERIES, resultSeries: seriesOut, latenciesMs, medianMs: median, p95Ms: p95, targetMs: TARGET_MS },
  };
  await mkdir(path.join(repoRoot, 'bench/results'), { recursive: true });
  await writeFile(path.join(repoRoot, 'bench/results/promql.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await store.close();
  await dir.remove();
}
