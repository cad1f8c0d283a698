import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CreateSettings } from '../../component/component.ts';
import { resolveOptions } from '../../config/options.ts';
import { defaultCollectorConfig } from '../../config/default-config.ts';
import { silentLogger } from '../../lib/log.ts';
import { createMetricsRegistry } from '../../telemetry/metrics-registry.ts';
import type { AuthInfo, RequestHeaders } from './authenticator.ts';
import { UnauthenticatedError } from './authenticator.ts';
import { bearerTokenAuthExtensionFactory } from './bearertokenauth.ts';

// bearertokenauth's `tenants` (Tracehouse's key): the token names the tenant,
// X-Scope-OrgID may only agree with it; the config refuses ambiguous tokens.

const settings: CreateSettings = { id: { type: 'bearertokenauth', name: '' }, logger: silentLogger, metrics: createMetricsRegistry(), dataDir: '/nonexistent' };
const headers = (values: Record<string, string>): RequestHeaders => (name) => values[name];
const schema = bearerTokenAuthExtensionFactory.configSchema;

function extension(config: unknown) {
  return bearerTokenAuthExtensionFactory.createExtension(settings, schema.parse(config)) as unknown as { authenticate(h: RequestHeaders): Promise<AuthInfo> };
}

test('bearertokenauth tenants: the token names the tenant; the default token none; X-Scope-OrgID must agree', async () => {
  const auth = extension({ token: 'plain', tenants: { acme: ['a1', 'a2'], globex: ['g1'] } });
  assert.deepEqual(await auth.authenticate(headers({ authorization: 'Bearer a2' })), { tenant: 'acme' });
  assert.deepEqual(await auth.authenticate(headers({ authorization: 'Bearer g1', 'x-scope-orgid': 'globex' })), { tenant: 'globex' });
  assert.deepEqual(await auth.authenticate(headers({ authorization: 'Bearer plain' })), { tenant: undefined });
  await assert.rejects(auth.authenticate(headers({ authorization: 'Bearer a1', 'x-scope-orgid': 'globex' })), (e) => e instanceof UnauthenticatedError && /X-Scope-OrgID "globex" is not the tenant of this token/.test(e.message));
  await assert.rejects(auth.authenticate(headers({ authorization: 'Bearer nope' })), UnauthenticatedError);
  // Tenants alone are a complete config.
  assert.deepEqual(await extension({ tenants: { acme: ['a1'] } }).authenticate(headers({ authorization: 'Bearer a1' })), { tenant: 'acme' });
});

test('bearertokenauth tenants: a token in two places, a bad tenant name and an empty list are refused, naming the key', () => {
  const issues = (config: unknown) => {
    const result = schema.safeParse(config);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  assert.deepEqual(issues({ token: 't', tenants: { acme: ['t'] } }), ['tenants.acme.0: the same token is already a token of the default tenant']);
  assert.deepEqual(issues({ tenants: { acme: ['t'], globex: ['t'] } }), ['tenants.globex.0: the same token is already a token of tenant acme']);
  assert.match(issues({ tenants: { 'no/slash': ['t'] } }).join(), /tenants\.no\/slash: a tenant is 1-64 letters/);
  assert.equal(schema.safeParse({ tenants: { acme: [] } }).success, false);
});

test('--ingest-tenant-tokens: TENANT=TOKEN pairs into the built-in pipeline, bad pairs named', () => {
  const options = resolveOptions(['--ingest-tenant-tokens', 'acme=a1, acme=a2,globex=g1'], {});
  assert.deepEqual(options.ingestTenantTokens, { acme: ['a1', 'a2'], globex: ['g1'] });
  const config = defaultCollectorConfig(options) as { extensions: Record<string, unknown>; service: { extensions: string[] } };
  assert.deepEqual(config.extensions['bearertokenauth/ingest'], { tenants: { acme: ['a1', 'a2'], globex: ['g1'] } });
  assert.deepEqual(config.service.extensions, ['bearertokenauth/ingest']);
  assert.throws(() => resolveOptions(['--ingest-tenant-tokens', 'acme'], {}), /--ingest-tenant-tokens: expected TENANT=TOKEN pairs .* got "acme"/);
  assert.throws(() => resolveOptions([], { TRACEHOUSE_INGEST_TENANT_TOKENS: 'a b=c' }), /TRACEHOUSE_INGEST_TENANT_TOKENS: expected TENANT=TOKEN/);
  assert.deepEqual(resolveOptions([], {}).ingestTenantTokens, {});
});
