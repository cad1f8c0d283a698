import type { Readable, Writable } from 'node:stream';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

// `tracehouse mcp`: MCP over stdio for assistants that start their servers as a
// command, relayed message by message to a running Tracehouse's /mcp endpoint.
// Chosen over opening the store here: embedded chDB holds its data directory for
// one process (the running server), a second reader would see neither a
// ClickHouse server's nor another process's data consistently, and relaying keeps
// one implementation of the tools and one access check (the same tokens as the
// query API).

export interface StdioBridgeOptions {
  /** The Tracehouse API's base URL (http://127.0.0.1:8080). */
  apiUrl: string;
  /** An access token (tracehouse user / tokens) when the API asks for login. */
  token?: string;
  stdin?: Readable;
  stdout?: Writable;
}

/** JSON-RPC's "server error" range, for a relay that could not reach Tracehouse. */
const unreachableCode = -32000;

/** Relays until stdin closes (the assistant stopped the server); resolves then. */
export async function runStdioBridge(options: StdioBridgeOptions): Promise<void> {
  const endpoint = new URL('/mcp', options.apiUrl);
  const headers: Record<string, string> = options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` };
  const upstream = new StreamableHTTPClientTransport(endpoint, { requestInit: { headers } });
  const local = new StdioServerTransport(options.stdin, options.stdout);
  const closed = new Promise<void>((resolve) => {
    local.onclose = resolve;
  });
  upstream.onmessage = (message) => {
    void local.send(message).catch(() => undefined);
  };
  local.onmessage = (message: JSONRPCMessage) => {
    upstream.send(message).catch((error: unknown) => {
      if (!('id' in message) || !('method' in message)) return;
      const reason = error instanceof Error ? error.message : String(error);
      void local
        .send({ jsonrpc: '2.0', id: message.id, error: { code: unreachableCode, message: `Tracehouse at ${endpoint.href} did not answer: ${reason}` } })
        .catch(() => undefined);
    });
  };
  await upstream.start();
  await local.start();
  // StdioServerTransport closes on its close() only; end of input ends the relay.
  (options.stdin ?? process.stdin).once('end', () => void local.close());
  await closed;
  await upstream.close();
}
