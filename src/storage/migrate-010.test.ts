import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { ClickHouseClient } from '@clickhouse/client';
import type { LogsData } from '../pdata/model.ts';
import { openStoreWithInternals } from './store.ts';
import { hex, logRecord, MS, nowNs, resource, SECOND, span, str, traces } from './testdata/telemetry.ts';

// Migration 010 (bucketed attribute maps) on a data directory as the release
// before it left it: the settings are in place, the key and 006's merge setting
// are kept, and every row reads back through trace by id, search and logs by trace
// id, before and after its parts merge into the new serialization.

async function tableInfo(client: ClickHouseClient): Promise<Map<string, { key: string; create: string }>> {
  const rs = await client.query({
    query: `SELECT name, sorting_key, create_table_query FROM system.tables WHERE database = currentDatabase()`,
    format: 'JSONEachRow',
  });
  const rows = await rs.json<{ name: string; sorting_key: string; create_table_query: string }>();
  return new Map(rows.map((r) => [r.name, { key: r.sorting_key, create: r.create_table_query }]));
}

test('010 buckets the attribute maps of spans and logs; every row reads back, before and after a merge', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracehouse-migrate-010-'));
  try {
    const t0 = nowNs() - 30n * 60n * SECOND;
    const traceIds = [hex(16), hex(16), hex(16)];
    // Three traces minutes apart (three buckets after the migration, one before).
    const data = traces(resource('payment-api'), traceIds.flatMap((traceId, i) => {
      const start = t0 + BigInt(i) * 2n * 60n * SECOND;
      const rootId = hex(8);
      return [
        span({ traceId, spanId: rootId, name: 'POST /payments', kind: 2, startTimeUnixNano: start, endTimeUnixNano: start + 30n * MS }),
        span({ traceId, parentSpanId: rootId, name: 'payment.validate', startTimeUnixNano: start + MS, endTimeUnixNano: start + 2n * MS,
          attributes: [str('payment.currency', i === 1 ? 'USD' : 'EUR')] }),
      ];
    }));
    const logs: LogsData = {
      resourceLogs: [{
        resource: resource('payment-api'),
        scopeLogs: [{ scope: { name: 'app', version: '', attributes: [], droppedAttributesCount: 0 },
          logRecords: traceIds.map((traceId, i) => logRecord({ timeUnixNano: t0 + BigInt(i) * 2n * 60n * SECOND + MS, traceId, body: { type: 'string', value: `charged ${i}` } })),
          schemaUrl: '' }],
        schemaUrl: '',
      }],
    };

    const old = await openStoreWithInternals({ dataDir: dir }, { migrateThrough: 9 });
    assert.equal((await tableInfo(old.internals.connections.write)).get('spans')?.key, 'ServiceName, toStartOfTenMinutes(Timestamp), TraceId');
    await old.store.writer.writeTraces(data);
    await old.store.writer.writeLogs(logs);
    await old.store.close();

    const opened = await openStoreWithInternals({ dataDir: dir });
    try {
      assert.deepStrictEqual(opened.internals.appliedMigrations.filter((v) => v >= 10).slice(0, 1), [10]);
      const after = await tableInfo(opened.internals.connections.write);
      for (const table of ['spans', 'logs']) {
        assert.equal(after.get(table)?.key, 'ServiceName, toStartOfTenMinutes(Timestamp), TraceId', table);
        assert.match(after.get(table)!.create, /index_granularity = 2048/, table);
        assert.match(after.get(table)!.create, /merge_selector_base = 10/, table);
        assert.match(after.get(table)!.create, /map_serialization_version = 'with_buckets'/, table);
        assert.match(after.get(table)!.create, /TTL /, `${table}: retention is applied to the new table`);
      }

      const readsBack = async () => {
        for (const traceId of traceIds) assert.equal((await opened.store.reader.getTrace(traceId))?.resourceSpans[0]?.scopeSpans[0]?.spans.length, 2);
        const found = await opened.store.reader.searchTraces({
          startNs: t0 - SECOND, endNs: t0 + 10n * 60n * SECOND, service: 'payment-api', attributes: [{ key: 'payment.currency', op: '=', value: 'EUR' }], limit: 5,
        });
        assert.deepStrictEqual(found.map((t) => t.traceId), [traceIds[2], traceIds[0]]);
        for (const [i, traceId] of traceIds.entries()) {
          const stored = await opened.store.reader.searchLogs({ startNs: t0 - SECOND, endNs: t0 + 10n * 60n * SECOND, traceId, attributes: [], limit: 5 });
          assert.deepStrictEqual(stored.map((l) => l.record.body), [{ type: 'string', value: `charged ${i}` }]);
        }
      };
      await readsBack();
      // Written after the migration, then merged with the older part: the merged part is bucketed.
      await opened.store.writer.writeTraces(traces(resource('payment-api'), [span({ traceId: hex(16), name: 'GET /health', startTimeUnixNano: t0 })]));
      for (const table of ['spans', 'logs']) await opened.internals.connections.write.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
      await readsBack();
    } finally {
      await opened.store.close();
    }

    const again = await openStoreWithInternals({ dataDir: dir });
    try {
      assert.deepStrictEqual(again.internals.appliedMigrations, []);
    } finally {
      await again.store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
