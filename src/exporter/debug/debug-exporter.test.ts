import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fullLogs, fullMetrics, fullTraces } from '../../pdata/testdata/full-model.ts';
import { exporterSettings, gaugePoints, logLines, spans } from '../exporterhelper/test-support.ts';
import { createDebugExporterFactory } from './factory.ts';

function capture(values: Record<string, unknown> | null, now = () => new Date('2025-04-17T08:40:44.559Z')) {
  const output: string[] = [];
  const factory = createDebugExporterFactory({ write: (text) => output.push(text), now });
  const config = factory.configSchema.parse(values);
  const settings = exporterSettings('debug/test');
  return { factory, config, settings, output };
}

describe('debug exporter', () => {
  test('basic (default): one summary line per request, with counts', async () => {
    const { factory, config, settings, output } = capture(null);
    assert.equal(config.verbosity, 'basic');
    const tracesOut = factory.createTracesExporter(settings, config);
    const metricsOut = factory.createMetricsExporter(settings, config);
    const logsOut = factory.createLogsExporter(settings, config);
    await tracesOut.consumeTraces(spans('a', 'b'));
    await metricsOut.consumeMetrics(gaugePoints('cpu', 1, 2, 3));
    await logsOut.consumeLogs(logLines('hello'));
    assert.deepEqual(output, [
      '2025-04-17T08:40:44.559Z\tinfo\tTraces\t{"otelcol.component.id":"debug/test","otelcol.component.kind":"exporter","otelcol.signal":"traces","resource spans":1,"spans":2}\n',
      '2025-04-17T08:40:44.559Z\tinfo\tMetrics\t{"otelcol.component.id":"debug/test","otelcol.component.kind":"exporter","otelcol.signal":"metrics","resource metrics":1,"metrics":1,"data points":3}\n',
      '2025-04-17T08:40:44.559Z\tinfo\tLogs\t{"otelcol.component.id":"debug/test","otelcol.component.kind":"exporter","otelcol.signal":"logs","resource logs":1,"log records":1}\n',
    ]);
    assert.match(settings.metrics.render(), /otelcol_exporter_sent_spans_total\{exporter="debug\/test"\} 2/);
  });

  test('normal: a line per span, data point and log record', async () => {
    const { factory, config, settings, output } = capture({ verbosity: 'normal' });
    await factory.createTracesExporter(settings, config).consumeTraces(spans('GET /users'));
    await factory.createMetricsExporter(settings, config).consumeMetrics(gaugePoints('cpu', 0.5));
    await factory.createLogsExporter(settings, config).consumeLogs(logLines('hello world'));
    const lines = output.join('').split('\n').filter((line) => !line.includes('\tinfo\t') && line !== '');
    assert.deepEqual(lines, [
      'ResourceTraces #0 service.name=svc',
      'ScopeTraces #0 test 1.0',
      'GET /users 0af7651916cd43dd8448eb211c80319c 0000000000000001 http.route=/GET /users',
      'ResourceMetrics #0',
      'ScopeMetrics #0 test 1.0',
      'cpu{host=a} 0.5',
      'ResourceLog #0',
      'ScopeLog #0 test 1.0',
      'hello world',
    ]);
  });

  test('detailed: every field, typed values, Go-style times', async () => {
    const { factory, config, settings, output } = capture({ verbosity: 'Detailed' });
    await factory.createTracesExporter(settings, config).consumeTraces(fullTraces);
    await factory.createMetricsExporter(settings, config).consumeMetrics(fullMetrics);
    await factory.createLogsExporter(settings, config).consumeLogs(fullLogs);
    const text = output.join('');
    for (const expected of [
      'ResourceSpans #0',
      '     -> attr.0.string: Str(plain)',
      '    Trace ID       : 5b8efff798038103d269b633813fc60c',
      '    Kind           : Server',
      '    Start time     : 2023-11-14 22:13:20.123456789 +0000 UTC',
      'SpanEvent #0',
      'SpanLink #0',
      'LogRecord #0',
      'Body: ',
      'Metric #0',
      '     -> DataType: Gauge',
      'HistogramDataPoints #0',
      'ExponentialHistogramDataPoints #0',
      'SummaryDataPoints #0',
    ]) {
      assert.ok(text.includes(expected), `missing ${JSON.stringify(expected)}`);
    }
  });

  test('sampling: sampling_initial per second, then every sampling_thereafter-th', async () => {
    let at = new Date('2025-01-01T00:00:00.000Z');
    const { factory, config, settings, output } = capture({ sampling_initial: 2, sampling_thereafter: 3 }, () => at);
    const exporter = factory.createTracesExporter(settings, config);
    for (let i = 0; i < 8; i++) await exporter.consumeTraces(spans(`s${i}`));
    // 1, 2 written; then 5 and 8 (every third after the initial two).
    assert.equal(output.length, 4);
    at = new Date('2025-01-01T00:00:01.000Z');
    await exporter.consumeTraces(spans('next second'));
    assert.equal(output.length, 5);
  });

  test('config: Collector keys and checks', () => {
    const { factory } = capture(null);
    assert.deepEqual(factory.configSchema.parse({}), {
      verbosity: 'basic',
      samplingInitial: 2,
      samplingThereafter: 1,
      output: 'stdout',
      queue: { enabled: false, numConsumers: 10, queueSize: 1000, storage: undefined },
    });
    assert.equal(factory.configSchema.parse({ use_internal_logger: false, output_paths: ['stderr'] }).output, 'stderr');
    assert.equal(factory.configSchema.safeParse({ output_paths: ['stderr'] }).success, false);
    assert.equal(factory.configSchema.safeParse({ verbosity: 'loud' }).success, false);
  });
});
