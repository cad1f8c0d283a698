import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ensureWebUiBuilt } from '../../src/api/web-ui-build.ts';
import { addUser } from '../../src/auth/user-store.ts';
import { eventually } from '../helpers/tracehouse.ts';
import { launchChromium } from '../ui/browser.ts';
import { startWith } from './harness.ts';
import type { SecuredTracehouse } from './harness.ts';

// Login, token management, logout, session expiry and CSRF in a real Chromium.
// The "attacker" page is served from another port of the same address: another
// origin but the same site, so SameSite=Strict does not keep the cookie off its
// requests and only the CSRF token and the absence of CORS headers protect.

// Long enough for the steps before logout on a loaded machine; the expiry step waits it out.
const sessionTtlS = 15;
let th: SecuredTracehouse;
let browser: Browser;
let attacker: { url: string; close(): Promise<void> };

before(async () => {
  await ensureWebUiBuilt();
  th = await startWith({ flags: ['--session-ttl', `${sessionTtlS}s`] });
  await addUser(path.join(th.dir, 'data'), 'ada', 'analytical engine', 'admin');
  await eventually(async () => ((await fetch(`${th.apiUrl}/api/v1/services`)).status === 401 ? true : undefined));
  browser = await launchChromium();
  const server = createServer((_req, res) => res.end('<!doctype html><title>elsewhere</title><p>another origin</p>'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  attacker = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
});
after(async () => {
  await browser?.close();
  await attacker?.close();
  await th?.stop();
});

async function logIn(page: Page, password: string): Promise<void> {
  await page.getByLabel('User name').fill('ada');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

test('login, tokens, CSRF from another origin, logout and session expiry', async () => {
  const context = await browser.newContext({ baseURL: th.apiUrl });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto('/traces');
  await page.getByRole('heading', { name: 'Log in to Tracehouse' }).waitFor();

  await logIn(page, 'difference engine');
  await page.getByRole('alert').filter({ hasText: 'wrong user name or password' }).waitFor();
  await logIn(page, 'analytical engine');
  await page.getByTestId('current-user').filter({ hasText: 'ada (admin)' }).waitFor();

  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'tracehouse_session');
  assert.ok(session, 'session cookie set');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Strict');
  assert.equal(await page.evaluate('document.cookie'), '', 'scripts cannot read the session cookie');

  await page.getByRole('link', { name: 'Tokens' }).click();
  await page.getByLabel('Name').fill('grafana');
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = (await page.getByTestId('new-token').textContent()) ?? '';
  assert.match(token, /^th_[\w-]{32}$/);
  await page.getByRole('cell', { name: 'grafana', exact: true }).waitFor();
  assert.equal((await fetch(`${th.apiUrl}/api/v1/services`, { headers: { authorization: `Bearer ${token}` } })).status, 200);

  // Another origin: it cannot read the API, and its writes carry the cookie but no CSRF token.
  const other = await context.newPage();
  await other.goto(attacker.url);
  const outcome = await other.evaluate(async (api) => {
    const read = await fetch(`${api}/api/v1/services`, { credentials: 'include' }).then(
      () => 'read',
      () => 'blocked',
    );
    await fetch(`${api}/api/v1/auth/tokens`, {
      method: 'POST',
      mode: 'no-cors',
      credentials: 'include',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ name: 'stolen', role: 'admin' }),
    });
    await fetch(`${api}/api/v1/auth/logout`, { method: 'POST', mode: 'no-cors', credentials: 'include' });
    return read;
  }, th.apiUrl);
  assert.equal(outcome, 'blocked');
  await page.reload();
  await page.getByTestId('current-user').filter({ hasText: 'ada' }).waitFor();
  await page.getByRole('cell', { name: 'grafana', exact: true }).waitFor();
  assert.equal(await page.getByRole('cell', { name: 'stolen' }).count(), 0);

  // Revoked in the UI: the row goes, the token stops working.
  await page.getByRole('link', { name: 'Tokens' }).click();
  await page.getByRole('button', { name: 'Revoke grafana' }).click();
  await page.getByText('No access tokens yet.').waitFor();
  assert.equal((await fetch(`${th.apiUrl}/api/v1/services`, { headers: { authorization: `Bearer ${token}` } })).status, 401);

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('heading', { name: 'Log in to Tracehouse' }).waitFor();
  assert.equal(await page.evaluate(async () => (await fetch('/api/v1/services')).status), 401);
  await page.goto('/traces');
  await page.getByRole('heading', { name: 'Log in to Tracehouse' }).waitFor();

  // Expiry: once the session's lifetime is over, the next request shows the login page again.
  await logIn(page, 'analytical engine');
  await page.getByTestId('current-user').waitFor();
  await page.waitForTimeout((sessionTtlS + 1) * 1000);
  // Without a reload: the page's next API call gets 401 and the gate shows the login form
  // (a query of the open page may already have done so, which detaches the link).
  await page.getByRole('link', { name: 'Logs' }).click({ timeout: 2_000 }).catch(() => undefined);
  await page.getByRole('heading', { name: 'Log in to Tracehouse' }).waitFor();
  assert.equal(await page.evaluate(async () => (await fetch('/api/v1/logs')).status), 401);
  await context.close();
});
