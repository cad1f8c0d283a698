import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { createSink, gauge, logRecord, logs, metrics, numberPoint, plain, settingsFor, span, traces } from '../test-pdata.ts';
import { resourceConfigSchema, resourceProcessorFactory } from './factory.ts';

const config = resourceConfigSchema.parse({
  attributes: [
    { key: 'deployment.environment', value: 'staging', action: 'upsert' },
    { key: 'host.name', action: 'hash' },
    { key: 'k8s.pod.uid', action: 'delete' },
    { key: 'service.instance.id', pattern: '^(?P<pod>[a-z-]+)-(?P<ordinal>\\d+)$', action: 'extract' },
    { key: 'ordinal', action: 'convert', converted_type: 'int' },
  ],
});

const resourceAttributes = {
  'service.name': 'shop',
  'host.name': 'node-1',
  'k8s.pod.uid': 'abc',
  'service.instance.id': 'shop-web-3',
  'deployment.environment': 'dev',
};

const expected = {
  'service.name': 'shop',
  'host.name': createHash('sha256').update('node-1').digest('hex'),
  'service.instance.id': 'shop-web-3',
  'deployment.environment': 'staging',
  pod: 'shop-web',
  ordinal: 3n,
};

test('resource actions apply to the resource of every signal, leaving items alone', async () => {
  const sink = createSink();
  const settings = settingsFor('resource');
  const tracesProcessor = resourceProcessorFactory.createTracesProcessor(settings, config, sink);
  await tracesProcessor.consumeTraces(traces({ resource: resourceAttributes, spans: [span('a', { 'host.name': 'same' })] }));
  assert.deepEqual(plain(sink.traces[0]!.resourceSpans[0]!.resource.attributes), expected);
  assert.deepEqual(plain(sink.traces[0]!.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes), { 'host.name': 'same' });

  const logsProcessor = resourceProcessorFactory.createLogsProcessor(settings, config, sink);
  await logsProcessor.consumeLogs(logs({ resource: resourceAttributes, records: [logRecord('x')] }));
  assert.deepEqual(plain(sink.logs[0]!.resourceLogs[0]!.resource.attributes), expected);

  const metricsProcessor = resourceProcessorFactory.createMetricsProcessor(settings, config, sink);
  await metricsProcessor.consumeMetrics(metrics({ resource: resourceAttributes, metrics: [gauge('g', [numberPoint(1)])] }));
  assert.deepEqual(plain(sink.metrics[0]!.resourceMetrics[0]!.resource.attributes), expected);
});

test('config: attributes are required', () => {
  const result = resourceConfigSchema.safeParse({});
  assert.deepEqual(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`), [
    'attributes: missing required field "attributes"',
  ]);
  assert.equal(resourceConfigSchema.safeParse({ actions: [] }).success, false);
});
