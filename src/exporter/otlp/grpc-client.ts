import { createSecureContext } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import type { PartialSuccess, Signal } from '../../pdata/model.ts';
import { loadTlsMaterial } from '../exporterhelper/client-config.ts';
import { ok, retryable } from '../exporterhelper/export-outcome.ts';
import type { ExportOutcome } from '../exporterhelper/export-outcome.ts';
import type { ExportRequest } from '../exporterhelper/export-request.ts';
import { decodeExportResponse } from '../exporterhelper/otlp-responses.ts';
import type { OtlpGrpcConfig } from './config.ts';
import { outcomeForGrpcError } from './grpc-status.ts';
import type { ClientAuthenticator } from '../../extension/auth/authenticator.ts';

// The OTLP/gRPC client: the Export method of TraceService, MetricsService and
// LogsService, written out by path instead of loaded from .proto files, so
// grpc-js only moves bytes and our own codecs do the (de)serializing.

const exportPaths: Readonly<Record<Signal, string>> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

// Request bytes come from the request (encoded once, or read from the persistent
// queue); responses are ExportXServiceResponse, which only carries partial_success.
const serialize = (request: ExportRequest<unknown>): Buffer => {
  const bytes = request.protoBytes();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
};
const deserialize = (bytes: Buffer): PartialSuccess | undefined => decodeExportResponse(bytes);

export interface OtlpGrpcClient {
  export(signal: Signal, request: ExportRequest<unknown>, abort: AbortSignal): Promise<ExportOutcome>;
  close(): void;
}

/** `auth`: a client authenticator whose headers each call carries as metadata (read per call: a token file may change). */
export async function createOtlpGrpcClient(config: OtlpGrpcConfig, auth?: ClientAuthenticator): Promise<OtlpGrpcClient> {
  const client = new grpc.Client(config.target, await credentialsFor(config), channelOptions(config));
  const metadata = new grpc.Metadata();
  for (const [name, value] of Object.entries(config.headers)) metadata.set(name.toLowerCase(), value);

  return {
    export(signal, request, abort) {
      if (abort.aborted) return Promise.resolve(retryable('export aborted: the exporter is shutting down'));
      // Encode before the call: a model that cannot be encoded throws here, which
      // the exporter helper treats as permanent, instead of an opaque INTERNAL status.
      request.protoBytes();
      return new Promise<ExportOutcome>((resolve) => {
        const options: grpc.CallOptions = config.timeoutMs > 0 ? { deadline: Date.now() + config.timeoutMs } : {};
        const call = client.makeUnaryRequest(
          exportPaths[signal],
          serialize,
          deserialize,
          request,
          withAuth(metadata, auth),
          options,
          (error, response) => {
            abort.removeEventListener('abort', cancel);
            if (error) resolve(outcomeForGrpcError(error));
            else resolve(response ? { status: 'ok', partialSuccess: response } : ok);
          },
        );
        const cancel = (): void => call.cancel();
        abort.addEventListener('abort', cancel, { once: true });
      });
    },
    close() {
      client.close();
    },
  };
}

function withAuth(metadata: grpc.Metadata, auth: ClientAuthenticator | undefined): grpc.Metadata {
  const call = metadata.clone();
  for (const [name, value] of Object.entries(auth?.requestHeaders() ?? {})) call.set(name.toLowerCase(), value);
  return call;
}

async function credentialsFor(config: OtlpGrpcConfig): Promise<grpc.ChannelCredentials> {
  if (!config.useTls) return grpc.credentials.createInsecure();
  const { tls } = config;
  const material = await loadTlsMaterial(tls);
  const context = createSecureContext({
    ...(material.ca ? { ca: material.ca } : {}),
    ...(material.cert ? { cert: material.cert } : {}),
    ...(material.key ? { key: material.key } : {}),
    minVersion: tls.minVersion,
    ...(tls.maxVersion ? { maxVersion: tls.maxVersion } : {}),
  });
  return grpc.credentials.createFromSecureContext(
    context,
    tls.insecureSkipVerify ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {},
  );
}

function channelOptions(config: OtlpGrpcConfig): grpc.ChannelOptions {
  const options: grpc.ChannelOptions = {
    'grpc.default_compression_algorithm':
      config.compression === 'gzip' ? grpc.compressionAlgorithms.gzip : grpc.compressionAlgorithms.identity,
    'grpc.primary_user_agent': config.userAgent ?? 'Tracehouse',
  };
  const serviceConfig: Record<string, unknown> = {};
  if (config.balancerName) serviceConfig['loadBalancingConfig'] = [{ [config.balancerName]: {} }];
  if (config.waitForReady) serviceConfig['methodConfig'] = [{ name: [{}], waitForReady: true }];
  if (Object.keys(serviceConfig).length > 0) options['grpc.service_config'] = JSON.stringify(serviceConfig);
  if (config.tls.serverNameOverride) options['grpc.ssl_target_name_override'] = config.tls.serverNameOverride;
  if (config.authority) options['grpc.default_authority'] = config.authority;
  if (config.keepalive) {
    if (config.keepalive.timeMs > 0) options['grpc.keepalive_time_ms'] = config.keepalive.timeMs;
    if (config.keepalive.timeoutMs > 0) options['grpc.keepalive_timeout_ms'] = config.keepalive.timeoutMs;
    options['grpc.keepalive_permit_without_calls'] = config.keepalive.permitWithoutStream ? 1 : 0;
  }
  return options;
}
