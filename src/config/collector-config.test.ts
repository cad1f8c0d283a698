import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, resolveCollectorConfig } from './collector-config.ts';
import { defaultCollectorConfig, printConfig } from './default-config.ts';
import { createFactoryRegistry } from '../components.ts';
import { parseConfigText } from './load-config.ts';
import { resolveOptions } from './options.ts';

const registry = createFactoryRegistry(() => {
  throw new Error('not in this test');
});

function problems(yaml: string): readonly string[] {
  try {
    resolveCollectorConfig(parseConfigText(yaml, {}), registry);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const pipelines = `
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [tracehouse]
`;

test('a Collector-style file resolves, with named pipelines and components', () => {
  const config = resolveCollectorConfig(
    parseConfigText(
      `
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 0.0.0.0:4317
      http:
processors:
  batch:
  batch/fast:
    timeout: 1s
    send_batch_size: 100
exporters:
  tracehouse:
extensions:
  health_check:
service:
  extensions: [health_check]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [tracehouse]
    traces/2:
      receivers: [otlp]
      processors: [batch/fast]
      exporters: [tracehouse]
`,
      {},
    ),
    registry,
  );
  assert.deepEqual(config.pipelines.map((p) => [p.id, p.signal]), [['traces', 'traces'], ['traces/2', 'traces']]);
  assert.deepEqual(config.receivers.get('otlp')!.config, {
    grpc: { host: '0.0.0.0', port: 4317, maxRecvMsgSizeBytes: 4 * 1024 * 1024, tls: undefined, authenticator: undefined },
    http: { host: 'localhost', port: 4318, maxRequestBodyBytes: 20 * 1024 * 1024, cors: { allowedOrigins: [], allowedHeaders: [] }, tls: undefined, authenticator: undefined },
  });
  assert.deepEqual(config.processors.get('batch/fast')!.config, { timeoutMs: 1000, sendBatchSize: 100, sendBatchMaxSize: 0 });
});

test('every problem is reported with its YAML path', () => {
  assert.deepEqual(
    problems(`
receivers:
  otlp:
    protocols:
      http:
processors:
  batch/fast:
    send_batch_size: 100
    send_batch_max_size: 10
  bogus:
exporters:
  tracehouse:
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch/x]
      exporters: [tracehouse]
    spans:
      receivers: [otlp]
      exporters: [tracehouse]
`),
    [
      'processors."batch/fast".send_batch_max_size: must be 0 (no limit) or >= send_batch_size (100)',
      `processors.bogus: unknown processor type "bogus"; supported: ${[...registry.processors.keys()].sort().join(', ')}`,
      "service.pipelines.traces: processor 'batch/x' is not defined",
      'service.pipelines.spans: unknown signal; a pipeline id is traces, metrics or logs, optionally followed by /name',
    ],
  );
});

test('missing pieces are named', () => {
  assert.deepEqual(problems(`receivers:\n  otlp:\n${pipelines}`), [
    'receivers.otlp.protocols: must specify at least one protocol (grpc or http)',
    "service.pipelines.traces: processor 'batch' is not defined",
    "service.pipelines.traces: exporter 'tracehouse' is not defined",
  ]);
  assert.deepEqual(problems('receivers: {}'), ['service: required, with service.pipelines']);
  const yaml = problems('receivers: [oops');
  assert.equal(yaml.length, 1);
  assert.match(yaml[0]!, /^configuration: invalid YAML/);
  assert.deepEqual(
    problems(`receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: nowhere\n        colour: blue\nexporters:\n  tracehouse:\n${pipelines.replace('processors: [batch]', '')}`),
    [
      'receivers.otlp.protocols.http.endpoint: expected host:port, got "nowhere"',
      "receivers.otlp.protocols.http: unknown option 'colour'",
    ],
  );
});

test('the built-in pipeline resolves, and print-config prints YAML that resolves to the same', () => {
  const options = resolveOptions([], {});
  const builtIn = resolveCollectorConfig(defaultCollectorConfig(options), registry);
  assert.deepEqual(builtIn.pipelines.map((p) => p.id), ['traces', 'metrics', 'logs']);
  for (const p of builtIn.pipelines) {
    assert.deepEqual([p.receivers, p.processors, p.exporters], [['otlp'], ['memory_limiter', 'batch'], ['tracehouse']]);
  }
  const printed = resolveCollectorConfig(parseConfigText(printConfig(defaultCollectorConfig(options)), {}), registry);
  assert.deepEqual(printed.receivers.get('otlp')!.config, builtIn.receivers.get('otlp')!.config);
  assert.deepEqual(printed.processors.get('batch')!.config, builtIn.processors.get('batch')!.config);
});

test('the seed guide\'s collector config validates unchanged', async () => {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(new URL('../../test/fixtures/otel-collector-config.yaml', import.meta.url), 'utf8');
  const config = resolveCollectorConfig(parseConfigText(text, {}), registry);
  assert.deepEqual(config.pipelines.map((p) => p.id), ['traces', 'metrics', 'logs']);
  assert.deepEqual(config.processors.get('batch')!.config, { timeoutMs: 5000, sendBatchSize: 512, sendBatchMaxSize: 0 });
});

test('exporters: a missing endpoint and an undeclared queue storage are named', () => {
  assert.deepEqual(
    problems(`
receivers:
  otlp:
    protocols:
      grpc:
exporters:
  otlp:
    tls:
      insecure: true
  otlphttp:
    endpoint: http://b:4318
    sending_queue:
      storage: file_storage
service:
  pipelines:
    logs:
      receivers: [otlp]
      exporters: [otlp, otlphttp]
`),
    ["exporters.otlp: 'endpoint' is required (host:port)", "exporters.otlphttp.sending_queue.storage: extension 'file_storage' is not defined"],
  );
});
