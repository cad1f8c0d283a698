import type { z } from 'zod';
import type { LogsConsumer, MetricsConsumer, TracesConsumer } from '../consumer/consumer.ts';
import type { Logger } from '../lib/log.ts';
import type { MetricsRegistry } from '../telemetry/metrics-registry.ts';

// The component model of the OpenTelemetry Collector: every receiver, processor
// and exporter comes from a factory that knows its type, validates its YAML config
// into a typed value (with Collector defaults), and creates instances per signal.
// Instances are started in reverse pipeline order (exporters first) and shut down
// in pipeline order (receivers first), so nothing is sent to a stopped component.

export type ComponentKind = 'receiver' | 'processor' | 'exporter' | 'extension';

/** "type" or "type/name", as component keys are written in Collector YAML. */
export interface ComponentId {
  readonly type: string;
  readonly name: string;
}

export function parseComponentId(text: string): ComponentId | undefined {
  const match = /^([a-z][a-z0-9_]*)(?:\/(.+))?$/.exec(text);
  if (!match) return undefined;
  return { type: match[1]!, name: match[2] ?? '' };
}

export function formatComponentId(id: ComponentId): string {
  return id.name === '' ? id.type : `${id.type}/${id.name}`;
}

export interface Endpoint {
  protocol: 'grpc' | 'http';
  host: string;
  port: number;
  /** Whether requests must authenticate (auth.authenticator), for the start-up warnings. */
  authenticated?: boolean;
  tls?: boolean;
}

/** What every component gets when it is created. */
export interface CreateSettings {
  id: ComponentId;
  logger: Logger;
  /** Own telemetry (served at GET /metrics). */
  metrics: MetricsRegistry;
  /** The Tracehouse data directory, for components that persist (e.g. a sending queue). */
  dataDir: string;
  /**
   * The started service's extensions by id ("bearertokenauth/in"), as the
   * Collector's component.Host.GetExtensions(): how a receiver or exporter finds
   * the authenticator its `auth.authenticator` names. Read at start, not at create.
   */
  extensions?: ReadonlyMap<string, Component>;
}

export interface Component {
  start(): Promise<void>;
  /** Receivers: where they listen once started (ports resolved when 0 was asked). */
  endpoints?(): readonly Endpoint[];
  /**
   * Finishes or hands over what it holds; the component takes no data afterwards.
   * `force` aborts when the grace period is over (the Collector's Shutdown(ctx)
   * deadline): stop waiting, cut what is still open.
   */
  shutdown(force?: AbortSignal): Promise<void>;
}

export type TracesProcessor = TracesConsumer & Component;
export type MetricsProcessor = MetricsConsumer & Component;
export type LogsProcessor = LogsConsumer & Component;

export interface ProcessorFactory<Config> {
  readonly type: string;
  /**
   * Parses the component's YAML value (null when written as `batch:`) into a full
   * config with the Collector's defaults; issues carry the path inside the component.
   */
  readonly configSchema: z.ZodType<Config>;
  createTracesProcessor(settings: CreateSettings, config: Config, next: TracesConsumer): TracesProcessor;
  createMetricsProcessor(settings: CreateSettings, config: Config, next: MetricsConsumer): MetricsProcessor;
  createLogsProcessor(settings: CreateSettings, config: Config, next: LogsConsumer): LogsProcessor;
}

export type TracesExporter = TracesConsumer & Component;
export type MetricsExporter = MetricsConsumer & Component;
export type LogsExporter = LogsConsumer & Component;

/**
 * An exporter's consume promise resolves when its data is safe by the exporter's
 * own rule: accepted downstream (no sending queue), written and fsynced to the
 * persistent queue (`sending_queue.storage`), or held in the in-memory queue
 * (the Collector's default, which a crash can lose: the README says so).
 */
export interface ExporterFactory<Config> {
  readonly type: string;
  readonly configSchema: z.ZodType<Config>;
  createTracesExporter(settings: CreateSettings, config: Config): TracesExporter;
  createMetricsExporter(settings: CreateSettings, config: Config): MetricsExporter;
  createLogsExporter(settings: CreateSettings, config: Config): LogsExporter;
}

/**
 * A receiver serves every signal that some pipeline names it in: one `otlp`
 * receiver listens once and routes traces, metrics and logs to their pipelines.
 * A signal with no pipeline is absent from `consumers`; the receiver refuses it.
 */
export interface ReceiverFactory<Config> {
  readonly type: string;
  readonly configSchema: z.ZodType<Config>;
  createReceiver(settings: CreateSettings, config: Config, consumers: ReceiverConsumers): Component;
}

export interface ReceiverConsumers {
  traces?: TracesConsumer;
  metrics?: MetricsConsumer;
  logs?: LogsConsumer;
}

/** Extensions offer services to other components (e.g. storage for a persistent queue). */
export interface ExtensionFactory<Config> {
  readonly type: string;
  /** What other components may use it for; configs naming it elsewhere are checked against this. */
  readonly provides?: readonly ('server_auth' | 'client_auth' | 'storage')[];
  readonly configSchema: z.ZodType<Config>;
  createExtension(settings: CreateSettings, config: Config): Component;
}
