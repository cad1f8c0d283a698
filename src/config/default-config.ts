import { stringify } from 'yaml';
import type { ServerOptions } from './options.ts';

/**
 * The pipeline Tracehouse runs without --config: OTLP over gRPC and HTTP, through
 * memory_limiter and batch, into the local store, for all three signals. The
 * receiver endpoints and limits come from the command-line settings.
 */
export function defaultCollectorConfig(options: ServerOptions): Record<string, unknown> {
  const pipeline = { receivers: ['otlp'], processors: ['memory_limiter', 'batch'], exporters: ['tracehouse'] };
  // --ingest-token / --tls-*: the Collector's own keys, so print-config shows
  // the config a Collector user would write for the same.
  const tenants = Object.keys(options.ingestTenantTokens).length > 0;
  const tokens = options.ingestToken === undefined && options.ingestTokenFile === undefined && !tenants;
  // A function, not one object: YAML would print a shared object as an anchor (&a1).
  const security = () => ({
    ...(tokens ? {} : { auth: { authenticator: 'bearertokenauth/ingest' } }),
    ...(options.tls === undefined
      ? {}
      : {
          tls: {
            cert_file: options.tls.certFile,
            key_file: options.tls.keyFile,
            ...(options.tls.clientCaFile === undefined ? {} : { client_ca_file: options.tls.clientCaFile }),
          },
        }),
  });
  return {
    ...(tokens
      ? {}
      : {
          extensions: {
            'bearertokenauth/ingest': {
              ...(options.ingestTokenFile !== undefined
                ? { filename: options.ingestTokenFile }
                : options.ingestToken !== undefined
                  ? { token: options.ingestToken }
                  : {}),
              ...(tenants ? { tenants: options.ingestTenantTokens } : {}),
            },
          },
        }),
    receivers: {
      otlp: {
        protocols: {
          grpc: {
            endpoint: `${options.otlpGrpc.host}:${options.otlpGrpc.port}`,
            max_recv_msg_size_mib: options.maxRecvMsgSizeMib,
            ...security(),
          },
          http: {
            endpoint: `${options.otlpHttp.host}:${options.otlpHttp.port}`,
            max_request_body_size: options.maxRequestBodyBytes,
            ...(options.corsOrigins.length > 0 ? { cors: { allowed_origins: options.corsOrigins } } : {}),
            ...security(),
          },
        },
      },
    },
    processors: {
      // Refuse (429 / RESOURCE_EXHAUSTED) before the heap grows past 80% of memory.
      memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 },
      // Merges small exports into large inserts. Every caller waits for its batch to
      // be stored, so the Collector's 200ms timeout would cap a sender with N
      // requests in flight at N requests per 200 ms (measured: 14K spans/s with 8 x
      // 512); 10 ms costs little latency, and the store's group commit then merges
      // batches that arrive together.
      batch: { timeout: '10ms', send_batch_size: 4096, send_batch_max_size: 16384 },
    },
    exporters: { tracehouse: null },
    service: {
      ...(tokens ? {} : { extensions: ['bearertokenauth/ingest'] }),
      pipelines: { traces: pipeline, metrics: pipeline, logs: pipeline },
    },
  };
}

export function printConfig(config: Record<string, unknown>): string {
  return `# Tracehouse's built-in pipeline. Save it, change it, and run: tracehouse --config FILE\n${stringify(config)}`;
}
