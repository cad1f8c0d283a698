import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class ListenError extends Error {
  readonly code = 'listen_failed';
}

export interface Listener {
  /** The address actually bound (port resolved when 0 was asked). */
  host: string;
  port: number;
  /** Stops accepting, lets in-flight requests finish, then drops idle keep-alives. */
  close(): Promise<void>;
}

/** Serves a Hono app; a busy port becomes a one-line ListenError, not a stack trace. */
export function listen(app: Hono, host: string, port: number, what: string): Promise<Listener> {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'address already in use' : error.message;
      reject(new ListenError(`cannot listen for ${what} on ${host}:${port}: ${reason}`, { cause: error }));
    });
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({
        host,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
