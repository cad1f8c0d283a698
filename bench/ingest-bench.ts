import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openConnections } from '../src/storage/connection.ts';
import { freePortArgs, getJson, repoRoot, startChild, tempDir } from '../test/helpers/tracehouse.ts';

// `npm run bench`: Tracehouse in one process, the load generator in another, on
// this machine. Prints and writes bench/results/ingest.json with sustained spans/s,
// request latency p50/p99, the server's peak RSS, whether every acknowledged span
// is queryable, and bytes on disk per span once ClickHouse has merged the parts.

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    'spans-per-request': { type: 'string', default: '512' },
    concurrency: { type: 'string', default: '16' },
  },
});

const data = await tempDir('tracehouse-bench-');
const server = await startChild([...freePortArgs, '--data-dir', data.dir]);
try {
  const cpuStart = await processCpuSeconds(server.child.pid!);
  let peakRssBytes = 0;
  const sampler = setInterval(() => {
    void readFile(`/proc/${server.child.pid}/status`, 'utf8').then(
      (status) => {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peakRssBytes = Math.max(peakRssBytes, kb * 1024);
      },
      () => {},
    );
  }, 100);

  const load = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'bench/load-generator.ts'), '--url', server.otlpUrl,
      '--requests', values.requests!, '--spans-per-request', values['spans-per-request']!, '--concurrency', values.concurrency!],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  load.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => load.once('exit', resolve));
  clearInterval(sampler);
  const serverCpuSeconds = (await processCpuSeconds(server.child.pid!)) - cpuStart;
  if (code !== 0) throw new Error(`load generator failed (${code})`);
  const result = JSON.parse(out) as {
    acknowledgedSpans: number; elapsedS: number; failures: number; retries: number;
    bytesPerSpanOnWire: number; latencyMs: { p50: number; p99: number; max: number };
  };

  // Nothing lost: every acknowledged span must be queryable right away.
  const services = await getJson(`${server.apiUrl}/api/v1/services?start=0`);
  const storedSpans = services.body.services.reduce((n: number, s: { spanCount: number }) => n + s.spanCount, 0);

  server.child.kill('SIGTERM');
  await server.exited;
  const disk = await bytesOnDisk(data.dir);

  const figures = {
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    spansPerSecond: Math.round(result.acknowledgedSpans / result.elapsedS),
    acknowledgedSpans: result.acknowledgedSpans,
    storedSpans,
    lost: result.acknowledgedSpans - storedSpans,
    failedRequests: result.failures,
    retriedRequests: result.retries,
    elapsedS: Number(result.elapsedS.toFixed(2)),
    requestLatencyMs: { p50: round(result.latencyMs.p50), p99: round(result.latencyMs.p99), max: round(result.latencyMs.max) },
    peakRssMiB: round(peakRssBytes / 1048576),
    // CPU the server used (all threads, the embedded ClickHouse included) per span:
    // steadier than spans/s when the machine is shared.
    serverCpuMicrosPerSpan: round((serverCpuSeconds * 1e6) / result.acknowledgedSpans),
    bytesPerSpanOnWire: round(result.bytesPerSpanOnWire),
    bytesOnDiskPerSpan: round(disk.spanTableBytes / storedSpans),
    bytesOnDiskPerSpanAllTables: round(disk.allBytes / storedSpans),
    spansPerRequest: Number(values['spans-per-request']),
    concurrency: Number(values.concurrency),
  };
  await mkdir(path.join(repoRoot, 'bench/results'), { recursive: true });
  await writeFile(path.join(repoRoot, 'bench/results/ingest.json'), JSON.stringify(figures, null, 2) + '\n');
  console.log(JSON.stringify(figures, null, 2));
  if (figures.lost !== 0) process.exitCode = 1;
} finally {
  server.child.kill('SIGKILL');
  await data.remove();
}

/** Merges all parts (as ClickHouse eventually would) and sums their size on disk. */
async function bytesOnDisk(dataDir: string): Promise<{ spanTableBytes: number; allBytes: number }> {
  const connections = await openConnections({ dataDir, maxQuerySeconds: 600, insertConnections: 1 });
  const client = connections.write;
  try {
    const tables = await (
      await client.query({ query: "SELECT database, name FROM system.tables WHERE database = 'tracehouse' AND engine LIKE '%MergeTree'", format: 'JSONEachRow' })
    ).json<{ database: string; name: string }>();
    for (const t of tables) await client.command({ query: `OPTIMIZE TABLE \`${t.database}\`.\`${t.name}\` FINAL` });
    const rows = await (
      await client.query({
        query: "SELECT table, sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = 'tracehouse' AND active GROUP BY table",
        format: 'JSONEachRow',
      })
    ).json<{ table: string; bytes: string }>();
    const allBytes = rows.reduce((n, r) => n + Number(r.bytes), 0);
    const spanTableBytes = Number(rows.find((r) => r.table === 'spans')?.bytes ?? 0);
    return { spanTableBytes, allBytes };
  } finally {
    await connections.close();
  }
}

/** utime + stime of a process, all threads, from /proc/<pid>/stat. */
async function processCpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100; // USER_HZ is 100 on Linux
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
