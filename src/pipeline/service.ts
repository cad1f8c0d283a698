import type {
  Component,
  CreateSettings,
  Endpoint,
  ExporterFactory,
  ProcessorFactory,
  ReceiverConsumers,
} from '../component/component.ts';
import { mutatesData } from '../consumer/consumer.ts';
import type { Capabilities, ConsumeResult } from '../consumer/consumer.ts';
import type { ResolvedConfig } from '../config/collector-config.ts';
import type { Logger } from '../lib/log.ts';
import type { Signal } from '../pdata/model.ts';
import type { MetricsRegistry } from '../telemetry/metrics-registry.ts';
import { fanOut } from './fanout.ts';
import { observeTraceRequests } from '../query/doctor/export-requests.ts';
import type { ExportRequestStats } from '../query/doctor/export-requests.ts';

// Builds the component graph of `service.pipelines`, as the Collector's service
// does: exporters are shared by every pipeline of a signal that names them,
// processors belong to one pipeline, a receiver feeds every pipeline naming it.
// Start order is exporters -> processors -> receivers (nothing receives before
// its destination is up); shutdown is the reverse, so in-flight data drains.

export interface ServiceSettings {
  logger: Logger;
  metrics: MetricsRegistry;
  dataDir: string;
  /** Spans per received trace request, for the instrumentation doctor (query/doctor/export-requests.ts). */
  exportRequests?: ExportRequestStats;
}

export interface Service {
  start(): Promise<void>;
  /** Stops receivers first, then processors, then exporters; `force`: see Component.shutdown. */
  shutdown(force?: AbortSignal): Promise<void>;
  /** Every receiver's listening address, once started. */
  endpoints(): Endpoint[];
}

type Consume = (data: never) => Promise<ConsumeResult>;

/** How each signal reaches its per-signal factory method and consumer method. */
const signalApi = {
  traces: {
    exporter: (f: ExporterFactory<unknown>, s: CreateSettings, c: unknown) => {
      const e = f.createTracesExporter(s, c);
      return { component: e, consume: e.consumeTraces.bind(e) as Consume, mutates: mutatesData(e) };
    },
    processor: (f: ProcessorFactory<unknown>, s: CreateSettings, c: unknown, next: Consume, capabilities: Capabilities) => {
      const p = f.createTracesProcessor(s, c, { consumeTraces: next, capabilities });
      return { component: p, consume: p.consumeTraces.bind(p) as Consume, mutates: mutatesData(p) };
    },
  },
  metrics: {
    exporter: (f: ExporterFactory<unknown>, s: CreateSettings, c: unknown) => {
      const e = f.createMetricsExporter(s, c);
      return { component: e, consume: e.consumeMetrics.bind(e) as Consume, mutates: mutatesData(e) };
    },
    processor: (f: ProcessorFactory<unknown>, s: CreateSettings, c: unknown, next: Consume, capabilities: Capabilities) => {
      const p = f.createMetricsProcessor(s, c, { consumeMetrics: next, capabilities });
      return { component: p, consume: p.consumeMetrics.bind(p) as Consume, mutates: mutatesData(p) };
    },
  },
  logs: {
    exporter: (f: ExporterFactory<unknown>, s: CreateSettings, c: unknown) => {
      const e = f.createLogsExporter(s, c);
      return { component: e, consume: e.consumeLogs.bind(e) as Consume, mutates: mutatesData(e) };
    },
    processor: (f: ProcessorFactory<unknown>, s: CreateSettings, c: unknown, next: Consume, capabilities: Capabilities) => {
      const p = f.createLogsProcessor(s, c, { consumeLogs: next, capabilities });
      return { component: p, consume: p.consumeLogs.bind(p) as Consume, mutates: mutatesData(p) };
    },
  },
} as const;

export function buildService(config: ResolvedConfig, settings: ServiceSettings): Service {
  const extensionsById = new Map<string, Component>();
  const create = (id: CreateSettings['id']): CreateSettings => ({
    id,
    logger: settings.logger,
    metrics: settings.metrics,
    dataDir: settings.dataDir,
    extensions: extensionsById,
  });

  const extensions: Component[] = config.serviceExtensions.map((key) => {
    const spec = config.extensions.get(key)!;
    const extension = spec.factory.createExtension(create(spec.id), spec.config);
    extensionsById.set(key, extension);
    return extension;
  });

  const exporters = new Map<string, { component: Component; consume: Consume; mutates: boolean }>();
  const processors: Component[] = [];
  const pipelineHeads = new Map<string, Consume>();
  for (const pipeline of config.pipelines) {
    const api = signalApi[pipeline.signal];
    const exporterConsumers = pipeline.exporters.map((key) => {
      const instanceKey = `${pipeline.signal}:${key}`;
      let exporter = exporters.get(instanceKey);
      if (!exporter) {
        const spec = config.exporters.get(key)!;
        exporter = api.exporter(spec.factory, create(spec.id), spec.config);
        exporters.set(instanceKey, exporter);
      }
      return exporter;
    });
    let head = fanOut(exporterConsumers.map((e) => e.consume)) as Consume;
    // What a processor's `next` may do to the data: anything downstream of it that
    // mutates counts (consumer.ts Capabilities).
    let downstreamMutates = exporterConsumers.some((e) => e.mutates);
    for (const key of [...pipeline.processors].reverse()) {
      const spec = config.processors.get(key)!;
      const processor = api.processor(spec.factory, create(spec.id), spec.config, head, { mutatesData: downstreamMutates });
      processors.push(processor.component);
      head = processor.consume;
      downstreamMutates ||= processor.mutates;
    }
    pipelineHeads.set(pipeline.id, head);
  }

  const receivers: Component[] = [];
  for (const [key, spec] of config.receivers) {
    const consumers: ReceiverConsumers = {};
    for (const signal of ['traces', 'metrics', 'logs'] as const satisfies readonly Signal[]) {
      const heads = config.pipelines
        .filter((p) => p.signal === signal && p.receivers.includes(key))
        .map((p) => pipelineHeads.get(p.id)!);
      if (heads.length === 0) continue;
      const consume = fanOut(heads);
      if (signal === 'traces') consumers.traces = observeTraceRequests({ consumeTraces: consume }, settings.exportRequests);
      if (signal === 'metrics') consumers.metrics = { consumeMetrics: consume };
      if (signal === 'logs') consumers.logs = { consumeLogs: consume };
    }
    // A receiver no pipeline uses is not started, as in the Collector.
    if (Object.keys(consumers).length === 0) continue;
    receivers.push(spec.factory.createReceiver(create(spec.id), spec.config, consumers));
  }

  // Processors were created from the exporter end of each pipeline backwards, so
  // this order starts each one after the components it sends to.
  const startOrder = [...extensions, ...[...exporters.values()].map((e) => e.component), ...processors, ...receivers];
  const started: Component[] = [];
  return {
    endpoints: () => receivers.flatMap((r) => r.endpoints?.() ?? []),
    async start() {
      for (const component of startOrder) {
        await component.start();
        started.push(component);
      }
    },
    async shutdown(force) {
      for (const component of started.reverse()) {
        try {
          await component.shutdown(force);
        } catch (error) {
          settings.logger.error('component shutdown failed', { error });
        }
      }
      started.length = 0;
    },
  };
}
