import os from 'node:os';
import { createQueryApi } from '../src/api/query-api.ts';
import { silentLogger } from '../src/lib/log.ts';
import { metricWindowSql } from '../src/storage/metric-window-sql.ts';
import { openStoreWithInternals } from '../src/storage/store.ts';
import { QUERY, SAMPLE_INTERVAL_MS, DAY_MS, STEP_S } from './promql-dataset.ts';

// Where the time of bench/promql-bench.ts's query goes, on a data directory that
// bench kept (`KEEP_DIR=/tmp/x npm run bench:promql`, then
// `node --import tsx bench/promql-profile.ts /tmp/x [runs]`). Per run: the whole
// request through the query API, the time of each reader call inside it, and the
// window statement alone (its text from chDB, JSON.parse of that text, and the same
// statement with its output reduced to one number), with the CPU time of the
// process (chDB runs in it) beside each wall time. chDB keeps no system.query_log,
// hence the process clock. The range is the data's own: its last point is the end.

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: bench/promql-profile.ts <data dir kept by KEEP_DIR=... npm run bench:promql> [runs]');
const runs = Number(process.argv[3] ?? 5);
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await f();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: performance.now() - t, cpuMs: (used.user + used.system) / 1000 };
}
const fmt = (x: { wallMs: number; cpuMs: number }) => `${x.wallMs.toFixed(0)} ms (CPU ${x.cpuMs.toFixed(0)})`;

const { store, internals } = await openStoreWithInternals({ dataDir });
const read = internals.connections.read;
try {
  const last = await read.query({ query: 'SELECT toUnixTimestamp64Milli(max(Timestamp)) AS m FROM metric_points', format: 'JSONEachRow' });
  const endMs = Number(((await last.json()) as Array<{ m: string }>)[0]?.m ?? 0);
  const startMs = endMs - DAY_MS + SAMPLE_INTERVAL_MS;
  const params = new URLSearchParams({ query: QUERY, start: String(startMs / 1000), end: String(endMs / 1000), step: String(STEP_S) });
  const steps = Math.floor((endMs - startMs) / (STEP_S * 1000)) + 1;
  const statement = metricWindowSql({
    metricNames: ['http.server.request.duration'], value: 'bucket', matchers: [], func: 'rate',
    firstEndMs: startMs, stepMs: STEP_S * 1000, steps, rangeMs: 300_000, sumBy: ['http_route'],
  });

  // Every reader call of the request, timed (wall, summed per method).
  const callMs = new Map<string, number>();
  const reader = store.reader as unknown as Record<string, unknown>;
  for (const [name, f] of Object.entries(reader)) {
    if (typeof f !== 'function') continue;
    reader[name] = async (...args: unknown[]) => {
      const t = performance.now();
      try {
        return await (f as (...a: unknown[]) => Promise<unknown>).apply(store.reader, args);
      } finally {
        callMs.set(name, (callMs.get(name) ?? 0) + performance.now() - t);
      }
    };
  }
  const app = createQueryApi({ reader: store.reader, logger: silentLogger });

  for (let i = 0; i < runs; i++) {
    callMs.clear();
    const whole = await timed(async () => (await app.request(`/api/v1/query_range?${params}`)).text());
    const calls = [...callMs].map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', ');
    const text = await timed(async () => (await read.query({ query: statement.sql, query_params: statement.params.values, format: 'JSONCompactEachRow' })).text());
    const parse = await timed(async () => text.value.trim().split('\n').map((line) => JSON.parse(line) as unknown));
    const noOutput = await timed(async () =>
      (await read.query({ query: `SELECT sum(length(Totals)) FROM (${statement.sql})`, query_params: statement.params.values, format: 'JSONCompactEachRow' })).text(),
    );
    console.log(
      `run ${i + 1}: request ${fmt(whole)} [${calls}]; statement ${fmt(text)} (${(text.value.length / 1e6).toFixed(2)} MB), ` +
        `parse ${fmt(parse)}, statement without output ${fmt(noOutput)}; load average ${load()}`,
    );
  }
} finally {
  await store.close();
}
