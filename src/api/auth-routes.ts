import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { TokenRejectedError } from '../auth/jwt-verify.ts';
import type { ApiAccess } from '../auth/api-access.ts';
import { createLoginThrottle } from '../auth/login-throttle.ts';
import { isRole } from '../auth/roles.ts';
import type { Principal } from '../auth/roles.ts';
import { isTenantName, tenantNameRule } from '../tenancy/tenant-context.ts';
import type { AccessVariables } from './access-middleware.ts';
import { sessionCookieName } from './access-middleware.ts';
import type { CreatedTokenResponse, SessionResponse, TokensResponse } from './auth-types.ts';

// Login, logout, the current session, and access tokens (admin). The access
// middleware has already checked who asks, the CSRF token and the role.

async function jsonBody(request: Request): Promise<Record<string, unknown> | undefined> {
  // JSON only: a cross-site <form> cannot send application/json, and any script
  // that could would need a CORS preflight this server never grants.
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) return undefined;
  try {
    const body: unknown = await request.json();
    return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A login must come from a page of this origin when the browser says where it comes from. */
function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

const tenantOf = (who: Pick<Principal, 'tenant'>): { tenant?: string } => (who.tenant === undefined ? {} : { tenant: who.tenant });

export function createAuthRoutes(access: ApiAccess): Hono<{ Variables: AccessVariables }> {
  const app = new Hono<{ Variables: AccessVariables }>();
  const cookie = sessionCookieName(access.secureCookies);
  const throttle = createLoginThrottle();

  app.get('/api/v1/auth/session', async (c) => {
    const principal = c.get('principal');
    const sessionId = c.get('sessionId');
    const session = sessionId === undefined ? undefined : access.sessions.get(sessionId);
    const body: SessionResponse = {
      authEnabled: await access.enabled(),
      ...(principal ? { user: { name: principal.name, role: principal.role, via: principal.kind, ...tenantOf(principal) } } : {}),
      ...(session ? { csrfToken: session.csrfToken } : {}),
      ...(access.oidc ? { oidc: true } : {}),
    };
    return c.json(body);
  });

  const startSession = (c: Context, name: string, role: 'read' | 'admin', tenant?: string) => {
    const { id, session } = access.sessions.create(name, role, tenant);
    setCookie(c, cookie, id, { httpOnly: true, sameSite: 'Strict', secure: access.secureCookies, path: '/', maxAge: Math.floor(access.sessionTtlMs / 1000) });
    return session;
  };

  const { oidc } = access;
  if (oidc) {
    // The provider sends the browser back with a top-level cross-site navigation,
    // on which SameSite=Strict cookies are withheld: the flow's cookie is Lax.
    const stateCookie = access.secureCookies ? '__Host-tracehouse_oidc' : 'tracehouse_oidc';
    const redirectUri = (c: Context) => `${access.secureCookies ? 'https' : 'http'}://${c.req.header('host') ?? 'localhost'}/api/v1/auth/oidc/callback`;
    app.get('/api/v1/auth/oidc/login', async (c) => {
      try {
        const { url, state } = await oidc.start(redirectUri(c));
        setCookie(c, stateCookie, state, { httpOnly: true, sameSite: 'Lax', secure: access.secureCookies, path: '/', maxAge: 600 });
        return c.redirect(url, 302);
      } catch (error) {
        return c.redirect(`/?login_error=${encodeURIComponent(`the sign-in provider could not be reached: ${(error as Error).message}`)}`, 302);
      }
    });
    app.get('/api/v1/auth/oidc/callback', async (c) => {
      const state = c.req.query('state') ?? '';
      const bound = getCookie(c, stateCookie);
      deleteCookie(c, stateCookie, { path: '/', secure: access.secureCookies });
      const fail = (message: string) => c.redirect(`/?login_error=${encodeURIComponent(message)}`, 302);
      const providerError = c.req.query('error');
      if (providerError !== undefined) return fail(`the sign-in provider refused: ${providerError}`);
      if (bound === undefined || bound !== state) return fail('this sign-in was not started in this browser: start again');
      try {
        const user = await oidc.finish(c.req.query('code') ?? '', state, redirectUri(c));
        startSession(c, user.name, user.role);
        return c.redirect('/', 302);
      } catch (error) {
        if (!(error instanceof TokenRejectedError)) throw error;
        return fail(error.message);
      }
    });
  }

  app.post('/api/v1/auth/login', async (c) => {
    if (!sameOrigin(c.req.header('origin'), c.req.header('host'))) return c.json({ error: { message: 'login from another origin refused' } }, 403);
    const body = await jsonBody(c.req.raw);
    const { username, password } = body ?? {};
    if (typeof username !== 'string' || typeof password !== 'string') {
      return c.json({ error: { message: 'send JSON {"username": ..., "password": ...}' } }, 400);
    }
    const waitMs = throttle.retryAfterMs(username);
    if (waitMs > 0) {
      return c.json({ error: { message: 'too many failed logins for this user: try again later' } }, 429, { 'Retry-After': String(Math.ceil(waitMs / 1000)) });
    }
    const user = await access.users.verify(username, password);
    if (user === undefined) {
      throttle.failed(username);
      return c.json({ error: { message: 'wrong user name or password' } }, 401);
    }
    throttle.succeeded(username);
    const session = startSession(c, user.name, user.role, user.tenant);
    return c.json({ authEnabled: true, user: { name: user.name, role: user.role, via: 'session', ...tenantOf(user) }, csrfToken: session.csrfToken } satisfies SessionResponse);
  });

  app.post('/api/v1/auth/logout', (c) => {
    const sessionId = c.get('sessionId');
    if (sessionId !== undefined) access.sessions.delete(sessionId);
    deleteCookie(c, cookie, { path: '/', secure: access.secureCookies });
    return c.json({ authEnabled: true } satisfies SessionResponse);
  });

  // An admin of a tenant manages that tenant's tokens only, and every token it
  // makes reads that tenant; an admin of the default tenant manages all of them.
  const manages = (c: Context<{ Variables: AccessVariables }>, token: { tenant?: string | undefined }) => {
    const own = c.get('principal')?.tenant;
    return own === undefined || token.tenant === own;
  };

  app.get('/api/v1/auth/tokens', (c) => c.json({ tokens: access.tokens.list().filter((t) => manages(c, t)) } satisfies TokensResponse));

  app.post('/api/v1/auth/tokens', async (c) => {
    const body = await jsonBody(c.req.raw);
    const name = body?.['name'];
    const role = body?.['role'];
    if (typeof name !== 'string' || !/^[^\0-\x1f]{1,100}$/.test(name)) {
      return c.json({ error: { parameter: 'name', message: 'name: 1-100 printable characters' } }, 400);
    }
    if (typeof role !== 'string' || !isRole(role)) return c.json({ error: { parameter: 'role', message: 'role: "read" or "admin"' } }, 400);
    const own = c.get('principal')?.tenant;
    const asked = body?.['tenant'];
    if (asked !== undefined && (typeof asked !== 'string' || !isTenantName(asked))) {
      return c.json({ error: { parameter: 'tenant', message: `tenant: ${tenantNameRule}` } }, 400);
    }
    if (own !== undefined && asked !== undefined && asked !== own) {
      return c.json({ error: { parameter: 'tenant', message: `tenant: an admin of tenant ${own} makes tokens of that tenant only` } }, 403);
    }
    const tenant = own ?? (asked as string | undefined);
    const created = await access.tokens.create(name, role, c.get('principal')?.name ?? '', tenant);
    return c.json(created satisfies CreatedTokenResponse, 201);
  });

  app.delete('/api/v1/auth/tokens/:id', async (c) => {
    const target = access.tokens.list().find((t) => t.id === c.req.param('id'));
    const revoked = target !== undefined && manages(c, target) && (await access.tokens.revoke(target.id));
    return revoked ? c.body(null, 204) : c.json({ error: { message: `no token ${c.req.param('id')}` } }, 404);
  });

  return app;
}
