import { z } from 'zod';
import { componentConfig } from '../../component/config-schema.ts';
import { authSchema } from '../../extension/auth/auth-config.ts';
import { durationMsSchema } from '../../component/config-duration.ts';
import type { Signal } from '../../pdata/model.ts';
import { compressionSchema, headersSchema, tlsConfigSchema } from '../exporterhelper/client-config.ts';
import type { Compression, TlsConfig } from '../exporterhelper/client-config.ts';
import { queueConfigSchema } from '../exporterhelper/queue-config.ts';
import type { QueueConfig } from '../exporterhelper/queue-config.ts';
import { retryConfigSchema } from '../exporterhelper/retry-config.ts';
import type { RetryConfig } from '../exporterhelper/retry-config.ts';

// `otlphttp` exporter config: the Collector's otlphttpexporter.Config (confighttp
// client settings, retry_on_failure, sending_queue, per-signal URLs, encoding),
// same keys and defaults.

export interface OtlpHttpConfig {
  /** Per signal: `<signal>_endpoint` as written, else `endpoint` + "/v1/<signal>"; undefined when neither is set. */
  urls: Readonly<Record<Signal, string | undefined>>;
  encoding: 'proto' | 'json';
  compression: Compression;
  headers: Readonly<Record<string, string>>;
  /** Per attempt (the whole HTTP exchange); 0 is no limit. */
  timeoutMs: number;
  tls: TlsConfig;
  retry: RetryConfig;
  queue: QueueConfig;
  /** `auth.authenticator`: a client authenticator extension whose headers every request carries. */
  authenticator: string | undefined;
}

const httpUrl = z
  .string()
  .optional()
  .superRefine((value, ctx) => {
    if (value === undefined || value === '') return;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be a valid URL such as "https://example.com:4318", got ${JSON.stringify(value)}` });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `must be an http:// or https:// URL, got ${JSON.stringify(value)}` });
    }
  });

export const otlpHttpConfigSchema = componentConfig(
  z
    .strictObject({
      endpoint: httpUrl,
      traces_endpoint: httpUrl,
      metrics_endpoint: httpUrl,
      logs_endpoint: httpUrl,
      // Tracehouse has no profiles signal; the key is accepted so Collector files load.
      profiles_endpoint: httpUrl,
      encoding: z.enum(['proto', 'json'], { message: 'must be "proto" or "json"' }).default('proto'),
      compression: compressionSchema,
      headers: headersSchema,
      timeout: durationMsSchema.default(30_000),
      tls: tlsConfigSchema,
      auth: authSchema.optional(),
      retry_on_failure: retryConfigSchema,
      sending_queue: queueConfigSchema(true),
      // Socket buffer sizes of Go's http.Transport; Node sizes its own buffers.
      read_buffer_size: z.number().int().min(0).optional(),
      write_buffer_size: z.number().int().min(0).optional(),
    })
    .superRefine((config, ctx) => {
      const given = (value: string | undefined): boolean => value !== undefined && value !== '';
      if (
        !given(config.endpoint) &&
        !given(config.traces_endpoint) &&
        !given(config.metrics_endpoint) &&
        !given(config.logs_endpoint) &&
        !given(config.profiles_endpoint)
      ) {
        ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'at least one endpoint must be specified' });
      }
      if (config.timeout < 0) ctx.addIssue({ code: 'custom', path: ['timeout'], message: 'must be greater or equal to 0' });
    })
    .transform(
      (config): OtlpHttpConfig => ({
        urls: {
          traces: signalUrl(config.endpoint, config.traces_endpoint, 'traces'),
          metrics: signalUrl(config.endpoint, config.metrics_endpoint, 'metrics'),
          logs: signalUrl(config.endpoint, config.logs_endpoint, 'logs'),
        },
        encoding: config.encoding,
        compression: config.compression,
        headers: config.headers,
        timeoutMs: config.timeout,
        tls: config.tls,
        retry: config.retry_on_failure,
        queue: config.sending_queue,
        authenticator: config.auth,
      }),
    ),
);

/** As the Collector's composeSignalURL: the per-signal URL as-is, else the base URL plus "v1/<signal>". */
function signalUrl(base: string | undefined, override: string | undefined, signal: Signal): string | undefined {
  if (override !== undefined && override !== '') return override;
  if (base === undefined || base === '') return undefined;
  return base.endsWith('/') ? `${base}v1/${signal}` : `${base}/v1/${signal}`;
}
