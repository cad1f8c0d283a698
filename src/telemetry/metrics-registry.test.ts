import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMetricsRegistry } from './metrics-registry.ts';

test('counters render with _total, HELP and TYPE, one line per label set', () => {
  const registry = createMetricsRegistry();
  const accepted = registry.counter('otelcol_receiver_accepted_spans', 'Spans accepted.', ['receiver', 'transport']);
  accepted.add(3, { receiver: 'otlp', transport: 'http' });
  accepted.labels({ receiver: 'otlp', transport: 'grpc' }).add();
  accepted.add(2, { receiver: 'otlp', transport: 'http' });
  assert.equal(
    registry.render(),
    [
      '# HELP otelcol_receiver_accepted_spans_total Spans accepted.',
      '# TYPE otelcol_receiver_accepted_spans_total counter',
      'otelcol_receiver_accepted_spans_total{receiver="otlp",transport="http"} 5',
      'otelcol_receiver_accepted_spans_total{receiver="otlp",transport="grpc"} 1',
      '',
    ].join('\n'),
  );
});

test('a name already ending in _total is not suffixed twice; unlabelled metrics start at 0', () => {
  const registry = createMetricsRegistry();
  registry.counter('requests_total', 'Requests.');
  registry.gauge('queue_size', 'Queue size.');
  assert.equal(
    registry.render(),
    [
      '# HELP queue_size Queue size.',
      '# TYPE queue_size gauge',
      'queue_size 0',
      '# HELP requests_total Requests.',
      '# TYPE requests_total counter',
      'requests_total 0',
      '',
    ].join('\n'),
  );
});

test('label values and help text are escaped', () => {
  const registry = createMetricsRegistry();
  const gauge = registry.gauge('odd', 'Line one\nback\\slash "quoted"', ['v']);
  gauge.set(1.5, { v: 'a"b\\c\nd' });
  assert.equal(
    registry.render(),
    [
      '# HELP odd Line one\\nback\\\\slash "quoted"',
      '# TYPE odd gauge',
      'odd{v="a\\"b\\\\c\\nd"} 1.5',
      '',
    ].join('\n'),
  );
});

test('histograms render cumulative buckets, +Inf, _sum and _count', () => {
  const registry = createMetricsRegistry();
  const sizes = registry.histogram('otelcol_processor_batch_batch_send_size', 'Units per batch.', ['processor'], [10, 100]);
  const batch = sizes.labels({ processor: 'batch' });
  batch.record(5);
  batch.record(10); // a value equal to a bound belongs to that bucket
  batch.record(50);
  batch.record(1000);
  assert.equal(
    registry.render(),
    [
      '# HELP otelcol_processor_batch_batch_send_size Units per batch.',
      '# TYPE otelcol_processor_batch_batch_send_size histogram',
      'otelcol_processor_batch_batch_send_size_bucket{processor="batch",le="10"} 2',
      'otelcol_processor_batch_batch_send_size_bucket{processor="batch",le="100"} 3',
      'otelcol_processor_batch_batch_send_size_bucket{processor="batch",le="+Inf"} 4',
      'otelcol_processor_batch_batch_send_size_sum{processor="batch"} 1065',
      'otelcol_processor_batch_batch_send_size_count{processor="batch"} 4',
      '',
    ].join('\n'),
  );
});

test('callback gauges are collected at render time', () => {
  const registry = createMetricsRegistry();
  let depth = 3;
  registry.gauge('otelcol_exporter_queue_size', 'Items queued.', ['exporter'], (report) => {
    report(depth, { exporter: 'store' });
  });
  assert.match(registry.render(), /^otelcol_exporter_queue_size\{exporter="store"\} 3$/m);
  depth = 7;
  assert.match(registry.render(), /^otelcol_exporter_queue_size\{exporter="store"\} 7$/m);
});

test('labelled families without series are left out; special values are spelled as Prometheus does', () => {
  const registry = createMetricsRegistry();
  registry.counter('never_used', 'Nothing yet.', ['processor']);
  const gauge = registry.gauge('special', 'Special values.', ['k']);
  gauge.set(Infinity, { k: 'a' });
  gauge.set(Number.NaN, { k: 'b' });
  gauge.set(-Infinity, { k: 'c' });
  const text = registry.render();
  assert.doesNotMatch(text, /never_used/);
  assert.match(text, /^special\{k="a"\} \+Inf$/m);
  assert.match(text, /^special\{k="b"\} NaN$/m);
  assert.match(text, /^special\{k="c"\} -Inf$/m);
});

test('registering a name again returns the same family; a conflict or bad label throws', () => {
  const registry = createMetricsRegistry();
  registry.counter('shared', 'Shared.', ['processor']).add(1, { processor: 'a' });
  registry.counter('shared', 'Shared.', ['processor']).add(2, { processor: 'b' });
  const text = registry.render();
  assert.match(text, /^shared_total\{processor="a"\} 1$/m);
  assert.match(text, /^shared_total\{processor="b"\} 2$/m);
  assert.equal(text.match(/# TYPE/g)?.length, 1);

  assert.throws(() => registry.gauge('shared', 'Shared.', ['processor']), /already registered/);
  assert.throws(() => registry.counter('shared', 'Shared.', ['other']), /already registered/);
  assert.throws(() => registry.counter('bad-name', 'x'), /invalid metric name/);
  assert.throws(() => registry.counter('ok', 'x', ['le']), /invalid label name/);
  assert.throws(() => registry.counter('shared', 'Shared.', ['processor']).add(1, { nope: 'x' }), /no label "nope"/);
  assert.throws(() => registry.counter('shared', 'Shared.', ['processor']).add(-1), /cannot add/);
});
