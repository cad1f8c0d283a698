import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import type { ExporterFactory, ProcessorFactory, ReceiverFactory } from '../component/component.ts';
import { componentConfig } from '../component/config-schema.ts';
import { resolveCollectorConfig } from '../config/collector-config.ts';
import { parseConfigText } from '../config/load-config.ts';
import { exporterFactories } from '../exporter/index.ts';
import { extensionFactories } from '../extension/index.ts';
import { silentLogger } from '../lib/log.ts';
import { processorFactories } from '../processor/index.ts';
import { createMetricsRegistry } from '../telemetry/metrics-registry.ts';
import { buildService } from './service.ts';

// Each processor's `next` says whether anything downstream of it may change data
// in place (consumer.ts Capabilities): what the batch processor decides copies on.

const lifecycle = { start: async () => {}, shutdown: async () => {} };
const unused = () => {
  throw new Error('unused');
};

const seen = new Map<string, boolean | undefined>();

/** Records what its `next` declares; mutates nothing itself. */
const probeProcessor: ProcessorFactory<unknown> = {
  type: 'probe',
  configSchema: componentConfig(z.strictObject({})),
  createTracesProcessor(settings, _config, next) {
    seen.set(settings.id.name, next.capabilities?.mutatesData);
    return { ...lifecycle, consumeTraces: (d) => next.consumeTraces(d), capabilities: { mutatesData: false } };
  },
  createMetricsProcessor: unused,
  createLogsProcessor: unused,
};

const stillExporter: ExporterFactory<unknown> = {
  type: 'still',
  configSchema: componentConfig(z.strictObject({})),
  createTracesExporter: () => ({ ...lifecycle, consumeTraces: async () => ({}), capabilities: { mutatesData: false } }),
  createMetricsExporter: unused,
  createLogsExporter: unused,
};

const undeclaredExporter: ExporterFactory<unknown> = {
  type: 'undeclared',
  configSchema: componentConfig(z.strictObject({})),
  createTracesExporter: () => ({ ...lifecycle, consumeTraces: async () => ({}) }),
  createMetricsExporter: unused,
  createLogsExporter: unused,
};

const captureReceiver: ReceiverFactory<unknown> = {
  type: 'capture',
  configSchema: componentConfig(z.strictObject({})),
  createReceiver: () => lifecycle,
};

const yaml = `
receivers:
  capture:
processors:
  probe/before_attributes:
  probe/after_attributes:
  probe/before_builtins:
  probe/before_undeclared:
  probe/before_forwarders:
  attributes/tag:
    actions:
      - { key: pipeline, value: first, action: insert }
  memory_limiter:
    check_interval: 1s
    limit_mib: 1000
  batch:
exporters:
  still:
  undeclared:
  otlp:
    endpoint: 127.0.0.1:1
  otlphttp:
    endpoint: http://127.0.0.1:1
  debug:
service:
  pipelines:
    traces/a:
      receivers: [capture]
      processors: [probe/before_attributes, attributes/tag, probe/after_attributes]
      exporters: [still]
    traces/b:
      receivers: [capture]
      processors: [probe/before_builtins, memory_limiter, batch]
      exporters: [still]
    traces/c:
      receivers: [capture]
      processors: [probe/before_undeclared]
      exporters: [still, undeclared]
    traces/d:
      receivers: [capture]
      processors: [probe/before_forwarders, batch]
      exporters: [otlp, otlphttp, debug]
`;

test('a processor learns whether anything downstream of it mutates data; undeclared counts as mutating', () => {
  const registry = {
    receivers: new Map([['capture', captureReceiver]]),
    processors: new Map([...processorFactories, ['probe', probeProcessor]]),
    exporters: new Map([
      ...exporterFactories,
      ['still', stillExporter],
      ['undeclared', undeclaredExporter],
    ]),
    extensions: extensionFactories,
  };
  const config = resolveCollectorConfig(parseConfigText(yaml, {}), registry);
  buildService(config, { logger: silentLogger, metrics: createMetricsRegistry(), dataDir: '/nonexistent' });
  assert.deepEqual(Object.fromEntries(seen), {
    after_attributes: false, // only a non-mutating exporter after it
    before_attributes: true, // the attributes processor declares nothing: it may hash in place
    before_builtins: false, // memory_limiter and batch declare they do not mutate
    before_undeclared: true,
    before_forwarders: false, // otlp, otlphttp and debug only read what they send
  });
});
