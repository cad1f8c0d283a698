import { parseArgs } from 'node:util';
import { runStdioBridge } from '../mcp/stdio-bridge.ts';

// `tracehouse mcp [--url URL]`: the MCP server over stdio (mcp/stdio-bridge.ts),
// relayed to a running Tracehouse. The token comes from the environment only, so
// it never shows in `ps`.

export const mcpUsage = `Usage: tracehouse mcp [--url URL]

Serves the MCP tools over stdio for an assistant that starts MCP servers as a
command, relayed to the running Tracehouse at URL (default
$TRACEHOUSE_URL, else http://127.0.0.1:8080). When the API asks for login, set
TRACEHOUSE_TOKEN to an access token.
`;

export async function runMcpCommand(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { url: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (error) {
    process.stderr.write(`tracehouse mcp: ${(error as Error).message}\n${mcpUsage}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(mcpUsage);
    return 0;
  }
  const apiUrl = values.url ?? env.TRACEHOUSE_URL ?? 'http://127.0.0.1:8080';
  try {
    new URL('/mcp', apiUrl);
  } catch {
    process.stderr.write(`tracehouse mcp: --url: not a URL: ${apiUrl}\n`);
    return 2;
  }
  const token = env.TRACEHOUSE_TOKEN;
  await runStdioBridge({ apiUrl, ...(token ? { token } : {}) });
  return 0;
}
