import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ExtensionFactory } from '../../component/component.ts';
import { componentConfig } from '../../component/config-schema.ts';
import type { AuthExtension } from './authenticator.ts';
import { UnauthenticatedError } from './authenticator.ts';
import { watchTextFile } from './watched-file.ts';
import type { WatchedFile } from './watched-file.ts';

// `bearertokenauth`: the Collector contrib extension (extension/bearertokenauthextension),
// same keys, defaults and messages. As a server authenticator it accepts a
// request whose `header` (Authorization) is `<scheme> <token>` for one of the
// tokens; as a client authenticator it sends the first one. `filename` is read
// at start and re-read when it changes (one token per line, as the Collector).

export interface BearerTokenAuthConfig {
  header: string;
  scheme: string;
  tokens: readonly string[];
  filename: string | undefined;
}

export const bearerTokenAuthConfigSchema = componentConfig(
  z
    .strictObject({
      header: z.string().min(1).default('Authorization'),
      scheme: z.string().default('Bearer'),
      token: z.string().optional(),
      tokens: z.array(z.string().min(1)).optional(),
      filename: z.string().optional(),
    })
    .superRefine((c, ctx) => {
      if ((c.token === undefined || c.token === '') && (c.tokens ?? []).length === 0 && (c.filename ?? '') === '') {
        ctx.addIssue({ code: 'custom', path: [], message: 'no bearer token provided: set token, tokens or filename' });
      }
      if (c.token !== undefined && c.token !== '' && (c.tokens ?? []).length > 0) {
        ctx.addIssue({ code: 'custom', path: ['tokens'], message: 'either tokens or token should be provided, not both' });
      }
      for (const [i, t] of [c.token ?? '', ...(c.tokens ?? [])].entries()) {
        if (/[\r\n\0]/.test(t)) ctx.addIssue({ code: 'custom', path: i === 0 ? ['token'] : ['tokens', i - 1], message: 'must not contain CR, LF or NUL' });
      }
    })
    .transform(
      (c): BearerTokenAuthConfig => ({
        header: c.header,
        scheme: c.scheme,
        tokens: c.token !== undefined && c.token !== '' ? [c.token] : (c.tokens ?? []),
        filename: c.filename === '' ? undefined : c.filename,
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
        if (!expected().some((e) => sameText(e, value))) {
          throw new UnauthenticatedError('provided authorization does not match expected scheme or token');
        }
      },
      requestHeaders() {
        return { [config.header]: expected()[0] ?? '' };
      },
    };
  },
};
