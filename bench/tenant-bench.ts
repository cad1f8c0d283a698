import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TracesData } from '../src/pdata/model.ts';
import { runAsTenant } from '../src/tenancy/tenant-context.ts';
import { openTenantStores } from '../src/tenancy/tenant-store.ts';
import { seedBatch } from './seed-spans.ts';

// Why a database per tenant (docs/ARCHITECTURE.md, Tenants): what a tenant's
// database costs to open, and what a small tenant's reads cost next to a big
// one, compared with the shared-table shape (a key column first in the sort
// key, here ServiceName, which is what a Tenant column would be).
//
//   node --import tsx bench/tenant-bench.ts [--big 200000] [--tenants 10]

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const bigSpans = arg('big', 200_000);
const tenantCount = arg('tenants', 10);
const nowNs = BigInt(Date.now()) * 1_000_000n;

function renamed(data: TracesData, service: string): TracesData {
  return {
    resourceSpans: data.resourceSpans.map((rs) => ({
      ...rs,
      resource: { ...rs.resource, attributes: rs.resource.attributes.map((a) => (a.key === 'service.name' ? { ...a, value: { stringValue: service } } : a)) } as typeof rs.resource,
    })),
  };
}

async function write(tenant: string | undefined, spans: number, service: string, offset: number): Promise<void> {
  const { writer } = stores;
  for (let done = 0; done < spans; done += 5000) {
    await runAsTenant(tenant, () => writer.writeTraces(renamed(seedBatch(Math.min(5000, spans - done), nowNs, offset + done), service)));
  }
}

async function medianMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(runs / 2)]! * 10) / 10;
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'tenant-bench-'));
const stores = await openTenantStores({ dataDir: dir });
try {
  const range = { startNs: nowNs - 3_600_000_000_000n, endNs: nowNs + 60_000_000_000n };
  const rss0 = process.memoryUsage().rss;
  const openMs: number[] = [];
  for (let i = 0; i < tenantCount; i++) {
    const t = performance.now();
    await runAsTenant(`t${i}`, () => stores.reader.listServices(range));
    openMs.push(Math.round(performance.now() - t));
  }
  const rssPerTenantMiB = Math.round((process.memoryUsage().rss - rss0) / tenantCount / 1048576);

  // Per tenant: a big tenant and a small one in their own databases.
  await write('big', bigSpans, 'payment-api', 0);
  await write('small', 2000, 'payment-api', 10_000_000);
  // Shared table: the same two as two values of the first sort-key column.
  await write(undefined, bigSpans, 'big-tenant', 0);
  await write(undefined, 2000, 'small-tenant', 10_000_000);

  const search = (service?: string) => ({ ...range, ...(service ? { service } : {}), attributes: [], limit: 20 });
  const figures = {
    tenantOpenMs: openMs,
    rssPerTenantMiB,
    smallTenantSearchMs: await medianMs(15, () => runAsTenant('small', () => stores.reader.searchTraces(search('payment-api')))),
    sharedTableSearchByKeyMs: await medianMs(15, () => stores.reader.searchTraces(search('small-tenant'))),
    smallTenantServicesMs: await medianMs(15, () => runAsTenant('small', () => stores.reader.listServices(range))),
    sharedTableServicesMs: await medianMs(15, () => stores.reader.listServices(range)),
  };
  process.stdout.write(`${JSON.stringify({ bigSpans, tenantCount, ...figures }, null, 2)}\n`);
} finally {
  await stores.close();
  await rm(dir, { recursive: true, force: true });
}
