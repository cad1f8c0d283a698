import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PermanentError, RetryableError } from '../../consumer/errors.ts';
import { ok, retryable } from './export-outcome.ts';
import type { ExportOutcome } from './export-outcome.ts';
import type { ExportRequest } from './export-request.ts';
import { tracesSignal } from './export-signal.ts';
import { createExporterHelper } from './exporter-helper.ts';
import type { ExporterHelperOptions } from './exporter-helper.ts';
import { queueConfigSchema } from './queue-config.ts';
import { retryConfigSchema } from './retry-config.ts';
import { eventually, exporterSettings, recordingLogger, spanNames, spans } from './test-support.ts';
import type { TracesData } from '../../pdata/model.ts';

// The exporter helper around an in-process send function (no network): the
// protocol exporters' tests cover the wire; these cover queueing, retries,
// dropping and shutdown.

const fastRetry = retryConfigSchema.parse({ initial_interval: '1ms', max_interval: '2ms', max_elapsed_time: '1s' });

function helper(
  send: ExporterHelperOptions<TracesData>['send'],
  options: { queue?: Record<string, unknown>; retry?: Record<string, unknown>; drainTimeoutMs?: number } = {},
) {
  const logger = recordingLogger();
  const settings = exporterSettings('otlp/test', '/nonexistent', logger);
  const exporter = createExporterHelper(settings, {
    signal: tracesSignal,
    retry: options.retry ? retryConfigSchema.parse(options.retry) : fastRetry,
    queue: queueConfigSchema(true).parse(options.queue ?? {}),
    send,
    ...(options.drainTimeoutMs === undefined ? {} : { drainTimeoutMs: options.drainTimeoutMs }),
  });
  return { exporter, settings, logger };
}

const names = (request: ExportRequest<TracesData>): string => spanNames(request.data()).join(',');

describe('exporter helper', () => {
  test('empty requests resolve without a send', async () => {
    const { exporter } = helper(() => assert.fail('sent'));
    await exporter.start();
    assert.deepEqual(await exporter.consume({ resourceSpans: [] }), {});
    await exporter.shutdown();
  });

  test('a permanent failure drops the request, logs why, and the queue goes on', async () => {
    const sent: string[] = [];
    const { exporter, settings, logger } = helper(async (request) => {
      sent.push(names(request));
      return names(request) === 'bad' ? { status: 'failed', error: new Error('schema mismatch') } : ok;
    }, { queue: { num_consumers: 1 } });
    await exporter.start();
    await exporter.consume(spans('bad'));
    await exporter.consume(spans('good'));
    await eventually(() => sent.length === 2);
    await exporter.shutdown();
    assert.deepEqual(sent, ['bad', 'good']);
    assert.ok(logger.lines.some((line) => /failed \(not retryable\); dropping data.*schema mismatch/.test(line)));
    assert.match(settings.metrics.render(), /otelcol_exporter_send_failed_spans_total\{exporter="otlp\/test"\} 1/);
    assert.match(settings.metrics.render(), /otelcol_exporter_sent_spans_total\{exporter="otlp\/test"\} 1/);
  });

  test('retries until max_elapsed_time, then drops and logs', async () => {
    let attempts = 0;
    const { exporter, logger } = helper(
      async () => {
        attempts += 1;
        return retryable('backend down');
      },
      { retry: { initial_interval: '1ms', max_interval: '1ms', randomization_factor: 0, max_elapsed_time: '30ms' } },
    );
    await exporter.start();
    await exporter.consume(spans('a'));
    await eventually(() => logger.lines.some((line) => /dropping data.*no more retries left/.test(line)));
    await exporter.shutdown();
    assert.ok(attempts > 1, `attempts: ${attempts}`);
  });

  test('a throwing send (data that cannot be encoded) is permanent', async () => {
    const { exporter } = helper(() => {
      throw new TypeError('invalid id');
    }, { queue: { enabled: false } });
    await exporter.start();
    await assert.rejects(exporter.consume(spans('a')), (error: unknown) => error instanceof PermanentError && /invalid id/.test(error.message));
    await exporter.shutdown();
  });

  test('retry disabled: one attempt, the failure goes back to the caller', async () => {
    let attempts = 0;
    const { exporter } = helper(
      async () => {
        attempts += 1;
        return retryable('busy', 1234);
      },
      { queue: { enabled: false }, retry: { enabled: false } },
    );
    await exporter.start();
    await assert.rejects(exporter.consume(spans('a')), (error: unknown) => error instanceof RetryableError && error.retryAfterMs === 1234);
    await exporter.shutdown();
    assert.equal(attempts, 1);
  });

  test('a partial success from the queue is logged', async () => {
    const { exporter, logger } = helper(async () => ({ status: 'ok', partialSuccess: { rejected: 3n, errorMessage: 'dup' } }));
    await exporter.start();
    await exporter.consume(spans('a', 'b', 'c'));
    await eventually(() => logger.lines.some((line) => /partial success.*rejected_items=3.*dup/.test(line)));
    await exporter.shutdown();
  });

  test('shutdown drains the in-memory queue: one more attempt each, no retries', async () => {
    let up = false;
    const sent: string[] = [];
    const { exporter } = helper(
      async (request) => {
        if (!up) return retryable('down');
        sent.push(names(request));
        return ok;
      },
      { queue: { num_consumers: 1 }, retry: { initial_interval: '1h', max_interval: '1h', max_elapsed_time: 0 } },
    );
    await exporter.start();
    for (const name of ['a', 'b', 'c']) await exporter.consume(spans(name));
    // 'a' failed once and its consumer waits an hour to retry; b and c are queued.
    up = true;
    await exporter.shutdown();
    // The wait was cut (a is dropped); b and c got their attempt.
    assert.deepEqual(sent, ['b', 'c']);
    await assert.rejects(exporter.consume(spans('late')), /shut down/);
  });

  test('shutdown of the in-memory queue is bounded: a hung downstream is aborted, the rest dropped', async () => {
    const { exporter, settings, logger } = helper(
      (_request, abort) =>
        new Promise<ExportOutcome>((resolve) => abort.addEventListener('abort', () => resolve(retryable('aborted')))),
      { queue: { num_consumers: 1 }, drainTimeoutMs: 20 },
    );
    await exporter.start();
    for (const name of ['a', 'b', 'c']) await exporter.consume(spans(name));
    await exporter.shutdown();
    assert.ok(logger.lines.some((line) => /shutdown: dropping 2 queued traces requests/.test(line)));
    assert.match(settings.metrics.render(), /otelcol_exporter_send_failed_spans_total\{exporter="otlp\/test"\} 3/);
  });

  test('exporters do not block each other: each has its own queue and consumers', async () => {
    const fastSent: string[] = [];
    const slow = helper(() => new Promise<ExportOutcome>(() => {}), { queue: { num_consumers: 1, queue_size: 1 }, drainTimeoutMs: 1 });
    const fast = helper(async (request) => {
      fastSent.push(names(request));
      return ok;
    });
    await slow.exporter.start();
    await fast.exporter.start();
    for (const name of ['a', 'b', 'c']) {
      await slow.exporter.consume(spans(name)).catch(() => {});
      await fast.exporter.consume(spans(name));
    }
    await eventually(() => fastSent.length === 3);
    await fast.exporter.shutdown();
    await slow.exporter.shutdown();
  });
});
