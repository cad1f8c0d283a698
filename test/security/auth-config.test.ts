import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { createFactoryRegistry } from '../../src/components.ts';
import { ConfigError, resolveCollectorConfig } from '../../src/config/collector-config.ts';
import { defaultCollectorConfig } from '../../src/config/default-config.ts';
import { resolveOptions } from '../../src/config/options.ts';

// auth.authenticator and tls are checked when the config loads, each problem
// naming its YAML path, before anything listens.

const registry = createFactoryRegistry(() => {
  throw new Error('not opened');
});

function problems(yaml: string): readonly string[] {
  try {
    resolveCollectorConfig(parse(yaml), registry);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

test('authenticator references: undefined, not started, wrong side; extension options', () => {
  assert.deepEqual(
    problems(`
extensions:
  bearertokenauth: { token: t }
  file_storage:
  basicauth/empty: {}
receivers:
  otlp:
    protocols:
      grpc: { auth: { authenticator: nope } }
      http: { auth: { authenticator: bearertokenauth } }
  otlp/2:
    protocols:
      grpc: { endpoint: "localhost:1", auth: { authenticator: file_storage } }
exporters:
  otlphttp: { endpoint: "http://x:4318", auth: { authenticator: bearertokenauth } }
service:
  extensions: [file_storage]
  pipelines:
    logs: { receivers: [otlp, otlp/2], exporters: [otlphttp] }
`),
    [
      "extensions.\"basicauth/empty\": no credential source provided: set htpasswd.file, htpasswd.inline or client_auth",
      "receivers.otlp.protocols.grpc.auth.authenticator: extension 'nope' is not defined",
      "receivers.otlp.protocols.http.auth.authenticator: extension 'bearertokenauth' must be listed in service.extensions",
      "receivers.\"otlp/2\".protocols.grpc.auth.authenticator: extension 'file_storage' is not a server authenticator",
      "exporters.otlphttp.auth.authenticator: extension 'bearertokenauth' must be listed in service.extensions",
    ],
  );
});

test('tls on a receiver needs a certificate and a key, and a TLS version Go knows', () => {
  const config = (tls: string) => `
receivers:
  otlp:
    protocols:
      http: { tls: ${tls} }
exporters:
  debug:
service:
  pipelines:
    logs: { receivers: [otlp], exporters: [debug] }
`;
  assert.deepEqual(problems(config('{ cert_file: c.pem }')), ['receivers.otlp.protocols.http.tls.key_file: a TLS server needs key_file or key_pem']);
  assert.deepEqual(problems(config('{ cert_file: c.pem, key_file: k.pem, min_version: "1.1" }')), [
    'receivers.otlp.protocols.http.tls.min_version: must be "1.2" or "1.3"',
  ]);
  assert.deepEqual(problems(config('{ cert_file: c.pem, key_file: k.pem, reload_interval: 1h }')), []);
});

test('--ingest-token and --tls-* become the Collector keys of the built-in pipeline', () => {
  const options = resolveOptions(['--ingest-token', 'abc', '--tls-cert-file', 'c.pem', '--tls-key-file', 'k.pem', '--tls-client-ca-file', 'ca.pem'], {});
  const config = defaultCollectorConfig(options) as { extensions: unknown; receivers: { otlp: { protocols: Record<string, Record<string, unknown>> } }; service: { extensions: unknown } };
  assert.deepEqual(config.extensions, { 'bearertokenauth/ingest': { token: 'abc' } });
  assert.deepEqual(config.service.extensions, ['bearertokenauth/ingest']);
  for (const protocol of ['grpc', 'http']) {
    assert.deepEqual(config.receivers.otlp.protocols[protocol]!['auth'], { authenticator: 'bearertokenauth/ingest' });
    assert.deepEqual(config.receivers.otlp.protocols[protocol]!['tls'], { cert_file: 'c.pem', key_file: 'k.pem', client_ca_file: 'ca.pem' });
  }
  resolveCollectorConfig(config, registry);
  assert.throws(() => resolveOptions(['--tls-cert-file', 'c.pem'], {}), /--tls-key-file: TLS needs both --tls-cert-file and --tls-key-file/);
  assert.throws(() => resolveOptions([], { TRACEHOUSE_INGEST_TOKEN: 'a b' }), /TRACEHOUSE_INGEST_TOKEN: a token must not contain whitespace/);
});
