import { z } from 'zod';
import { componentConfig } from '../../component/config-schema.ts';
import { authSchema } from '../../extension/auth/auth-config.ts';
import { durationMsSchema } from '../../component/config-duration.ts';
import { compressionSchema, headersSchema, tlsConfigSchema } from '../exporterhelper/client-config.ts';
import type { Compression, TlsConfig } from '../exporterhelper/client-config.ts';
import { queueConfigSchema } from '../exporterhelper/queue-config.ts';
import type { QueueConfig } from '../exporterhelper/queue-config.ts';
import { retryConfigSchema } from '../exporterhelper/retry-config.ts';
import type { RetryConfig } from '../exporterhelper/retry-config.ts';

// `otlp` exporter config: the Collector's otlpexporter.Config (configgrpc client
// settings, exporterhelper timeout, retry_on_failure, sending_queue), same keys
// and defaults.

export interface OtlpGrpcConfig {
  /** The gRPC target: host:port with any http:// or https:// prefix removed. */
  target: string;
  /** Plaintext only when tls.insecure is set and the endpoint is not https://. */
  useTls: boolean;
  tls: TlsConfig;
  headers: Readonly<Record<string, string>>;
  compression: Compression;
  /** Per attempt; 0 is no limit. */
  timeoutMs: number;
  retry: RetryConfig;
  queue: QueueConfig;
  /** `auth.authenticator`: a client authenticator extension whose headers every request carries. */
  authenticator: string | undefined;
  balancerName: 'pick_first' | 'round_robin' | undefined;
  waitForReady: boolean;
  authority: string | undefined;
  userAgent: string | undefined;
  keepalive: { timeMs: number; timeoutMs: number; permitWithoutStream: boolean } | undefined;
}

const keepaliveSchema = componentConfig(
  z.strictObject({
    time: durationMsSchema.optional(),
    timeout: durationMsSchema.optional(),
    permit_without_stream: z.boolean().default(false),
  }),
);

export const otlpGrpcConfigSchema = componentConfig(
  z
    .strictObject({
      endpoint: z.string().default(''),
      tls: tlsConfigSchema,
      headers: headersSchema,
      compression: compressionSchema,
      timeout: durationMsSchema.default(5_000),
      retry_on_failure: retryConfigSchema,
      sending_queue: queueConfigSchema(true),
      balancer_name: z
        .enum(['pick_first', 'round_robin'], { message: 'must be "pick_first" or "round_robin"' })
        .optional(),
      wait_for_ready: z.boolean().default(false),
      authority: z.string().optional(),
      user_agent: z.string().optional(),
      keepalive: keepaliveSchema.optional(),
      auth: authSchema.optional(),
      // Socket buffer sizes of grpc-go; grpc-js sizes its own buffers.
      read_buffer_size: z.number().int().min(0).optional(),
      write_buffer_size: z.number().int().min(0).optional(),
    })
    .superRefine((config, ctx) => {
      if (sanitizedEndpoint(config.endpoint) === '') {
        ctx.addIssue({ code: 'custom', path: [], message: "'endpoint' is required (host:port)" });
      }
      if (config.timeout < 0) ctx.addIssue({ code: 'custom', path: ['timeout'], message: 'must be greater or equal to 0' });
      for (const name of Object.keys(config.headers)) {
        // gRPC metadata keys are lowercase tokens; binary values would need base64.
        if (!/^[0-9a-zA-Z_.-]+$/.test(name) || name.toLowerCase().endsWith('-bin')) {
          ctx.addIssue({ code: 'custom', path: ['headers', name], message: 'is not a valid gRPC metadata key' });
        }
      }
    })
    .transform((config): OtlpGrpcConfig => {
      const keepalive = config.keepalive;
      return {
        target: sanitizedEndpoint(config.endpoint),
        // As configgrpc: https:// forces TLS whatever tls.insecure says.
        useTls: config.endpoint.startsWith('https://') || !config.tls.insecure,
        tls: config.tls,
        headers: config.headers,
        compression: config.compression,
        timeoutMs: config.timeout,
        retry: config.retry_on_failure,
        queue: config.sending_queue,
        authenticator: config.auth,
        balancerName: config.balancer_name,
        waitForReady: config.wait_for_ready,
        authority: config.authority,
        userAgent: config.user_agent,
        keepalive:
          keepalive === undefined
            ? undefined
            : {
                timeMs: keepalive.time ?? 0,
                timeoutMs: keepalive.timeout ?? 0,
                permitWithoutStream: keepalive.permit_without_stream,
              },
      };
    }),
);

/** http:// and https:// are not gRPC resolver schemes: they are stripped, as configgrpc does. */
function sanitizedEndpoint(endpoint: string): string {
  const trimmed = endpoint.trim();
  if (trimmed.startsWith('http://')) return trimmed.slice('http://'.length);
  if (trimmed.startsWith('https://')) return trimmed.slice('https://'.length);
  return trimmed;
}
