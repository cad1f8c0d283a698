import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { repoRoot, startInProcess, tempDir } from './helpers/tracehouse.ts';

// Issue 7, finding 2: regexes from a config are RE2. `(a+)+$` is valid RE2 and
// loads; on a backtracking engine one span with a 40-character value froze the
// event loop (ingest, queries and /healthz) for good. What RE2 refuses
// (lookarounds, backreferences) is refused when the config loads, naming its path.
// The receiver's CORS origin wildcards run on RE2 too (lib/go-regexp.ts).

/** A Collector config in a temporary directory removed when the test ends. */
async function configFile(t: TestContext, yaml: string): Promise<string> {
  const dir = await tempDir();
  t.after(() => dir.remove());
  const file = path.join(dir.dir, 'tracehouse.yaml');
  await writeFile(file, yaml);
  return file;
}

const adversarial = `${'a'.repeat(100_000)}b`;

test('IsMatch "(a+)+$" on a 100 KB adversarial value: filtered as the condition says, /healthz keeps answering', async (t) => {
  const config = await configFile(t, `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
processors:
  filter/redos:
    traces:
      span:
        - 'IsMatch(attributes["x"], "(a+)+$")'
exporters:
  tracehouse:
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [filter/redos]
      exporters: [tracehouse]
`);
  const th = await startInProcess(['--config', config], path.join(path.dirname(config), 'data'));
  t.after(() => th.stop());

  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'redos' }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${th.otlpUrl}/v1/traces` }),
        scheduledDelayMillis: 60_000,
      }),
    ],
  });
  t.after(() => provider.shutdown());
  const tracer = provider.getTracer('redos');
  // "a"×100000 + "b" does not end in a run of a's: the condition is false, the span kept.
  const kept = tracer.startSpan('adversarial', { attributes: { x: adversarial } });
  kept.end();
  // "a"×100000 matches: dropped.
  const dropped = tracer.startSpan('matching', { attributes: { x: 'a'.repeat(100_000) } });
  dropped.end();

  const flushed = provider.forceFlush();
  // While the request is decoded and filtered, /healthz must answer; a frozen event
  // loop would answer nothing until the 10 s abort.
  let healthChecks = 0;
  let exportDone = false;
  void flushed.finally(() => (exportDone = true));
  do {
    const health = await fetch(`${th.apiUrl}/healthz`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(health.status, 200);
    await health.body?.cancel();
    healthChecks += 1;
  } while (!exportDone);
  await flushed;
  assert.ok(healthChecks >= 1);

  const keptTrace = await fetch(`${th.apiUrl}/api/v1/traces/${kept.spanContext().traceId}`);
  assert.equal(keptTrace.status, 200);
  const body = (await keptTrace.json()) as {
    resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string; attributes: Array<{ key: string; value: { stringValue?: string } }> }> }> }>;
  };
  const spans = body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
  assert.deepEqual(
    spans.map((s) => [s.name, s.attributes.find((a) => a.key === 'x')?.value.stringValue === adversarial]),
    [['adversarial', true]],
  );
  const droppedTrace = await fetch(`${th.apiUrl}/api/v1/traces/${dropped.spanContext().traceId}`);
  assert.equal(droppedTrace.status, 404);
  await droppedTrace.body?.cancel();
});

test('CORS origin wildcards meet a 10 KB adversarial Origin header in linear time', async (t) => {
  // `*` in allowed_origins became `.*` in a RegExp: three of them backtracked for
  // 14 s on a 4 KB Origin, a header any client writes.
  const config = await configFile(t, `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
        cors:
          allowed_origins: ['https://*.*.*.example.com']
exporters:
  tracehouse:
service:
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [tracehouse]
`);
  const th = await startInProcess(['--config', config], path.join(path.dirname(config), 'data'));
  t.after(() => th.stop());
  const preflight = (origin: string) =>
    fetch(`${th.otlpUrl}/v1/traces`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
      signal: AbortSignal.timeout(10_000),
    });
  const [adversarialAnswer, health] = await Promise.all([
    preflight(`https://${'a.'.repeat(5_000)}x`),
    fetch(`${th.apiUrl}/healthz`, { signal: AbortSignal.timeout(10_000) }),
  ]);
  assert.equal(health.status, 200);
  assert.equal(adversarialAnswer.headers.get('access-control-allow-origin'), null);
  const allowed = await preflight('https://a.b.c.example.com');
  assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://a.b.c.example.com');
  await Promise.all([adversarialAnswer, health, allowed].map((r) => r.body?.cancel()));
});

/** Runs the real CLI; resolves with its exit code and stderr. */
function runCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src/main.ts'), ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

test('lookarounds and backreferences are refused by validate and start, naming the YAML path', async (t) => {
  const config = await configFile(t, `
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:0
processors:
  filter/lookaround:
    traces:
      span:
        - 'name == "ok"'
        - 'IsMatch(attributes["x"], "^(?=a)a(?!b)")'
  attributes/backref:
    actions:
      - pattern: '^(a)\\1$'
        action: delete
exporters:
  tracehouse:
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [filter/lookaround, attributes/backref]
      exporters: [tracehouse]
`);
  const expected = [
    /^tracehouse: processors\."filter\/lookaround"\.traces\.span\[1\]: IsMatch pattern: error parsing regexp: invalid or unsupported Perl syntax: `\(\?=` \(at column 26\)/m,
    /^tracehouse: processors\."attributes\/backref"\.actions\[0\]\.pattern: invalid pattern: error parsing regexp: invalid escape sequence: `\\1`$/m,
  ];
  const validate = await runCli(['validate', '--config', config]);
  assert.equal(validate.code, 1, validate.stderr);
  for (const problem of expected) assert.match(validate.stderr, problem);
  // start refuses before anything listens or any data directory is made.
  const start = await runCli(['start', '--config', config, '--data-dir', path.join(path.dirname(config), 'data'), '--api-host', '127.0.0.1', '--api-port', '0']);
  assert.equal(start.code, 1, start.stderr);
  for (const problem of expected) assert.match(start.stderr, problem);
});
