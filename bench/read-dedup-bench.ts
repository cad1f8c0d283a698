import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { emptyLogRecord } from '../src/pdata/defaults.ts';
import type { LogsData, MetricsData } from '../src/pdata/model.ts';
import { LOG_IDENTITY, LOG_SELECT, storedLogsOf } from '../src/storage/log-reader.ts';
import { POINT_IDENTITY } from '../src/storage/metric-reader.ts';
import { selectRows } from '../src/storage/read-query.ts';
import { QueryParams } from '../src/storage/sql.ts';
import { openStoreWithInternals } from '../src/storage/store.ts';
import { indexedTimeRange } from '../src/storage/trace-range-sql.ts';
import { seedBatch } from './seed-spans.ts';

// What reading a span (log record, data point) stored twice as one costs:
// `node --import tsx bench/read-dedup-bench.ts [--spans 1000000]` writes seed-shaped
// spans (1% of the requests twice), logs and gauge points through the real writer
// into a temporary chDB, then times each read surface with the SQL it had before
// the de-duplication and with the readers as they are now, or an alternative
// that was measured (median of 7 runs each). The reader rows include turning
// rows into the model and the resource lookup, the "before" SQL does not.

const { values } = parseArgs({ options: { spans: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '7' } } });
const spanCount = Number(values.spans);
const runs = Number(values.runs);
const dir = await mkdtemp(path.join(os.tmpdir(), 'tracehouse-dedup-bench-'));
const { store, internals } = await openStoreWithInternals({ dataDir: dir });
const client = internals.connections.read;

const nowNs = BigInt(Date.now()) * 1_000_000n;
const windowNs = 50n * 60n * 1_000_000_000n;
const perWrite = 16_384;
const writes = Math.ceil(spanCount / perWrite);
const t0 = performance.now();
for (let i = 0; i < writes; i++) {
  // Spread over the last 50 minutes, newest first.
  const batch = seedBatch(perWrite, nowNs - (BigInt(i) * windowNs) / BigInt(writes), i * perWrite);
  await store.writer.writeTraces(batch);
  if (i % 100 === 0) await store.writer.writeTraces(batch);
}
const logCount = Math.round(spanCount / 5);
const service = { attributes: [{ key: 'service.name', value: { type: 'string' as const, value: 'payment-api' } }], droppedAttributesCount: 0 };
const scope = { name: 'bench', version: '1', attributes: [], droppedAttributesCount: 0 };
for (let i = 0; i < logCount; i += 10_000) {
  const logs: LogsData = {
    resourceLogs: [{ resource: service, schemaUrl: '', scopeLogs: [{ scope, schemaUrl: '', logRecords: Array.from({ length: 10_000 }, (_, j) => ({
      ...emptyLogRecord(),
      timeUnixNano: nowNs - (BigInt(i + j) * windowNs) / BigInt(logCount),
      observedTimeUnixNano: nowNs,
      severityNumber: 9 + ((i + j) % 3) * 4,
      body: { type: 'string' as const, value: `payment ${i + j} processed for order ${(i + j) * 7}` },
      attributes: [{ key: 'order.id', value: { type: 'int' as const, value: BigInt(i + j) } }],
    })) }] }],
  };
  await store.writer.writeLogs(logs);
}
for (let i = 0; i < logCount; i += 10_000) {
  const points: MetricsData = {
    resourceMetrics: [{ resource: service, schemaUrl: '', scopeMetrics: [{ scope, schemaUrl: '', metrics: [{
      name: 'queue.depth', description: '', unit: '1', metadata: [],
      data: { type: 'gauge', dataPoints: Array.from({ length: 10_000 }, (_, j) => ({
        attributes: [{ key: 'queue', value: { type: 'string' as const, value: `q${(i + j) % 20}` } }],
        startTimeUnixNano: 0n, timeUnixNano: nowNs - (BigInt(i + j) * windowNs) / BigInt(logCount), flags: 0, exemplars: [],
        value: { type: 'int' as const, value: BigInt(i + j) },
      })) },
    }] }] }],
  };
  await store.writer.writeMetrics(points);
}
const loadS = (performance.now() - t0) / 1000;

async function median(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  await run();
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}
const sql = (query: string, params: Record<string, unknown> = {}) => async () => (await client.query({ query, query_params: params, format: 'JSONEachRow' })).json();
const range = { startNs: nowNs - windowNs - 1_000_000_000n, endNs: nowNs + 1_000_000_000n };
const [start, end] = [range.startNs.toString(), range.endNs.toString()];
const bounds = `Timestamp >= fromUnixTimestamp64Nano(toInt64({start:String})) AND Timestamp < fromUnixTimestamp64Nano(toInt64({end:String}))`;

/** searchLogs as it was: the newest rows, copies included, then the same row-to-model step. */
const logsBefore = (text: string, limit: number) => async () => {
  const p = new QueryParams();
  const rows = await selectRows<Record<string, unknown>>(
    client,
    `SELECT ${LOG_SELECT} FROM logs WHERE Timestamp >= ${p.bindNs(range.startNs)} AND Timestamp < ${p.bindNs(range.endNs)}
      ${text === '' ? '' : `AND lowerUTF8(Body) LIKE ${p.bind('String', `%${text}%`)}`} ORDER BY Timestamp DESC LIMIT ${p.bind('UInt32', limit)}`,
    p,
    undefined,
  );
  return storedLogsOf(client, rows, undefined);
};
/** metricPoints' statement as it was, and as newest-distinct.ts wraps it now. */
const pointsSql = (dedup: boolean) => {
  const inner = (limit: number) => `SELECT *, toString(Kind) AS KindName FROM metric_points WHERE MetricName = 'queue.depth' AND ${bounds} ORDER BY Timestamp DESC LIMIT ${limit}`;
  return dedup
    ? sql(`SELECT * FROM (SELECT *, count() OVER () AS FetchedRows FROM (${inner(2000)})) ORDER BY Timestamp DESC LIMIT 1 BY ${POINT_IDENTITY} LIMIT 1000`, { start, end })
    : sql(inner(1000), { start, end });
};
const logsSql = (dedup: boolean, text: string, limit: number) =>
  sql(`SELECT ${LOG_SELECT} FROM logs WHERE ${bounds}${text === '' ? '' : ` AND lowerUTF8(Body) LIKE '%${text}%'`}
    ORDER BY Timestamp DESC ${dedup ? `LIMIT 1 BY ${LOG_IDENTITY}` : ''} LIMIT ${limit}`, { start, end });
const summaries = (ids: string[], range: string) =>
  sql(`SELECT TraceId, uniqExact(SpanId), uniqExactIf(SpanId, StatusCode = 2), min(Timestamp), max(Timestamp)
    FROM spans WHERE TraceId IN {ids:Array(String)} AND ${range} GROUP BY TraceId`, { ids })();
const oldRange = (condition: string) => `Timestamp >= (SELECT min(Start) FROM trace_id_ts WHERE ${condition})
  AND Timestamp <= (SELECT max(End) FROM trace_id_ts WHERE ${condition})`;
const candidates = async () =>
  ((await sql(`SELECT TraceId, min(Timestamp) AS F FROM spans WHERE ${bounds} AND TraceId != '' GROUP BY TraceId ORDER BY F DESC LIMIT 40`, { start, end })()) as { TraceId: string }[]).map((r) => r.TraceId);
const someIds = await candidates();
const traceSql = (id: string, range: string) =>
  sql(`SELECT * FROM spans WHERE TraceId = {ids:String} AND ${range} ORDER BY Timestamp, SpanId LIMIT 1 BY SpanId`, { ids: id });

const cases: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
  ['services (spanCount)', sql(`SELECT ServiceName, count() FROM spans WHERE ${bounds} GROUP BY ServiceName`, { start, end }),
    () => store.reader.listServices(range)],
  // Alternatives measured for the services count (what listServices runs is the row above).
  ['  alt: uniqExact(TraceId, SpanId)', sql(`SELECT ServiceName, count() FROM spans WHERE ${bounds} GROUP BY ServiceName`, { start, end }),
    sql(`SELECT ServiceName, uniqExact(TraceId, SpanId) FROM spans WHERE ${bounds} GROUP BY ServiceName`, { start, end })],
  ['  alt: count() - duplicate rows', sql(`SELECT ServiceName, count() FROM spans WHERE ${bounds} GROUP BY ServiceName`, { start, end }),
    sql(`SELECT ServiceName, sum(c) FROM (SELECT ServiceName, TraceId, SpanId, 1 AS c FROM spans WHERE ${bounds} LIMIT 1 BY TraceId, SpanId) GROUP BY ServiceName`, { start, end })],
  ['search summaries, 40 traces', () => summaries(someIds, oldRange('TraceId IN {ids:Array(String)}')),
    () => summaries(someIds, indexedTimeRange('TraceId IN {ids:Array(String)}', String(someIds.length)))],
  ['search, whole (20 newest traces)', async () => summaries(await candidates(), oldRange('TraceId IN {ids:Array(String)}')),
    () => store.reader.searchTraces({ ...range, attributes: [], limit: 20 })],
  ['trace by id (found)', () => traceSql(someIds[0]!, oldRange('TraceId = {ids:String}'))(),
    () => traceSql(someIds[0]!, indexedTimeRange('TraceId = {ids:String}', '1'))()],
  ['trace by id (unknown id)', () => traceSql('ab'.repeat(16), oldRange('TraceId = {ids:String}'))(),
    () => traceSql('ab'.repeat(16), indexedTimeRange('TraceId = {ids:String}', '1'))()],
  ['logs, newest 100', logsBefore('', 100), () => store.reader.searchLogs({ ...range, attributes: [], limit: 100 })],
  ['  alt: LIMIT 1 BY over the range', logsSql(false, '', 100), logsSql(true, '', 100)],
  ['logs, newest 1000', logsBefore('', 1000), () => store.reader.searchLogs({ ...range, attributes: [], limit: 1000 })],
  ['logs, q=processed 1000', logsBefore('processed', 1000), () => store.reader.searchLogs({ ...range, text: 'processed', attributes: [], limit: 1000 })],
  ['metric points, 1000 (SQL)', pointsSql(false), pointsSql(true)],
  ['  alt: LIMIT 1 BY over the range', sql(`SELECT * FROM metric_points WHERE MetricName = 'queue.depth' AND ${bounds} ORDER BY Timestamp DESC LIMIT 1000`, { start, end }),
    sql(`SELECT * FROM metric_points WHERE MetricName = 'queue.depth' AND ${bounds} ORDER BY Timestamp DESC LIMIT 1 BY ${POINT_IDENTITY} LIMIT 1000`, { start, end })],
];

process.stdout.write(`${spanCount} spans (1% of writes twice), ${logCount} logs, ${logCount} points written in ${loadS.toFixed(0)} s\n`);
process.stdout.write(`${'read'.padEnd(34)}${'before ms'.padStart(10)}${'now ms'.padStart(10)}\n`);
for (const [name, before, now] of cases) {
  const b = await median(before);
  const n = await median(now);
  process.stdout.write(`${name.padEnd(34)}${b.toFixed(1).padStart(10)}${n.toFixed(1).padStart(10)}\n`);
}
await store.close();
await rm(dir, { recursive: true, force: true });
