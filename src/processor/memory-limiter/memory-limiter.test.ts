import assert from 'node:assert/strict';
import { test } from 'node:test';
import v8 from 'node:v8';
import { BackpressureError } from '../../consumer/errors.ts';
import { createSink, logRecord, logs, settingsFor, span, traces } from '../test-pdata.ts';
import { memoryLimiterConfigSchema, memoryLimiterProcessorFactory } from './factory.ts';
import { createMemoryLimiter, createMemoryLimiterProcessor, defaultTotalMemoryBytes } from './memory-limiter.ts';

const mib = 1024 * 1024;

test('refuses with BackpressureError at or above the soft limit, passes below', async () => {
  let used = 100 * mib;
  const sink = createSink();
  const settings = settingsFor('memory_limiter');
  const config = memoryLimiterConfigSchema.parse({ check_interval: '1s', limit_mib: 1000, spike_limit_mib: 200 });
  const processor = createMemoryLimiterProcessor(settings, config, 'traces', (data) => sink.consumeTraces(data), {
    readMemoryBytes: () => used,
    forceGc: undefined,
  });
  await processor.lifecycle.start();
  assert.equal(processor.limiter.softLimitBytes, 800 * mib);

  const data = traces({ spans: [span('a'), span('b')] });
  assert.deepEqual(await processor.consume(data), {});
  assert.equal(sink.traces.length, 1);
  assert.equal(sink.traces[0], data);

  used = 800 * mib;
  processor.limiter.check();
  await assert.rejects(processor.consume(data), (error) => {
    assert.ok(error instanceof BackpressureError);
    assert.equal(error.retryAfterMs, 1000);
    return true;
  });
  assert.equal(sink.traces.length, 1);
  const text = settings.metrics.render();
  assert.match(text, /^otelcol_processor_refused_spans_total\{processor="memory_limiter"\} 2$/m);
  assert.match(text, /^tracehouse_memory_limiter_state\{processor="memory_limiter"\} 1$/m);

  used = 799 * mib;
  processor.limiter.check();
  assert.deepEqual(await processor.consume(data), {});
  assert.equal(sink.traces.length, 2);
  assert.match(settings.metrics.render(), /^tracehouse_memory_limiter_state\{processor="memory_limiter"\} 0$/m);
  await processor.lifecycle.shutdown();
});

test('the spike limit defaults to 20% of the limit; percentages use total memory', () => {
  const settings = settingsFor('memory_limiter');
  const fixed = createMemoryLimiter(settings, memoryLimiterConfigSchema.parse({ check_interval: '1s', limit_mib: 500 }), {
    readMemoryBytes: () => 0,
  });
  assert.equal(fixed.limitBytes, 500 * mib);
  assert.equal(fixed.softLimitBytes, 400 * mib);

  const percent = createMemoryLimiter(
    settings,
    memoryLimiterConfigSchema.parse({ check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 15 }),
    { readMemoryBytes: () => 0, totalMemoryBytes: () => 1000 * mib },
  );
  assert.equal(percent.limitBytes, 800 * mib);
  assert.equal(percent.softLimitBytes, 650 * mib);

  // limit_mib wins over limit_percentage, as in the Collector.
  const both = createMemoryLimiter(
    settings,
    memoryLimiterConfigSchema.parse({ check_interval: '1s', limit_mib: 100, limit_percentage: 50 }),
    { readMemoryBytes: () => 0, totalMemoryBytes: () => 1000 * mib },
  );
  assert.equal(both.limitBytes, 100 * mib);
  assert.ok(defaultTotalMemoryBytes() > 0);
  // Percentages are of what can run out first: never more than V8's heap limit.
  assert.ok(defaultTotalMemoryBytes() <= v8.getHeapStatistics().heap_size_limit);
});

test('a forced GC that frees memory keeps data flowing', () => {
  let used = 900 * mib;
  let collections = 0;
  const limiter = createMemoryLimiter(
    settingsFor('memory_limiter'),
    memoryLimiterConfigSchema.parse({ check_interval: '1s', limit_mib: 1000, min_gc_interval_when_soft_limited: '0s' }),
    {
      readMemoryBytes: () => used,
      forceGc: () => {
        collections += 1;
        used = 100 * mib;
      },
    },
  );
  limiter.check();
  assert.equal(collections, 1);
  assert.equal(limiter.refusing, false);
});

test('the factory wires each signal to next', async () => {
  const sink = createSink();
  const config = memoryLimiterConfigSchema.parse({ check_interval: '1s', limit_mib: 1_000_000 });
  const processor = memoryLimiterProcessorFactory.createLogsProcessor(settingsFor('memory_limiter'), config, sink);
  await processor.start();
  await processor.consumeLogs(logs({ records: [logRecord('hello')] }));
  assert.equal(sink.logs.length, 1);
  await processor.shutdown();
});

test('config validation follows the Collector', () => {
  const issues = (input: unknown): Array<{ path: string; message: string }> => {
    const result = memoryLimiterConfigSchema.safeParse(input);
    return result.success ? [] : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  };
  assert.deepEqual(issues({ check_interval: '1s', limit_mib: 4000, spike_limit_mib: 800 }), []);
  assert.deepEqual(issues({ check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 15 }), []);

  assert.deepEqual(issues({ limit_mib: 100 }), [{ path: 'check_interval', message: 'must be greater than zero' }]);
  assert.deepEqual(issues(null), [
    { path: 'check_interval', message: 'must be greater than zero' },
    { path: 'limit_mib', message: "'limit_mib' or 'limit_percentage' must be greater than zero" },
  ]);
  assert.deepEqual(issues({ check_interval: '1s', limit_mib: 100, spike_limit_mib: 100 }), [
    { path: 'spike_limit_mib', message: "must be smaller than 'limit_mib'" },
  ]);
  assert.deepEqual(issues({ check_interval: '1s', limit_percentage: 50, spike_limit_percentage: 60 }), [
    { path: 'spike_limit_percentage', message: "must be smaller than 'limit_percentage'" },
  ]);
  assert.deepEqual(issues({ check_interval: '1s', limit_percentage: 150 }).map((i) => i.path), ['limit_percentage']);
  assert.deepEqual(
    issues({ check_interval: '1s', limit_mib: 100, min_gc_interval_when_hard_limited: '20s' }).map((i) => i.path),
    ['min_gc_interval_when_soft_limited'],
  );
  assert.deepEqual(issues({ check_interval: '1s', limit_mib: 100, limit: 5 }).length, 1);
});

test('what is measured by default is the process RSS (the embedded ClickHouse included) less empty V8 heap pages', async () => {
  const { defaultReadMemoryBytes } = await import('./memory-limiter.ts');
  const before = process.memoryUsage();
  const measured = defaultReadMemoryBytes();
  const after = process.memoryUsage();
  const slack = 16 * 1024 * 1024;
  // Everything outside the V8 heap counts, and the heap only for what is in use.
  assert.ok(measured <= Math.max(before.rss, after.rss) + slack, `${measured} <= rss`);
  assert.ok(measured >= Math.min(before.rss - before.heapTotal, after.rss - after.heapTotal) - slack, `${measured} >= rss - heapTotal`);
  assert.ok(measured > Math.max(before.heapUsed, after.heapUsed), 'more than the heap alone');
});

test('a full GC is available without --expose-gc, so usage can fall after a burst', async () => {
  const { v8Gc } = await import('./memory-limiter.ts');
  assert.equal((globalThis as { gc?: unknown }).gc, undefined, 'this test runs without --expose-gc');
  let garbage: unknown[] | undefined = Array.from({ length: 200_000 }, (_, i) => ({ i, text: `span ${i}` }));
  const withGarbage = process.memoryUsage().heapUsed;
  garbage = undefined;
  v8Gc()();
  assert.equal(garbage, undefined);
  assert.ok(process.memoryUsage().heapUsed < withGarbage, 'the heap in use fell');
});
