import type { Role } from './roles.ts';
import { createOidcLogin } from './oidc.ts';
import type { OidcLogin, OidcSettings } from './oidc.ts';
import type { SessionStore } from './sessions.ts';
import { createSessionStore } from './sessions.ts';
import type { TokenStore } from './token-store.ts';
import { openTokenStore } from './token-store.ts';
import type { UserStore } from './user-store.ts';
import { openUserStore } from './user-store.ts';

// Who may read through the query API and the UI, resolved once at start-up
// from the settings and the stores in the data directory.

export interface ApiAccess {
  /** Whether requests must carry a session or a token: --api-auth required, or auto and a user exists. */
  enabled(): Promise<boolean>;
  users: UserStore;
  tokens: TokenStore;
  sessions: SessionStore;
  sessionTtlMs: number;
  /** Under TLS the session cookie is `Secure` (and `__Host-` prefixed). */
  secureCookies: boolean;
  /** /metrics without a token while authentication is on. */
  metricsPublic: boolean;
  /** Host names answered while authentication is off (DNS rebinding); lowercase, without port. */
  allowedHosts: ReadonlySet<string>;
  /** Single sign-on through an OpenID Connect provider, when configured. */
  oidc: OidcLogin | undefined;
}

export interface ApiAccessSettings {
  dataDir: string;
  mode: 'auto' | 'required';
  sessionTtlSeconds: number;
  tls: boolean;
  metricsAccess: 'authenticated' | 'public';
  allowedHosts: readonly string[];
  oidc?: OidcSettings | undefined;
}

export async function openApiAccess(settings: ApiAccessSettings): Promise<ApiAccess> {
  const users = openUserStore(settings.dataDir);
  const tokens = await openTokenStore(settings.dataDir);
  const sessionTtlMs = settings.sessionTtlSeconds * 1000;
  return {
    enabled: async () => settings.mode === 'required' || settings.oidc !== undefined || (await users.count()) > 0,
    users,
    tokens,
    sessions: createSessionStore(sessionTtlMs),
    sessionTtlMs,
    secureCookies: settings.tls,
    metricsPublic: settings.metricsAccess === 'public',
    allowedHosts: new Set(settings.allowedHosts),
    oidc: settings.oidc && createOidcLogin(settings.oidc),
  };
}

export const adminOnly = (role: Role): boolean => role === 'admin';
