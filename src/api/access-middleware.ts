import { timingSafeEqual } from 'node:crypto';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { ApiAccess } from '../auth/api-access.ts';
import type { Principal } from '../auth/roles.ts';
import { runAsTenant } from '../tenancy/tenant-context.ts';
import { hostAllowed } from './host-check.ts';
import { serveIndex } from './web-ui.ts';
import { webDistDir } from './web-ui-build.ts';

// Every request to the API port passes here first. Authentication off (no user
// yet, --api-auth auto): only a Host that names this machine is answered (DNS
// rebinding: a page on evil.example that re-resolves its name to 127.0.0.1 would
// otherwise read the API as same-origin). On: a session cookie or an access token
// (`Authorization: Bearer`), a CSRF token on state-changing requests made with
// the cookie, the admin role on /api/v1/auth/tokens. Every answer carries
// nosniff and Referrer-Policy, and no CORS headers: no other origin may read it.

export const sessionCookieName = (secure: boolean): string => (secure ? '__Host-tracehouse_session' : 'tracehouse_session');

export type AccessVariables = { principal: Principal | undefined; sessionId: string | undefined };

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Served without credentials: probes, the page's assets (no data), the login itself. */
function isOpen(c: Context, access: ApiAccess): boolean {
  const { path } = c.req;
  if (path === '/healthz' || path === '/readyz') return true;
  if (path === '/metrics') return access.metricsPublic;
  if (path === '/api/v1/auth/login' || path === '/api/v1/auth/session' || path.startsWith('/api/v1/auth/oidc/')) return true;
  // The Jaeger API under its base path and the MCP endpoint read the same data as /api/.
  if (path.startsWith('/jaeger/') || path === '/mcp') return false;
  return path.startsWith('/assets/');
}

/**
 * A browser opening a page link (/trace/<id>, /logs...) while logged out gets the
 * page shell, which shows the login form; never the route behind the path. So a
 * route added later outside /api/ is closed unless listed in isOpen (fail-closed).
 */
function wantsShell(c: Context): boolean {
  const { path, method } = c.req;
  // Browsers navigating ask for text/html; API clients (curl, Grafana, Jaeger) get their 401.
  const html = (c.req.header('accept') ?? '').includes('text/html');
  return html && (method === 'GET' || method === 'HEAD') && !path.startsWith('/api/') && !path.startsWith('/v1/') && path !== '/metrics';
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function mountAccessControl(app: Hono<{ Variables: AccessVariables }>, access: ApiAccess, boundHost: string): void {
  const middleware: MiddlewareHandler<{ Variables: AccessVariables }> = async (c, next) => {
    const enabled = await access.enabled();
    const refuse = (status: 401 | 403, message: string) => {
      const headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': 'Bearer realm="tracehouse"' } : {};
      return c.json({ error: { message } }, status, headers);
    };
    c.set('principal', undefined);
    c.set('sessionId', undefined);
    if (!enabled) {
      if (!hostAllowed(c.req.header('host'), boundHost, access.allowedHosts)) {
        return c.json({ error: { message: `Host "${c.req.header('host') ?? ''}" is not a name of this server: add it to --allowed-hosts, or turn on authentication (tracehouse user add)` } }, 403);
      }
      await next();
      return;
    }
    const principal = resolvePrincipal(c, access);
    if (principal && principal.invalid === undefined) c.set('principal', principal.principal);
    if (principal?.sessionId) c.set('sessionId', principal.sessionId);
    if (!isOpen(c, access)) {
      if (principal === undefined) {
        if (wantsShell(c)) return serveIndex(c, webDistDir);
        return refuse(401, 'authentication required: log in, or send Authorization: Bearer <access token>');
      }
      if (principal.invalid) return refuse(401, principal.invalid);
      if (c.req.path.startsWith('/api/v1/auth/tokens') && principal.principal.role !== 'admin') {
        return refuse(403, 'managing access tokens needs the admin role');
      }
    }
    // A cookie is sent by the browser whoever made the page: a state-changing
    // request with one must prove it comes from our page (synchronizer token).
    if (principal?.sessionId && !safeMethods.has(c.req.method) && c.req.path !== '/api/v1/auth/login') {
      const sent = c.req.header('x-csrf-token') ?? '';
      const session = access.sessions.get(principal.sessionId);
      if (session === undefined || !sameText(sent, session.csrfToken)) return refuse(403, 'missing or wrong X-CSRF-Token');
    }
    // Every read below runs as the principal's tenant: the store the routes hold
    // picks the tenant's database from this (tenancy/tenant-store.ts).
    const tenant = principal?.invalid === undefined ? principal?.principal.tenant : undefined;
    await runAsTenant(tenant, next);
  };
  app.use('*', async (c, next) => {
    const refused = await middleware(c, next);
    if (refused) c.res = refused;
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    c.res.headers.set('Referrer-Policy', 'no-referrer');
    if (c.req.path.startsWith('/api/v1/auth/')) c.res.headers.set('Cache-Control', 'no-store');
  });
}

type Resolved = { principal: Principal; sessionId?: string; invalid?: undefined } | { principal: Principal; sessionId?: undefined; invalid: string };

function resolvePrincipal(c: Context, access: ApiAccess): Resolved | undefined {
  const authorization = c.req.header('authorization');
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const token = match && access.tokens.find(match[1]!);
    const nobody: Principal = { kind: 'token', name: '', role: 'read' };
    if (!token) return { principal: nobody, invalid: 'the access token is not valid (revoked, mistyped, or not a Bearer token)' };
    return { principal: { kind: 'token', name: token.name, role: token.role, tenant: token.tenant } };
  }
  const id = getCookie(c, sessionCookieName(access.secureCookies));
  if (id === undefined) return undefined;
  const session = access.sessions.get(id);
  if (session === undefined) return undefined;
  return { principal: { kind: 'session', name: session.user, role: session.role, tenant: session.tenant }, sessionId: id };
}
