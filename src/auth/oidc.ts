import { createHash, randomBytes } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import type { Role } from './roles.ts';
import { TokenRejectedError, verifyIdToken } from './jwt-verify.ts';
import type { IdTokenClaims } from './jwt-verify.ts';

// OpenID Connect login, authorization code flow with PKCE (RFC 7636, S256),
// against any provider that publishes /.well-known/openid-configuration. The
// flow's state is kept here for 10 minutes and bound to the browser by a cookie
// (auth-routes), so a callback link someone else started cannot log you in as
// them. Who gets which role is configured by email, subject or @domain.

export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** Confidential clients send it (client_secret_basic); public ones rely on PKCE alone. */
  clientSecret: string | undefined;
  /** Entries: an email, a `sub`, `@example.com` (verified emails of that domain), or `*`. */
  admins: readonly string[];
  readers: readonly string[];
}

export interface OidcLogin {
  /** The provider's authorization URL to redirect the browser to, and the state to bind to it. */
  start(redirectUri: string): Promise<{ url: string; state: string }>;
  /** Exchanges the code; the user's name and role, or throws TokenRejectedError naming why not. */
  finish(code: string, state: string, redirectUri: string): Promise<{ name: string; role: Role }>;
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

const flowLifetimeMs = 10 * 60_000;
const random = () => randomBytes(32).toString('base64url');

function matches(entries: readonly string[], claims: IdTokenClaims): boolean {
  const email = typeof claims.email === 'string' && claims.email_verified !== false ? claims.email.toLowerCase() : undefined;
  return entries.some((entry) => {
    const e = entry.toLowerCase();
    if (e === '*') return true;
    if (e === claims.sub.toLowerCase()) return true;
    if (email === undefined) return false;
    return e.startsWith('@') ? email.endsWith(e) : e === email;
  });
}

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new TokenRejectedError(`cannot reach ${url}`, { cause: error });
  }
  if (!response.ok) throw new TokenRejectedError(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

export function createOidcLogin(settings: OidcSettings): OidcLogin {
  const issuer = settings.issuer.replace(/\/$/, '');
  let discovery: Promise<Discovery> | undefined;
  let jwks: Promise<JsonWebKey[]> | undefined;
  const pending = new Map<string, { verifier: string; nonce: string; redirectUri: string; expiresAtMs: number }>();
  const discover = () => {
    discovery ??= getJson<Discovery>(`${issuer}/.well-known/openid-configuration`).then((d) => {
      // OIDC Discovery 4.3: the document must name the issuer it was fetched for.
      if (d.issuer.replace(/\/$/, '') !== issuer) throw new TokenRejectedError(`the provider says its issuer is ${d.issuer}, not ${settings.issuer}`);
      return d;
    }).catch((error: unknown) => {
      discovery = undefined;
      throw error;
    });
    return discovery;
  };
  const keys = async (kid: string | undefined, refetched = false): Promise<JsonWebKey | undefined> => {
    jwks ??= discover().then(async (d) => (await getJson<{ keys: JsonWebKey[] }>(d.jwks_uri)).keys);
    const found = (await jwks).find((k) => kid === undefined || k['kid'] === kid);
    if (found || refetched) return found;
    jwks = undefined; // the provider rotated its keys
    return keys(kid, true);
  };
  return {
    async start(redirectUri) {
      const d = await discover();
      for (const [state, flow] of pending) if (flow.expiresAtMs < Date.now()) pending.delete(state);
      const state = random();
      const verifier = random();
      const nonce = random();
      pending.set(state, { verifier, nonce, redirectUri, expiresAtMs: Date.now() + flowLifetimeMs });
      const url = new URL(d.authorization_endpoint);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: settings.clientId,
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        state,
        nonce,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      }).toString();
      return { url: url.toString(), state };
    },
    async finish(code, state, redirectUri) {
      const flow = pending.get(state);
      pending.delete(state);
      if (flow === undefined || flow.expiresAtMs < Date.now()) throw new TokenRejectedError('this login has expired or was already used: start again');
      if (flow.redirectUri !== redirectUri) throw new TokenRejectedError('the login came back to another address than it left from');
      const d = await discover();
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
      const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: flow.verifier, client_id: settings.clientId });
      if (settings.clientSecret !== undefined) {
        // RFC 6749 2.3.1: client_secret_basic, both parts form-urlencoded first.
        const basic = `${encodeURIComponent(settings.clientId)}:${encodeURIComponent(settings.clientSecret)}`;
        headers['authorization'] = `Basic ${Buffer.from(basic).toString('base64')}`;
      }
      const tokens = await getJson<{ id_token?: string }>(d.token_endpoint, { method: 'POST', headers, body: form });
      if (typeof tokens.id_token !== 'string') throw new TokenRejectedError('the provider returned no ID token');
      const claims = await verifyIdToken(tokens.id_token, (kid) => keys(kid), { issuer: d.issuer, clientId: settings.clientId, nonce: flow.nonce });
      const role: Role | undefined = matches(settings.admins, claims) ? 'admin' : matches(settings.readers, claims) ? 'read' : undefined;
      const name = typeof claims.email === 'string' ? claims.email : claims.sub;
      if (role === undefined) throw new TokenRejectedError(`${name} is not allowed in (--oidc-admins, --oidc-readers)`);
      return { name, role };
    },
  };
}
