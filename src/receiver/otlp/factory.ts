import { z } from 'zod';
import type { Component, Endpoint, ReceiverFactory } from '../../component/component.ts';
import { componentConfig } from '../../component/config-schema.ts';
import { formatComponentId } from '../../component/component.ts';
import { listen } from '../../lib/listen.ts';
import type { Listener } from '../../lib/listen.ts';
import type { Signal } from '../../pdata/model.ts';
import type { Counter } from '../../telemetry/metrics-registry.ts';
import { startOtlpGrpcReceiver } from './grpc.ts';
import { createOtlpHttpReceiver } from './http.ts';
import type { CorsConfig } from './http.ts';
import { serverAuthenticator } from '../../extension/auth/authenticator.ts';
import { loadServerTls } from '../../lib/server-tls.ts';
import type { ServerTls, ServerTlsSettings } from '../../lib/server-tls.ts';
import { authSchema } from '../../extension/auth/auth-config.ts';
import { serverTlsSchema } from './server-config.ts';

// `otlp`: the Collector's OTLP receiver (receiver/otlpreceiver), same options and
// defaults: protocols.grpc on localhost:4317 with a 4 MiB message limit,
// protocols.http on localhost:4318 with a 20 MiB body limit, CORS off; `tls`
// and `auth.authenticator` per protocol (configtls, configauth).

interface ProtocolSecurity {
  tls: ServerTlsSettings | undefined;
  /** The id of a server authenticator extension (bearertokenauth, basicauth). */
  authenticator: string | undefined;
}

export interface OtlpReceiverConfig {
  grpc: ({ host: string; port: number; maxRecvMsgSizeBytes: number } & ProtocolSecurity) | undefined;
  http: ({ host: string; port: number; maxRequestBodyBytes: number; cors: CorsConfig } & ProtocolSecurity) | undefined;
}

const mib = 1024 * 1024;

/** "host:port" as the Collector writes endpoints; an empty host means all interfaces. */
const endpointSchema = z.string().transform((text, ctx) => {
  const match = /^(.*):(\d{1,5})$/.exec(text.replace(/^[a-z]+:\/\//, ''));
  const port = Number(match?.[2]);
  if (!match || port > 65535) {
    ctx.addIssue({ code: 'custom', message: `expected host:port, got "${text}"` });
    return z.NEVER;
  }
  const host = match[1]!.replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? '0.0.0.0' : host, port };
});

const protocolSchema = <T extends z.ZodRawShape>(shape: T) => componentConfig(z.strictObject(shape));

export const otlpReceiverConfigSchema = componentConfig(
  z.strictObject({
    protocols: componentConfig(
      z.strictObject({
        grpc: protocolSchema({
          endpoint: endpointSchema.default({ host: 'localhost', port: 4317 }),
          max_recv_msg_size_mib: z.number().int().positive().default(4),
          max_concurrent_streams: z.number().int().optional(),
          read_buffer_size: z.number().int().optional(),
          write_buffer_size: z.number().int().optional(),
          include_metadata: z.boolean().default(false),
          transport: z.literal('tcp').optional(),
          keepalive: z.unknown().optional(),
          tls: serverTlsSchema.optional(),
          auth: authSchema.optional(),
        }).optional(),
        http: protocolSchema({
          endpoint: endpointSchema.default({ host: 'localhost', port: 4318 }),
          max_request_body_size: z.number().int().positive().default(20 * mib),
          include_metadata: z.boolean().default(false),
          cors: componentConfig(
            z.strictObject({
              allowed_origins: z.array(z.string()).default([]),
              allowed_headers: z.array(z.string()).default([]),
              max_age: z.number().int().optional(),
            }),
          ).optional(),
          traces_url_path: z.literal('/v1/traces').optional(),
          metrics_url_path: z.literal('/v1/metrics').optional(),
          logs_url_path: z.literal('/v1/logs').optional(),
          tls: serverTlsSchema.optional(),
          auth: authSchema.optional(),
        }).optional(),
      }),
    ),
  }).superRefine((config, ctx) => {
    if (config.protocols.grpc === undefined && config.protocols.http === undefined) {
      ctx.addIssue({ code: 'custom', path: ['protocols'], message: 'must specify at least one protocol (grpc or http)' });
    }
  }).transform(
    ({ protocols: { grpc, http } }): OtlpReceiverConfig => ({
      grpc: grpc && {
        ...grpc.endpoint,
        maxRecvMsgSizeBytes: grpc.max_recv_msg_size_mib * mib,
        tls: grpc.tls,
        authenticator: grpc.auth,
      },
      http: http && {
        ...http.endpoint,
        tls: http.tls,
        authenticator: http.auth,
        maxRequestBodyBytes: http.max_request_body_size,
        cors: {
          allowedOrigins: http.cors?.allowed_origins ?? [],
          allowedHeaders: http.cors?.allowed_headers ?? [],
          ...(http.cors?.max_age === undefined ? {} : { maxAgeSeconds: http.cors.max_age }),
        },
      },
    }),
  ),
);

export const otlpReceiverFactory: ReceiverFactory<OtlpReceiverConfig> = {
  type: 'otlp',
  configSchema: otlpReceiverConfigSchema,
  createReceiver(settings, config, consumers): Component {
    const receiver = formatComponentId(settings.id);
    const count = (transport: 'grpc' | 'http') => (signal: Signal, outcome: 'accepted' | 'refused', items: number) =>
      counters[signal][outcome].add(items, { receiver, transport });
    const item = { traces: 'spans', metrics: 'metric_points', logs: 'log_records' } as const;
    const counters = Object.fromEntries(
      (['traces', 'metrics', 'logs'] as const).map((signal) => [
        signal,
        {
          accepted: settings.metrics.counter(
            `otelcol_receiver_accepted_${item[signal]}`,
            `Number of ${item[signal].replace('_', ' ')} successfully pushed into the pipeline.`,
            ['receiver', 'transport'],
          ),
          refused: settings.metrics.counter(
            `otelcol_receiver_refused_${item[signal]}`,
            `Number of ${item[signal].replace('_', ' ')} that could not be pushed into the pipeline.`,
            ['receiver', 'transport'],
          ),
        },
      ]),
    ) as Record<Signal, Record<'accepted' | 'refused', Counter>>;

    const listeners: { close(force?: AbortSignal): Promise<void> }[] = [];
    const endpoints: Endpoint[] = [];
    const tlsMaterial: ServerTls[] = [];
    const security = async (protocol: ProtocolSecurity) => {
      const tls = protocol.tls && (await loadServerTls(protocol.tls, settings.logger));
      if (tls) tlsMaterial.push(tls);
      const auth = protocol.authenticator === undefined ? undefined : serverAuthenticator(settings, protocol.authenticator);
      return { tls, authenticate: auth?.authenticate, flags: { authenticated: auth !== undefined, tls: tls !== undefined } };
    };
    return {
      endpoints: () => endpoints,
      async start() {
        try {
          if (config.grpc) {
            const { tls, authenticate, flags } = await security(config.grpc);
            const grpc = await startOtlpGrpcReceiver(
              {
                consumers,
                maxRecvMsgSizeBytes: config.grpc.maxRecvMsgSizeBytes,
                logger: settings.logger,
                onResult: count('grpc'),
                ...(tls ? { tls } : {}),
                ...(authenticate ? { authenticate } : {}),
              },
              config.grpc.host,
              config.grpc.port,
            );
            listeners.push(grpc);
            endpoints.push({ protocol: 'grpc', host: grpc.host, port: grpc.port, ...flags });
            settings.logger.info('OTLP/gRPC receiver listening', { endpoint: `${grpc.host}:${grpc.port}`, receiver });
          }
          if (config.http) {
            const { tls, authenticate, flags } = await security(config.http);
            const app = createOtlpHttpReceiver({
              consumers,
              maxRequestBodyBytes: config.http.maxRequestBodyBytes,
              cors: config.http.cors,
              logger: settings.logger,
              onResult: count('http'),
              ...(authenticate ? { authenticate } : {}),
            });
            const http: Listener = await listen(app, config.http.host, config.http.port, 'OTLP/HTTP', tls);
            listeners.push(http);
            endpoints.push({ protocol: 'http', host: http.host, port: http.port, ...flags });
            const scheme = tls ? 'https' : 'http';
            settings.logger.info('OTLP/HTTP receiver listening', { url: `${scheme}://${http.host}:${http.port}`, receiver });
          }
        } catch (error) {
          // A half-started receiver (gRPC bound, HTTP port busy) must not keep its port.
          await Promise.all(listeners.splice(0).map((l) => l.close()));
          for (const tls of tlsMaterial.splice(0)) tls.close();
          endpoints.length = 0;
          throw error;
        }
      },
      async shutdown(force) {
        await Promise.all(listeners.splice(0).map((l) => l.close(force)));
        for (const tls of tlsMaterial.splice(0)) tls.close();
        endpoints.length = 0;
      },
    };
  },
};
