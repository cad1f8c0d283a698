import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createQueryApi } from './api/query-api.ts';
import type { Endpoint } from './component/component.ts';
import { resolveCollectorConfig } from './config/collector-config.ts';
import type { ResolvedConfig } from './config/collector-config.ts';
import { defaultCollectorConfig } from './config/default-config.ts';
import { createFactoryRegistry } from './components.ts';
import { loadConfigFile } from './config/load-config.ts';
import type { ServerOptions } from './config/options.ts';
import { listen } from './lib/listen.ts';
import type { Listener } from './lib/listen.ts';
import type { Logger } from './lib/log.ts';
import { buildService } from './pipeline/service.ts';
import { ExportRequestStats } from './query/doctor/export-requests.ts';
import type { Service } from './pipeline/service.ts';
import type { TelemetryStore, TelemetryWriter } from './storage/api.ts';
import { openTenantStores } from './tenancy/tenant-store.ts';
import { createMetricsRegistry } from './telemetry/metrics-registry.ts';
import { openApiAccess } from './auth/api-access.ts';
import { loadServerTls } from './lib/server-tls.ts';
import type { ServerTls } from './lib/server-tls.ts';
import { reportExposure } from './security-report.ts';

// The library entry point: everything `tracehouse` runs, minus process handling
// (signals, exit codes), so tests start the same thing in-process.

export interface Tracehouse {
  /** Where the receivers listen (ports resolved when 0 was asked). */
  readonly endpoints: readonly Endpoint[];
  readonly api: Listener;
  readonly store: TelemetryStore;
  /**
   * Stops accepting (receivers and API), lets in-flight requests finish for up to
   * the shutdown timeout and then cuts their connections, drains the pipelines,
   * and closes storage once every query and insert on it has returned.
   */
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
  // Each tenant's reads and writes go to its own database (tenancy/); without
  // tenants every call reaches the default store, as before.
  store = await openTenantStores({
    dataDir,
    ...(options.clickhouse === undefined ? {} : { clickhouse: options.clickhouse }),
    retentionHours: options.retentionHours,
    maxQuerySeconds: options.queryTimeoutSeconds,
  });
  const metrics = createMetricsRegistry();
  let service: Service | undefined;
  let api: Listener | undefined;
  let apiTls: ServerTls | undefined;
  try {
    const exportRequests = new ExportRequestStats();
    service = buildService(config, { logger, metrics, dataDir, exportRequests });
    await service.start();
    const writer = store.writer;
    const access = await openApiAccess({
      dataDir,
      mode: options.apiAuth,
      sessionTtlSeconds: options.sessionTtlSeconds,
      tls: options.tls !== undefined,
      metricsAccess: options.metricsAccess,
      allowedHosts: options.allowedHosts,
      oidc: options.oidc,
    });
    // The API's TLS is the listeners' certificate without the client CA: people's browsers carry no client certificates.
    apiTls = options.tls && (await loadServerTls({ certFile: options.tls.certFile, certPem: undefined, keyFile: options.tls.keyFile, keyPem: undefined, clientCaFile: undefined, minVersion: 'TLSv1.2', maxVersion: undefined, reloadIntervalMs: 0 }, logger));
    api = await listen(
      createQueryApi({
        reader: store.reader,
        writeHealth: () => writer.health(),
        logger,
        metrics,
        webUi: { receivers: () => service?.endpoints() ?? [] },
        exportRequests,
        access: { access, boundHost: options.api.host },
      }),
      options.api.host,
      options.api.port,
      'the query API',
      apiTls,
    );
    const authOn = await access.enabled();
    logger.info('query API listening', { url: `${apiTls ? 'https' : 'http'}://${api.host}:${api.port}`, authentication: authOn ? 'on' : 'off (no user yet: tracehouse user add)' });
    reportExposure(logger, service.endpoints(), { host: api.host, port: api.port, authenticated: authOn });
    logger.info(
      'storage ready',
      options.clickhouse === undefined
        ? { engine: 'embedded chDB', dataDir }
        : { engine: 'ClickHouse server', url: options.clickhouse.url, database: options.clickhouse.database },
    );
  } catch (error) {
    apiTls?.close();
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
        // The Collector's shutdown: a deadline for the listeners, after which
        // what is still open is cut (an unacknowledged request is the sender's
        // to retry); the pipelines then flush what they accepted.
        const grace = new AbortController();
        const timer = setTimeout(() => {
          logger.warn('shutdown timeout reached: closing the connections still open', {
            timeout: `${options.shutdownTimeoutSeconds}s`,
          });
          grace.abort();
        }, options.shutdownTimeoutSeconds * 1000);
        try {
          await Promise.all([runningService.shutdown(grace.signal), apiListener.close(grace.signal)]);
        } finally {
          clearTimeout(timer);
        }
        await openedStore.close();
      })()),
  };
}
