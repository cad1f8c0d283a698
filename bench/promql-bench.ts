import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createQueryApi } from '../src/api/query-api.ts';
import { silentLogger } from '../src/lib/log.ts';
import type { HistogramDataPoint, KeyValue, MetricsData } from '../src/pdata/model.ts';
import { openStore } from '../src/storage/index.ts';
import { repoRoot, tempDir } from '../test/helpers/tracehouse.ts';

// npm run bench:promql (issue 10, part 6): metric data points ingested per
// second through the store writer (group commit, embedded chDB), and the
// latency of the query
//   histogram_quantile(0.95, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket[5m])))
// as a range query over 24 h at a 60 s step, over 1,000 `_bucket` series at
// 15 s resolution: 10 routes x 10 instances = 100 OTLP histogram series of 10
// buckets each (5.76 M bucket samples, 576,000 OTLP points). Target < 500 ms.
// Prints the figures and writes bench/results/promql.json.

const ROUTES = 10;
const INSTANCES = 10;
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const STEP_MS = 15_000;
const DAY_MS = 86_400_000;
const POINTS_PER_SERIES = DAY_MS / STEP_MS;
const TIMES_PER_WRITE = 40;
const WRITES_IN_FLIGHT = 4;
const QUERY_RUNS = Number(process.env.QUERY_RUNS ?? 3);
const TARGET_MS = 500;

const str = (key: string, value: string): KeyValue => ({ key, value: { type: 'string', value } });

function batch(startMs: number, fromIndex: number, count: number): MetricsData {
  return {
    resourceMetrics: Array.from({ length: INSTANCES }, (_x, inst) => {
      const points: HistogramDataPoint[] = [];
      for (let r = 0; r < ROUTES; r++) {
        for (let k = fromIndex; k < fromIndex + count; k++) {
          const counts = BOUNDS.map((_b, b) => BigInt(k * ((b + r + inst) % 4)));
          counts.push(BigInt(k));
          const total = counts.reduce((a, b) => a + b, 0n);
          points.push({
            attributes: [str('http.route', `/route/${r}`), str('http.request.method', 'GET')],
            startTimeUnixNano: BigInt(startMs - 1000) * 1_000_000n,
            timeUnixNano: BigInt(startMs + k * STEP_MS) * 1_000_000n,
            count: total,
            sum: Number(total) * 0.12,
            bucketCounts: counts,
            explicitBounds: BOUNDS,
            exemplars: [],
            flags: 0,
            min: undefined,
            max: undefined,
          });
        }
      }
      return {
        resource: { attributes: [str('service.name', 'shop'), str('service.instance.id', `i-${inst}`)], droppedAttributesCount: 0 },
        scopeMetrics: [
          {
            scope: { name: 'bench', version: '', attributes: [], droppedAttributesCount: 0 },
            metrics: [{ name: 'http.server.request.duration', description: '', unit: 's', metadata: [], data: { type: 'histogram', aggregationTemporality: 2, dataPoints: points } }],
            schemaUrl: '',
          },
        ],
        schemaUrl: '',
      };
    }),
  };
}

const dir = process.env.KEEP_DIR ? { dir: process.env.KEEP_DIR, remove: async () => {} } : await tempDir('tracehouse-promql-bench-');
const store = await openStore({ dataDir: dir.dir });
try {
  const endMs = Math.floor(Date.now() / 60_000) * 60_000;
  const startMs = endMs - DAY_MS + STEP_MS;
  const ingestStart = performance.now();
  let next = 0;
  let points = 0;
  const worker = async () => {
    while (next < POINTS_PER_SERIES) {
      const from = next;
      const count = Math.min(TIMES_PER_WRITE, POINTS_PER_SERIES - from);
      next += count;
      await store.writer.writeMetrics(batch(startMs, from, count));
      points += count * ROUTES * INSTANCES;
    }
  };
  await Promise.all(Array.from({ length: WRITES_IN_FLIGHT }, worker));
  const ingestS = (performance.now() - ingestStart) / 1000;
  const pointsPerS = points / ingestS;
  console.log(`ingest: ${points} histogram points (${points * (BOUNDS.length + 1)} bucket samples) in ${ingestS.toFixed(1)} s: ${Math.round(pointsPerS)} points/s`);

  const app = createQueryApi({ reader: store.reader, logger: silentLogger });
  const query = 'histogram_quantile(0.95, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket[5m])))';
  const params = new URLSearchParams({ query, start: String(startMs / 1000), end: String(endMs / 1000), step: '60' });
  const latenciesMs: number[] = [];
  let seriesOut = 0;
  for (let i = 0; i < QUERY_RUNS; i++) {
    const t = performance.now();
    const res = await app.request(`/api/v1/query_range?${params}`);
    const body = (await res.json()) as { status: string; data: { result: Array<{ values: unknown[] }> } };
    latenciesMs.push(performance.now() - t);
    if (body.status !== 'success') throw new Error(JSON.stringify(body));
    seriesOut = body.data.result.length;
  }
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  console.log(`query_range (24 h, 60 s step, ${seriesOut} result series): ${latenciesMs.map((l) => l.toFixed(0)).join(', ')} ms; median ${median.toFixed(0)} ms (target < ${TARGET_MS} ms)`);
  const result = {
    measuredAt: new Date().toISOString(),
    machine: `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown'}; shared with other work while measured`,
    ingest: { histogramPoints: points, bucketSamples: points * (BOUNDS.length + 1), seconds: ingestS, pointsPerSecond: pointsPerS },
    query: { query, rangeHours: 24, stepSeconds: 60, bucketSeries: ROUTES * INSTANCES * (BOUNDS.length + 1), resultSeries: seriesOut, latenciesMs, medianMs: median, targetMs: TARGET_MS },
  };
  await mkdir(path.join(repoRoot, 'bench/results'), { recursive: true });
  await writeFile(path.join(repoRoot, 'bench/results/promql.json'), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await store.close();
  await dir.remove();
}
