import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeTracesProto } from '../../pdata/index.ts';
import { eventually, exporterSettings, spanNames, spans, withTempDir } from '../exporterhelper/test-support.ts';
import { otlpHttpExporterFactory } from './factory.ts';
import { startBackend } from './test-backend.ts';

// The persistent sending queue end to end, through the otlphttp exporter and a
// real HTTP backend: what consume() acknowledged while the downstream was down is
// on disk, survives the exporter's shutdown, and arrives exactly once after a new
// exporter starts on the same data directory.

function persistentConfig(endpoint: string) {
  return otlpHttpExporterFactory.configSchema.parse({
    endpoint,
    retry_on_failure: { initial_interval: '5ms', max_interval: '10ms', max_elapsed_time: 0 },
    sending_queue: { storage: 'file_storage', num_consumers: 2 },
  });
}

test('persistent queue: requests acknowledged while the downstream is down arrive once after a restart', async () => {
  await withTempDir(async (dataDir) => {
    // A port that refuses connections: bind one, then close it.
    const gone = await startBackend();
    const deadUrl = gone.url;
    await gone.close();

    const queueDir = join(dataDir, 'queue', encodeURIComponent('otlphttp/backup'), 'traces');
    const first = otlpHttpExporterFactory.createTracesExporter(
      exporterSettings('otlphttp/backup', dataDir),
      persistentConfig(deadUrl),
    );
    await first.start();
    for (const name of ['one', 'two', 'three']) assert.deepEqual(await first.consumeTraces(spans(name)), {});
    // Acknowledged means on disk.
    assert.equal((await readdir(queueDir)).filter((name) => name.endsWith('.pb')).length, 3);
    await first.shutdown();
    assert.equal((await readdir(queueDir)).filter((name) => name.endsWith('.pb')).length, 3);

    // A write cut short by a crash: never acknowledged, so never sent.
    await writeFile(join(queueDir, '0000000000000099-1.tmp'), 'partial');

    const downstream = await startBackend();
    try {
      const settings = exporterSettings('otlphttp/backup', dataDir);
      const second = otlpHttpExporterFactory.createTracesExporter(settings, persistentConfig(downstream.url));
      await second.start();
      await eventually(() => downstream.received.length >= 3, 5_000, 'the persisted requests');
      await eventually(() => /otelcol_exporter_sent_spans_total\{exporter="otlphttp\/backup"\} 3/.test(settings.metrics.render()));
      await second.shutdown();
      const names = downstream.received.flatMap((request) => spanNames(decodeTracesProto(request.body)));
      assert.deepEqual(names.sort(), ['one', 'three', 'two']);
      assert.deepEqual(await readdir(queueDir), []);
    } finally {
      await downstream.close();
    }
  });
});

test('persistent queue: a full queue refuses, and the limit counts files on disk', async () => {
  await withTempDir(async (dataDir) => {
    const gone = await startBackend();
    await gone.close();
    const exporter = otlpHttpExporterFactory.createTracesExporter(
      exporterSettings('otlphttp', dataDir),
      otlpHttpExporterFactory.configSchema.parse({
        endpoint: gone.url,
        retry_on_failure: { initial_interval: '1s', max_interval: '1s', max_elapsed_time: 0 },
        sending_queue: { storage: 'file_storage', num_consumers: 1, queue_size: 2 },
      }),
    );
    await exporter.start();
    // The consumer, idle since start, takes the first request (and keeps retrying
    // it); two wait on disk; the next is refused.
    await exporter.consumeTraces(spans('a'));
    await exporter.consumeTraces(spans('b'));
    await exporter.consumeTraces(spans('c'));
    await assert.rejects(exporter.consumeTraces(spans('d')), { name: 'BackpressureError' });
    await exporter.shutdown();
    assert.equal((await readdir(join(dataDir, 'queue', 'otlphttp', 'traces'))).length, 3);
  });
});
