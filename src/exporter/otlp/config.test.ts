import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exporterSettings, spans } from '../exporterhelper/test-support.ts';
import { otlpExporterFactory } from './factory.ts';
import { startGrpcBackend } from './test-grpc-backend.ts';

describe('otlp config', () => {
  test('Collector defaults: TLS, gzip, 5s timeout, retry and queue on', () => {
    const config = otlpExporterFactory.configSchema.parse({ endpoint: 'collector:4317' });
    assert.equal(config.target, 'collector:4317');
    assert.equal(config.useTls, true);
    assert.equal(config.compression, 'gzip');
    assert.equal(config.timeoutMs, 5_000);
    assert.deepEqual(config.headers, {});
    assert.equal(config.retry.enabled, true);
    assert.equal(config.retry.initialIntervalMs, 5_000);
    assert.deepEqual(config.queue, { enabled: true, numConsumers: 10, queueSize: 1000, storage: undefined });
  });

  test('endpoint schemes as configgrpc reads them', () => {
    const parse = (values: Record<string, unknown>) => otlpExporterFactory.configSchema.parse(values);
    assert.deepEqual(
      [parse({ endpoint: 'http://c:4317', tls: { insecure: true } }), parse({ endpoint: 'https://c:4317', tls: { insecure: true } })].map(
        (c) => [c.target, c.useTls],
      ),
      [
        ['c:4317', false],
        ['c:4317', true],
      ],
    );
    const missing = otlpExporterFactory.configSchema.safeParse(null);
    assert.equal(missing.success, false);
    assert.deepEqual(missing.error?.issues.map((i) => i.path.join('.')), ['']);
    assert.equal(otlpExporterFactory.configSchema.safeParse({ endpoint: 'c:1', compression: 'zstd' }).success, false);
    assert.equal(otlpExporterFactory.configSchema.safeParse({ endpoint: 'c:1', auth: { authenticator: '' } }).success, false);
  });

  test('balancer_name, wait_for_ready, keepalive and buffer sizes are accepted and the channel works', async () => {
    const downstream = await startGrpcBackend();
    try {
      const exporter = otlpExporterFactory.createTracesExporter(
        exporterSettings('otlp'),
        otlpExporterFactory.configSchema.parse({
          endpoint: downstream.target,
          tls: { insecure: true },
          balancer_name: 'round_robin',
          wait_for_ready: true,
          keepalive: { time: '30s', timeout: '5s', permit_without_stream: true },
          read_buffer_size: 0,
          write_buffer_size: 524288,
          sending_queue: { enabled: false },
        }),
      );
      await exporter.start();
      await exporter.consumeTraces(spans('a'));
      await exporter.shutdown();
      assert.equal(downstream.received.length, 1);
    } finally {
      await downstream.close();
    }
  });
});
