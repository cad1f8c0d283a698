import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { StorageUnavailableError } from '../../consumer/errors.ts';
import {
  createSink,
  flushMicrotasks,
  gauge,
  logRecord,
  logs,
  metrics,
  numberPoint,
  settingsFor,
  span,
  spanNames,
  track,
  traces,
} from '../test-pdata.ts';
import { batchConfigSchema, batchProcessorFactory, type BatchConfig } from './factory.ts';

const hour = 3_600_000;

function config(overrides: Partial<BatchConfig>): BatchConfig {
  return { timeoutMs: hour, sendBatchSize: 8192, sendBatchMaxSize: 0, ...overrides };
}

function spans(count: number, prefix: string): ReturnType<typeof span>[] {
  return Array.from({ length: count }, (_, i) => span(`${prefix}${i}`));
}

test('concurrent calls are merged into one send; callers resolve only after next resolved', async () => {
  const sink = createSink({ manual: true });
  const settings = settingsFor('batch');
  const processor = batchProcessorFactory.createTracesProcessor(settings, config({ sendBatchSize: 3 }), sink);
  await processor.start();

  const first = track(processor.consumeTraces(traces({ resource: { 'service.name': 'a' }, spans: spans(1, 'a') })));
  const second = track(processor.consumeTraces(traces({ resource: { 'service.name': 'b' }, spans: spans(2, 'b') })));
  await flushMicrotasks();

  assert.equal(sink.traces.length, 1);
  assert.deepEqual(spanNames(sink.traces[0]!), ['a0', 'b0', 'b1']);
  assert.equal(sink.traces[0]!.resourceSpans.length, 2);
  assert.equal(first.state, 'pending');
  assert.equal(second.state, 'pending');

  sink.release();
  await flushMicrotasks();
  assert.equal(first.state, 'resolved');
  assert.deepEqual(first.value, {});
  assert.equal(second.state, 'resolved');

  const text = settings.metrics.render();
  assert.match(text, /^otelcol_processor_batch_batch_size_trigger_send_total\{processor="batch"\} 1$/m);
  assert.match(text, /^otelcol_processor_batch_batch_send_size_sum\{processor="batch"\} 3$/m);
  await processor.shutdown();
});

test('the timeout sends what has gathered', async () => {
  const sink = createSink();
  const settings = settingsFor('batch', 'fast');
  const processor = batchProcessorFactory.createTracesProcessor(settings, config({ timeoutMs: 20, sendBatchSize: 100 }), sink);
  const started = Date.now();
  const done = processor.consumeTraces(traces({ spans: spans(2, 's') }));
  await flushMicrotasks();
  assert.equal(sink.traces.length, 0);

  await done;
  assert.ok(Date.now() - started >= 15);
  assert.equal(sink.traces.length, 1);
  assert.deepEqual(spanNames(sink.traces[0]!), ['s0', 's1']);
  assert.match(settings.metrics.render(), /^otelcol_processor_batch_timeout_trigger_send_total\{processor="batch\/fast"\} 1$/m);
  await processor.shutdown();
});

test('send_batch_max_size splits a large request; its promise waits for every part', async () => {
  const sink = createSink({ manual: true });
  const processor = batchProcessorFactory.createTracesProcessor(
    settingsFor('batch'),
    config({ sendBatchSize: 2, sendBatchMaxSize: 3 }),
    sink,
  );
  const big = track(processor.consumeTraces(traces({ spans: spans(4, 'x') }, { spans: spans(3, 'y') })));
  await flushMicrotasks();

  // 7 items: two sends of 3 by size; the last item is below send_batch_size and waits.
  assert.deepEqual(sink.traces.map(spanNames), [
    ['x0', 'x1', 'x2'],
    ['x3', 'y0', 'y1'],
  ]);
  sink.release();
  sink.release();
  await flushMicrotasks();
  assert.equal(big.state, 'pending');

  const shutdown = processor.shutdown();
  await flushMicrotasks();
  assert.deepEqual(spanNames(sink.traces[2]!), ['y2']);
  sink.release();
  await shutdown;
  assert.equal(big.state, 'resolved');
});

test('a split request owns its wrappers: the input is unchanged and halves share no resource', async () => {
  const sink = createSink();
  const processor = batchProcessorFactory.createTracesProcessor(
    settingsFor('batch'),
    config({ sendBatchSize: 2, sendBatchMaxSize: 2 }),
    sink,
  );
  const input = traces({ resource: { 'service.name': 'a' }, spans: spans(3, 's') });
  const done = processor.consumeTraces(input);
  await processor.shutdown();
  await done;
  assert.equal(input.resourceSpans[0]!.scopeSpans[0]!.spans.length, 3);
  assert.equal(sink.traces.length, 2);
  assert.notEqual(sink.traces[0]!.resourceSpans[0]!.resource, sink.traces[1]!.resourceSpans[0]!.resource);
  assert.deepEqual(sink.traces[1]!.resourceSpans[0]!.resource, input.resourceSpans[0]!.resource);
});

test('a caller is rejected with the error of its batch', async () => {
  const error = new StorageUnavailableError('disk full', 1000);
  const sink = createSink({ error });
  const processor = batchProcessorFactory.createTracesProcessor(settingsFor('batch'), config({ sendBatchSize: 1 }), sink);
  await assert.rejects(processor.consumeTraces(traces({ spans: spans(1, 's') })), (thrown) => thrown === error);
  await processor.shutdown();
});

test('if one part of a split request fails the request fails, after its parts in flight settle', async () => {
  const sink = createSink({ manual: true });
  const processor = batchProcessorFactory.createTracesProcessor(
    settingsFor('batch'),
    config({ sendBatchSize: 2, sendBatchMaxSize: 2 }),
    sink,
  );
  const request = track(processor.consumeTraces(traces({ spans: spans(5, 's') })));
  await flushMicrotasks();
  assert.equal(sink.waiting, 2);
  const error = new Error('boom');
  sink.fail(error);
  await flushMicrotasks();
  assert.equal(request.state, 'pending');
  sink.release();
  await flushMicrotasks();
  assert.equal(request.state, 'rejected');
  assert.equal(request.error, error);
  // Its remaining item was dropped rather than sent: the sender retries it all.
  await processor.shutdown();
  assert.equal(sink.traces.length, 2);
});

test('partial success is shared among callers by items contributed', async () => {
  const sink = createSink({ result: { partialSuccess: { rejected: 2n, errorMessage: 'too old' } } });
  const processor = batchProcessorFactory.createTracesProcessor(settingsFor('batch'), config({ sendBatchSize: 4 }), sink);
  const a = processor.consumeTraces(traces({ spans: spans(3, 'a') }));
  const b = processor.consumeTraces(traces({ spans: spans(1, 'b') }));
  const [ra, rb] = await Promise.all([a, b]);
  assert.equal(sink.traces.length, 1);
  const total = (ra.partialSuccess?.rejected ?? 0n) + (rb.partialSuccess?.rejected ?? 0n);
  assert.equal(total, 2n);
  assert.ok((ra.partialSuccess?.rejected ?? 0n) <= 3n);
  assert.ok((rb.partialSuccess?.rejected ?? 0n) <= 1n);
  assert.equal(ra.partialSuccess?.errorMessage, 'too old');
  await processor.shutdown();
});

test('shutdown flushes pending data and waits for it; later calls are refused', async () => {
  const sink = createSink();
  const processor = batchProcessorFactory.createLogsProcessor(settingsFor('batch'), config({}), sink);
  const done = track(processor.consumeLogs(logs({ records: [logRecord('one'), logRecord('two')] })));
  await flushMicrotasks();
  assert.equal(sink.logs.length, 0);
  await processor.shutdown();
  await flushMicrotasks();
  assert.equal(sink.logs.length, 1);
  assert.equal(done.state, 'resolved');
  await assert.rejects(processor.consumeLogs(logs({ records: [logRecord('late')] })), /shut down/);
});

test('timeout 0 sends each request at once; empty requests never reach next', async () => {
  const sink = createSink();
  const processor = batchProcessorFactory.createTracesProcessor(settingsFor('batch'), config({ timeoutMs: 0 }), sink);
  await processor.consumeTraces(traces({ spans: spans(1, 'now') }));
  assert.equal(sink.traces.length, 1);
  assert.deepEqual(await processor.consumeTraces({ resourceSpans: [] }), {});
  assert.equal(sink.traces.length, 1);
  await processor.shutdown();
});

test('metrics are counted and split by data point', async () => {
  const sink = createSink();
  const processor = batchProcessorFactory.createMetricsProcessor(
    settingsFor('batch'),
    config({ sendBatchSize: 3, sendBatchMaxSize: 3 }),
    sink,
  );
  const input = metrics({
    metrics: [gauge('a', [numberPoint(1), numberPoint(2)]), gauge('b', [numberPoint(3), numberPoint(4)])],
  });
  const done = processor.consumeMetrics(input);
  await processor.shutdown();
  await done;
  const points = sink.metrics.map((batch) =>
    batch.resourceMetrics.flatMap((rm) =>
      rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => `${m.name}:${m.data?.dataPoints.length}`)),
    ),
  );
  assert.deepEqual(points, [['a:2', 'b:1'], ['b:1']]);
});

test('config: Collector defaults, Go durations and validation with paths', () => {
  assert.deepEqual(batchConfigSchema.parse(null), { timeoutMs: 200, sendBatchSize: 8192, sendBatchMaxSize: 0 });
  assert.deepEqual(batchConfigSchema.parse({ timeout: '1m30s', send_batch_size: 100, send_batch_max_size: 100 }), {
    timeoutMs: 90_000,
    sendBatchSize: 100,
    sendBatchMaxSize: 100,
  });

  const tooSmall = batchConfigSchema.safeParse({ send_batch_size: 100, send_batch_max_size: 10 });
  assert.equal(tooSmall.success, false);
  assert.deepEqual(tooSmall.error!.issues[0]!.path, ['send_batch_max_size']);
  assert.equal(tooSmall.error!.issues[0]!.message, 'must be 0 (no limit) or >= send_batch_size (100)');

  const badDuration = batchConfigSchema.safeParse({ timeout: 'soon' });
  assert.deepEqual(badDuration.error!.issues[0]!.path, ['timeout']);
  assert.equal(batchConfigSchema.safeParse({ timeout: '-1s' }).success, false);
  assert.equal(batchConfigSchema.safeParse({ send_batch_size: -1 }).success, false);
  assert.equal(batchConfigSchema.safeParse({ unknown_option: 1 }).success, false);
  assert.equal(batchConfigSchema.safeParse({ metadata_keys: ['tenant'] }).success, false);
  assert.equal(batchConfigSchema.safeParse({ metadata_keys: [], metadata_cardinality_limit: 10 }).success, true);
});

test('real timers: a request waiting for the timeout does not block one that fills a batch', async () => {
  const sink = createSink();
  const processor = batchProcessorFactory.createTracesProcessor(
    settingsFor('batch'),
    config({ timeoutMs: 30, sendBatchSize: 2 }),
    sink,
  );
  const first = processor.consumeTraces(traces({ spans: spans(1, 'a') }));
  await sleep(5);
  const second = processor.consumeTraces(traces({ spans: spans(1, 'b') }));
  await Promise.all([first, second]);
  assert.equal(sink.traces.length, 1);
  assert.deepEqual(spanNames(sink.traces[0]!), ['a0', 'b0']);
  await processor.shutdown();
});
