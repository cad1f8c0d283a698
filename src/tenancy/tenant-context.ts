import { AsyncLocalStorage } from 'node:async_hooks';

// The tenant of the request being served, carried through every await of it, so
// the many routes and pipeline components need not pass it along: the auth layer
// sets it (the access middleware once it knows the token or session, a receiver
// once its authenticator accepted the request) and the storage facade
// (tenant-store.ts) reads it to pick the tenant's database. No tenant is the
// default tenant: the `tracehouse` database, as before tenants existed.
//
// Where work leaves the request's async chain (a batch sent from a timer that
// another request's data started), the code there must carry the tenant itself:
// processor/batch/tenant-partition.ts does.

const current = new AsyncLocalStorage<string | undefined>();

/** Runs `fn` as `tenant` (undefined: the default tenant). */
export function runAsTenant<T>(tenant: string | undefined, fn: () => T): T {
  return current.run(tenant, fn);
}

/** The tenant of the running request; undefined for the default tenant. */
export function currentTenant(): string | undefined {
  return current.getStore();
}

/**
 * Tenant ids as Mimir/Loki/Tempo accept in X-Scope-OrgID, narrowed to what is
 * safe in a database name and a file: letters, digits, `_` and `-`, up to 64.
 */
const tenantPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function isTenantName(text: string): boolean {
  return tenantPattern.test(text);
}

export const tenantNameRule = 'a tenant is 1-64 letters, digits, _ or -, starting with a letter or digit';
