import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { componentConfig } from '../../component/config-schema.ts';

// Client settings the OTLP exporters share, keyed as the Collector's confighttp /
// configgrpc / configtls client configs.

/** `headers`: a mapping, or the Collector's newer list form `[{ name, value }]`. */
export const headersSchema = z
  .union([
    z.record(z.string(), z.string()),
    z.array(z.strictObject({ name: z.string(), value: z.string() })),
  ])
  .default({})
  .transform((headers, ctx): Readonly<Record<string, string>> => {
    const entries = Array.isArray(headers) ? headers.map((h) => [h.name, h.value] as const) : Object.entries(headers);
    for (const [name, value] of entries) {
      // RFC 9110 field names are tokens; CR and LF in a value would split the header.
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'is not a valid header name' });
      }
      if (/[\r\n\0]/.test(value)) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'must not contain CR, LF or NUL' });
      }
    }
    return Object.freeze(Object.fromEntries(entries));
  });

export type Compression = 'gzip' | 'none';

/** `compression`: gzip by default, as the Collector's OTLP exporters; "" means none. */
export const compressionSchema = z
  .string()
  .default('gzip')
  .transform((value, ctx): Compression => {
    if (value === 'gzip') return 'gzip';
    if (value === 'none' || value === '') return 'none';
    ctx.addIssue({
      code: 'custom',
      message: `compression ${JSON.stringify(value)} is not supported by Tracehouse: use "gzip" or "none"`,
    });
    return z.NEVER;
  });

export interface TlsConfig {
  /** gRPC only: plaintext unless the endpoint says https://. */
  insecure: boolean;
  /** Accept any server certificate (testing only). */
  insecureSkipVerify: boolean;
  caFile: string | undefined;
  caPem: string | undefined;
  certFile: string | undefined;
  certPem: string | undefined;
  keyFile: string | undefined;
  keyPem: string | undefined;
  serverNameOverride: string | undefined;
  minVersion: 'TLSv1.2' | 'TLSv1.3';
  maxVersion: 'TLSv1.2' | 'TLSv1.3' | undefined;
}

const tlsVersion = z.enum(['1.2', '1.3'], { message: 'must be "1.2" or "1.3"' });

export const tlsConfigSchema = componentConfig(
  z
    .strictObject({
      insecure: z.boolean().default(false),
      insecure_skip_verify: z.boolean().default(false),
      ca_file: z.string().optional(),
      ca_pem: z.string().optional(),
      cert_file: z.string().optional(),
      cert_pem: z.string().optional(),
      key_file: z.string().optional(),
      key_pem: z.string().optional(),
      server_name_override: z.string().optional(),
      // The Collector's default minimum is TLS 1.2; Node cannot go below 1.2 usefully.
      min_version: tlsVersion.default('1.2'),
      max_version: tlsVersion.optional(),
    })
    .superRefine((config, ctx) => {
      for (const name of ['ca', 'cert', 'key'] as const) {
        if (config[`${name}_file`] !== undefined && config[`${name}_pem`] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [`${name}_pem`], message: `set ${name}_file or ${name}_pem, not both` });
        }
      }
      const hasCert = config.cert_file !== undefined || config.cert_pem !== undefined;
      const hasKey = config.key_file !== undefined || config.key_pem !== undefined;
      if (hasCert !== hasKey) {
        ctx.addIssue({ code: 'custom', path: [hasCert ? 'key_file' : 'cert_file'], message: 'a client certificate needs both cert and key' });
      }
    })
    .transform(
      (config): TlsConfig => ({
        insecure: config.insecure,
        insecureSkipVerify: config.insecure_skip_verify,
        caFile: config.ca_file,
        caPem: config.ca_pem,
        certFile: config.cert_file,
        certPem: config.cert_pem,
        keyFile: config.key_file,
        keyPem: config.key_pem,
        serverNameOverride: config.server_name_override,
        minVersion: `TLSv${config.min_version}`,
        maxVersion: config.max_version === undefined ? undefined : `TLSv${config.max_version}`,
      }),
    ),
);

export interface TlsMaterial {
  ca: Buffer | undefined;
  cert: Buffer | undefined;
  key: Buffer | undefined;
}

/** Reads the PEM files (at start, so a missing file fails start-up with its path). */
export async function loadTlsMaterial(tls: TlsConfig): Promise<TlsMaterial> {
  const load = async (file: string | undefined, pem: string | undefined, what: string): Promise<Buffer | undefined> => {
    if (pem !== undefined) return Buffer.from(pem);
    if (file === undefined) return undefined;
    try {
      return await readFile(file);
    } catch (error) {
      throw new Error(`cannot read tls.${what}_file ${file}`, { cause: error });
    }
  };
  return {
    ca: await load(tls.caFile, tls.caPem, 'ca'),
    cert: await load(tls.certFile, tls.certPem, 'cert'),
    key: await load(tls.keyFile, tls.keyPem, 'key'),
  };
}
