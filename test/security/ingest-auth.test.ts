import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportSpan } from './sdk-export.ts';
import type { Transport } from './sdk-export.ts';
import { startWith, storedServices } from './harness.ts';
import type { SecuredTracehouse } from './harness.ts';
import { eventually } from '../helpers/tracehouse.ts';

// Ingest authentication with the Collector's own config keys (bearertokenauth,
// basicauth, receivers.otlp.protocols.*.auth.authenticator), exercised by the
// real OpenTelemetry JS SDK exporters configured with headers / metadata. A
// refused export must never reach the pipeline: its service name is never stored.

const apr1 = execFileSync('openssl', ['passwd', '-apr1', '-salt', 'sAlTsAlT', 'apr-secret']).toString().trim();

describe('bearertokenauth and basicauth on the otlp receiver', () => {
  let th: SecuredTracehouse;
  let tokenFile: string;
  before(async () => {
    th = await startWith({
      yaml: (dir) => {
        tokenFile = path.join(dir, 'tokens');
        execFileSync('sh', ['-c', `printf 'first-token\\nsecond-token\\n' > ${tokenFile}`]);
        return `
extensions:
  bearertokenauth/file:
    filename: ${tokenFile}
  bearertokenauth/inline:
    token: inline-token
  basicauth/in:
    htpasswd:
      inline: |
        alice:${apr1}
        bob:plain-secret
receivers:
  otlp/bearer:
    protocols:
      grpc:
        endpoint: 127.0.0.1:0
        auth:
          authenticator: bearertokenauth/file
      http:
        endpoint: 127.0.0.1:0
        auth:
          authenticator: bearertokenauth/file
  otlp/basic:
    protocols:
      grpc:
        endpoint: 127.0.0.1:0
        auth:
          authenticator: basicauth/in
      http:
        endpoint: 127.0.0.1:0
        auth:
          authenticator: basicauth/in
  otlp/inline:
    protocols:
      http:
        endpoint: 127.0.0.1:0
        auth:
          authenticator: bearertokenauth/inline
exporters:
  tracehouse:
service:
  extensions: [bearertokenauth/file, bearertokenauth/inline, basicauth/in]
  pipelines:
    traces:
      receivers: [otlp/bearer, otlp/basic, otlp/inline]
      exporters: [tracehouse]
`;
      },
    });
  });
  after(() => th?.stop());

  const url = (transport: Transport, receiver: 0 | 1 | 2) =>
    transport === 'grpc' ? `http://127.0.0.1:${th.port('grpc', receiver)}` : `http://127.0.0.1:${th.port('http', receiver)}`;
  const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

  for (const transport of ['http/protobuf', 'http/json', 'grpc'] as const) {
    const refusedCode = transport === 'grpc' ? 16 : 401;
    test(`${transport}: bearer token right, wrong, missing, wrong scheme`, async () => {
      const tag = transport.replace('/', '-');
      const right = await exportSpan(transport, url(transport, 0), `bearer-right-${tag}`, { headers: { authorization: 'Bearer second-token' } });
      assert.equal(right.ok, true, right.message);
      for (const [name, headers] of [
        ['wrong', { authorization: 'Bearer not-a-token' }],
        ['missing', {}],
        ['scheme', { authorization: 'Basic second-token' }],
        ['inline token on the file receiver', { authorization: 'Bearer inline-token' }],
      ] as const) {
        const verdict = await exportSpan(transport, url(transport, 0), `bearer-${name.split(' ')[0]}-${tag}`, { headers });
        assert.equal(verdict.ok, false, name);
        assert.equal(verdict.code, refusedCode, `${name}: ${verdict.message}`);
      }
    });

    test(`${transport}: basic auth with apr1 and plain htpasswd entries`, async () => {
      const tag = transport.replace('/', '-');
      for (const [user, password] of [['alice', 'apr-secret'], ['bob', 'plain-secret']] as const) {
        const verdict = await exportSpan(transport, url(transport, 1), `basic-${user}-${tag}`, { headers: basic(user, password) });
        assert.equal(verdict.ok, true, `${user}: ${verdict.message}`);
      }
      for (const [name, headers] of [
        ['wrongpw', basic('alice', 'plain-secret')],
        ['nouser', basic('carol', 'apr-secret')],
        ['missing', {}],
        ['bearer', { authorization: 'Bearer first-token' }],
      ] as const) {
        const verdict = await exportSpan(transport, url(transport, 1), `basic-${name}-${tag}`, { headers });
        assert.equal(verdict.code, refusedCode, `${name}: ${verdict.message}`);
      }
    });
  }

  test('a refused request answers a Status with UNAUTHENTICATED in its encoding and never reaches storage', async () => {
    const json = await fetch(`${url('http/json', 2)}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(json.status, 401);
    assert.deepEqual(await json.json(), { code: 16, message: 'missing or empty authorization header: Authorization' });
    const proto = await fetch(`${url('http/json', 2)}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', authorization: 'Bearer nope' },
      body: new Uint8Array(),
    });
    assert.equal(proto.status, 401);
    assert.equal(proto.headers.get('content-type'), 'application/x-protobuf');
    assert.ok(Buffer.from(await proto.arrayBuffer()).includes('provided authorization does not match expected scheme or token'));
    const inline = await exportSpan('http/protobuf', url('http/protobuf', 2), 'inline-right', { headers: { authorization: 'Bearer inline-token' } });
    assert.equal(inline.ok, true, inline.message);

    const services = await eventually(async () => {
      const names = await storedServices(th.apiUrl);
      return names.includes('inline-right') ? names : undefined;
    });
    assert.deepEqual(
      services.filter((s) => !/-right-|^basic-(alice|bob)-|^inline-right$/.test(s)),
      [],
      'only authenticated exports are stored',
    );
    for (const t of ['http-protobuf', 'http-json', 'grpc']) {
      for (const s of [`bearer-right-${t}`, `basic-alice-${t}`, `basic-bob-${t}`]) assert.ok(services.includes(s), s);
    }
  });

  test('the token file is re-read when it is replaced: the new token works, the removed one is refused', async () => {
    const next = `${tokenFile}.next`;
    await writeFile(next, 'rotated-token\n');
    await rename(next, tokenFile);
    await eventually(async () => {
      const verdict = await exportSpan('http/protobuf', url('http/protobuf', 0), 'rotated', { headers: { authorization: 'Bearer rotated-token' } });
      return verdict.ok ? true : undefined;
    }, 50, 200);
    const old = await exportSpan('grpc', url('grpc', 0), 'after-rotation', { headers: { authorization: 'Bearer first-token' } });
    assert.equal(old.code, 16);
    const rotated = await exportSpan('grpc', url('grpc', 0), 'rotated-grpc', { headers: { authorization: 'Bearer rotated-token' } });
    assert.equal(rotated.ok, true, rotated.message);
  });
});

describe('--ingest-token for the built-in pipeline', () => {
  let th: SecuredTracehouse;
  before(async () => {
    th = await startWith({ flags: [], env: { TRACEHOUSE_INGEST_TOKEN: 's3cret-ingest' } });
  });
  after(() => th?.stop());

  test('the UI setup endpoint tells the "Send data" page that senders need a token', async () => {
    const setup = (await (await fetch(`${th.apiUrl}/api/v1/ui/setup`)).json()) as { receivers: { authenticated?: boolean }[] };
    assert.equal(setup.receivers.length, 2);
    assert.ok(setup.receivers.every((r) => r.authenticated === true));
  });

  for (const transport of ['http/protobuf', 'grpc'] as const) {
    test(`${transport}: TRACEHOUSE_INGEST_TOKEN protects both receivers`, async () => {
      const target = transport === 'grpc' ? `http://127.0.0.1:${th.port('grpc')}` : `http://127.0.0.1:${th.port('http')}`;
      const right = await exportSpan(transport, target, `flag-${transport}`, { headers: { authorization: 'Bearer s3cret-ingest' } });
      assert.equal(right.ok, true, right.message);
      const wrong = await exportSpan(transport, target, `flag-wrong-${transport}`, { headers: { authorization: 'Bearer guess' } });
      assert.equal(wrong.code, transport === 'grpc' ? 16 : 401);
      const missing = await exportSpan(transport, target, `flag-missing-${transport}`);
      assert.equal(missing.code, transport === 'grpc' ? 16 : 401);
    });
  }
});
