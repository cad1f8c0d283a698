import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { ServerResponse } from 'node:http';
import { BackpressureError, PermanentError, RetryableError } from '../../consumer/errors.ts';
import {
  decodeLogsProto,
  decodeMetricsProto,
  decodeTracesJson,
  decodeTracesProto,
  encodeExportResponseProto,
  encodeStatusProto,
} from '../../pdata/index.ts';
import { fullLogs, fullMetrics, fullTraces } from '../../pdata/testdata/full-model.ts';
import { eventually, exporterSettings, spanNames, spans } from '../exporterhelper/test-support.ts';
import { otlpHttpExporterFactory } from './factory.ts';
import { acceptAll, startBackend } from './test-backend.ts';
import type { TestBackend } from './test-backend.ts';

const backends: TestBackend[] = [];
after(async () => {
  await Promise.all(backends.map((backend) => backend.close()));
});

async function backend(...args: Parameters<typeof startBackend>): Promise<TestBackend> {
  const started = await startBackend(...args);
  backends.push(started);
  return started;
}

/** Small intervals; the queue off so consume() settles with the downstream result. */
function config(values: Record<string, unknown>) {
  return otlpHttpExporterFactory.configSchema.parse({
    retry_on_failure: { initial_interval: '5ms', max_interval: '20ms', max_elapsed_time: '5s' },
    sending_queue: { enabled: false },
    ...values,
  });
}

async function tracesExporter(values: Record<string, unknown>, id = 'otlphttp') {
  const settings = exporterSettings(id);
  const exporter = otlpHttpExporterFactory.createTracesExporter(settings, config(values));
  await exporter.start();
  return { exporter, settings };
}

describe('otlphttp exporter', () => {
  test('sends every signal as gzip protobuf to <endpoint>/v1/<signal>, intact', async () => {
    const downstream = await backend();
    const settings = exporterSettings('otlphttp');
    const cfg = config({ endpoint: downstream.url });
    const tracesOut = otlpHttpExporterFactory.createTracesExporter(settings, cfg);
    const metricsOut = otlpHttpExporterFactory.createMetricsExporter(settings, cfg);
    const logsOut = otlpHttpExporterFactory.createLogsExporter(settings, cfg);
    for (const component of [tracesOut, metricsOut, logsOut]) await component.start();

    assert.deepEqual(await tracesOut.consumeTraces(fullTraces), {});
    assert.deepEqual(await metricsOut.consumeMetrics(fullMetrics), {});
    assert.deepEqual(await logsOut.consumeLogs(fullLogs), {});
    for (const component of [tracesOut, metricsOut, logsOut]) await component.shutdown();

    const [traces, metrics, logs] = downstream.received;
    assert.equal(traces?.path, '/v1/traces');
    assert.equal(metrics?.path, '/v1/metrics');
    assert.equal(logs?.path, '/v1/logs');
    for (const request of downstream.received) {
      assert.equal(request.method, 'POST');
      assert.equal(request.headers['content-type'], 'application/x-protobuf');
      assert.equal(request.headers['content-encoding'], 'gzip');
      assert.notDeepEqual(request.rawBody, request.body);
    }
    assert.deepEqual(decodeTracesProto(traces!.body), fullTraces);
    assert.deepEqual(decodeMetricsProto(metrics!.body), fullMetrics);
    assert.deepEqual(decodeLogsProto(logs!.body), fullLogs);
    assert.match(settings.metrics.render(), /otelcol_exporter_sent_spans_total\{exporter="otlphttp"\} \d+/);
  });

  test('encoding: json, compression: none, and configured headers', async () => {
    const downstream = await backend();
    const { exporter } = await tracesExporter({
      endpoint: downstream.url + '/',
      encoding: 'json',
      compression: 'none',
      headers: { 'X-Api-Key': 'secret', authorization: 'Bearer t' },
    });
    await exporter.consumeTraces(fullTraces);
    await exporter.shutdown();
    const [request] = downstream.received;
    assert.equal(request?.path, '/v1/traces');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['content-encoding'], undefined);
    assert.equal(request.headers['x-api-key'], 'secret');
    assert.equal(request.headers['authorization'], 'Bearer t');
    assert.deepEqual(decodeTracesJson(request.body.toString('utf8')), fullTraces);
  });

  test('per-signal endpoints are used as written; a signal without any endpoint cannot be created', async () => {
    const downstream = await backend();
    const cfg = config({ traces_endpoint: `${downstream.url}/custom/path`, logs_endpoint: `${downstream.url}/l` });
    const settings = exporterSettings('otlphttp/custom');
    const tracesOut = otlpHttpExporterFactory.createTracesExporter(settings, cfg);
    await tracesOut.start();
    await tracesOut.consumeTraces(spans('a'));
    await tracesOut.shutdown();
    assert.equal(downstream.received[0]?.path, '/custom/path');
    assert.throws(
      () => otlpHttpExporterFactory.createMetricsExporter(settings, cfg),
      /otlphttp\/custom: either endpoint or metrics_endpoint must be specified/,
    );
  });

  test('retries 503 after Retry-After, then succeeds', async () => {
    const downstream = await backend((request, response, index) => {
      if (index === 0) {
        response.writeHead(503, { 'Retry-After': '0', 'Content-Type': 'application/x-protobuf' });
        response.end(encodeStatusProto(14, 'storage busy'));
        return;
      }
      acceptAll(request, response, index);
    });
    const { exporter, settings } = await tracesExporter({ endpoint: downstream.url });
    await exporter.consumeTraces(spans('a', 'b'));
    await exporter.shutdown();
    assert.equal(downstream.received.length, 2);
    assert.deepEqual(spanNames(decodeTracesProto(downstream.received[1]!.body)), ['a', 'b']);
    assert.match(settings.metrics.render(), /otelcol_exporter_sent_spans_total\{exporter="otlphttp"\} 2/);
  });

  test('a Retry-After beyond max_elapsed_time ends the retries at once, carrying the delay', async () => {
    const downstream = await backend((_request, response) => {
      response.writeHead(429, { 'Retry-After': '3' });
      response.end();
    });
    const { exporter, settings } = await tracesExporter({
      endpoint: downstream.url,
      retry_on_failure: { initial_interval: '5ms', max_interval: '20ms', max_elapsed_time: '1s' },
    });
    await assert.rejects(exporter.consumeTraces(spans('a')), (error: unknown) => {
      assert.ok(error instanceof RetryableError);
      assert.equal(error.retryAfterMs, 3000);
      assert.match(error.message, /HTTP 429/);
      return true;
    });
    await exporter.shutdown();
    assert.equal(downstream.received.length, 1);
    assert.match(settings.metrics.render(), /otelcol_exporter_send_failed_spans_total\{exporter="otlphttp"\} 1/);
  });

  test('400 is permanent: not retried, the status message is kept', async () => {
    const downstream = await backend((_request, response) => {
      response.writeHead(400, { 'Content-Type': 'application/x-protobuf' });
      response.end(encodeStatusProto(3, 'span name too long'));
    });
    const { exporter } = await tracesExporter({ endpoint: downstream.url });
    await assert.rejects(exporter.consumeTraces(spans('a')), (error: unknown) => {
      assert.ok(error instanceof PermanentError);
      assert.match(error.message, /HTTP 400: span name too long/);
      return true;
    });
    await exporter.shutdown();
    assert.equal(downstream.received.length, 1);
  });

  test('a partial success (protobuf or JSON answer) reaches the caller when there is no queue', async () => {
    const downstream = await backend((request, response) => {
      if (request.headers['content-type'] === 'application/json') {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end('{"partialSuccess":{"rejectedSpans":"1","errorMessage":"no name"}}');
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/x-protobuf' });
      response.end(encodeExportResponseProto({ rejected: 2n, errorMessage: 'too old' }));
    });
    const proto = await tracesExporter({ endpoint: downstream.url });
    assert.deepEqual(await proto.exporter.consumeTraces(spans('a', 'b')), {
      partialSuccess: { rejected: 2n, errorMessage: 'too old' },
    });
    await proto.exporter.shutdown();
    const json = await tracesExporter({ endpoint: downstream.url, encoding: 'json' });
    assert.deepEqual(await json.exporter.consumeTraces(spans('a')), {
      partialSuccess: { rejected: 1n, errorMessage: 'no name' },
    });
    await json.exporter.shutdown();
  });

  test('reads at most 64 KiB of an endless response body and finishes', async () => {
    let written = 0;
    let closed = 0;
    const endless = (status: number) => (_request: unknown, response: ServerResponse) => {
      response.writeHead(status, { 'Content-Type': 'application/x-protobuf' });
      const chunk = Buffer.alloc(16 * 1024, 0x0a);
      const pump = (): void => {
        if (response.destroyed || response.writableEnded) return;
        // Backpressure-aware: wait for drain so the server side stays bounded too.
        while (response.write(chunk)) {
          written += chunk.length;
          if (written > 256 * 1024 * 1024) return;
        }
        response.once('drain', pump);
      };
      response.on('close', () => (closed += 1));
      pump();
    };
    const downstream = await backend(endless(200));
    const { exporter } = await tracesExporter({ endpoint: downstream.url, timeout: '10s' });
    assert.deepEqual(await exporter.consumeTraces(spans('a')), {});

    await exporter.shutdown();

    // An error status with an endless body: still a prompt, readable outcome.
    downstream.respond = endless(503);
    const failing = await tracesExporter({ endpoint: downstream.url, timeout: '10s', retry_on_failure: { enabled: false } });
    await assert.rejects(
      failing.exporter.consumeTraces(spans('b')),
      (error: unknown) => error instanceof RetryableError && /HTTP 503/.test(error.message),
    );
    await failing.exporter.shutdown();
    await eventually(() => closed >= 2, 5_000, 'server to see the connections closed');
    // The client stopped reading long before the server's own 256 MiB limit.
    assert.ok(written < 256 * 1024 * 1024, `server wrote ${written} bytes`);
  });

  test('a downstream that never answers times out as a retryable failure', async () => {
    const downstream = await backend(() => {});
    const { exporter } = await tracesExporter({
      endpoint: downstream.url,
      timeout: '50ms',
      retry_on_failure: { enabled: false },
    });
    await assert.rejects(exporter.consumeTraces(spans('a')), (error: unknown) => {
      assert.ok(error instanceof RetryableError);
      assert.match(error.message, /no complete answer within 50 ms/);
      return true;
    });
    await exporter.shutdown();
  });

  test('with the queue, a slow downstream does not hold consume(); a full queue refuses with BackpressureError', async () => {
    const held: ServerResponse[] = [];
    const downstream = await backend((_request, response) => held.push(response));
    const settings = exporterSettings('otlphttp/slow');
    const exporter = otlpHttpExporterFactory.createTracesExporter(
      settings,
      config({ endpoint: downstream.url, sending_queue: { queue_size: 1, num_consumers: 1 } }),
    );
    await exporter.start();

    // The one consumer takes the first request and waits on the downstream...
    assert.deepEqual(await exporter.consumeTraces(spans('first')), {});
    await eventually(() => held.length === 1, 5_000, 'the first request to arrive');
    // ...the second waits in the queue (size 1)...
    assert.deepEqual(await exporter.consumeTraces(spans('second')), {});
    // ...and the third finds it full.
    await assert.rejects(exporter.consumeTraces(spans('third', 'x')), BackpressureError);
    const text = settings.metrics.render();
    assert.match(text, /otelcol_exporter_enqueue_failed_spans_total\{exporter="otlphttp\/slow"\} 2/);
    assert.match(text, /otelcol_exporter_queue_size\{exporter="otlphttp\/slow",data_type="traces"\} 1/);
    assert.match(text, /otelcol_exporter_queue_capacity\{exporter="otlphttp\/slow",data_type="traces"\} 1/);

    downstream.respond = acceptAll;
    held.shift()!.writeHead(200).end();
    await eventually(() => downstream.received.length === 2, 5_000, 'the queued request to be sent');
    await exporter.shutdown();
    assert.deepEqual(downstream.received.map((r) => spanNames(decodeTracesProto(r.body))), [['first'], ['second']]);
  });
});
