import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import type { ExporterFactory, ReceiverConsumers, ReceiverFactory } from '../component/component.ts';
import { componentConfig } from '../component/config-schema.ts';
import { PermanentError, StorageUnavailableError } from '../consumer/errors.ts';
import { resolveCollectorConfig } from '../config/collector-config.ts';
import { extensionFactories } from '../extension/index.ts';
import { parseConfigText } from '../config/load-config.ts';
import { silentLogger } from '../lib/log.ts';
import { emptySpan } from '../pdata/defaults.ts';
import type { TracesData } from '../pdata/model.ts';
import { processorFactories } from '../processor/index.ts';
import { createMetricsRegistry } from '../telemetry/metrics-registry.ts';
import { buildService } from './service.ts';

// The pipeline graph with the real processors, between a receiver that hands its
// consumers to the test and an exporter that records what reaches it.

const events: string[] = [];
let received: ReceiverConsumers = {};
const exported: { exporter: string; data: TracesData }[] = [];
let failWith: Error | undefined;

const lifecycle = (name: string) => ({
  start: async () => void events.push(`start ${name}`),
  shutdown: async () => void events.push(`stop ${name}`),
});

const captureReceiver: ReceiverFactory<unknown> = {
  type: 'capture',
  configSchema: componentConfig(z.strictObject({})),
  createReceiver(_settings, _config, consumers) {
    received = consumers;
    return lifecycle('receiver');
  },
};

const recordExporter: ExporterFactory<unknown> = {
  type: 'record',
  configSchema: componentConfig(z.strictObject({})),
  createTracesExporter(settings) {
    events.push(`create exporter ${settings.id.name}`);
    return {
      ...lifecycle(`exporter ${settings.id.name}`),
      consumeTraces: async (data) => {
        if (failWith && settings.id.name === 'flaky') throw failWith;
        exported.push({ exporter: settings.id.name, data });
        return {};
      },
    };
  },
  createMetricsExporter: () => {
    throw new Error('unused');
  },
  createLogsExporter: () => {
    throw new Error('unused');
  },
};

const registry = {
  receivers: new Map([['capture', captureReceiver]]),
  processors: processorFactories,
  exporters: new Map([['record', recordExporter]]),
  extensions: extensionFactories,
};

const yaml = `
receivers:
  capture:
processors:
  attributes/tag:
    actions:
      - { key: pipeline, value: first, action: insert }
  filter/health:
    traces:
      span:
        - 'attributes["http.route"] == "/health"'
exporters:
  record/main:
  record/flaky:
service:
  pipelines:
    traces:
      receivers: [capture]
      processors: [attributes/tag]
      exporters: [record/main]
    traces/2:
      receivers: [capture]
      processors: [filter/health]
      exporters: [record/main, record/flaky]
`;

function span(route: string) {
  return {
    ...emptySpan(),
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: route === '/health' ? '00f067aa0ba902b7' : '00f067aa0ba902b8',
    name: `GET ${route}`, kind: 2, startTimeUnixNano: 1n, endTimeUnixNano: 2n,
    attributes: [{ key: 'http.route', value: { type: 'string' as const, value: route } }],
  };
}

const data = (): TracesData => ({
  resourceSpans: [{
    resource: { attributes: [], droppedAttributesCount: 0 },
    scopeSpans: [{ scope: { name: 's', version: '', attributes: [], droppedAttributesCount: 0 }, spans: [span('/health'), span('/items/{item_id}')], schemaUrl: '' }],
    schemaUrl: '',
  }],
});

const routes = (d: TracesData) => d.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((sp) => sp.name)));
const keys = (d: TracesData) => d.resourceSpans[0]!.scopeSpans[0]!.spans.map((sp) => sp.attributes.map((a) => a.key).join(','));

test('one receiver feeds every pipeline naming it; each pipeline processes its own copy; exporters are shared', async () => {
  const config = resolveCollectorConfig(parseConfigText(yaml, {}), registry);
  const service = buildService(config, { logger: silentLogger, metrics: createMetricsRegistry(), dataDir: '/nonexistent' });
  // One instance per exporter per signal, even when two pipelines name it.
  assert.deepEqual(events.filter((e) => e.startsWith('create')), ['create exporter main', 'create exporter flaky']);
  await service.start();
  assert.deepEqual(events.filter((e) => e.startsWith('start')), ['start exporter main', 'start exporter flaky', 'start receiver']);

  await received.traces!.consumeTraces(data());
  const first = exported.find((e) => keys(e.data).every((k) => k.includes('pipeline')))!;
  assert.deepEqual(routes(first.data), ['GET /health', 'GET /items/{item_id}']);
  const filtered = exported.filter((e) => routes(e.data).length === 1);
  assert.deepEqual(filtered.map((e) => e.exporter).sort(), ['flaky', 'main']);
  // The attributes processor of the first pipeline did not reach the second's copy.
  assert.deepEqual(keys(filtered[0]!.data), ['http.route']);

  await service.shutdown();
  assert.deepEqual(events.filter((e) => e.startsWith('stop')), ['stop receiver', 'stop exporter flaky', 'stop exporter main']);
});

test('a failing destination fails the whole call, retryable errors first', async () => {
  const config = resolveCollectorConfig(parseConfigText(yaml, {}), registry);
  const service = buildService(config, { logger: silentLogger, metrics: createMetricsRegistry(), dataDir: '/nonexistent' });
  await service.start();
  failWith = new StorageUnavailableError('downstream is down', 1000);
  await assert.rejects(received.traces!.consumeTraces(data()), StorageUnavailableError);
  failWith = new PermanentError('downstream refuses this');
  await assert.rejects(received.traces!.consumeTraces(data()), PermanentError);
  failWith = undefined;
  await service.shutdown();
});
