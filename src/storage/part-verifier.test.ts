import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { openConnections } from './connection.ts';
import type { Connections } from './connection.ts';
import { insertFailureKind } from './insert-failure.ts';
import { createPartVerifier, isLowSpace } from './part-verifier.ts';

// The engine's failure is made by hand here: a part whose files are emptied
// after it was committed is what a full disk left behind (every file 0 bytes,
// "Empty marks file" on the next read; test/disk-full.test.ts meets the real one).

async function withTable(body: (c: Connections, breakNewest: () => Promise<string>) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracehouse-part-verifier-'));
  const c = await openConnections({ dataDir: dir, maxQuerySeconds: 30, insertConnections: 1 });
  try {
    await c.write.command({
      query: `CREATE TABLE t (id String, n UInt32, INDEX idx_id id TYPE bloom_filter(0.001) GRANULARITY 1) ENGINE = MergeTree ORDER BY n
              SETTINGS index_granularity = 1024`,
    });
    // Merges would fold the parts together (and fail on the broken one).
    await c.write.command({ query: 'SYSTEM STOP MERGES t' });
    const breakNewest = async () => {
      const [newest] = await (
        await c.write.query({ query: `SELECT name, path FROM system.parts WHERE table = 't' AND active ORDER BY min_block_number DESC LIMIT 1`, format: 'JSONEachRow' })
      ).json<{ name: string; path: string }>();
      for (const file of await readdir(newest!.path)) await truncate(path.join(newest!.path, file), 0);
      return newest!.name;
    };
    await body(c, breakNewest);
  } finally {
    await c.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const insert = (c: Connections, from: number) =>
  c.write.command({ query: `INSERT INTO t SELECT toString(number), number FROM numbers(${from}, 3000)` });
const countOf = async (c: Connections, where: string) =>
  Number((await (await c.write.query({ query: `SELECT count() AS n FROM t WHERE ${where}`, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n);

test('on low space, a part that fails its check is detached, reads work again, and the insert is refused retryably', async () => {
  await withTable(async (c, breakNewest) => {
    const verifier = createPartVerifier({ client: c.write, database: c.database, lowSpace: async () => true });
    await insert(c, 0);
    await verifier.afterInsert('t', verifier.begin(), false); // a sound part passes
    const token = verifier.begin();
    await insert(c, 3000);
    const broken = await breakNewest();
    await assert.rejects(countOf(c, `id = '4000'`), /Empty marks file/, 'the broken part fails every read');

    const refused = await verifier.afterInsert('t', token, false).then(() => undefined, (error: unknown) => error);
    assert.ok(refused instanceof Error, 'the insert that may have written the part is not acknowledged');
    assert.equal(insertFailureKind(refused), 'storage', 'retryable, never blamed on the data');
    assert.match(refused.message, new RegExp(`part ${broken} of t`));

    const detached = await (
      await c.write.query({ query: `SELECT name FROM system.detached_parts WHERE table = 't'`, format: 'JSONEachRow' })
    ).json<{ name: string }>();
    assert.deepEqual(detached.map((d) => d.name), [broken]);
    assert.equal(await countOf(c, `id = '17'`), 1, 'reads work again; the sound part is there');
    assert.equal(await countOf(c, '1'), 3000);

    // An insert begun after the detach, whose part is sound, is acknowledged.
    const later = verifier.begin();
    await insert(c, 6000);
    await verifier.afterInsert('t', later, false);
    assert.equal(await countOf(c, '1'), 6000);
  });
});

test('after a failed insert parts are checked, and again on the next insert, whatever the space', async () => {
  await withTable(async (c, breakNewest) => {
    const verifier = createPartVerifier({ client: c.write, database: c.database, lowSpace: async () => false });
    // The failed insert's part appears only after it returned (as seen on a full disk).
    await verifier.afterInsert('t', verifier.begin(), true);
    await insert(c, 0);
    const broken = await breakNewest();
    const next = verifier.begin();
    await insert(c, 3000);
    const refused = await verifier.afterInsert('t', next, false).then(() => undefined, (error: unknown) => error);
    assert.ok(refused instanceof Error && refused.message.includes(`part ${broken} of t`), String(refused));
    assert.equal(await countOf(c, '1'), 3000, 'the sound part is read');
    // That check ended well with space to spare: the one after it checks nothing.
    await breakNewest();
    await verifier.afterInsert('t', verifier.begin(), false);
  });
});

test('the embedded sink checks parts after an insert that failed for a storage reason', async () => {
  await withTable(async (c, breakNewest) => {
    await insert(c, 0);
    const broken = await breakNewest();
    // A column the table does not have: NO_SUCH_COLUMN_IN_TABLE, a storage code.
    const failure = await c.sink.insertRows('t', ['id', 'missing'], [Buffer.from('["a",1]\n')]).then(() => undefined, (error: unknown) => error);
    assert.equal(insertFailureKind(failure), 'storage', String(failure));
    const detached = await (
      await c.write.query({ query: `SELECT name FROM system.detached_parts WHERE table = 't'`, format: 'JSONEachRow' })
    ).json<{ name: string }>();
    assert.deepEqual(detached.map((d) => d.name), [broken], 'the sink ran the check');
    assert.equal(await countOf(c, `id = '17'`), 0, 'reads work again');
    await c.sink.insertRows('t', ['id', 'n'], [Buffer.from('["a",1]\n')]);
    assert.equal(await countOf(c, `id = 'a'`), 1);
  });
});

test('with space to spare nothing is checked', async () => {
  await withTable(async (c, breakNewest) => {
    let asked = 0;
    const verifier = createPartVerifier({ client: c.write, database: c.database, lowSpace: async () => (asked++, false) });
    const token = verifier.begin();
    await insert(c, 0);
    await breakNewest();
    await verifier.afterInsert('t', token, false);
    assert.equal(asked, 1);
    const detached = await (await c.write.query({ query: `SELECT count() AS n FROM system.detached_parts WHERE table = 't'`, format: 'JSONEachRow' })).json<{ n: string }>();
    assert.equal(Number(detached[0]!.n), 0);
  });
});

test('low space: under 1 GiB and under a tenth of the file system', () => {
  const MiB = 1 << 20;
  assert.equal(isLowSpace(5 * MiB, 64 * MiB), true, 'a nearly full 64 MiB tmpfs');
  assert.equal(isLowSpace(50 * MiB, 64 * MiB), false, 'most of a small file system free');
  assert.equal(isLowSpace(900 * MiB, 250 * 1024 * MiB), true, 'under 1 GiB of a large disk');
  assert.equal(isLowSpace(20 * 1024 * MiB, 250 * 1024 * MiB), false);
});
