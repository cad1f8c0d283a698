import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createQueryApi } from '../../src/api/query-api.ts';
import { addUser } from '../../src/auth/user-store.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { createMetricsRegistry } from '../../src/telemetry/metrics-registry.ts';
import { eventually } from '../helpers/tracehouse.ts';
import { startWith } from './harness.ts';
import type { SecuredTracehouse } from './harness.ts';
import { request } from 'node:http';
import path from 'node:path';

// The query API's access rules against a running Tracehouse: open on loopback
// until the first user exists (with Host checked against DNS rebinding), then
// every route asks for a session or a token, tokens manage by admins only.

/** Every route the API has, with its parameters filled in. */
function everyRoute(): { method: string; path: string }[] {
  const app = createQueryApi({ reader: {} as never, logger: silentLogger, metrics: createMetricsRegistry() });
  const fill = (p: string) =>
    p
      .replace(':traceId', '4bf92f3577b34da6a3ce929d0e0e4736')
      .replace(':spanId', '00f067aa0ba902b7')
      .replace(/:[a-zA-Z]+/g, 'x')
      .replace('/*', '/some/page');
  const seen = new Set<string>();
  return app.routes
    .map((r) => ({ method: r.method === 'ALL' ? 'GET' : r.method, path: fill(r.path) }))
    .filter((r) => (seen.has(`${r.method} ${r.path}`) ? false : (seen.add(`${r.method} ${r.path}`), true)));
}

/** node:http, not fetch: fetch does not let a caller choose the Host header. */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const openRoutes = new Set(['GET /healthz', 'GET /readyz', 'GET /assets/x']);

describe('query API access', () => {
  let th: SecuredTracehouse;
  before(async () => {
    th = await startWith({});
  });
  after(() => th?.stop());

  const get = (p: string, headers: Record<string, string> = {}) => fetch(`${th.apiUrl}${p}`, { headers });

  test('without users: open on loopback, a rebinding Host refused, strict headers, no CORS', async () => {
    const ok = await get('/api/v1/services');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(ok.headers.get('referrer-policy'), 'no-referrer');
    for (const host of [`localhost:${th.server.api.port}`, '127.0.0.1', '[::1]:1']) {
      assert.equal((await getWithHost(`${th.apiUrl}/api/v1/services`, host)).status, 200, host);
    }
    const rebound = await getWithHost(`${th.apiUrl}/api/v1/services`, `attacker.example:${th.server.api.port}`);
    assert.equal(rebound.status, 403);
    assert.match(JSON.parse(rebound.body).error.message, /not a name of this server: add it to --allowed-hosts/);
    assert.equal((await getWithHost(`${th.apiUrl}/`, 'attacker.example')).status, 403);

    const crossOrigin = await get('/api/v1/services', { origin: 'https://attacker.example' });
    assert.equal(crossOrigin.headers.get('access-control-allow-origin'), null);
    const preflight = await fetch(`${th.apiUrl}/api/v1/auth/tokens`, {
      method: 'OPTIONS',
      headers: { origin: 'https://attacker.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    assert.equal(preflight.headers.get('access-control-allow-methods'), null);

    const session = await (await get('/api/v1/auth/session')).json();
    assert.deepEqual(session, { authEnabled: false });
  });

  test('the first user turns authentication on: every route but the probes and the assets asks for credentials', async () => {
    await addUser(path.join(th.dir, 'data'), 'admin', 'correct horse battery', 'admin');
    await addUser(path.join(th.dir, 'data'), 'reader', 'reader password', 'read');
    await eventually(async () => ((await get('/api/v1/services')).status === 401 ? true : undefined));
    const routes = [...everyRoute(), { method: 'GET', path: '/metrics' }, { method: 'GET', path: '/api/v1/auth/tokens' }, { method: 'POST', path: '/api/v1/auth/tokens' }, { method: 'DELETE', path: '/api/v1/auth/tokens/x' }];
    assert.ok(routes.length > 30, `${routes.length} routes`);
    for (const route of routes) {
      const response = await fetch(`${th.apiUrl}${route.path}`, { method: route.method });
      const key = `${route.method} ${route.path}`;
      if (openRoutes.has(key)) assert.notEqual(response.status, 401, key);
      else {
        assert.equal(response.status, 401, key);
        assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="tracehouse"', key);
      }
    }
    // Logged out, any page link gets the shell (which shows the login form), never what a route behind it serves.
    for (const page of ['/trace/4bf92f3577b34da6a3ce929d0e0e4736', '/jaeger/api/services', '/mcp', '/anything']) {
      const response = await fetch(`${th.apiUrl}${page}`, { headers: { accept: 'text/html,application/xhtml+xml' } });
      assert.ok([200, 503].includes(response.status), page);
      assert.match(response.headers.get('content-type') ?? '', /^text\/(html|plain)/, page);
    }
    // The login page must load without credentials; no Host restriction once logins are required.
    assert.equal((await getWithHost(`${th.apiUrl}/api/v1/auth/session`, 'tracehouse.example')).status, 200);
  });

  test('sessions and tokens: CSRF on state changes, read tokens read, only admins manage tokens, revoked tokens stop working', async () => {
    const wrong = await fetch(`${th.apiUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'nope' }) });
    assert.equal(wrong.status, 401);
    const form = await fetch(`${th.apiUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=admin&password=correct+horse+battery' });
    assert.equal(form.status, 400, 'a form post cannot log in');
    const foreign = await fetch(`${th.apiUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://attacker.example' }, body: JSON.stringify({ username: 'admin', password: 'correct horse battery' }) });
    assert.equal(foreign.status, 403);

    const login = await fetch(`${th.apiUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'correct horse battery' }) });
    assert.equal(login.status, 200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^tracehouse_session=[\w-]{40,};/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.match(setCookie, /Path=\//);
    const cookie = setCookie.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    assert.equal((await get('/api/v1/services', { cookie })).status, 200);

    const create = (headers: Record<string, string>, role = 'read') =>
      fetch(`${th.apiUrl}/api/v1/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name: `${role} token`, role }) });
    assert.equal((await create({ cookie })).status, 403, 'no CSRF token');
    assert.equal((await create({ cookie, 'x-csrf-token': 'forged' })).status, 403, 'wrong CSRF token');
    const made = await create({ cookie, 'x-csrf-token': csrfToken });
    assert.equal(made.status, 201);
    const readToken = ((await made.json()) as { token: string }).token;
    const adminToken = ((await (await create({ cookie, 'x-csrf-token': csrfToken }, 'admin')).json()) as { token: string }).token;

    const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
    assert.equal((await get('/api/v1/services', bearer(readToken))).status, 200);
    assert.equal((await get('/api/v1/query?query=up', bearer(readToken))).status, 200);
    assert.equal((await get('/metrics', bearer(readToken))).status, 200);
    assert.equal((await get('/api/v1/auth/tokens', bearer(readToken))).status, 403);
    assert.equal((await create(bearer(readToken))).status, 403);
    assert.equal((await get('/api/v1/services', bearer('th_guessed'))).status, 401);
    assert.equal((await get('/api/v1/services', { authorization: `Basic ${readToken}` })).status, 401);
    // Bearer tokens are not ambient (a browser never adds them), so no CSRF token is needed.
    const list = await get('/api/v1/auth/tokens', bearer(adminToken));
    assert.equal(list.status, 200);
    const { tokens } = (await list.json()) as { tokens: { id: string; name: string }[] };
    assert.deepEqual(tokens.map((t) => t.name), ['read token', 'admin token']);
    assert.ok(!JSON.stringify(tokens).includes(readToken), 'secrets are never listed');

    // A user with the read role reads, and cannot manage tokens.
    const readerLogin = await fetch(`${th.apiUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'reader', password: 'reader password' }) });
    const readerCookie = (readerLogin.headers.get('set-cookie') ?? '').split(';')[0]!;
    assert.equal((await get('/api/v1/logs', { cookie: readerCookie })).status, 200);
    assert.equal((await get('/api/v1/auth/tokens', { cookie: readerCookie })).status, 403);

    const revoke = await fetch(`${th.apiUrl}/api/v1/auth/tokens/${tokens[0]!.id}`, { method: 'DELETE', headers: bearer(adminToken) });
    assert.equal(revoke.status, 204);
    assert.equal((await get('/api/v1/services', bearer(readToken))).status, 401);

    const logoutWithout = await fetch(`${th.apiUrl}/api/v1/auth/logout`, { method: 'POST', headers: { cookie } });
    assert.equal(logoutWithout.status, 403, 'logout needs the CSRF token too');
    const logout = await fetch(`${th.apiUrl}/api/v1/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken } });
    assert.equal(logout.status, 200);
    assert.equal((await get('/api/v1/services', { cookie })).status, 401);
  });
});
