import { randomBytes } from 'node:crypto';
import type { Role } from './roles.ts';

// UI logins: an opaque random id in an HttpOnly cookie, the session itself in
// memory (a restart logs everyone out, which for a single process is the
// simple, safe choice). Each session has its own CSRF token, which the UI sends
// back as X-CSRF-Token on state-changing requests (OWASP synchronizer token).

export interface Session {
  user: string;
  role: Role;
  /** The user's tenant (tenancy/); undefined: the default tenant. */
  tenant: string | undefined;
  csrfToken: string;
  expiresAtMs: number;
}

export interface SessionStore {
  create(user: string, role: Role, tenant?: string): { id: string; session: Session };
  /** Undefined once expired (and forgotten then). */
  get(id: string): Session | undefined;
  delete(id: string): void;
}

export function createSessionStore(ttlMs: number, nowMs: () => number = Date.now): SessionStore {
  const sessions = new Map<string, Session>();
  const sweep = () => {
    const now = nowMs();
    for (const [id, s] of sessions) if (s.expiresAtMs <= now) sessions.delete(id);
  };
  return {
    create(user, role, tenant) {
      if (sessions.size > 10_000) sweep();
      const id = randomBytes(32).toString('base64url');
      const session: Session = { user, role, tenant, csrfToken: randomBytes(32).toString('base64url'), expiresAtMs: nowMs() + ttlMs };
      sessions.set(id, session);
      return { id, session };
    },
    get(id) {
      const session = sessions.get(id);
      if (session === undefined) return undefined;
      if (session.expiresAtMs <= nowMs()) {
        sessions.delete(id);
        return undefined;
      }
      return session;
    },
    delete: (id) => void sessions.delete(id),
  };
}
