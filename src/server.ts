import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createQueryApi } from './api/query-api.ts';
import type { Endpoint } from './component/component.ts';
import { resolveCollectorConfig } from './config/collector-config.ts';
import type { ResolvedConfig } from './config/collector-config.ts';
import { defaultCollectorConfig } from './config/default-config.ts';
import { createFactoryRegistry } from './config/factories.ts';
import { loadConfigFile } from './config/load-config.ts';
import type { ServerOptions } from './config/options.ts';
import { listen } from './lib/listen.ts';
import type { Listener } from './lib/listen.ts';
import type { Logger } from './lib/log.ts';
import { buildService } from './pipeline/service.ts';
import type { Service } from './pipeline/service.ts';
import type { TelemetryStore, TelemetryWriter } from './storage/api.ts';
import { openStore } from './storage/index.ts';
import { createMetricsRegistry } from './telemetry/metrics-registry.ts';

// The library entry point: everything `tracehouse` runs, minus process handling
// (signals, exit codes), so tests start the same thing in-process.

export interface Tracehouse {
  /** Where the receivers listen (ports resolved when 0 was asked). */
  readonly endpoints: readonly Endpoint[];
  readonly api: Listener;
  readonly store: TelemetryStore;
  /** Stops the receivers (in-flight exports finish), drains the pipelines, stops the API, closes storage. */
  close(): Promise<void>;
}

/**
 * The pipelines to run: the --config file, or the built-in one. Throws ConfigError
 * listing every problem. `writer` is asked for only when a `tracehouse` exporter is
 * created, i.e. after the store is open.
 */
export async function loadServiceConfig(
  options: ServerOptions,
  env: Readonly<Record<string, string | undefined>>,
  writer: () => TelemetryWriter = () => {
    throw new Error('no store: the configuration is only being validated');
  },
): Promise<ResolvedConfig> {
  const raw = options.configFile === undefined ? defaultCollectorConfig(options) : await loadConfigFile(options.configFile, env);
  return resolveCollectorConfig(raw, createFactoryRegistry(writer, options.retentionHours));
}

export async function startTracehouse(
  options: ServerOptions,
  logger: Logger,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<Tracehouse> {
  let store: TelemetryStore | undefined;
  const config = await loadServiceConfig(options, env, () => store!.writer);
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  store = await openStore({
    dataDir,
    ...(options.clickhouse === undefined ? {} : { clickhouse: options.clickhouse }),
    retentionHours: options.retentionHours,
    maxQuerySeconds: options.queryTimeoutSeconds,
  });
  const metrics = createMetricsRegistry();
  let service: Service | undefined;
  let api: Listener | undefined;
  try {
    service = buildService(config, { logger, metrics, dataDir });
    await service.start();
    api = await listen(createQueryApi({ reader: store.reader, logger, metrics, webUi: { receivers: () => service?.endpoints() ?? [] } }), options.api.host, options.api.port, 'the query API');
    logger.info('query API listening', { url: `http://${api.host}:${api.port}` });
    logger.info(
      'storage ready',
      options.clickhouse === undefined
        ? { engine: 'embedded chDB', dataDir }
        : { engine: 'ClickHouse server', url: options.clickhouse.url, database: options.clickhouse.database },
    );
  } catch (error) {
    await service?.shutdown();
    await store.close();
    throw error;
  }

  const apiListener = api;
  const runningService = service;
  const openedStore = store;
  let closing: Promise<void> | undefined;
  return {
    endpoints: runningService.endpoints(),
    api: apiListener,
    store: openedStore,
    close: () =>
      (closing ??= (async () => {
        await runningService.shutdown();
        await apiListener.close();
        await openedStore.close();
      })()),
  };
}
