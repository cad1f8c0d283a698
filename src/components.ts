import type { ReceiverFactory } from './component/component.ts';
import { exporterFactories } from './exporter/index.ts';
import { createStoreExporterFactory } from './exporter/store/factory.ts';
import { extensionFactories } from './extension/index.ts';
import { processorFactories } from './processor/index.ts';
import { otlpReceiverFactory } from './receiver/otlp/factory.ts';
import type { TelemetryWriter } from './storage/api.ts';
import type { FactoryRegistry } from './config/collector-config.ts';

// The composition root, as the Collector's cmd/otelcorecol/components.go: the one
// list of component types this build has. config/ only declares FactoryRegistry, so
// it stays a leaf that imports no component.

/**
 * Every component type a config may name. `writer` gives the local store to the
 * `tracehouse` exporter once it is open; validating a config never calls it.
 * `retentionHours` lets that exporter refuse what the TTL would delete at once.
 */
export function createFactoryRegistry(writer: () => TelemetryWriter, retentionHours = 168): FactoryRegistry {
  return {
    receivers: new Map([[otlpReceiverFactory.type, otlpReceiverFactory as ReceiverFactory<unknown>]]),
    processors: processorFactories,
    exporters: new Map([...exporterFactories, ['tracehouse', createStoreExporterFactory(writer, retentionHours)]]),
    extensions: extensionFactories,
  };
}
