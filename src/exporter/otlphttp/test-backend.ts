import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

// A real OTLP/HTTP backend for the exporter tests: a node:http server on port 0
// that records each request (body decompressed) and answers through `respond`.

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** As sent (possibly gzip). */
  rawBody: Buffer;
  /** Decompressed. */
  body: Buffer;
}

export type Responder = (request: ReceivedRequest, response: ServerResponse, index: number) => void;

export interface TestBackend {
  url: string;
  port: number;
  received: ReceivedRequest[];
  respond: Responder;
  close(): Promise<void>;
}

export const acceptAll: Responder = (_request, response) => {
  response.writeHead(200, { 'Content-Type': 'application/x-protobuf' });
  response.end();
};

export async function startBackend(respond: Responder = acceptAll, port = 0): Promise<TestBackend> {
  const backend: TestBackend = {
    url: '',
    port: 0,
    received: [],
    respond,
    close: async () => {},
  };
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const body = incoming.headers['content-encoding'] === 'gzip' ? gunzipSync(rawBody) : rawBody;
      const request: ReceivedRequest = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        headers: incoming.headers,
        rawBody,
        body,
      };
      backend.received.push(request);
      backend.respond(request, response, backend.received.length - 1);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  backend.port = (server.address() as AddressInfo).port;
  backend.url = `http://127.0.0.1:${backend.port}`;
  backend.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return backend;
}
