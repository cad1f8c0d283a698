import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { Hono } from 'hono';
import { createMcpServer } from '../mcp/mcp-server.ts';
import type { McpServerOptions } from '../mcp/mcp-server.ts';

// MCP's streamable HTTP transport at /mcp on the API port, stateless: each POST
// carries its JSON-RPC message and gets the answer as JSON (no session to keep,
// so any number of assistants and a restart of the server cost nothing). The
// server and transport are made per request, as the SDK's stateless example does.
// Access (tokens, sessions, Host check) is the query API's (access-middleware.ts).

export function createMcpRoutes(options: McpServerOptions): Hono {
  const app = new Hono();
  app.all('/mcp', async (c) => {
    const server = createMcpServer(options);
    const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      await server.close();
    }
  });
  return app;
}
