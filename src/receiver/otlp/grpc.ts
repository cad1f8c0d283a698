import * as grpc from '@grpc/grpc-js';
import type { ReceiverConsumers } from '../../component/component.ts';
import { ListenError } from '../../lib/listen.ts';
import type { Logger } from '../../lib/log.ts';
import { encodeExportResponseProto } from '../../pdata/index.ts';
import { DecodeRefusals } from '../../pdata/decode-refusals.ts';
import type { PartialSuccess, Signal } from '../../pdata/model.ts';
import { consumeDecoded, signalHandling } from './signals.ts';
import { grpcFailureFor } from './status.ts';
import { UnauthenticatedError } from '../../extension/auth/authenticator.ts';
import type { AuthInfo, RequestHeaders, ServerAuthenticator } from '../../extension/auth/authenticator.ts';
import { runAsTenant } from '../../tenancy/tenant-context.ts';
import type { ServerTls } from '../../lib/server-tls.ts';

// OTLP/gRPC receiver (opentelemetry-proto docs/specification.md, "OTLP/gRPC"): the
// Export method of TraceService, MetricsService and LogsService. The service
// definitions are written out here instead of loaded from .proto files: the
// messages go through our own codecs (pdata/), so grpc-js only moves bytes.

export interface OtlpGrpcReceiverOptions {
  /** Signals without a consumer (no pipeline) are not registered: UNIMPLEMENTED. */
  consumers: ReceiverConsumers;
  /** grpc.max_receive_message_length; the Collector's default is 4 MiB. */
  maxRecvMsgSizeBytes: number;
  logger: Logger;
  onResult?: (signal: Signal, outcome: 'accepted' | 'refused', items: number) => void;
  /** `auth.authenticator`: checked against the call's metadata before its message is decoded. */
  authenticate?: ServerAuthenticator['authenticate'];
  tls?: ServerTls;
}

export interface GrpcListener {
  host: string;
  port: number;
  /** As Listener.close (lib/listen.ts): graceful, then forced when `force` aborts. */
  close(force?: AbortSignal): Promise<void>;
}

// The gRPC method of each signal's service (opentelemetry-proto, collector protos).
const exportPaths: Record<Signal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

const passBytes = (b: Buffer): Buffer => b;

function definition(path: string): grpc.ServiceDefinition {
  return {
    Export: {
      path,
      requestStream: false,
      responseStream: false,
      // Decoding happens in the handler, where a malformed message can be answered
      // with INVALID_ARGUMENT; a throwing deserializer would become INTERNAL.
      requestSerialize: passBytes,
      requestDeserialize: passBytes,
      responseSerialize: (response: PartialSuccess | undefined) => Buffer.from(encodeExportResponseProto(response)),
      responseDeserialize: passBytes,
    },
  } as grpc.ServiceDefinition;
}

export function startOtlpGrpcReceiver(options: OtlpGrpcReceiverOptions, host: string, port: number): Promise<GrpcListener> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': options.maxRecvMsgSizeBytes,
  });
  for (const signal of ['traces', 'metrics', 'logs'] as const) {
    if (options.consumers[signal] === undefined) continue;
    const service = signalHandling[signal];
    server.addService(definition(exportPaths[signal]), {
      Export: (call: grpc.ServerUnaryCall<Buffer, PartialSuccess | undefined>, callback: grpc.sendUnaryData<PartialSuccess | undefined>) => {
        void (async () => {
          let items = 0;
          const auth = options.authenticate ? await authenticated(options, call.metadata, callback) : {};
          if (auth === undefined) return;
          // The pipeline stores this call under the credential's tenant (tenancy/).
          await runAsTenant(auth.tenant, async () => {
            try {
              const refusals = new DecodeRefusals();
              const data = service.decodeProto(call.request, refusals);
              items = service.count(data as never);
              const partialSuccess = await consumeDecoded(service, options.consumers, data, items, refusals);
              options.onResult?.(signal, 'accepted', items);
              if (refusals.count > 0) options.onResult?.(signal, 'refused', refusals.count);
              callback(null, partialSuccess);
            } catch (error) {
              options.onResult?.(signal, 'refused', items);
              const { serverLog, ...failure } = grpcFailureFor(error);
              if (serverLog !== undefined) {
                // Logged once under the id the client sees (status.ts).
                options.logger.warn(`refused ${signal} export over gRPC`, { code: failure.code, request_id: serverLog.requestId, error: serverLog.detail });
              } else options.logger.debug(`refused ${signal} export over gRPC`, { code: failure.code, error: failure.details });
              callback(failure);
            }
          });
        })();
      },
    });
  }
  const credentials = options.tls ? new ReloadableServerCredentials(options.tls) : grpc.ServerCredentials.createInsecure();
  return new Promise((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, credentials, (error, boundPort) => {
      if (error) {
        const reason = /EADDRINUSE|address already in use/i.test(error.message) ? 'address already in use' : error.message;
        reject(new ListenError(`cannot listen for OTLP/gRPC on ${host}:${port}: ${reason}`, { cause: error }));
        return;
      }
      resolve({
        host,
        port: boundPort,
        close: (force) =>
          new Promise<void>((done) => {
            // tryShutdown refuses new calls (GOAWAY) and waits for the running
            // ones; forceShutdown cancels what is left when the grace period ends.
            const cut = () => server.forceShutdown();
            server.tryShutdown(() => {
              force?.removeEventListener('abort', cut);
              done();
            });
            if (force?.aborted) cut();
            else force?.addEventListener('abort', cut, { once: true });
          }),
      });
    });
  });
}

/** configgrpc's auth interceptor: UNAUTHENTICATED with the authenticator's message; undefined once refused. */
async function authenticated(
  options: OtlpGrpcReceiverOptions,
  metadata: grpc.Metadata,
  callback: grpc.sendUnaryData<PartialSuccess | undefined>,
): Promise<AuthInfo | undefined> {
  const headers: RequestHeaders = (name) => {
    const value = metadata.get(name)[0];
    return typeof value === 'string' ? value : undefined;
  };
  try {
    return (await options.authenticate!(headers)) ?? {};
  } catch (error) {
    if (!(error instanceof UnauthenticatedError)) {
      options.logger.warn('OTLP/gRPC authenticator failed', { error });
      callback({ code: grpc.status.INTERNAL, details: 'the authenticator failed; see the server log' });
      return undefined;
    }
    options.logger.debug('unauthenticated OTLP/gRPC call', { error: error.message });
    callback({ code: grpc.status.UNAUTHENTICATED, details: error.message });
    return undefined;
  }
}

/**
 * TLS credentials whose key material follows the receiver's `reload_interval`:
 * grpc-js re-keys its server through the watcher mechanism that its own
 * certificate providers use (ServerCredentials.updateSecureContextOptions).
 */
class ReloadableServerCredentials extends grpc.ServerCredentials {
  constructor(tls: ServerTls) {
    const { requestCert, rejectUnauthorized, ...context } = tls.options;
    super({ requestCert, rejectUnauthorized }, context);
    tls.onReload((next) => this.updateSecureContextOptions(next));
  }
  _equals(other: grpc.ServerCredentials): boolean {
    return other === this;
  }
}
