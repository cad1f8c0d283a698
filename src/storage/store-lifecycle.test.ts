import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { ClickHouseClient } from '@clickhouse/client';
import { BackpressureError, StorageUnavailableError } from '../consumer/errors.ts';
import { ident } from './sql.ts';
import { loadMigrations } from './migrate.ts';
import { openStoreWithInternals } from './store.ts';
import { hex, MS, nowNs, resource, span, tempStore, traces } from './testdata/telemetry.ts';

// Opening, reopening, retention, group commit, backpressure, failures, and the
// read/write connection split. Tests run one after another; each closes its store
// before the next opens one (chDB takes one data directory per process at a time).

const oneTrace = (spans = 1) => {
  const traceId = hex(16);
  const t = nowNs();
  return { traceId, data: traces(resource('payment-api'), Array.from({ length: spans }, (_, i) => span({ traceId, name: 'POST /payments', startTimeUnixNano: t + BigInt(i) * MS }))) };
};

async function showCreate(client: ClickHouseClient, table: string): Promise<string> {
  const rows = await (await client.query({ query: `SHOW CREATE TABLE ${ident(table)}`, format: 'JSONEachRow' })).json<{ statement: string }>();
  return rows[0]?.statement ?? '';
}

test('reopening a data directory applies no migration again and keeps the data; retention follows the setting', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracehouse-storage-test-'));
  try {
    const { traceId, data } = oneTrace();
    const first = await openStoreWithInternals({ dataDir: dir, retentionHours: 48 });
    assert.deepStrictEqual(first.internals.appliedMigrations, (await loadMigrations()).map((m) => m.version));
    assert.match(await showCreate(first.internals.connections.write, 'spans'), /TTL toDateTime\(Timestamp\) \+ toIntervalHour\(48\)/);
    for (const table of ['resource_scopes', 'metric_series']) {
      assert.match(await showCreate(first.internals.connections.write, table), /TTL toDateTime\(LastSeen\) \+ toIntervalHour\(72\)/, table);
    }
    assert.match(await showCreate(first.internals.connections.write, 'metric_catalog'), /TTL toDateTime\(Minute\) \+ toIntervalHour\(49\)/);
    await first.store.writer.writeTraces(data);
    await first.store.close();

    const second = await openStoreWithInternals({ dataDir: dir, retentionHours: 1.5 });
    assert.deepStrictEqual(second.internals.appliedMigrations, []);
    for (const table of ['spans', 'logs', 'metric_points']) {
      assert.match(await showCreate(second.internals.connections.write, table), /TTL toDateTime\(\w+\) \+ toIntervalSecond\(5400\)/, table);
    }
    const trace = await second.store.reader.getTrace(traceId);
    assert.equal(trace?.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.traceId, traceId, 'data written before the restart is there');
    await second.store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('concurrent writes are grouped into few inserts, and each resolves once stored', async () => {
  const h = await tempStore({ groupCommitWaitMs: 20 });
  try {
    await h.store.writer.writeTraces(oneTrace().data); // the resource row is now known
    const before = h.internals.committer.insertCount;
    const writes = Array.from({ length: 20 }, () => oneTrace(5));
    await Promise.all(writes.map((w) => h.store.writer.writeTraces(w.data)));
    const inserts = h.internals.committer.insertCount - before;
    assert.ok(inserts >= 1 && inserts <= 2, `20 writes took ${inserts} inserts`);
    // Acknowledged means queryable.
    const services = await h.store.reader.listServices({ startNs: 0n, endNs: nowNs() + 10_000n * MS });
    assert.deepStrictEqual(services, [{ name: 'payment-api', spanCount: 101 }]);
  } finally {
    await h.close();
  }
});

test('a write completes while a long query holds the read connection', async () => {
  const h = await tempStore();
  try {
    await h.store.writer.writeTraces(oneTrace().data);
    const order: string[] = [];
    // About two seconds of work on the reader (cut off, not failed, at the limit).
    const query = h.internals.connections.read
      .query({ query: 'SELECT count() FROM numbers(100000000000) SETTINGS max_execution_time = 2, timeout_overflow_mode = \'break\'', format: 'JSONEachRow' })
      .then((rs) => rs.json())
      .then(() => order.push('query'));
    await new Promise((resolve) => setTimeout(resolve, 200)); // the query is running
    await h.store.writer.writeTraces(oneTrace().data).then(() => order.push('write'));
    await query;
    assert.deepStrictEqual(order, ['write', 'query']);
  } finally {
    await h.close();
  }
});

test('BackpressureError past maxPendingRows; the pending write still succeeds', async () => {
  const h = await tempStore({ maxPendingRows: 100, groupCommitWaitMs: 300 });
  try {
    const first = h.store.writer.writeTraces(oneTrace(60).data);
    await assert.rejects(h.store.writer.writeTraces(oneTrace(60).data), (error: unknown) => {
      assert.ok(error instanceof BackpressureError);
      assert.ok(error.retryAfterMs > 0);
      return true;
    });
    await first;
    await h.store.writer.writeTraces(oneTrace(60).data); // room again
  } finally {
    await h.close();
  }
});

test('a failed insert rejects every write in its group with StorageUnavailableError', async () => {
  const h = await tempStore({ groupCommitWaitMs: 20 });
  try {
    await h.store.writer.writeTraces(oneTrace().data);
    await h.internals.connections.write.command({ query: 'DROP TABLE spans' });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => h.store.writer.writeTraces(oneTrace(3).data)));
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.ok(r.reason instanceof StorageUnavailableError, String(r.reason));
    }
    assert.equal(h.internals.committer.pendingRows, 0);
  } finally {
    await h.close();
  }
});

test('writes after close reject with StorageUnavailableError; close flushes what is pending', async () => {
  const h = await tempStore({ groupCommitWaitMs: 5_000 });
  try {
    const { traceId, data } = oneTrace();
    const pending = h.store.writer.writeTraces(data);
    const started = Date.now();
    await h.store.close();
    await pending;
    assert.ok(Date.now() - started < 4_000, 'close does not wait out the group commit timer');
    await assert.rejects(h.store.writer.writeTraces(oneTrace().data), StorageUnavailableError);
    const reopened = await openStoreWithInternals({ dataDir: h.dir });
    assert.ok(await reopened.store.reader.getTrace(traceId), 'the flushed write is stored');
    await reopened.store.close();
  } finally {
    await h.close();
  }
});

test('reads honour an aborted signal', async () => {
  const h = await tempStore();
  try {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(h.store.reader.ping({ signal: controller.signal }), { name: 'AbortError' });
    await h.store.reader.ping();
  } finally {
    await h.close();
  }
});

test('the server insert route (@clickhouse/client with the same payload) stores the same rows', async () => {
  const h = await tempStore({}, { insertRoute: 'client' });
  try {
    const { traceId, data } = oneTrace(3);
    await h.store.writer.writeTraces(data);
    const trace = await h.store.reader.getTrace(traceId);
    assert.equal(trace?.resourceSpans[0]?.scopeSpans[0]?.spans.length, 3);
  } finally {
    await h.close();
  }
});
