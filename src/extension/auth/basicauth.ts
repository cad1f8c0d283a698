import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ExtensionFactory } from '../../component/component.ts';
import { componentConfig } from '../../component/config-schema.ts';
import type { AuthExtension } from './authenticator.ts';
import { UnauthenticatedError } from './authenticator.ts';
import { parseHtpasswd } from './htpasswd.ts';
import type { PasswordCheck } from './htpasswd.ts';

// `basicauth`: the Collector contrib extension (extension/basicauthextension),
// same keys and messages. `htpasswd` (file and/or inline, inline read last so
// it overrides) makes it a server authenticator; `client_auth` a client one;
// exactly one of the two.

export interface BasicAuthConfig {
  htpasswd: { file: string | undefined; inline: string } | undefined;
  clientAuth: { username: string; password: string } | undefined;
}

export const basicAuthConfigSchema = componentConfig(
  z
    .strictObject({
      htpasswd: z.strictObject({ file: z.string().optional(), inline: z.string().optional() }).optional(),
      client_auth: z.strictObject({ username: z.string(), password: z.string().default('') }).optional(),
    })
    .superRefine((c, ctx) => {
      if (c.htpasswd !== undefined && c.client_auth !== undefined) {
        ctx.addIssue({ code: 'custom', path: [], message: 'only one of `htpasswd` or `client_auth` can be specified' });
      }
      const noSource = c.htpasswd !== undefined && (c.htpasswd.file ?? '') === '' && (c.htpasswd.inline ?? '') === '';
      if ((c.htpasswd === undefined && c.client_auth === undefined) || noSource) {
        ctx.addIssue({ code: 'custom', path: [], message: 'no credential source provided: set htpasswd.file, htpasswd.inline or client_auth' });
      }
    })
    .transform(
      (c): BasicAuthConfig => ({
        htpasswd: c.htpasswd && { file: c.htpasswd.file === '' ? undefined : c.htpasswd.file, inline: c.htpasswd.inline ?? '' },
        clientAuth: c.client_auth && { username: c.client_auth.username, password: c.client_auth.password },
      }),
    ),
);

/** RFC 7617: `Basic base64(user:password)`, the scheme case-insensitive. */
function credentialsOf(value: string): { username: string; password: string } {
  if (!/^basic /i.test(value)) throw new UnauthenticatedError('invalid authorization scheme prefix');
  const encoded = value.slice('Basic '.length);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) throw new UnauthenticatedError('invalid authorization format');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new UnauthenticatedError('invalid authorization format');
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export const basicAuthExtensionFactory: ExtensionFactory<BasicAuthConfig> = {
  type: 'basicauth',
  provides: ['server_auth', 'client_auth'],
  configSchema: basicAuthConfigSchema,
  createExtension(_settings, config): AuthExtension {
    let users: Map<string, PasswordCheck> | undefined;
    const extension: AuthExtension = {
      async start() {
        const { htpasswd } = config;
        if (htpasswd === undefined) return;
        let text = '';
        if (htpasswd.file !== undefined) {
          try {
            text = `${await readFile(htpasswd.file, 'utf8')}\n`;
          } catch (error) {
            throw new Error(`open htpasswd file: ${htpasswd.file}`, { cause: error });
          }
        }
        users = new Map([
          ...parseHtpasswd(text, htpasswd.file ?? 'htpasswd'),
          ...parseHtpasswd(htpasswd.inline, 'htpasswd.inline'),
        ]);
      },
      async shutdown() {},
    };
    if (config.htpasswd !== undefined) {
      extension.authenticate = async (headers) => {
        const value = headers('authorization');
        if (value === undefined || value === '') throw new UnauthenticatedError('no basic auth provided');
        const { username, password } = credentialsOf(value);
        const check = users?.get(username);
        if (check === undefined || !check(password)) throw new UnauthenticatedError('invalid credentials');
      };
    }
    const client = config.clientAuth;
    if (client !== undefined) {
      const value = `Basic ${Buffer.from(`${client.username}:${client.password}`).toString('base64')}`;
      extension.requestHeaders = () => ({ Authorization: value });
    }
    return extension;
  },
};
