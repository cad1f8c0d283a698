import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { createQueryApi } from '../src/api/query-api.ts';
import { silentLogger } from '../src/lib/log.ts';
import { openStore } from '../src/storage/store.ts';
import { bigTrace } from './big-trace.ts';

// The trace view's tree endpoint for large traces: each trace written through the
// real writer into a temporary embedded store, then GET /api/v1/traces/{id}/tree
// in-process (app.request). Prints wall time (median of --runs), the storage read
// alone, response bytes and gzipped bytes; writes bench/results/trace-tree.json.
//
//   node --import tsx bench/trace-tree-bench.ts [--spans 1000,10000,100000] [--runs 3]

const { values } = parseArgs({ options: { spans: { type: 'string', default: '1000,10000,100000' }, runs: { type: 'string', default: '3' } } });
const sizes = values.spans!.split(',').map(Number);
const runs = Number(values.runs);

const dir = await mkdtemp(path.join(os.tmpdir(), 'tracehouse-tree-bench-'));
const store = await openStore({ dataDir: dir });
const results: Record<string, unknown>[] = [];
try {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const app = createQueryApi({ reader: store.reader, logger: silentLogger });
  for (const spans of sizes) {
    const { traceId, batches } = bigTrace(spans, nowNs - 60_000_000_000n);
    for (const b of batches) await store.writer.writeTraces(b);
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const readMs: number[] = [];
    const totalMs: number[] = [];
    let body = '';
    for (let r = 0; r < runs; r++) {
      let t = performance.now();
      await store.reader.traceTreeSpans(traceId);
      readMs.push(performance.now() - t);
      t = performance.now();
      const res = await app.request(`/api/v1/traces/${traceId}/tree`);
      body = await res.text();
      totalMs.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`tree answered ${res.status}: ${body.slice(0, 200)}`);
    }
    const parsed = JSON.parse(body) as { spanCount: number };
    if (parsed.spanCount !== spans) throw new Error(`tree has ${parsed.spanCount} spans, wrote ${spans}`);
    const row = {
      spans,
      treeEndpointMs: Math.round(median(totalMs)),
      storageReadMs: Math.round(median(readMs)),
      bytes: Buffer.byteLength(body),
      gzipBytes: gzipSync(body).length,
      bytesPerSpan: Math.round(Buffer.byteLength(body) / spans),
    };
    results.push(row);
    console.log(
      `${String(spans).padStart(7)} spans: tree endpoint ${row.treeEndpointMs} ms (storage read ${row.storageReadMs} ms), ` +
        `${(row.bytes / 1e6).toFixed(2)} MB, ${(row.gzipBytes / 1e6).toFixed(2)} MB gzipped (${row.bytesPerSpan} B/span)`,
    );
  }
  // The machine is shared: figures scale with the load beside the benchmark.
  console.log(`load average (1 min) ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs`);
  await mkdir(path.join(import.meta.dirname, 'results'), { recursive: true });
  await writeFile(
    path.join(import.meta.dirname, 'results', 'trace-tree.json'),
    `${JSON.stringify({ date: new Date().toISOString(), cpus: os.cpus().length, loadAverage1m: os.loadavg()[0], runs, results }, null, 2)}\n`,
  );
} finally {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
