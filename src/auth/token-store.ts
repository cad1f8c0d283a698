import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { readJsonFile, writeJsonFile } from './json-file.ts';
import type { Role } from './roles.ts';

// Access tokens for scripts, Grafana and scrapers: `Authorization: Bearer th_...`.
// Only a SHA-256 of each is stored (<data-dir>/auth/tokens.json): a token is 192
// random bits, so a fast hash is enough (a password needs scrypt because people
// choose them), and a leaked file lets no one in. The secret is shown once.

export interface TokenInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  createdBy: string;
  /** Reads only this tenant's data (tenancy/); absent: the default tenant. */
  tenant?: string;
}

interface StoredToken extends TokenInfo {
  sha256: string;
}

interface TokensFile {
  tokens: StoredToken[];
}

export interface TokenStore {
  list(): TokenInfo[];
  /** The new token's secret, which is not kept. */
  create(name: string, role: Role, createdBy: string, tenant?: string): Promise<{ token: string; info: TokenInfo }>;
  revoke(id: string): Promise<boolean>;
  find(secret: string): TokenInfo | undefined;
  count(): number;
}

const digest = (secret: string) => createHash('sha256').update(secret).digest('hex');

export async function openTokenStore(dataDir: string): Promise<TokenStore> {
  const file = path.join(dataDir, 'auth', 'tokens.json');
  let tokens = (await readJsonFile<TokensFile>(file, { tokens: [] })).value.tokens;
  const byDigest = () => new Map(tokens.map((t) => [t.sha256, t]));
  let index = byDigest();
  const save = async (next: StoredToken[]) => {
    await writeJsonFile(file, { tokens: next });
    tokens = next;
    index = byDigest();
  };
  const info = ({ sha256: _, ...rest }: StoredToken): TokenInfo => rest;
  return {
    list: () => tokens.map(info),
    count: () => tokens.length,
    async create(name, role, createdBy, tenant) {
      const id = randomBytes(6).toString('hex');
      const secret = `th_${randomBytes(24).toString('base64url')}`;
      const stored: StoredToken = { id, name, role, createdAt: new Date().toISOString(), createdBy, ...(tenant === undefined ? {} : { tenant }), sha256: digest(secret) };
      await save([...tokens, stored]);
      return { token: secret, info: info(stored) };
    },
    async revoke(id) {
      const next = tokens.filter((t) => t.id !== id);
      if (next.length === tokens.length) return false;
      await save(next);
      return true;
    },
    find(secret) {
      const found = index.get(digest(secret));
      return found && info(found);
    },
  };
}
