import type { TelemetryReader, TelemetryStore, TelemetryWriter, WriteHealth } from '../storage/api.ts';
import { DEFAULT_DATABASE } from '../storage/connection.ts';
import { openStore } from '../storage/store.ts';
import type { StoreOptions } from '../storage/store.ts';
import { currentTenant } from './tenant-context.ts';
import { StorageUnavailableError } from '../consumer/errors.ts';

// The store the API and the `tracehouse` exporter hold: a facade that sends each
// read and write to the store of the current request's tenant (tenant-context.ts).
// No tenant: the default store, exactly as without tenants. A tenant: its own
// ClickHouse database on the same engine (`tracehouse_t_<tenant>`), opened on its
// first use with the same migrations and retention, then kept until close. Routes
// and exporters call it as any TelemetryStore, so none of them knows of tenants.

/** As a closing store's reads (read-tracker.ts): a sender or reader retries after this. */
const RETRY_AFTER_MS = 1000;

/** The database of a tenant next to the default one (`base`: `tracehouse`, or the server's configured database). */
export function tenantDatabase(base: string, tenant: string): string {
  return `${base}_t_${tenant}`;
}

/** StoreOptions for a tenant: the same engine and settings, another database. */
export function tenantStoreOptions(options: StoreOptions, tenant: string): StoreOptions {
  if (options.clickhouse !== undefined) {
    const database = tenantDatabase(options.clickhouse.database ?? DEFAULT_DATABASE, tenant);
    return { ...options, clickhouse: { ...options.clickhouse, database } };
  }
  return { ...options, database: tenantDatabase(options.database ?? DEFAULT_DATABASE, tenant) };
}

export interface TenantStores extends TelemetryStore {
  /** Tenants whose store is open or opening (tests). */
  openTenants(): string[];
}

/**
 * `openTenant` opens a tenant's store; it is called at most once per tenant
 * while that open is pending or has succeeded (a failed open is tried again on
 * the next request, as a failed default open would be on a restart).
 */
export function createTenantStores(defaultStore: TelemetryStore, openTenant: (tenant: string) => Promise<TelemetryStore>): TenantStores {
  const opening = new Map<string, Promise<TelemetryStore>>();
  const ready: TelemetryStore[] = [];
  let closing: Promise<void> | undefined;
  const storeOf = (tenant: string): Promise<TelemetryStore> => {
    // The same answer a closed store's reads give (read-tracker.ts).
    if (closing !== undefined) return Promise.reject(new StorageUnavailableError('storage is shutting down', RETRY_AFTER_MS));
    let store = opening.get(tenant);
    if (store === undefined) {
      store = openTenant(tenant).then(
        (opened) => {
          ready.push(opened);
          return opened;
        },
        (error: unknown) => {
          opening.delete(tenant);
          // The engine's text is for the server log (the API and receivers log a cause), never the client.
          throw new StorageUnavailableError(`the storage of tenant ${tenant} could not be opened`, RETRY_AFTER_MS, { cause: error });
        },
      );
      opening.set(tenant, store);
    }
    return store;
  };

  // Every reader method returns a promise (storage/api.ts), so one forwarding
  // rule covers the methods the Tempo, Jaeger, Loki and MCP readers add.
  const reader = new Proxy(defaultStore.reader, {
    get(target, name, receiver) {
      const own = Reflect.get(target, name, receiver) as unknown;
      if (typeof own !== 'function') return own;
      return (...args: unknown[]) => {
        const tenant = currentTenant();
        if (tenant === undefined) return (own as (...a: unknown[]) => unknown).apply(target, args);
        return storeOf(tenant).then((store) => (Reflect.get(store.reader, name) as (...a: unknown[]) => unknown).apply(store.reader, args));
      };
    },
  }) as TelemetryReader;

  const route = <K extends 'writeTraces' | 'writeMetrics' | 'writeLogs'>(method: K): TelemetryWriter[K] =>
    ((data: never) => {
      const tenant = currentTenant();
      if (tenant === undefined) return defaultStore.writer[method](data);
      return storeOf(tenant).then((store) => store.writer[method](data));
    }) as TelemetryWriter[K];

  const openedStores = async (): Promise<TelemetryStore[]> => {
    await Promise.allSettled([...opening.values()]);
    return [...ready];
  };

  const writer: TelemetryWriter = {
    writeTraces: route('writeTraces'),
    writeMetrics: route('writeMetrics'),
    writeLogs: route('writeLogs'),
    // Readiness: not ready while any tenant's inserts fail, as with one store.
    health(): WriteHealth {
      return [defaultStore, ...ready].map((s) => s.writer.health()).find((h) => !h.ok) ?? { ok: true };
    },
    async close() {
      await Promise.all((await openedStores()).map((s) => s.writer.close()));
      await defaultStore.writer.close();
    },
  };

  return {
    reader,
    writer,
    openTenants: () => [...opening.keys()],
    close: () =>
      (closing ??= (async () => {
        const stores = await openedStores();
        const results = await Promise.allSettled([...stores.map((s) => s.close()), defaultStore.close()]);
        const failed = results.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
      })()),
  };
}

/** The default store and, on demand, every tenant's, all with `options`. */
export async function openTenantStores(options: StoreOptions): Promise<TenantStores> {
  const defaultStore = await openStore(options);
  return createTenantStores(defaultStore, (tenant) => openStore(tenantStoreOptions(options, tenant)));
}
