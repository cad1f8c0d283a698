import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { StorageUnavailableError } from '../consumer/errors.ts';
import { openStore } from '../storage/store.ts';
import { hex, nowNs, resource, span, traces } from '../storage/testdata/telemetry.ts';
import { runAsTenant } from './tenant-context.ts';
import { createTenantStores, openTenantStores, tenantStoreOptions } from './tenant-store.ts';

// The routing store on real chDB: each tenant's writes land in its own database,
// survive a restart (the database is found again on the next open), and reads of
// one tenant never see another's; a tenant whose open fails is tried again.

test('tenant stores: own data per tenant, kept across a restart, the default tenant unchanged', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tenant-store-'));
  const range = { startNs: nowNs() - 3_600_000_000_000n, endNs: nowNs() + 60_000_000_000n };
  const ids = { acme: hex(16), globex: hex(16), default: hex(16) };
  try {
    let stores = await openTenantStores({ dataDir: dir, groupCommitWaitMs: 1 });
    try {
      await Promise.all(
        (['acme', 'globex', 'default'] as const).map((who) =>
          runAsTenant(who === 'default' ? undefined : who, () => stores.writer.writeTraces(traces(resource(`${who}-svc`), [span({ traceId: ids[who], name: 'GET /', startTimeUnixNano: nowNs() })]))),
        ),
      );
    } finally {
      await stores.close();
    }
    stores = await openTenantStores({ dataDir: dir });
    try {
      for (const who of ['acme', 'globex', 'default'] as const) {
        const tenant = who === 'default' ? undefined : who;
        const services = await runAsTenant(tenant, () => stores.reader.listServices(range));
        assert.deepEqual(services.map((s) => s.name), [`${who}-svc`], who);
        for (const owner of ['acme', 'globex', 'default'] as const) {
          const found = await runAsTenant(tenant, () => stores.reader.getTrace(ids[owner]));
          assert.equal(found !== undefined, owner === who, `${who} reads ${owner}'s trace`);
        }
      }
      assert.deepEqual(stores.openTenants().sort(), ['acme', 'globex']);
    } finally {
      await stores.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('tenant stores: a failed open is a retryable StorageUnavailableError with the cause, and is tried again', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tenant-store-'));
  const notADirectory = path.join(dir, 'file');
  await writeFile(notADirectory, '');
  const range = { startNs: 0n, endNs: nowNs() };
  let attempts = 0;
  const stores = createTenantStores(await openStore({ dataDir: dir }), (tenant) =>
    // The first open of a tenant fails as a real one can (its directory cannot be made).
    ++attempts === 1 ? openStore({ dataDir: path.join(notADirectory, 'data') }) : openStore(tenantStoreOptions({ dataDir: dir }, tenant)),
  );
  try {
    await assert.rejects(
      runAsTenant('acme', () => stores.reader.listServices(range)),
      (e) => e instanceof StorageUnavailableError && e.message === 'the storage of tenant acme could not be opened' && e.cause instanceof Error,
    );
    assert.deepEqual(await runAsTenant('acme', () => stores.reader.listServices(range)), []);
    assert.equal(attempts, 2);
  } finally {
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  }
  await assert.rejects(runAsTenant('globex', () => stores.reader.listServices(range)), StorageUnavailableError);
});
