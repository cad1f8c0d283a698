import * as http from 'node:http';
import * as https from 'node:https';
import type { TlsMaterial, TlsConfig } from '../exporterhelper/client-config.ts';

// One POST, bounded in time and in what it reads back. The exchange ends at the
// timeout or on abort (the request is destroyed). The response body is read up to
// 64 KiB and no further: past that the connection is destroyed. A backend's answer
// is a small ExportXServiceResponse or google.rpc.Status, so nothing useful is lost,
// while a broken or hostile endpoint streaming an endless body cannot make the
// exporter buffer without bound or hang (the Collector's otlphttp exporter has the
// same 64 KiB limit, maxHTTPResponseReadBytes).

export const maxResponseBodyBytes = 64 * 1024;

export type PostResult =
  | {
      kind: 'response';
      statusCode: number;
      headers: http.IncomingHttpHeaders;
      /** The whole body; undefined when it was larger than the cap or did not arrive in time. */
      body: Buffer | undefined;
    }
  | { kind: 'error'; error: Error };

export interface HttpTransport {
  post(url: URL, body: Uint8Array, headers: Record<string, string>, timeoutMs: number, abort: AbortSignal): Promise<PostResult>;
  close(): void;
}

export function createHttpTransport(tls: TlsConfig, material: TlsMaterial): HttpTransport {
  const httpAgent = new http.Agent({ keepAlive: true });
  const httpsAgent = new https.Agent({
    keepAlive: true,
    ...(material.ca ? { ca: material.ca } : {}),
    ...(material.cert ? { cert: material.cert } : {}),
    ...(material.key ? { key: material.key } : {}),
    rejectUnauthorized: !tls.insecureSkipVerify,
    ...(tls.serverNameOverride ? { servername: tls.serverNameOverride } : {}),
    minVersion: tls.minVersion,
    ...(tls.maxVersion ? { maxVersion: tls.maxVersion } : {}),
  });

  return {
    post(url, body, headers, timeoutMs, abort) {
      if (abort.aborted) return Promise.resolve({ kind: 'error', error: new Error('export aborted: the exporter is shutting down') });
      return new Promise<PostResult>((resolve) => {
        let settled = false;
        let response: { statusCode: number; headers: http.IncomingHttpHeaders } | undefined;
        const chunks: Buffer[] = [];
        let received = 0;

        const finish = (result: PostResult): void => {
          if (settled) return;
          settled = true;
          if (timer !== undefined) clearTimeout(timer);
          abort.removeEventListener('abort', onAbort);
          resolve(result);
        };
        /** Ends the exchange early; once the status line is in, it still counts. */
        const stop = (error: Error): void => {
          // After 'end' the socket went back to the keep-alive pool: leave it alone.
          if (settled) return;
          request.destroy();
          finish(response ? { kind: 'response', ...response, body: undefined } : { kind: 'error', error });
        };
        const onAbort = (): void => stop(new Error('export aborted: the exporter is shutting down'));

        const transport = url.protocol === 'https:' ? https : http;
        const request = transport.request(url, {
          method: 'POST',
          headers: { ...headers, 'Content-Length': String(body.byteLength) },
          agent: url.protocol === 'https:' ? httpsAgent : httpAgent,
        });
        request.on('error', (error) => stop(error));
        const timer =
          timeoutMs > 0 ? setTimeout(() => stop(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs) : undefined;
        abort.addEventListener('abort', onAbort, { once: true });

        request.on('response', (incoming) => {
          response = { statusCode: incoming.statusCode ?? 0, headers: incoming.headers };
          incoming.on('data', (chunk: Buffer) => {
            if (received + chunk.length > maxResponseBodyBytes) {
              incoming.destroy();
              stop(new Error('response body over the cap'));
              return;
            }
            chunks.push(chunk);
            received += chunk.length;
          });
          incoming.on('end', () => finish({ kind: 'response', ...response!, body: Buffer.concat(chunks, received) }));
          incoming.on('error', () => stop(new Error('response body interrupted')));
          incoming.on('close', () => stop(new Error('response body interrupted')));
        });
        request.end(body);
      });
    },
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
