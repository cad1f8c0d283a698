import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { ClickHouseClient } from '@clickhouse/client';
import type { LogsData } from '../pdata/model.ts';
import { openStoreWithInternals } from './store.ts';
import { hex, logRecord, MS, nowNs, resource, SECOND, span, str, traces } from './testdata/telemetry.ts';

// Migration 005 (spans and logs re-sorted by trace id, trace_id_ts dropped) on a
// data directory as the release before it left it: the data written then reads
// back the same, through trace by id, search and logs by trace id.

async function tables(client: ClickHouseClient): Promise<Map<string, string>> {
  const rs = await client.query({
    query: `SELECT name, sorting_key FROM system.tables WHERE database = currentDatabase()`,
    format: 'JSONEachRow',
  });
  return new Map((await rs.json<{ name: string; sorting_key: string }>()).map((r) => [r.name, r.sorting_key]));
}

async function skipIndexes(client: ClickHouseClient): Promise<string[]> {
  const rs = await client.query({
    query: `SELECT table, name FROM system.data_skipping_indices WHERE database = currentDatabase() AND table IN ('spans', 'logs') ORDER BY table, name`,
    format: 'JSONEachRow',
  });
  return (await rs.json<{ table: string; name: string }>()).map((r) => `${r.table}.${r.name}`);
}

test('005 re-sorts spans and logs of an existing data directory, keeping every row', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracehouse-migrate-005-'));
  try {
    const t0 = nowNs() - 60n * SECOND;
    const traceId = hex(16);
    const rootId = hex(8);
    const data = traces(resource('payment-api'), [
      span({ traceId, spanId: rootId, name: 'POST /payments', kind: 2, startTimeUnixNano: t0, endTimeUnixNano: t0 + 30n * MS }),
      span({ traceId, parentSpanId: rootId, name: 'payment.validate', startTimeUnixNano: t0 + MS, endTimeUnixNano: t0 + 2n * MS,
        attributes: [str('payment.currency', 'EUR')] }),
    ]);
    const logs: LogsData = {
      resourceLogs: [{
        resource: resource('payment-api'),
        scopeLogs: [{ scope: { name: 'app', version: '', attributes: [], droppedAttributesCount: 0 },
          logRecords: [logRecord({ timeUnixNano: t0 + MS, traceId, spanId: rootId, body: { type: 'string', value: 'charged' } })], schemaUrl: '' }],
        schemaUrl: '',
      }],
    };

    const old = await openStoreWithInternals({ dataDir: dir }, { migrateThrough: 4 });
    assert.deepStrictEqual(old.internals.appliedMigrations, [1, 2, 3, 4]);
    const before = await tables(old.internals.connections.write);
    assert.equal(before.get('spans'), 'ServiceName, SpanName, toDateTime(Timestamp)');
    assert.ok(before.has('trace_id_ts'));
    await old.store.writer.writeTraces(data);
    await old.store.writer.writeLogs(logs);
    await old.store.close();

    const opened = await openStoreWithInternals({ dataDir: dir });
    try {
      assert.ok(opened.internals.appliedMigrations.includes(5));
      const after = await tables(opened.internals.connections.write);
      assert.equal(after.get('spans'), 'ServiceName, toStartOfTenMinutes(Timestamp), TraceId');
      assert.equal(after.get('logs'), 'ServiceName, toStartOfTenMinutes(Timestamp), TraceId');
      for (const gone of ['trace_id_ts', 'trace_id_ts_mv', 'spans_005', 'logs_005']) assert.ok(!after.has(gone), gone);
      const indexes = await skipIndexes(opened.internals.connections.write);
      assert.deepStrictEqual(indexes, ['logs.idx_body', 'logs.idx_trace_id', 'spans.idx_trace_id']);

      const trace = await opened.store.reader.getTrace(traceId);
      assert.deepStrictEqual(trace, await roundTripped(data));
      const found = await opened.store.reader.searchTraces({
        startNs: t0 - SECOND, endNs: t0 + SECOND, service: 'payment-api', attributes: [{ key: 'payment.currency', op: '=', value: 'EUR' }], limit: 5,
      });
      assert.deepStrictEqual(found.map((t) => [t.traceId, t.spanCount]), [[traceId, 2]]);
      const stored = await opened.store.reader.searchLogs({ startNs: t0 - SECOND, endNs: t0 + SECOND, traceId, attributes: [], limit: 5 });
      assert.deepStrictEqual(stored.map((l) => l.record.body), [{ type: 'string', value: 'charged' }]);
      // Written after the migration: lands in the new table.
      const later = hex(16);
      await opened.store.writer.writeTraces(traces(resource('payment-api'), [span({ traceId: later, name: 'GET /health', startTimeUnixNano: t0 + MS })]));
      assert.equal((await opened.store.reader.getTrace(later))?.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.name, 'GET /health');
    } finally {
      await opened.store.close();
    }

    // Opening again applies nothing and changes nothing.
    const again = await openStoreWithInternals({ dataDir: dir });
    try {
      assert.deepStrictEqual(again.internals.appliedMigrations, []);
      assert.equal((await again.store.reader.getTrace(traceId))?.resourceSpans[0]?.scopeSpans[0]?.spans.length, 2);
    } finally {
      await again.store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** What getTrace gives for `data`: the same spans, in start order. */
async function roundTripped(data: ReturnType<typeof traces>): Promise<ReturnType<typeof traces>> {
  const rs = data.resourceSpans[0]!;
  const ss = rs.scopeSpans[0]!;
  return { resourceSpans: [{ ...rs, scopeSpans: [{ ...ss, spans: [...ss.spans].sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1)) }] }] };
}
