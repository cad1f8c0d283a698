import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createQueryApi } from './api/query-api.ts';
import type { ServerOptions } from './config/options.ts';
import { createStoreExporter } from './exporter/store/store-exporter.ts';
import { listen } from './lib/listen.ts';
import type { Listener } from './lib/listen.ts';
import type { Logger } from './lib/log.ts';
import { createOtlpHttpReceiver } from './receiver/otlp/http.ts';
import type { TelemetryStore } from './storage/api.ts';
import { openStore } from './storage/index.ts';

// The library entry point: everything `tracehouse` runs, minus process handling
// (signals, exit codes), so tests start the same thing in-process.

export interface Tracehouse {
  readonly otlpHttp: Listener;
  readonly api: Listener;
  readonly store: TelemetryStore;
  /** Stops intake (in-flight exports finish), then the API, then flushes and closes storage. */
  close(): Promise<void>;
}

export async function startTracehouse(options: ServerOptions, logger: Logger): Promise<Tracehouse> {
  const dataDir = path.resolve(options.dataDir);
  if (options.clickhouse === undefined) await mkdir(dataDir, { recursive: true });
  const store = await openStore({
    dataDir,
    ...(options.clickhouse === undefined ? {} : { clickhouse: options.clickhouse }),
    retentionHours: options.retentionHours,
    maxQuerySeconds: options.queryTimeoutSeconds,
  });
  const started: Listener[] = [];
  try {
    const receiver = createOtlpHttpReceiver({
      consumer: createStoreExporter(store.writer),
      maxRequestBodyBytes: options.maxRequestBodyBytes,
      corsOrigins: options.corsOrigins,
      logger,
    });
    const otlpHttp = await listen(receiver, options.otlpHttp.host, options.otlpHttp.port, 'OTLP/HTTP');
    started.push(otlpHttp);
    const api = await listen(createQueryApi({ reader: store.reader, logger }), options.api.host, options.api.port, 'the query API');
    started.push(api);

    logger.info('OTLP/HTTP receiver listening', { url: `http://${otlpHttp.host}:${otlpHttp.port}` });
    logger.info('query API listening', { url: `http://${api.host}:${api.port}` });
    logger.info(
      'storage ready',
      options.clickhouse === undefined
        ? { engine: 'embedded chDB', dataDir }
        : { engine: 'ClickHouse server', url: options.clickhouse.url, database: options.clickhouse.database },
    );

    let closing: Promise<void> | undefined;
    return {
      otlpHttp,
      api,
      store,
      close: () =>
        (closing ??= (async () => {
          await otlpHttp.close();
          await api.close();
          await store.close();
        })()),
    };
  } catch (error) {
    await Promise.all(started.map((l) => l.close()));
    await store.close();
    throw error;
  }
}
