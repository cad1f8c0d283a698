import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { connect } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../helpers/tracehouse.ts';
import { startWith, storedServices } from './harness.ts';
import type { SecuredTracehouse } from './harness.ts';
import { exportSpan } from './sdk-export.ts';
import { createTestCa } from './test-ca.ts';
import type { IssuedCert, TestCa } from './test-ca.ts';

// TLS on the otlp receiver with the Collector's keys (cert_file, key_file,
// client_ca_file for mutual TLS, reload_interval), against the OpenTelemetry JS
// SDK's exporters trusting a CA made at test time.

describe('receiver TLS and mutual TLS', () => {
  let th: SecuredTracehouse;
  let ca: TestCa;
  let other: TestCa;
  let client: IssuedCert;
  let stranger: IssuedCert;
  let serving: { certFile: string; keyFile: string };
  before(async () => {
    th = await startWith({
      yaml: (dir) => {
        const pki = path.join(dir, 'pki');
        mkdirSync(pki);
        ca = createTestCa(pki);
        other = createTestCa(pki, 'other');
        const server = ca.issue('server', 'server');
        client = ca.issue('client', 'client');
        stranger = other.issue('client', 'client');
        // The files the receiver serves, replaced later to test reload_interval.
        serving = { certFile: path.join(pki, 'serving.pem'), keyFile: path.join(pki, 'serving.key') };
        copyFileSync(server.certFile, serving.certFile);
        copyFileSync(server.keyFile, serving.keyFile);
        return `
extensions:
  bearertokenauth:
    token: tls-token
receivers:
  otlp/tls:
    protocols:
      grpc:
        endpoint: 127.0.0.1:0
        tls: { cert_file: ${serving.certFile}, key_file: ${serving.keyFile}, reload_interval: 300ms }
        auth: { authenticator: bearertokenauth }
      http:
        endpoint: 127.0.0.1:0
        tls: { cert_file: ${serving.certFile}, key_file: ${serving.keyFile}, reload_interval: 300ms }
        auth: { authenticator: bearertokenauth }
  otlp/mtls:
    protocols:
      grpc:
        endpoint: 127.0.0.1:0
        tls: { cert_file: ${server.certFile}, key_file: ${server.keyFile}, client_ca_file: ${ca.caFile}, min_version: "1.3" }
      http:
        endpoint: 127.0.0.1:0
        tls: { cert_file: ${server.certFile}, key_file: ${server.keyFile}, client_ca_file: ${ca.caFile}, min_version: "1.3" }
exporters:
  tracehouse:
service:
  extensions: [bearertokenauth]
  pipelines:
    traces:
      receivers: [otlp/tls, otlp/mtls]
      exporters: [tracehouse]
`;
      },
    });
  });
  after(() => th?.stop());

  const bearer = { authorization: 'Bearer tls-token' };
  const grpcUrl = (i: number) => `https://127.0.0.1:${th.port('grpc', i)}`;
  const httpUrl = (i: number) => `https://127.0.0.1:${th.port('http', i)}`;

  test('HTTPS and gRPC over TLS with a token; plaintext and untrusted certificates fail', async () => {
    for (const [transport, url] of [['http/protobuf', httpUrl(0)], ['grpc', grpcUrl(0)]] as const) {
      const ok = await exportSpan(transport, url, `tls-${transport.replace('/', '-')}`, { headers: bearer, tls: { ca: ca.ca } });
      assert.equal(ok.ok, true, `${transport}: ${ok.message}`);
      const noToken = await exportSpan(transport, url, 'tls-no-token', { tls: { ca: ca.ca } });
      assert.equal(noToken.code, transport === 'grpc' ? 16 : 401);
      const untrusted = await exportSpan(transport, url, 'tls-untrusted', { headers: bearer, tls: { ca: other.ca }, timeoutMs: 2_000 });
      assert.equal(untrusted.ok, false, `${transport} trusting another CA`);
    }
    const plaintext = await exportSpan('http/protobuf', httpUrl(0).replace('https:', 'http:'), 'tls-plaintext', { headers: bearer, timeoutMs: 2_000 });
    assert.equal(plaintext.ok, false);
    const plainGrpc = await exportSpan('grpc', grpcUrl(0).replace('https:', 'http:'), 'tls-plaintext-grpc', { headers: bearer, timeoutMs: 2_000 });
    assert.equal(plainGrpc.ok, false);
  });

  test('mutual TLS: a client without a certificate, or with one another CA signed, is refused', async () => {
    for (const [transport, url] of [['http/protobuf', httpUrl(1)], ['grpc', grpcUrl(1)]] as const) {
      const tag = transport.replace('/', '-');
      const withCert = await exportSpan(transport, url, `mtls-${tag}`, { tls: { ca: ca.ca, cert: client.cert, key: client.key } });
      assert.equal(withCert.ok, true, `${transport}: ${withCert.message}`);
      const without = await exportSpan(transport, url, `mtls-none-${tag}`, { tls: { ca: ca.ca }, timeoutMs: 2_000 });
      assert.equal(without.ok, false, `${transport} without a client certificate`);
      const foreign = await exportSpan(transport, url, `mtls-foreign-${tag}`, { tls: { ca: ca.ca, cert: stranger.cert, key: stranger.key }, timeoutMs: 2_000 });
      assert.equal(foreign.ok, false, `${transport} with another CA's certificate`);
    }
    // min_version 1.3: a TLS 1.2 client is refused during the handshake.
    const tls12 = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: th.port('http', 1), ca: ca.ca, cert: client.cert, key: client.key, maxVersion: 'TLSv1.2' });
      socket.once('secureConnect', () => { socket.destroy(); resolve('connected'); });
      socket.once('error', () => resolve('refused'));
    });
    assert.equal(tls12, 'refused');
    const services = await eventually(async () => {
      const names = await storedServices(th.apiUrl);
      return names.includes('mtls-grpc') && names.includes('tls-grpc') ? names : undefined;
    });
    assert.deepEqual(services.filter((s) => /none|foreign|untrusted|plaintext|no-token/.test(s)), []);
  });

  test('reload_interval: a replaced certificate is served without a restart', async () => {
    const serial = (port: number) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, ca: ca.ca, ALPNProtocols: ['h2', 'http/1.1'] }, () => {
          const peer = socket.getPeerCertificate();
          socket.destroy();
          resolve(peer.serialNumber);
        });
        socket.once('error', reject);
      });
    const before = { http: await serial(th.port('http', 0)), grpc: await serial(th.port('grpc', 0)) };
    const renewed = ca.issue('renewed', 'server');
    copyFileSync(renewed.keyFile, serving.keyFile);
    copyFileSync(renewed.certFile, serving.certFile);
    for (const protocol of ['http', 'grpc'] as const) {
      const now = await eventually(async () => {
        const s = await serial(th.port(protocol, 0));
        return s !== before[protocol] ? s : undefined;
      }, 50, 100);
      assert.notEqual(now, before[protocol]);
    }
    const ok = await exportSpan('grpc', grpcUrl(0), 'tls-after-reload', { headers: bearer, tls: { ca: ca.ca } });
    assert.equal(ok.ok, true, ok.message);
  });
});
