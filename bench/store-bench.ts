import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeTracesProto, encodeTracesProto } from '../src/pdata/index.ts';
import type { TracesData } from '../src/pdata/model.ts';
import { encodeSpans } from '../src/storage/span-encoder.ts';
import { openStoreWithInternals } from '../src/storage/store.ts';
import { seedBatch } from './seed-spans.ts';

// The storage write path alone: seed-shaped spans (about ten attributes each,
// service payment-api, the seed's span names) written through TelemetryWriter in
// batches of 512 with many writes in flight, as the receiver has under load
// (64 x 512 spans in flight by default: group commit needs about two groups'
// worth in flight to overlap encoding with inserting). Prints spans/s for each
// insert route, and the process's CPU per span (steadier than wall time on a
// shared machine), and writes bench/results/store.json.
//
//   node --import tsx bench/store-bench.ts [--spans 300000] [--batch 512] [--concurrency 64] [--route raw,client]
//     [--max-rows N] [--wait-ms N] [--inserts N]   (group commit settings, for tuning)

const { values } = parseArgs({
  options: {
    spans: { type: 'string', default: '300000' },
    batch: { type: 'string', default: '512' },
    concurrency: { type: 'string', default: '64' },
    route: { type: 'string', default: 'raw,client' },
    'max-rows': { type: 'string' },
    'wait-ms': { type: 'string' },
    inserts: { type: 'string' },
  },
});
const totalSpans = Number(values.spans);
const batchSize = Number(values.batch);
const concurrency = Number(values.concurrency);
const routes = values.route!.split(',') as ('raw' | 'client')[];

// A pool of distinct batches, cycled: generating spans is not what is measured.
// Decoded from protobuf, as the receiver hands them over: the encoder's cost
// depends on the strings being fresh ones (the string encoder cost twice as much
// on decoded spans as on the generator's literals).
const nowNs = BigInt(Date.now()) * 1_000_000n;
const pool: TracesData[] = [];
for (let i = 0; i < 40; i++) pool.push(decodeTracesProto(encodeTracesProto(seedBatch(batchSize, nowNs - BigInt(i) * 1_000_000_000n, i * batchSize))));

/** CPU µs a span after a warm-up (the first rounds are the JIT's). */
function encodeCost(): number {
  const rounds = 400;
  for (let i = 0; i < 100; i++) encodeSpans(pool[i % pool.length]!);
  const cpu = process.cpuUsage();
  for (let i = 0; i < rounds; i++) encodeSpans(pool[i % pool.length]!);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / (rounds * batchSize);
}

async function run(route: 'raw' | 'client') {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracehouse-store-bench-'));
  const { store, internals } = await openStoreWithInternals(
    {
      dataDir: dir,
      ...(values['max-rows'] === undefined ? {} : { groupCommitMaxRows: Number(values['max-rows']) }),
      ...(values['wait-ms'] === undefined ? {} : { groupCommitWaitMs: Number(values['wait-ms']) }),
    },
    { insertRoute: route, ...(values.inserts === undefined ? {} : { insertConnections: Number(values.inserts) }) },
  );
  try {
    for (let i = 0; i < 4; i++) await store.writer.writeTraces(pool[i]!); // warm-up
    const insertsBefore = internals.committer.insertCount;
    const batches = Math.ceil(totalSpans / batchSize);
    const latencies: number[] = [];
    let next = 0;
    const cpuBefore = process.cpuUsage();
    const start = performance.now();
    const worker = async () => {
      while (next < batches) {
        // Each write starts from its own event-loop turn, as requests arriving
        // on sockets do; without this, every writer released by one insert
        // resubmits in the same microtask burst and the run measures lockstep.
        await new Promise((resolve) => setImmediate(resolve));
        const data = pool[next++ % pool.length]!;
        const t = performance.now();
        await store.writer.writeTraces(data);
        latencies.push(performance.now() - t);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const elapsedS = (performance.now() - start) / 1000;
    // The process's CPU (event loop plus the engine's threads), which other load
    // on a shared machine disturbs far less than wall time.
    const cpu = process.cpuUsage(cpuBefore);
    const inserts = internals.committer.insertCount - insertsBefore;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!);
    return {
      route,
      spans: batches * batchSize,
      elapsedS: Number(elapsedS.toFixed(2)),
      spansPerSecond: Math.round((batches * batchSize) / elapsedS),
      inserts,
      rowsPerInsert: Math.round((batches * batchSize) / inserts),
      cpuMicrosPerSpan: Number(((cpu.user + cpu.system) / (batches * batchSize)).toFixed(1)),
      cpuCoresUsed: Number(((cpu.user + cpu.system) / 1e6 / elapsedS).toFixed(2)),
      writeLatencyMs: { p50: pct(0.5), p99: pct(0.99) },
    };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const encodeMicrosPerSpan = Number(encodeCost().toFixed(2));
console.log(`encode: ${encodeMicrosPerSpan} µs/span; load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const results = [];
for (const route of routes) {
  const r = await run(route);
  console.log(
    `${route}: ${r.spansPerSecond} spans/s (${r.spans} spans in ${r.elapsedS} s, ${r.inserts} inserts of ~${r.rowsPerInsert} rows, ` +
      `write p50 ${r.writeLatencyMs.p50} ms p99 ${r.writeLatencyMs.p99} ms; ${r.cpuMicrosPerSpan} µs CPU a span, ${r.cpuCoresUsed} cores)`,
  );
  results.push(r);
}
const out = path.join(import.meta.dirname, 'results');
await mkdir(out, { recursive: true });
await writeFile(
  path.join(out, 'store.json'),
  `${JSON.stringify({ totalSpans, batchSize, concurrency, cpus: os.cpus().length, loadAverage: os.loadavg(), encodeMicrosPerSpan, results }, null, 2)}\n`,
);
