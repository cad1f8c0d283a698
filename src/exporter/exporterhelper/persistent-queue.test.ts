import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { PermanentError } from '../../consumer/errors.ts';
import { decodeTracesProto } from '../../pdata/index.ts';
import type { TracesData } from '../../pdata/model.ts';
import { ok, retryable } from './export-outcome.ts';
import type { ExportOutcome } from './export-outcome.ts';
import type { ExportRequest } from './export-request.ts';
import { tracesSignal } from './export-signal.ts';
import { createExporterHelper } from './exporter-helper.ts';
import { queueConfigSchema } from './queue-config.ts';
import { retryConfigSchema } from './retry-config.ts';
import { eventually, exporterSettings, spanNames, spans, withTempDir } from './test-support.ts';

// The persistent queue under the exporter helper, with an in-process send; the
// end-to-end restart test over HTTP is in otlphttp/persistent-queue.test.ts.

function persistentHelper(dataDir: string, send: (request: ExportRequest<TracesData>) => Promise<ExportOutcome>, id = 'otlp') {
  return createExporterHelper(exporterSettings(id, dataDir), {
    signal: tracesSignal,
    retry: retryConfigSchema.parse({ initial_interval: '1ms', max_interval: '1ms', max_elapsed_time: 0 }),
    queue: queueConfigSchema(true).parse({ storage: 'file_storage', num_consumers: 1 }),
    send: (request) => send(request),
  });
}

describe('persistent sending queue', () => {
  test('one OTLP protobuf file per request; resumed oldest first after a restart', async () => {
    await withTempDir(async (dataDir) => {
      const down = persistentHelper(dataDir, async () => retryable('down'));
      await down.start();
      for (const name of ['a', 'b', 'c', 'd']) await down.consume(spans(name, name + '2'));
      await down.shutdown();

      const dir = join(dataDir, 'queue', 'otlp', 'traces');
      const files = (await readdir(dir)).sort();
      assert.deepEqual(files, ['0000000000000001-2.pb', '0000000000000002-2.pb', '0000000000000003-2.pb', '0000000000000004-2.pb']);
      assert.deepEqual(spanNames(decodeTracesProto(await readFile(join(dir, files[2]!)))), ['c', 'c2']);

      const sent: string[] = [];
      const up = persistentHelper(dataDir, async (request) => {
        sent.push(spanNames(request.data())[0]!);
        return ok;
      });
      await up.start();
      await up.consume(spans('e'));
      await eventually(() => sent.length === 5);
      await up.shutdown();
      assert.deepEqual(sent, ['a', 'b', 'c', 'd', 'e']);
      assert.deepEqual(await readdir(dir), []);
    });
  });

  test('a directory is used by one exporter instance at a time', async () => {
    await withTempDir(async (dataDir) => {
      const first = persistentHelper(dataDir, async () => ok);
      const second = persistentHelper(dataDir, async () => ok);
      await first.start();
      await assert.rejects(second.start(), /already used by another exporter instance/);
      await first.shutdown();
      await second.shutdown();
      const third = persistentHelper(dataDir, async () => ok);
      await third.start();
      await third.shutdown();
    });
  });

  test('data that cannot be encoded is refused as permanent, not as a storage failure', async () => {
    await withTempDir(async (dataDir) => {
      const exporter = persistentHelper(dataDir, async () => ok);
      await exporter.start();
      const bad = spans('x');
      bad.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.traceId = 'not-hex';
      await assert.rejects(exporter.consume(bad), PermanentError);
      await exporter.shutdown();
    });
  });
});
