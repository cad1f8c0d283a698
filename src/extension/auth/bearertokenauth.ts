import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ExtensionFactory } from '../../component/component.ts';
import { componentConfig } from '../../component/config-schema.ts';
import type { AuthExtension } from './authenticator.ts';
import { UnauthenticatedError } from './authenticator.ts';
import { watchTextFile } from './watched-file.ts';
import { isTenantName, tenantNameRule } from '../../tenancy/tenant-context.ts';
import type { WatchedFile } from './watched-file.ts';

// `bearertokenauth`: the Collector contrib extension (extension/bearertokenauthextension),
// same keys, defaults and messages. As a server authenticator it accepts a
// request whose `header` (Authorization) is `<scheme> <token>` for one of the
// tokens; as a client authenticator it sends the first one. `filename` is read
// at start and re-read when it changes (one token per line, as the Collector).
//
// `tenants` is Tracehouse's own key (the Collector's extension has no tenants):
// `tenants: { acme: [token, ...] }` stores what a request with one of those
// tokens sends under tenant acme (tenancy/). The tenant comes from the token,
// never from a header the sender picks: Tempo, Loki and Mimir take it from
// X-Scope-OrgID and leave proving it to a gateway in front; here the token is
// that proof. A sender that also sets X-Scope-OrgID (a Collector's
// headers_setter, as for those backends) must name the token's tenant.

export interface BearerTokenAuthConfig {
  header: string;
  scheme: string;
  tokens: readonly string[];
  filename: string | undefined;
  /** Token (without scheme) to its tenant. */
  tenants: ReadonlyMap<string, string>;
}

export const bearerTokenAuthConfigSchema = componentConfig(
  z
    .strictObject({
      header: z.string().min(1).default('Authorization'),
      scheme: z.string().default('Bearer'),
      token: z.string().optional(),
      tokens: z.array(z.string().min(1)).optional(),
      filename: z.string().optional(),
      tenants: z.record(z.string(), z.array(z.string().min(1)).min(1)).optional(),
    })
    .superRefine((c, ctx) => {
      const tenants = Object.entries(c.tenants ?? {});
      if ((c.token === undefined || c.token === '') && (c.tokens ?? []).length === 0 && (c.filename ?? '') === '' && tenants.length === 0) {
        ctx.addIssue({ code: 'custom', path: [], message: 'no bearer token provided: set token, tokens or filename' });
      }
      if (c.token !== undefined && c.token !== '' && (c.tokens ?? []).length > 0) {
        ctx.addIssue({ code: 'custom', path: ['tokens'], message: 'either tokens or token should be provided, not both' });
      }
      for (const [i, t] of [c.token ?? '', ...(c.tokens ?? [])].entries()) {
        if (/[\r\n\0]/.test(t)) ctx.addIssue({ code: 'custom', path: i === 0 ? ['token'] : ['tokens', i - 1], message: 'must not contain CR, LF or NUL' });
      }
      const owner = new Map<string, string>([c.token ?? '', ...(c.tokens ?? [])].filter((t) => t !== '').map((t) => [t, '']));
      for (const [tenant, tokens] of tenants) {
        if (!isTenantName(tenant)) ctx.addIssue({ code: 'custom', path: ['tenants', tenant], message: tenantNameRule });
        for (const [i, t] of tokens.entries()) {
          if (/[\r\n\0]/.test(t)) ctx.addIssue({ code: 'custom', path: ['tenants', tenant, i], message: 'must not contain CR, LF or NUL' });
          const other = owner.get(t);
          if (other !== undefined) {
            ctx.addIssue({ code: 'custom', path: ['tenants', tenant, i], message: `the same token is already ${other === '' ? 'a token of the default tenant' : `a token of tenant ${other}`}` });
          }
          owner.set(t, tenant);
        }
      }
    })
    .transform(
      (c): BearerTokenAuthConfig => ({
        header: c.header,
        scheme: c.scheme,
        tokens: c.token !== undefined && c.token !== '' ? [c.token] : (c.tokens ?? []),
        filename: c.filename === '' ? undefined : c.filename,
        tenants: new Map(Object.entries(c.tenants ?? {}).flatMap(([tenant, tokens]) => tokens.map((t) => [t, tenant] as const))),
      }),
    ),
);

/** One token per non-empty line, surrounding whitespace removed (credentialsfile). */
function tokensOf(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // Constant time for equal lengths (crypto.timingSafeEqual); the length is no secret.
  return x.length === y.length && timingSafeEqual(x, y);
}

export const bearerTokenAuthExtensionFactory: ExtensionFactory<BearerTokenAuthConfig> = {
  type: 'bearertokenauth',
  provides: ['server_auth', 'client_auth'],
  configSchema: bearerTokenAuthConfigSchema,
  createExtension(settings, config): AuthExtension {
    let file: WatchedFile | undefined;
    const header = config.header.toLowerCase();
    const withScheme = (t: string) => (config.scheme === '' ? t : `${config.scheme} ${t}`);
    const tenantTokens = [...config.tenants].map(([token, tenant]) => [withScheme(token), tenant] as const);
    const expected = (): string[] => {
      // The file, when set, takes the place of inline tokens (as the Collector).
      const tokens = file === undefined ? config.tokens : tokensOf(file.current());
      return tokens.map((t) => (config.scheme === '' ? t : `${config.scheme} ${t}`));
    };
    return {
      async start() {
        if (config.filename !== undefined) file = watchTextFile(config.filename, settings.logger, 'bearer token file');
      },
      async shutdown() {
        file?.close();
        file = undefined;
      },
      async authenticate(headers) {
        const value = headers(header);
        if (value === undefined || value === '') throw new UnauthenticatedError(`missing or empty authorization header: ${config.header}`);
        let tenant: string | undefined;
        for (const [token, owner] of tenantTokens) if (sameText(token, value)) tenant = owner;
        if (tenant === undefined && !expected().some((e) => sameText(e, value))) {
          throw new UnauthenticatedError('provided authorization does not match expected scheme or token');
        }
        const asked = headers('x-scope-orgid');
        if (tenant !== undefined && asked !== undefined && asked !== tenant) {
          throw new UnauthenticatedError(`X-Scope-OrgID "${asked}" is not the tenant of this token`);
        }
        return { tenant };
      },
      requestHeaders() {
        return { [config.header]: expected()[0] ?? '' };
      },
    };
  },
};
