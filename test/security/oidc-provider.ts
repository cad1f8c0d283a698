import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// A small OpenID Connect provider for tests: discovery, an authorization
// endpoint that signs in `user` at once (no form) and redirects back with a
// code, a token endpoint that checks the client secret, redirect URI and the
// PKCE verifier (S256) before it issues an RS256 ID token, and the JWKS.
// `tamper` makes it misbehave in one way, to check the relying party refuses.

export interface TestUser {
  sub: string;
  email: string;
}

export type Tamper = 'none' | 'audience' | 'nonce' | 'signature' | 'expired' | 'issuer';

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  user: TestUser;
  tamper: Tamper;
  /** What the token endpoint saw last, to check PKCE was used. */
  lastTokenRequest: URLSearchParams | undefined;
  close(): Promise<void>;
}

export async function startTestProvider(): Promise<TestProvider> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(4).toString('hex');
  const codes = new Map<string, { challenge: string; nonce: string; redirectUri: string; user: TestUser }>();
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const provider: TestProvider = {
    issuer: '',
    clientId: 'tracehouse-test',
    clientSecret: 'provider-secret',
    user: { sub: 'u-1', email: 'ada@example.com' },
    tamper: 'none',
    lastTokenRequest: undefined,
    close: async () => {},
  };
  const idToken = (nonce: string, user: TestUser) => {
    const now = Math.floor(Date.now() / 1000);
    const t = provider.tamper;
    const header = b64({ alg: 'RS256', typ: 'JWT', kid });
    const payload = b64({
      iss: t === 'issuer' ? 'https://elsewhere.example' : provider.issuer,
      aud: t === 'audience' ? 'another-client' : provider.clientId,
      sub: user.sub,
      email: user.email,
      email_verified: true,
      nonce: t === 'nonce' ? 'not-the-nonce' : nonce,
      iat: now,
      exp: t === 'expired' ? now - 3600 : now + 300,
    });
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url');
    return `${header}.${payload}.${t === 'signature' ? signature.slice(0, -4) + 'AAAA' : signature}`;
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', provider.issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, { issuer: provider.issuer, authorization_endpoint: `${provider.issuer}/authorize`, token_endpoint: `${provider.issuer}/token`, jwks_uri: `${provider.issuer}/jwks` });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] });
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      if (q.get('client_id') !== provider.clientId || q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
        return json(400, { error: 'invalid_request' });
      }
      const code = randomBytes(16).toString('hex');
      codes.set(code, { challenge: q.get('code_challenge')!, nonce: q.get('nonce') ?? '', redirectUri: q.get('redirect_uri') ?? '', user: provider.user });
      const back = new URL(q.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        provider.lastTokenRequest = form;
        const expected = `Basic ${Buffer.from(`${provider.clientId}:${provider.clientSecret}`).toString('base64')}`;
        if (req.headers.authorization !== expected) return json(401, { error: 'invalid_client' });
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        if (!grant || grant.redirectUri !== form.get('redirect_uri') || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
          return json(400, { error: 'invalid_grant' });
        }
        return json(200, { access_token: 'opaque', token_type: 'Bearer', id_token: idToken(grant.nonce, grant.user) });
      });
      return;
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  provider.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  provider.close = () => new Promise((resolve) => server.close(() => resolve()));
  return provider;
}
