import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { request } from 'node:https';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { addUser } from '../../src/auth/user-store.ts';
import { resolveOptions } from '../../src/config/options.ts';
import { createLogger } from '../../src/lib/log.ts';
import { eventually, tempDir } from '../helpers/tracehouse.ts';
import { startWith } from './harness.ts';
import { createTestCa } from './test-ca.ts';

// Safe defaults: loopback unless told otherwise (the Collector since v0.104.0),
// a start-up log that says how to listen further, a loud warning for a listener
// reachable from other machines without authentication; under TLS the session
// cookie is Secure and __Host- prefixed; /metrics follows --metrics-access.

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger('info', (line) => lines.push(line)) };
}

test('every listener defaults to localhost', () => {
  const o = resolveOptions([], {});
  assert.deepEqual([o.otlpGrpc.host, o.otlpHttp.host, o.api.host], ['localhost', 'localhost', 'localhost']);
});

test('loopback: the log says how to listen on all interfaces; no warning', async () => {
  const { lines, logger } = capture();
  const th = await startWith({ logger });
  try {
    assert.ok(lines.some((l) => l.includes('listening on localhost only') && l.includes('0.0.0.0')), lines.join('\n'));
    assert.ok(!lines.some((l) => l.includes('SECURITY')), lines.join('\n'));
  } finally {
    await th.stop();
  }
});

test('all interfaces without authentication: a loud warning per listener; with a token and a user, none', async () => {
  const open = capture();
  const wide = ['--otlp-grpc-host', '0.0.0.0', '--otlp-http-host', '0.0.0.0', '--api-host', '0.0.0.0'];
  const th = await startWith({ flags: wide, logger: open.logger });
  try {
    const warnings = open.lines.filter((l) => l.includes('WARN') && l.includes('!!! SECURITY'));
    assert.equal(warnings.length, 3, open.lines.join('\n'));
    assert.ok(warnings.some((l) => l.includes('OTLP/gRPC receiver') && l.includes('--ingest-token')));
    assert.ok(warnings.some((l) => l.includes('query API') && l.includes('tracehouse user add')));
  } finally {
    await th.stop();
  }

  const data = await tempDir('tracehouse-security-users-');
  try {
    await addUser(data.dir, 'ops', 'long enough password', 'admin');
    const closed = capture();
    const secured = await startWith({ flags: [...wide, '--ingest-token', 'tok', '--data-dir', data.dir], logger: closed.logger });
    try {
      assert.deepEqual(closed.lines.filter((l) => l.includes('SECURITY')), []);
    } finally {
      await secured.stop();
    }
  } finally {
    await data.remove();
  }
});

function httpsRequest(url: string, ca: Buffer, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request(url, { ca, method: init.method ?? 'GET', headers: init.headers ?? {} }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

test('--tls-cert-file serves the API over HTTPS with a Secure __Host- session cookie; --metrics-access public opens /metrics only', async () => {
  const pki = await tempDir('tracehouse-security-pki-');
  try {
    mkdirSync(path.join(pki.dir, 'ca'));
    const ca = createTestCa(path.join(pki.dir, 'ca'));
    const server = ca.issue('api', 'server');
    const th = await startWith({ flags: ['--tls-cert-file', server.certFile, '--tls-key-file', server.keyFile, '--metrics-access', 'public'] });
    try {
      assert.ok(th.apiUrl.startsWith('https://'));
      await addUser(path.join(th.dir, 'data'), 'ops', 'long enough password', 'read');
      await eventually(async () => ((await httpsRequest(`${th.apiUrl}/api/v1/services`, ca.ca)).status === 401 ? true : undefined));
      const login = await httpsRequest(`${th.apiUrl}/api/v1/auth/login`, ca.ca, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'ops', password: 'long enough password' }),
      });
      assert.equal(login.status, 200);
      const cookie = String(login.headers['set-cookie']);
      assert.match(cookie, /^__Host-tracehouse_session=/);
      assert.match(cookie, /; Secure/);
      assert.match(cookie, /; HttpOnly/);
      assert.match(cookie, /SameSite=Strict/);
      assert.equal((await httpsRequest(`${th.apiUrl}/metrics`, ca.ca)).status, 200);
      assert.equal((await httpsRequest(`${th.apiUrl}/api/v1/logs`, ca.ca)).status, 401);
    } finally {
      await th.stop();
    }
  } finally {
    await pki.remove();
  }
});

test('--api-auth required asks for credentials before any user exists; --allowed-hosts names extra Host values', async () => {
  const required = await startWith({ flags: ['--api-auth', 'required'] });
  try {
    assert.equal((await fetch(`${required.apiUrl}/api/v1/services`)).status, 401);
    assert.equal((await fetch(`${required.apiUrl}/healthz`)).status, 200);
    assert.deepEqual(await (await fetch(`${required.apiUrl}/api/v1/auth/session`)).json(), { authEnabled: true });
  } finally {
    await required.stop();
  }
  const open = await startWith({ flags: ['--allowed-hosts', 'Tracehouse.Internal, other.example'] });
  try {
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${open.apiUrl}/api/v1/services`, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    assert.equal(await status('tracehouse.internal:8080'), 200);
    assert.equal(await status('other.example'), 200);
    assert.equal(await status('third.example'), 403);
  } finally {
    await open.stop();
  }
});
