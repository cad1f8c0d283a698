import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { addUser } from '../../src/auth/user-store.ts';
import { createSdkTelemetry } from '../helpers/sdk-telemetry.ts';
import { eventually, repoRoot, startInProcess } from '../helpers/tracehouse.ts';
import type { RunningTracehouse } from '../helpers/tracehouse.ts';
import { sendSeedTraces } from '../jaeger/seed-traces.ts';
import type { SeededTrace } from '../jaeger/seed-traces.ts';

// The MCP server driven by the SDK's own client, over streamable HTTP (/mcp on the
// API port) and over stdio (`tracehouse mcp` as a child process, relaying to the
// same server), against SDK-made traces, logs and metrics.

const tools = ['list_services', 'list_operations', 'search_traces', 'get_trace', 'search_logs', 'query_promql', 'explain_slow_operation', 'check_setup'];

let th: RunningTracehouse;
let seeded: SeededTrace[];

before(async () => {
  th = await startInProcess();
  seeded = await sendSeedTraces({ otlpUrls: [th.otlpUrl], baseMs: Date.now() - 120_000 });
  const sdk = createSdkTelemetry(th.otlpUrl, 'protobuf', 'shop-api');
  sdk.payment({ currency: 'EUR', amount: 12 });
  sdk.log(17, 'inventory service unreachable');
  await sdk.flush();
  await sdk.shutdown();
});

after(() => th?.stop());

const text = (r: unknown) => ((r as CallToolResult).content as { type: string; text: string }[]).map((c) => c.text).join('\n');
const parsed = (r: unknown) => {
  assert.ok(!(r as CallToolResult).isError, text(r));
  return JSON.parse(text(r));
};

async function httpClient(headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${th.apiUrl}/mcp`), { requestInit: { headers } }));
  return client;
}

async function exercise(client: Client): Promise<void> {
  const listed = await client.listTools();
  assert.deepEqual(listed.tools.map((t) => t.name).sort(), [...tools].sort());
  for (const t of listed.tools) assert.equal(t.inputSchema.type, 'object', t.name);

  const services = parsed(await client.callTool({ name: 'list_services', arguments: { start: new Date(Date.now() - 3_600_000).toISOString() } }));
  assert.deepEqual(services.services.map((s: { name: string }) => s.name).sort(), ['frontend', 'payment-api', 'shop-api', 'worker']);

  const ops = parsed(await client.callTool({ name: 'list_operations', arguments: { service: 'payment-api', spanKind: 'server' } }));
  assert.deepEqual(ops.operations, [{ name: 'POST /payments', spanKind: 'server' }]);

  const declined = seeded.find((s) => s.kind === 'declined')!.traceId;
  const errors = parsed(await client.callTool({ name: 'search_traces', arguments: { service: 'payment-api', status: 'error', attributes: ['payment.currency=EUR'] } }));
  assert.deepEqual(errors.traces.map((t: { traceId: string }) => t.traceId), [declined]);
  assert.equal(errors.traces[0].rootSpan, 'GET /checkout');

  const tree = parsed(await client.callTool({ name: 'get_trace', arguments: { traceId: declined } }));
  assert.equal(tree.spanCount, 5);
  assert.deepEqual(tree.spans.map((s: { depth: number; name: string }) => `${s.depth} ${s.name}`), ['0 GET /checkout', '1 POST', '2 POST /payments', '3 payment.charge', '4 SELECT payments']);
  const charge = tree.spans[3];
  assert.equal(charge.durationMs, 25);
  assert.equal(charge.selfMs, 21, 'the 4 ms database call is not its own time');
  assert.equal(charge.error, 'card declined');
  assert.equal(charge.attributes['payment.currency'], 'EUR');
  assert.deepEqual(charge.events, ['charge.attempt', 'exception']);
  const cut = parsed(await client.callTool({ name: 'get_trace', arguments: { traceId: declined, maxSpans: 2 } }));
  assert.equal(cut.spans.length, 2);
  assert.equal(cut.truncated, true);

  const badId = await client.callTool({ name: 'get_trace', arguments: { traceId: 'xyz' } });
  assert.equal(badId.isError, true);
  assert.match(text(badId), /traceId/);
  const unknown = await client.callTool({ name: 'get_trace', arguments: { traceId: '0123456789abcdef0123456789abcdef' } });
  assert.equal(unknown.isError, true);
  assert.match(text(unknown), /not found/);
  const badFilter = await client.callTool({ name: 'search_traces', arguments: { attributes: ['no operator'] } });
  assert.equal(badFilter.isError, true);
  assert.match(text(badFilter), /^attr: /);

  const logs = parsed(await client.callTool({ name: 'search_logs', arguments: { service: 'shop-api', minSeverity: 'error' } }));
  assert.deepEqual(logs.logs.map((l: { body: string }) => l.body), ['inventory service unreachable']);

  const two = parsed(await client.callTool({ name: 'query_promql', arguments: { query: 'vector(1)+vector(1)' } }));
  assert.equal(two.data.result[0].value[1], '2');
  const counted = parsed(await client.callTool({ name: 'query_promql', arguments: { query: 'sum(payments_processed_total)' } }));
  assert.equal(counted.data.resultType, 'vector');
  const badQuery = await client.callTool({ name: 'query_promql', arguments: { query: 'sum(' } });
  assert.equal(badQuery.isError, true);
  assert.match(text(badQuery), /^bad_data: /);

  const slow = parsed(await client.callTool({ name: 'explain_slow_operation', arguments: { service: 'frontend' } }));
  assert.ok(slow.breakdown.operations.some((o: { name: string }) => o.name === 'payment.charge'), JSON.stringify(slow.breakdown.operations));
  assert.ok(Array.isArray(slow.slowTracesHave.results));

  const setup = parsed(await client.callTool({ name: 'check_setup', arguments: {} }));
  assert.ok(setup.services.some((s: { service: string }) => s.service === 'payment-api'));
}

describe('MCP', () => {
  test('over streamable HTTP at /mcp', async () => {
    const client = await httpClient();
    try {
      await exercise(client);
    } finally {
      await client.close();
    }
  });

  test('over stdio through `tracehouse mcp`', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', path.join(repoRoot, 'src/main.ts'), 'mcp', '--url', th.apiUrl],
      cwd: repoRoot,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(transport);
    try {
      // The relay carries every message alike; the HTTP test runs every tool.
      assert.deepEqual((await client.listTools()).tools.map((t) => t.name).sort(), [...tools].sort());
      const declined = seeded.find((s) => s.kind === 'declined')!.traceId;
      const tree = parsed(await client.callTool({ name: 'get_trace', arguments: { traceId: declined } }));
      assert.equal(tree.spans[3].error, 'card declined');
      const bad = await client.callTool({ name: 'search_logs', arguments: { minSeverity: 'loud' } });
      assert.equal(bad.isError, true);
      assert.match(text(bad), /^minSeverity: /);
    } finally {
      await client.close();
    }
  });

  test('stdio without a Tracehouse to relay to: the request fails naming the URL', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      // Port 9 (discard) on loopback: nothing of ours listens there.
      args: ['--import', 'tsx', path.join(repoRoot, 'src/main.ts'), 'mcp', '--url', 'http://127.0.0.1:9'],
      cwd: repoRoot,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'test', version: '1.0.0' });
    try {
      await assert.rejects(client.connect(transport), /Tracehouse at http:\/\/127\.0\.0\.1:9\/mcp did not answer/);
    } finally {
      await client.close();
    }
  });

  test('follows the query API access rules once login is on', async () => {
    await addUser(th.dataDir, 'admin', 'admin password', 'admin');
    // The user store is re-read at most once a second (auth/user-store.ts).
    const post = () => fetch(`${th.apiUrl}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    const refused = await eventually(async () => ((await post()).status === 401 ? true : undefined), 30, 100);
    assert.equal(refused, true);
    await assert.rejects(httpClient());
    const login = await fetch(`${th.apiUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin password' }) });
    assert.equal(login.status, 200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const made = await fetch(`${th.apiUrl}/api/v1/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ name: 'assistant', role: 'read' }) });
    assert.equal(made.status, 201, await made.clone().text());
    const { token } = (await made.json()) as { token: string };
    const client = await httpClient({ Authorization: `Bearer ${token}` });
    try {
      const services = parsed(await client.callTool({ name: 'list_services', arguments: {} }));
      assert.ok(services.services.length > 0);
    } finally {
      await client.close();
    }
  });
});
