import { createAdaptorServer } from '@hono/node-server';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer } from 'node:https';
import type { ServerTls } from './server-tls.ts';
import type { Hono } from 'hono';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export class ListenError extends Error {
  readonly code = 'listen_failed';
}

export interface Listener {
  /** The address actually bound (port resolved when 0 was asked). */
  host: string;
  port: number;
  /**
   * Stops accepting and lets in-flight requests finish; resolves once every
   * connection is closed. When `force` aborts (the grace period is over), the
   * connections still open are cut, in-flight requests with them.
   */
  close(force?: AbortSignal): Promise<void>;
}

/**
 * Serves a Hono app, over TLS when `tls` is given (re-keyed at each reload); a
 * busy port becomes a one-line ListenError, not a stack trace.
 */
export function listen(app: Hono, host: string, port: number, what: string, tls?: ServerTls): Promise<Listener> {
  const server = (
    tls ? createAdaptorServer({ fetch: app.fetch, createServer: createHttpsServer, serverOptions: tls.options }) : createAdaptorServer({ fetch: app.fetch })
  ) as Server;
  tls?.onReload((options) => (server as unknown as HttpsServer).setSecureContext(options));
  const shutdown = { closing: false, answering: new Set<ServerResponse>() };
  // Go's http.Server.Shutdown, which the Collector uses: once shutting down, every
  // answer says `Connection: close`, so a keep-alive client that keeps sending
  // on its open connections moves off them instead of holding close() open for
  // ever (server.close() only waits, and Node closes only the connections idle
  // at that moment).
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (shutdown.closing) res.shouldKeepAlive = false;
    shutdown.answering.add(res);
    res.once('close', () => {
      shutdown.answering.delete(res);
      // An answer whose headers were out before close() began kept its
      // connection alive: close it once it is idle.
      if (shutdown.closing) setImmediate(() => server.closeIdleConnections());
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'address already in use' : error.message;
      reject(new ListenError(`cannot listen for ${what} on ${host}:${port}: ${reason}`, { cause: error }));
    });
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({ host, port: address.port, close: (force) => closeServer(server, shutdown, force) });
    });
  });
}

function closeServer(
  server: Server,
  shutdown: { closing: boolean; answering: Set<ServerResponse> },
  force: AbortSignal | undefined,
): Promise<void> {
  return new Promise<void>((done) => {
    shutdown.closing = true;
    for (const res of shutdown.answering) if (!res.headersSent) res.shouldKeepAlive = false;
    const cut = () => server.closeAllConnections();
    server.close(() => {
      force?.removeEventListener('abort', cut);
      done();
    });
    server.closeIdleConnections();
    if (force?.aborted) cut();
    else force?.addEventListener('abort', cut, { once: true });
  });
}
