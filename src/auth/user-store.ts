import path from 'node:path';
import { mtimeOf, readJsonFile, writeJsonFile } from './json-file.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';
import type { Role } from './roles.ts';
import { isTenantName, tenantNameRule } from '../tenancy/tenant-context.ts';

// The local users (`tracehouse user add`), in <data-dir>/auth/users.json. The
// server re-reads the file when it changed, so a user added while it runs can
// log in at once, and the first user turns API authentication on (--api-auth auto).

export interface StoredUser {
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: string;
  /** Sees only this tenant's data (tenancy/); absent: the default tenant. */
  tenant?: string;
}

interface UsersFile {
  users: StoredUser[];
}

export class UserError extends Error {
  readonly code = 'invalid_user';
}

export function usersFile(dataDir: string): string {
  return path.join(dataDir, 'auth', 'users.json');
}

export interface UserStore {
  /** Re-reads the file when it changed since the last look (at most once a second). */
  count(): Promise<number>;
  /** The user when the password is right; undefined otherwise (same work either way). */
  verify(name: string, password: string): Promise<StoredUser | undefined>;
}

// A hash to check against when the name is unknown, so a wrong name takes as
// long as a wrong password and names cannot be probed by timing.
const decoy = hashPassword('decoy');

export function openUserStore(dataDir: string): UserStore {
  const file = usersFile(dataDir);
  let users: StoredUser[] = [];
  let loadedMtimeMs = -1;
  let checkedAtMs = 0;
  const refresh = async () => {
    if (Date.now() - checkedAtMs < 1000 && loadedMtimeMs >= 0) return;
    checkedAtMs = Date.now();
    const mtimeMs = await mtimeOf(file);
    if (mtimeMs === loadedMtimeMs) return;
    const read = await readJsonFile<UsersFile>(file, { users: [] });
    users = read.value.users;
    loadedMtimeMs = mtimeMs;
  };
  return {
    async count() {
      await refresh();
      return users.length;
    },
    async verify(name, password) {
      checkedAtMs = 0;
      await refresh();
      const user = users.find((u) => u.name === name);
      const ok = await verifyPassword(password, user?.passwordHash ?? (await decoy));
      return ok && user ? user : undefined;
    },
  };
}

/** `tracehouse user add`: adds or replaces (new password, new role, new tenant) a user. */
export async function addUser(dataDir: string, name: string, password: string, role: Role, tenant?: string): Promise<'added' | 'updated'> {
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name)) throw new UserError(`user name "${name}": use 1-64 letters, digits, . _ @ or -`);
  if (tenant !== undefined && !isTenantName(tenant)) throw new UserError(`tenant "${tenant}": ${tenantNameRule}`);
  if (password.length < 8) throw new UserError('the password must have at least 8 characters');
  const file = usersFile(dataDir);
  const { value } = await readJsonFile<UsersFile>(file, { users: [] });
  const existing = value.users.findIndex((u) => u.name === name);
  const user: StoredUser = { name, role, passwordHash: await hashPassword(password), createdAt: new Date().toISOString(), ...(tenant === undefined ? {} : { tenant }) };
  if (existing >= 0) value.users[existing] = user;
  else value.users.push(user);
  await writeJsonFile(file, value);
  return existing >= 0 ? 'updated' : 'added';
}

export async function removeUser(dataDir: string, name: string): Promise<boolean> {
  const file = usersFile(dataDir);
  const { value } = await readJsonFile<UsersFile>(file, { users: [] });
  const users = value.users.filter((u) => u.name !== name);
  if (users.length === value.users.length) return false;
  await writeJsonFile(file, { users });
  return true;
}

export async function listUsers(dataDir: string): Promise<{ name: string; role: Role; createdAt: string; tenant?: string }[]> {
  const { value } = await readJsonFile<UsersFile>(usersFile(dataDir), { users: [] });
  return value.users.map(({ name, role, createdAt, tenant }) => ({ name, role, createdAt, ...(tenant === undefined ? {} : { tenant }) }));
}
