import { z } from 'zod';
import { componentConfig } from '../../component/config-schema.ts';
import { durationMsSchema } from '../../component/config-duration.ts';
import type { ServerTlsSettings } from '../../lib/server-tls.ts';

// The `tls` and `auth` keys of a receiver protocol, as the Collector's
// configtls.ServerConfig and configauth.Config spell them.

const tlsVersion = z.enum(['1.2', '1.3'], { message: 'must be "1.2" or "1.3"' });

export const serverTlsSchema = componentConfig(
  z
    .strictObject({
      cert_file: z.string().optional(),
      cert_pem: z.string().optional(),
      key_file: z.string().optional(),
      key_pem: z.string().optional(),
      client_ca_file: z.string().optional(),
      // The Collector's default minimum is TLS 1.2.
      min_version: tlsVersion.default('1.2'),
      max_version: tlsVersion.optional(),
      reload_interval: durationMsSchema.default(0),
    })
    .superRefine((c, ctx) => {
      for (const name of ['cert', 'key'] as const) {
        const file = c[`${name}_file`];
        const pem = c[`${name}_pem`];
        if (file !== undefined && pem !== undefined) {
          ctx.addIssue({ code: 'custom', path: [`${name}_pem`], message: `set ${name}_file or ${name}_pem, not both` });
        }
        if (file === undefined && pem === undefined) {
          ctx.addIssue({ code: 'custom', path: [`${name}_file`], message: `a TLS server needs ${name}_file or ${name}_pem` });
        }
      }
      if (c.reload_interval < 0) ctx.addIssue({ code: 'custom', path: ['reload_interval'], message: 'must be greater or equal to 0' });
    })
    .transform(
      (c): ServerTlsSettings => ({
        certFile: c.cert_file,
        certPem: c.cert_pem,
        keyFile: c.key_file,
        keyPem: c.key_pem,
        clientCaFile: c.client_ca_file,
        minVersion: `TLSv${c.min_version}`,
        maxVersion: c.max_version === undefined ? undefined : `TLSv${c.max_version}`,
        reloadIntervalMs: c.reload_interval,
      }),
    ),
);
