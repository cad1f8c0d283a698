import * as grpc from '@grpc/grpc-js';
import type { PartialSuccess, Signal } from '../../pdata/model.ts';
import { encodeExportResponseProto, encodeStatusWithRetryInfo } from '../../pdata/index.ts';

// A real OTLP/gRPC backend for the exporter tests: a grpc-js server on port 0 with
// the three Export methods written out by hand, recording each request's bytes and
// metadata and answering through `respond`.

export interface ReceivedCall {
  signal: Signal;
  bytes: Buffer;
  metadata: grpc.Metadata;
}

export type GrpcAnswer = { partialSuccess?: PartialSuccess } | { error: Partial<grpc.StatusObject> } | 'hang';

export interface GrpcBackend {
  target: string;
  received: ReceivedCall[];
  respond: (call: ReceivedCall, index: number) => GrpcAnswer;
  close(): Promise<void>;
}

const paths: Record<Signal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

const pass = (bytes: Buffer): Buffer => bytes;

export async function startGrpcBackend(
  respond: GrpcBackend['respond'] = () => ({}),
  credentials: grpc.ServerCredentials = grpc.ServerCredentials.createInsecure(),
): Promise<GrpcBackend> {
  const server = new grpc.Server();
  const hanging: Array<grpc.sendUnaryData<Buffer>> = [];
  const backend: GrpcBackend = { target: '', received: [], respond, close: async () => {} };
  for (const signal of ['traces', 'metrics', 'logs'] as const) {
    const definition = {
      Export: {
        path: paths[signal],
        requestStream: false,
        responseStream: false,
        requestSerialize: pass,
        requestDeserialize: pass,
        responseSerialize: pass,
        responseDeserialize: pass,
      },
    } as grpc.ServiceDefinition;
    server.addService(definition, {
      Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        const received: ReceivedCall = { signal, bytes: call.request, metadata: call.metadata };
        backend.received.push(received);
        const answer = backend.respond(received, backend.received.length - 1);
        if (answer === 'hang') hanging.push(callback);
        else if ('error' in answer) callback(answer.error);
        else callback(null, Buffer.from(encodeExportResponseProto(answer.partialSuccess)));
      },
    });
  }
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', credentials, (error, bound) => (error ? reject(error) : resolve(bound)));
  });
  backend.target = `127.0.0.1:${port}`;
  backend.close = async () => {
    server.forceShutdown();
    hanging.length = 0;
  };
  return backend;
}

/** A google.rpc.Status carrying a RetryInfo, as `grpc-status-details-bin` metadata. */
export function retryInfoTrailer(code: number, message: string, delayMs: number): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(encodeStatusWithRetryInfo(code, message, delayMs)));
  return metadata;
}
