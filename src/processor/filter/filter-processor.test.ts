import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PermanentError } from '../../consumer/errors.ts';
import {
  createSink,
  gauge,
  logBodies,
  logRecord,
  logs,
  metricNames,
  metrics,
  numberPoint,
  settingsFor,
  span,
  spanNames,
  sum,
  traces,
} from '../test-pdata.ts';
import { filterConfigSchema, filterProcessorFactory } from './factory.ts';

function tracesFilter(input: unknown) {
  const sink = createSink();
  const settings = settingsFor('filter', 'noise');
  const processor = filterProcessorFactory.createTracesProcessor(settings, filterConfigSchema.parse(input), sink);
  return { sink, settings, processor };
}

test('drops /health spans by attribute and by IsMatch on url.path; the caller resolves normally', async () => {
  const { sink, settings, processor } = tracesFilter({
    traces: {
      span: [
        'attributes["http.route"] == "/health"',
        'IsMatch(attributes["url.path"], "^/(health|readyz|livez)")',
      ],
    },
  });
  const input = traces({
    spans: [
      span('GET /health', { 'http.route': '/health' }),
      span('GET /readyz', { 'url.path': '/readyz' }),
      span('GET /users', { 'http.route': '/users', 'url.path': '/users/1' }),
    ],
  });
  assert.deepEqual(await processor.consumeTraces(input), {});
  assert.deepEqual(spanNames(sink.traces[0]!), ['GET /users']);
  // The caller's data is not changed.
  assert.equal(input.resourceSpans[0]!.scopeSpans[0]!.spans.length, 3);
  assert.match(settings.metrics.render(), /^otelcol_processor_filter_spans_filtered_total\{processor="filter\/noise"\} 2$/m);
});

test('when everything is dropped next is not called and the caller still succeeds', async () => {
  const { sink, processor } = tracesFilter({ traces: { span: ['resource.attributes["service.name"] == "noisy"'] } });
  const input = traces(
    { resource: { 'service.name': 'noisy' }, spans: [span('a'), span('b')] },
    { resource: { 'service.name': 'noisy' }, spans: [span('c')] },
  );
  assert.deepEqual(await processor.consumeTraces(input), {});
  assert.equal(sink.traces.length, 0);
});

test('resource conditions remove whole resources, keeping the others', async () => {
  const { sink, processor } = tracesFilter({ traces: { span: ['resource.attributes["service.name"] == "noisy"'] } });
  await processor.consumeTraces(
    traces({ resource: { 'service.name': 'noisy' }, spans: [span('a')] }, { resource: { 'service.name': 'shop' }, spans: [span('b')] }),
  );
  assert.equal(sink.traces[0]!.resourceSpans.length, 1);
  assert.deepEqual(spanNames(sink.traces[0]!), ['b']);
});

test('not, and, or and parentheses', async () => {
  const { sink, processor } = tracesFilter({
    traces: { span: ['not (kind == SPAN_KIND_SERVER or kind == SPAN_KIND_CONSUMER) and (name == "db" or IsMatch(name, "^cache"))'] },
  });
  await processor.consumeTraces(
    traces({
      spans: [
        span('db', {}, { kind: 3 }),
        span('db', {}, { kind: 2 }),
        span('cache.get', {}, { kind: 1 }),
        span('http', {}, { kind: 3 }),
      ],
    }),
  );
  assert.deepEqual(
    sink.traces[0]!.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => `${s.name}/${s.kind}`),
    ['db/2', 'http/3'],
  );
});

test('span events are dropped from kept spans; a dropped span is not inspected further', async () => {
  const { sink, processor } = tracesFilter({
    traces: { span: ['name == "drop me"'], spanevent: ['name == "noise"', 'span.name == "all events go"'] },
  });
  const event = (name: string) => ({ timeUnixNano: 1n, name, attributes: [], droppedAttributesCount: 0 });
  await processor.consumeTraces(
    traces({
      spans: [
        span('keep', {}, { events: [event('noise'), event('exception')] }),
        span('drop me', {}, { events: [event('exception')] }),
        span('all events go', {}, { events: [event('exception')] }),
      ],
    }),
  );
  const kept = sink.traces[0]!.resourceSpans[0]!.scopeSpans[0]!.spans;
  assert.deepEqual(
    kept.map((s) => [s.name, s.events.map((e) => e.name)]),
    [
      ['keep', ['exception']],
      ['all events go', []],
    ],
  );
});

test('logs below WARN are dropped by severity_number', async () => {
  const sink = createSink();
  const settings = settingsFor('filter');
  const processor = filterProcessorFactory.createLogsProcessor(
    settings,
    filterConfigSchema.parse({ logs: { log_record: ['severity_number < SEVERITY_NUMBER_WARN'] } }),
    sink,
  );
  await processor.consumeLogs(
    logs({
      records: [
        logRecord('debug', { severityNumber: 5 }),
        logRecord('info', { severityNumber: 9 }),
        logRecord('warn', { severityNumber: 13 }),
        logRecord('error', { severityNumber: 17 }),
      ],
    }),
  );
  assert.deepEqual(logBodies(sink.logs[0]!), ['warn', 'error']);
  assert.match(settings.metrics.render(), /^otelcol_processor_filter_logs_filtered_total\{processor="filter"\} 2$/m);
});

test('metrics: whole metrics by name or type, data points by attribute; emptied metrics go', async () => {
  const sink = createSink();
  const settings = settingsFor('filter');
  const processor = filterProcessorFactory.createMetricsProcessor(
    settings,
    filterConfigSchema.parse({
      metrics: {
        metric: ['name == "debug.internal"', 'type == METRIC_DATA_TYPE_SUMMARY'],
        datapoint: ['attributes["http.route"] == "/health"'],
      },
    }),
    sink,
  );
  await processor.consumeMetrics(
    metrics({
      metrics: [
        gauge('debug.internal', [numberPoint(1)]),
        sum('http.requests', [numberPoint(1n, { 'http.route': '/health' }), numberPoint(2n, { 'http.route': '/api' })]),
        sum('health.only', [numberPoint(1n, { 'http.route': '/health' })]),
        gauge('cpu', [numberPoint(0.5)]),
      ],
    }),
  );
  assert.deepEqual(metricNames(sink.metrics[0]!), ['http.requests', 'cpu']);
  const requests = sink.metrics[0]!.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!;
  assert.equal(requests.data?.dataPoints.length, 1);
  assert.match(settings.metrics.render(), /^otelcol_processor_filter_datapoints_filtered_total\{processor="filter"\} 3$/m);
});

test('error_mode: propagate fails with a PermanentError, ignore and silent treat the condition as false', async () => {
  const conditions = ['attributes["payload"]["user"] == "bot"', 'name == "drop"'];
  const input = () => traces({ spans: [span('drop', { payload: 'not a map' }), span('keep', { payload: 'x' })] });

  const propagate = tracesFilter({ traces: { span: conditions } });
  await assert.rejects(propagate.processor.consumeTraces(input()), (error) => {
    assert.ok(error instanceof PermanentError);
    assert.match(error.message, /cannot index string/);
    return true;
  });
  assert.equal(propagate.sink.traces.length, 0);

  for (const mode of ['ignore', 'silent']) {
    const { sink, processor } = tracesFilter({ error_mode: mode, traces: { span: conditions } });
    await processor.consumeTraces(input());
    assert.deepEqual(spanNames(sink.traces[0]!), ['keep'], mode);
  }
});

test('without conditions for a signal the data passes as it is', async () => {
  const { sink, processor } = tracesFilter({ logs: { log_record: ['true'] } });
  const input = traces({ spans: [span('a')] });
  await processor.consumeTraces(input);
  assert.equal(sink.traces[0], input);
});

test('unsupported conditions are refused when the config is parsed, naming the condition', () => {
  const result = filterConfigSchema.safeParse({
    traces: { span: ['replace_all(attributes, "secret", "***")', 'name == "ok"'] },
    logs: { log_record: ['severity_number < SEVERITY_NUMBER_LOUD'] },
  });
  assert.equal(result.success, false);
  assert.deepEqual(
    result.error!.issues.map((issue) => ({ path: issue.path, message: issue.message })),
    [
      {
        path: ['traces', 'span', 0],
        message: `unsupported function "replace_all" (at column 1) in condition 'replace_all(attributes, "secret", "***")'`,
      },
      {
        path: ['logs', 'log_record', 0],
        message: `unknown enum SEVERITY_NUMBER_LOUD (at column 19) in condition 'severity_number < SEVERITY_NUMBER_LOUD'`,
      },
    ],
  );
});

test('config: defaults, error_mode values and the legacy form', () => {
  assert.deepEqual(filterConfigSchema.parse(null), {
    errorMode: 'propagate',
    traces: { span: [], spanevent: [] },
    metrics: { metric: [], datapoint: [] },
    logs: { logRecord: [] },
  });
  assert.equal(filterConfigSchema.safeParse({ error_mode: 'loud' }).success, false);
  const legacy = filterConfigSchema.safeParse({ metrics: { exclude: { match_type: 'strict', metric_names: ['a'] } } });
  assert.deepEqual(legacy.error!.issues.map((i) => [i.path.join('.'), i.message]), [
    ['metrics.exclude', 'the include/exclude form is not supported; write OTTL conditions instead'],
  ]);
  assert.equal(filterConfigSchema.safeParse({ traces: { spans: ['x'] } }).success, false);
});
