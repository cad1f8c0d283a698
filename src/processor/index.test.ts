import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TracesConsumer } from '../consumer/consumer.ts';
import { processorFactories } from './index.ts';
import { createSink, settingsFor, span, spanNames, traces } from './test-pdata.ts';

test('every processor type is registered and parses its bare `type:` form or refuses it', () => {
  assert.deepEqual([...processorFactories.keys()].sort(), ['attributes', 'batch', 'filter', 'memory_limiter', 'resource']);
  // As in the Collector, batch and filter have usable defaults; the others need settings.
  const parsesEmpty = [...processorFactories.values()].map((f) => [f.type, f.configSchema.safeParse(null).success]);
  assert.deepEqual(Object.fromEntries(parsesEmpty), {
    batch: true,
    memory_limiter: false,
    filter: true,
    attributes: false,
    resource: false,
  });
});

test('a chain through the registry: memory_limiter -> filter -> resource -> batch -> sink', async () => {
  const sink = createSink();
  const build = (type: string, yaml: unknown, next: TracesConsumer) => {
    const factory = processorFactories.get(type)!;
    return factory.createTracesProcessor(settingsFor(type), factory.configSchema.parse(yaml), next);
  };
  const batch = build('batch', { timeout: '10ms' }, sink);
  const resource = build('resource', { attributes: [{ key: 'env', value: 'test', action: 'insert' }] }, batch);
  const filter = build('filter', { traces: { span: ['name == "GET /health"'] } }, resource);
  const limiter = build('memory_limiter', { check_interval: '1s', limit_percentage: 100 }, filter);
  for (const p of [batch, resource, filter, limiter]) await p.start();

  await limiter.consumeTraces(traces({ spans: [span('GET /health'), span('GET /users')] }));
  assert.deepEqual(spanNames(sink.traces[0]!), ['GET /users']);
  assert.deepEqual(sink.traces[0]!.resourceSpans[0]!.resource.attributes.map((kv) => kv.key), ['env']);
  for (const p of [limiter, filter, resource, batch]) await p.shutdown();
});
