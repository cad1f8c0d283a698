import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CreateSettings } from '../../component/component.ts';
import { silentLogger } from '../../lib/log.ts';
import { createMetricsRegistry } from '../../telemetry/metrics-registry.ts';
import type { RequestHeaders } from './authenticator.ts';
import { UnauthenticatedError } from './authenticator.ts';
import { basicAuthExtensionFactory } from './basicauth.ts';
import { bearerTokenAuthExtensionFactory } from './bearertokenauth.ts';

const settings: CreateSettings = { id: { type: 'bearertokenauth', name: '' }, logger: silentLogger, metrics: createMetricsRegistry(), dataDir: '/nonexistent' };
const headers = (values: Record<string, string>): RequestHeaders => (name) => values[name];

function extension(config: unknown) {
  const parsed = bearerTokenAuthExtensionFactory.configSchema.parse(config);
  return bearerTokenAuthExtensionFactory.createExtension(settings, parsed) as ReturnType<typeof bearerTokenAuthExtensionFactory.createExtension> & {
    authenticate(h: RequestHeaders): Promise<void>;
    requestHeaders(): Record<string, string>;
  };
}

test('bearertokenauth: tokens list, custom header and scheme, empty scheme sends the bare token', async () => {
  const several = extension({ tokens: ['one', 'two'] });
  await several.authenticate(headers({ authorization: 'Bearer two' }));
  assert.deepEqual(several.requestHeaders(), { Authorization: 'Bearer one' });
  await assert.rejects(several.authenticate(headers({ authorization: 'Bearer three' })), UnauthenticatedError);
  await assert.rejects(several.authenticate(headers({ authorization: 'Bearer on' })), UnauthenticatedError);

  const custom = extension({ token: 'k', header: 'X-Api-Key', scheme: '' });
  await custom.authenticate(headers({ 'x-api-key': 'k' }));
  await assert.rejects(custom.authenticate(headers({ authorization: 'k' })), /missing or empty authorization header: X-Api-Key/);
  assert.deepEqual(custom.requestHeaders(), { 'X-Api-Key': 'k' });
});

test('bearertokenauth config: one of token, tokens, filename; not token and tokens', () => {
  assert.equal(bearerTokenAuthExtensionFactory.configSchema.safeParse({}).success, false);
  assert.equal(bearerTokenAuthExtensionFactory.configSchema.safeParse({ token: 'a', tokens: ['b'] }).success, false);
  assert.equal(bearerTokenAuthExtensionFactory.configSchema.safeParse({ token: 'a\nb' }).success, false);
  assert.equal(bearerTokenAuthExtensionFactory.configSchema.safeParse({ filename: '/run/token' }).success, true);
});

test('basicauth as a client sends RFC 7617 credentials; as a server it reads them back', async () => {
  const client = basicAuthExtensionFactory.createExtension(settings, basicAuthExtensionFactory.configSchema.parse({ client_auth: { username: 'ci', password: 'p:w' } })) as unknown as { requestHeaders(): Record<string, string> };
  const sent = client.requestHeaders();
  assert.deepEqual(sent, { Authorization: `Basic ${Buffer.from('ci:p:w').toString('base64')}` });
  const server = basicAuthExtensionFactory.createExtension(settings, basicAuthExtensionFactory.configSchema.parse({ htpasswd: { inline: 'ci:p:w' } })) as unknown as { start(): Promise<void>; authenticate(h: RequestHeaders): Promise<void> };
  await server.start();
  await server.authenticate(headers({ authorization: sent['Authorization']! }));
  await assert.rejects(server.authenticate(headers({ authorization: 'Basic !!!' })), /invalid authorization format/);
  assert.equal(basicAuthExtensionFactory.configSchema.safeParse({ htpasswd: { inline: 'a:b' }, client_auth: { username: 'a' } }).success, false);
});
