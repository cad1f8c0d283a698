import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { PermanentError, RetryableError } from '../../consumer/errors.ts';
import { decodeLogsProto, decodeMetricsProto, decodeTracesProto } from '../../pdata/index.ts';
import { fullLogs, fullMetrics, fullTraces } from '../../pdata/testdata/full-model.ts';
import { eventually, exporterSettings, spanNames, spans } from '../exporterhelper/test-support.ts';
import { otlpExporterFactory } from './factory.ts';
import { retryInfoTrailer, startGrpcBackend } from './test-grpc-backend.ts';
import type { GrpcAnswer, GrpcBackend } from './test-grpc-backend.ts';

const backends: GrpcBackend[] = [];
after(async () => {
  await Promise.all(backends.map((backend) => backend.close()));
});

async function backend(...args: Parameters<typeof startGrpcBackend>): Promise<GrpcBackend> {
  const started = await startGrpcBackend(...args);
  backends.push(started);
  return started;
}

function config(values: Record<string, unknown>) {
  return otlpExporterFactory.configSchema.parse({
    tls: { insecure: true },
    retry_on_failure: { initial_interval: '5ms', max_interval: '20ms', max_elapsed_time: '5s' },
    sending_queue: { enabled: false },
    ...values,
  });
}

async function tracesExporter(values: Record<string, unknown>, id = 'otlp') {
  const settings = exporterSettings(id);
  const exporter = otlpExporterFactory.createTracesExporter(settings, config(values));
  await exporter.start();
  return { exporter, settings };
}

describe('otlp (gRPC) exporter', () => {
  test('sends every signal to its Export method, intact, gzip-compressed, with headers as metadata', async () => {
    const downstream = await backend();
    const settings = exporterSettings('otlp');
    const cfg = config({ endpoint: `http://${downstream.target}`, headers: { 'X-Tenant': 'acme' } });
    const tracesOut = otlpExporterFactory.createTracesExporter(settings, cfg);
    const metricsOut = otlpExporterFactory.createMetricsExporter(settings, cfg);
    const logsOut = otlpExporterFactory.createLogsExporter(settings, cfg);
    for (const component of [tracesOut, metricsOut, logsOut]) await component.start();
    assert.deepEqual(await tracesOut.consumeTraces(fullTraces), {});
    assert.deepEqual(await metricsOut.consumeMetrics(fullMetrics), {});
    assert.deepEqual(await logsOut.consumeLogs(fullLogs), {});
    for (const component of [tracesOut, metricsOut, logsOut]) await component.shutdown();

    const [traces, metrics, logs] = downstream.received;
    assert.deepEqual(decodeTracesProto(traces!.bytes), fullTraces);
    assert.deepEqual(decodeMetricsProto(metrics!.bytes), fullMetrics);
    assert.deepEqual(decodeLogsProto(logs!.bytes), fullLogs);
    for (const call of downstream.received) assert.deepEqual(call.metadata.get('x-tenant'), ['acme']);
    assert.match(settings.metrics.render(), /otelcol_exporter_sent_log_records_total\{exporter="otlp"\} \d+/);
  });

  test('compression on the wire: gzip by default, identity with compression: none', async () => {
    // grpc-js servers hide grpc-encoding from handlers, so this backend reads the
    // HTTP/2 stream itself: headers, then the 5-byte gRPC frame prefix.
    const frames: Array<{ encoding: string | undefined; compressed: boolean; message: Buffer }> = [];
    const server = http2.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        const compressed = body[0] === 1;
        const payload = body.subarray(5, 5 + body.readUInt32BE(1));
        frames.push({
          encoding: request.headers['grpc-encoding'] as string | undefined,
          compressed,
          message: compressed ? gunzipSync(payload) : payload,
        });
        response.writeHead(200, { 'content-type': 'application/grpc' });
        response.addTrailers({ 'grpc-status': '0' });
        response.end(Buffer.from([0, 0, 0, 0, 0]));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const compression of ['gzip', 'none']) {
        const { exporter } = await tracesExporter({ endpoint: target, compression });
        assert.deepEqual(await exporter.consumeTraces(spans(compression)), {});
        await exporter.shutdown();
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    assert.deepEqual(frames.map((f) => [f.encoding, f.compressed]), [['gzip', true], [undefined, false]]);
    assert.deepEqual(frames.map((f) => spanNames(decodeTracesProto(f.message))), [['gzip'], ['none']]);
  });

  test('a partial success reaches the caller when there is no queue', async () => {
    const downstream = await backend(() => ({ partialSuccess: { rejected: 1n, errorMessage: 'span too old' } }));
    const { exporter } = await tracesExporter({ endpoint: downstream.target });
    assert.deepEqual(await exporter.consumeTraces(spans('a', 'b')), {
      partialSuccess: { rejected: 1n, errorMessage: 'span too old' },
    });
    await exporter.shutdown();
  });

  test('retries UNAVAILABLE after the RetryInfo delay, then succeeds', async () => {
    const downstream = await backend((_call, index): GrpcAnswer =>
      index === 0
        ? { error: { code: grpc.status.UNAVAILABLE, details: 'warming up', metadata: retryInfoTrailer(14, 'warming up', 10) } }
        : {},
    );
    const { exporter } = await tracesExporter({ endpoint: downstream.target });
    await exporter.consumeTraces(spans('a'));
    await exporter.shutdown();
    assert.equal(downstream.received.length, 2);
    assert.deepEqual(spanNames(decodeTracesProto(downstream.received[1]!.bytes)), ['a']);
  });

  test('a RetryInfo delay beyond max_elapsed_time ends the retries at once, carrying the delay', async () => {
    const downstream = await backend(() => ({
      error: {
        code: grpc.status.RESOURCE_EXHAUSTED,
        details: 'slow down',
        metadata: retryInfoTrailer(8, 'slow down', 2_500),
      },
    }));
    const { exporter } = await tracesExporter({
      endpoint: downstream.target,
      retry_on_failure: { initial_interval: '5ms', max_interval: '20ms', max_elapsed_time: '1s' },
    });
    await assert.rejects(exporter.consumeTraces(spans('a')), (error: unknown) => {
      assert.ok(error instanceof RetryableError);
      assert.equal(error.retryAfterMs, 2_500);
      assert.match(error.message, /RESOURCE_EXHAUSTED: slow down/);
      return true;
    });
    await exporter.shutdown();
    assert.equal(downstream.received.length, 1);
  });

  test('INVALID_ARGUMENT, and RESOURCE_EXHAUSTED without RetryInfo, are permanent: not retried', async () => {
    for (const code of [grpc.status.INVALID_ARGUMENT, grpc.status.RESOURCE_EXHAUSTED]) {
      const downstream = await backend(() => ({ error: { code, details: 'no' } }));
      const { exporter, settings } = await tracesExporter({ endpoint: downstream.target });
      await assert.rejects(exporter.consumeTraces(spans('a', 'b')), PermanentError);
      await exporter.shutdown();
      assert.equal(downstream.received.length, 1);
      assert.match(settings.metrics.render(), /otelcol_exporter_send_failed_spans_total\{exporter="otlp"\} 2/);
    }
  });

  test('a downstream that never answers hits the timeout (DEADLINE_EXCEEDED, retryable)', async () => {
    const downstream = await backend(() => 'hang');
    const { exporter } = await tracesExporter({
      endpoint: downstream.target,
      timeout: '50ms',
      retry_on_failure: { enabled: false },
    });
    await assert.rejects(exporter.consumeTraces(spans('a')), (error: unknown) => {
      assert.ok(error instanceof RetryableError);
      assert.match(error.message, /DEADLINE_EXCEEDED/);
      return true;
    });
    await exporter.shutdown();
  });

  test('with the queue, a slow downstream does not hold consume()', async () => {
    let release = false;
    const downstream = await backend((): GrpcAnswer => (release ? {} : { error: { code: grpc.status.UNAVAILABLE, details: 'down' } }));
    const { exporter, settings } = await tracesExporter(
      { endpoint: downstream.target, sending_queue: { num_consumers: 2 }, retry_on_failure: { initial_interval: '5ms', max_interval: '5ms', max_elapsed_time: 0 } },
      'otlp/queued',
    );
    for (const name of ['a', 'b', 'c']) assert.deepEqual(await exporter.consumeTraces(spans(name)), {});
    release = true;
    await eventually(() => /otelcol_exporter_sent_spans_total\{exporter="otlp\/queued"\} 3/.test(settings.metrics.render()));
    await exporter.shutdown();
  });

  test('TLS by default: verifies the server against tls.ca_file', async () => {
    const dir = fileURLToPath(new URL('./testdata/', import.meta.url));
    const credentials = grpc.ServerCredentials.createSsl(null, [
      { private_key: readFileSync(dir + 'server-key.pem'), cert_chain: readFileSync(dir + 'server-cert.pem') },
    ]);
    const downstream = await backend(() => ({}), credentials);
    const port = downstream.target.split(':')[1];
    const { exporter } = await tracesExporter({
      endpoint: `localhost:${port}`,
      tls: { ca_file: dir + 'server-cert.pem' },
    });
    await exporter.consumeTraces(spans('secure'));
    await exporter.shutdown();
    assert.equal(downstream.received.length, 1);

    // Without the CA the handshake fails: UNAVAILABLE, retryable.
    const untrusting = await tracesExporter({ endpoint: `localhost:${port}`, tls: {}, retry_on_failure: { enabled: false } });
    await assert.rejects(untrusting.exporter.consumeTraces(spans('x')), RetryableError);
    await untrusting.exporter.shutdown();
  });
});
