import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ensureWebUiBuilt } from '../../src/api/web-ui-build.ts';
import { launchChromium } from '../ui/browser.ts';
import { startWith } from './harness.ts';
import type { SecuredTracehouse } from './harness.ts';
import { startTestProvider } from './oidc-provider.ts';
import type { Tamper, TestProvider } from './oidc-provider.ts';

// OpenID Connect login (authorization code flow with PKCE) against a small
// provider the test starts: the redirects followed by hand, then in Chromium.

type Me = { user: { name: string; role: string } };

describe('OIDC login', () => {
  let provider: TestProvider;
  let th: SecuredTracehouse;
  before(async () => {
    provider = await startTestProvider();
    th = await startWith({
      flags: ['--oidc-issuer', provider.issuer, '--oidc-client-id', provider.clientId, '--oidc-admins', 'ada@example.com', '--oidc-readers', '@example.org'],
      env: { TRACEHOUSE_OIDC_CLIENT_SECRET: provider.clientSecret },
    });
  });
  after(async () => {
    await th?.stop();
    await provider?.close();
  });

  const cookieOf = (response: Response) => (response.headers.getSetCookie().find((c) => !c.includes('Max-Age=0')) ?? '').split(';')[0]!;

  /** login -> provider -> callback, as a browser would; the callback's answer. */
  async function signIn(options: { dropStateCookie?: boolean } = {}): Promise<Response> {
    const start = await fetch(`${th.apiUrl}/api/v1/auth/oidc/login`, { redirect: 'manual' });
    assert.equal(start.status, 302);
    const authorize = new URL(start.headers.get('location')!);
    assert.equal(authorize.origin, provider.issuer);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    const flowCookie = cookieOf(start);
    assert.match(start.headers.getSetCookie().join(), /SameSite=Lax/);
    const back = await fetch(authorize, { redirect: 'manual' });
    const callback = back.headers.get('location')!;
    assert.ok(callback.startsWith(`${th.apiUrl}/api/v1/auth/oidc/callback?`), callback);
    return fetch(callback, { redirect: 'manual', headers: options.dropStateCookie ? {} : { cookie: flowCookie } });
  }

  test('an admin signs in: a session with the admin role, PKCE verifier sent to the provider', async () => {
    provider.user = { sub: 'u-1', email: 'ada@example.com' };
    const done = await signIn();
    assert.equal(done.status, 302);
    assert.equal(done.headers.get('location'), '/');
    const session = cookieOf(done);
    assert.match(session, /^tracehouse_session=/);
    const me = (await (await fetch(`${th.apiUrl}/api/v1/auth/session`, { headers: { cookie: session } })).json()) as Me;
    assert.equal(me.user.name, 'ada@example.com');
    assert.equal(me.user.role, 'admin');
    assert.ok((provider.lastTokenRequest?.get('code_verifier') ?? '').length >= 43);
    assert.equal((await fetch(`${th.apiUrl}/api/v1/auth/tokens`, { headers: { cookie: session } })).status, 200);
  });

  test('a reader by domain; someone listed nowhere is refused', async () => {
    provider.user = { sub: 'u-2', email: 'bob@example.org' };
    const me = (await (await fetch(`${th.apiUrl}/api/v1/auth/session`, { headers: { cookie: cookieOf(await signIn()) } })).json()) as Me;
    assert.equal(me.user.role, 'read');
    provider.user = { sub: 'u-3', email: 'eve@evil.example' };
    const refused = await signIn();
    assert.match(decodeURIComponent(refused.headers.get('location') ?? ''), /login_error=eve@evil\.example is not allowed in/);
    assert.equal(cookieOf(refused), '');
  });

  for (const [tamper, reason] of [
    ['audience', /another client/],
    ['nonce', /nonce does not match/],
    ['signature', /signature is not valid/],
    ['expired', /expired/],
    ['issuer', /issuer/],
  ] as [Tamper, RegExp][]) {
    test(`an ID token with a bad ${tamper} is refused`, async () => {
      provider.user = { sub: 'u-1', email: 'ada@example.com' };
      provider.tamper = tamper;
      try {
        const refused = await signIn();
        assert.match(decodeURIComponent(refused.headers.get('location') ?? ''), reason);
        assert.equal(cookieOf(refused), '');
      } finally {
        provider.tamper = 'none';
      }
    });
  }

  test('a callback this browser did not start (login CSRF) is refused', async () => {
    const refused = await signIn({ dropStateCookie: true });
    assert.match(decodeURIComponent(refused.headers.get('location') ?? ''), /not started in this browser/);
    assert.equal(cookieOf(refused), '');
  });

  test('in Chromium: "Log in with single sign-on" comes back logged in', async () => {
    await ensureWebUiBuilt();
    provider.user = { sub: 'u-1', email: 'ada@example.com' };
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage({ baseURL: th.apiUrl });
      page.setDefaultTimeout(15_000);
      await page.goto('/');
      await page.getByRole('link', { name: 'Log in with single sign-on' }).click();
      await page.getByTestId('current-user').filter({ hasText: 'ada@example.com (admin)' }).waitFor();
    } finally {
      await browser?.close();
    }
  });
});
