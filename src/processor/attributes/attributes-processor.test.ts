import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createSink,
  gauge,
  logRecord,
  logs,
  metrics,
  numberPoint,
  plain,
  settingsFor,
  span,
  traces,
} from '../test-pdata.ts';
import { attributesConfigSchema, attributesProcessorFactory } from './factory.ts';

const config = attributesConfigSchema.parse({
  actions: [
    { key: 'environment', value: 'production', action: 'insert' },
    { pattern: '^secret\\.', action: 'delete' },
    { key: 'http.status_code', action: 'convert', converted_type: 'int' },
  ],
});

test('actions apply to span attributes (not resources or events)', async () => {
  const sink = createSink();
  const processor = attributesProcessorFactory.createTracesProcessor(settingsFor('attributes'), config, sink);
  const input = traces({
    resource: { 'service.name': 'shop' },
    spans: [
      span('GET', { 'http.status_code': '404', 'secret.token': 'x' }, {
        events: [{ timeUnixNano: 1n, name: 'e', attributes: [], droppedAttributesCount: 0 }],
      }),
    ],
  });
  await processor.consumeTraces(input);
  const out = sink.traces[0]!.resourceSpans[0]!;
  assert.deepEqual(plain(out.scopeSpans[0]!.spans[0]!.attributes), { 'http.status_code': 404n, environment: 'production' });
  assert.deepEqual(plain(out.resource.attributes), { 'service.name': 'shop' });
  assert.deepEqual(out.scopeSpans[0]!.spans[0]!.events[0]!.attributes, []);
});

test('actions apply to log record and data point attributes', async () => {
  const sink = createSink();
  const logsProcessor = attributesProcessorFactory.createLogsProcessor(settingsFor('attributes'), config, sink);
  await logsProcessor.consumeLogs(logs({ records: [logRecord('hi', { attributes: [{ key: 'secret.pw', value: { type: 'string', value: 'p' } }] })] }));
  assert.deepEqual(plain(sink.logs[0]!.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!.attributes), { environment: 'production' });

  const metricsProcessor = attributesProcessorFactory.createMetricsProcessor(settingsFor('attributes'), config, sink);
  await metricsProcessor.consumeMetrics(metrics({ metrics: [gauge('g', [numberPoint(1, { 'http.status_code': '200' }), numberPoint(2)])] }));
  const points = sink.metrics[0]!.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.data!.dataPoints;
  assert.deepEqual(points.map((p) => plain(p.attributes)), [
    { 'http.status_code': 200n, environment: 'production' },
    { environment: 'production' },
  ]);
});

test('config: actions are required; include/exclude are refused for now', () => {
  const issues = (input: unknown): string[] => {
    const result = attributesConfigSchema.safeParse(input);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  assert.deepEqual(issues(null), ['actions: missing required field "actions"']);
  assert.deepEqual(issues({ actions: [{ key: 'a', action: 'delete' }], include: { match_type: 'strict', services: ['x'] } }), [
    'include: include matching is not supported; the actions apply to every item',
  ]);
  assert.deepEqual(issues({ actions: [{ key: 'a', action: 'insert' }] }), [
    'actions.0.value: one of "value" or "from_attribute" is required',
  ]);
});
