import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createChdbConnection } from 'chdb/connection';
import { decodeTracesProto, encodeTracesProto } from '../src/pdata/index.ts';
import { encodeSpans, SPAN_COLUMNS } from '../src/storage/span-encoder.ts';
import { openStoreWithInternals } from '../src/storage/store.ts';
import { seedBatch } from './seed-spans.ts';

// The engine's side of ingest alone: pre-encoded groups of seed-shaped spans
// inserted into the `spans` table of a fresh store (its migrations applied) the way
// the group committer sends them, on two write connections; prints the process CPU
// (every engine thread; no encoding counted) per row for the inserts and for the
// merges they cause, and the parts left. Used for migration 006 and the insert
// settings in docs/ARCHITECTURE.md ("Write path: what was measured").
//
//   node --import tsx bench/insert-cost-bench.ts [--rows-per-insert 4096] [--inserts 400]
//     [--pace 70000]          rows/s with merges running, as under load (0: merges
//                             stopped while inserting, then run: one merge pass)
//     [--table-setting k=v]   ALTER TABLE spans MODIFY SETTING k=v first (repeatable)
//     [--insert-setting k=v]  a setting of every insert (repeatable)
//     [--parse-only]          into a Null-engine copy of spans: the parse alone
//     [--route raw|infile]    chDB's raw insert, or the payload written to a file and
//                             INSERT ... FROM INFILE (measured, not kept: ARCHITECTURE "Write path")

const { values } = parseArgs({
  options: {
    'rows-per-insert': { type: 'string', default: '4096' },
    inserts: { type: 'string', default: '400' },
    pace: { type: 'string', default: '70000' },
    'table-setting': { type: 'string', multiple: true, default: [] },
    'insert-setting': { type: 'string', multiple: true, default: [] },
    'parse-only': { type: 'boolean', default: false },
    route: { type: 'string', default: 'raw' },
  },
});
const rowsPerInsert = Number(values['rows-per-insert']);
const inserts = Number(values.inserts);
const pace = Number(values.pace);
const pairs = (list: string[]) => Object.fromEntries(list.map((kv) => kv.split('=') as [string, string]));
const insertSettings = pairs(values['insert-setting']);
const route = values.route;
const table = values['parse-only'] ? 'spans_parse_only' : 'spans';

const dir = await mkdtemp(path.join(os.tmpdir(), 'tracehouse-insert-cost-'));
const { store } = await openStoreWithInternals({ dataDir: dir });
const connections = [createChdbConnection({ path: dir }), createChdbConnection({ path: dir })];
const sql = async (query: string) => (await connections[0]!.chdb.queryAsync(query, { format: 'JSONEachRow' })).text();
const count = async (query: string) => Number((JSON.parse(await sql(query)) as { n: string }).n);
try {
  for (const c of connections) await c.chdb.queryAsync('USE tracehouse');
  if (values['parse-only']) await sql(`CREATE TABLE ${table} AS spans ENGINE = Null`);
  for (const [k, v] of Object.entries(pairs(values['table-setting']))) await sql(`ALTER TABLE spans MODIFY SETTING ${k} = ${v}`);
  // Eight distinct groups, decoded from protobuf as the receiver does, cycled.
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const payloads = Array.from({ length: 8 }, (_, g) =>
    encodeSpans(decodeTracesProto(encodeTracesProto(seedBatch(rowsPerInsert, nowNs - BigInt(g) * 60_000_000_000n, g * rowsPerInsert, { children: 4 })))).payload,
  );
  if (pace === 0) await sql(`SYSTEM STOP MERGES ${table}`);
  const insertCpu = process.cpuUsage();
  const startMs = performance.now();
  let next = 0;
  await Promise.all(
    connections.map(async (c) => {
      while (next < inserts) {
        const i = next++;
        const waitMs = pace === 0 ? 0 : startMs + (i * rowsPerInsert * 1000) / pace - performance.now();
        if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
        const values = payloads[i % payloads.length]!;
        if (route === 'infile') {
          const file = path.join(dir, `spool-${connections.indexOf(c)}.json`);
          await writeFile(file, values);
          const settings = Object.entries(insertSettings).map(([k, v]) => `${k} = ${v}`).join(', ');
          await c.chdb.queryAsync(`INSERT INTO tracehouse.${table} (${SPAN_COLUMNS.join(', ')}) ${settings === '' ? '' : `SETTINGS ${settings} `}FROM INFILE '${file}' FORMAT JSONCompactEachRow`);
        } else {
          await c.chdb.rawInsert({ table: `tracehouse.${table}`, columns: SPAN_COLUMNS, values, format: 'JSONCompactEachRow', settings: insertSettings });
        }
      }
    }),
  );
  const insertUsed = process.cpuUsage(insertCpu);
  const insertS = (performance.now() - startMs) / 1000;
  const partsAfterInserts = await count(`SELECT count() AS n FROM system.parts WHERE table = '${table}' AND active`);
  // Then until no merge has run for 3 s.
  if (pace === 0) await sql(`SYSTEM START MERGES ${table}`);
  const mergeCpu = process.cpuUsage();
  for (let quiet = 0, last = -1; quiet < 6; ) {
    await new Promise((r) => setTimeout(r, 500));
    const parts = await count(`SELECT count() AS n FROM system.parts WHERE table = '${table}' AND active`);
    const merging = await count(`SELECT count() AS n FROM system.merges WHERE table = '${table}'`);
    quiet = merging === 0 && parts === last ? quiet + 1 : 0;
    last = parts;
  }
  const mergeUsed = process.cpuUsage(mergeCpu);
  const rows = rowsPerInsert * inserts;
  const perRow = (u: NodeJS.CpuUsage) => Number(((u.user + u.system) / rows).toFixed(2));
  console.log(
    JSON.stringify({
      rowsPerInsert, inserts, pace, route, table, tableSettings: values['table-setting'], insertSettings,
      insertCpuMicrosPerRow: perRow(insertUsed), mergeAfterCpuMicrosPerRow: perRow(mergeUsed),
      rowsPerSecond: Math.round(rows / insertS), partsAfterInserts,
      partsAtEnd: await count(`SELECT count() AS n FROM system.parts WHERE table = '${table}' AND active`),
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(1))),
    }),
  );
} finally {
  for (const c of connections) await c.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
