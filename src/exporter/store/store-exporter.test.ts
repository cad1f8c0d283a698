import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyLogRecord, emptySpan } from '../../pdata/defaults.ts';
import type { LogsData, MetricsData, TracesData } from '../../pdata/model.ts';
import type { TelemetryWriter } from '../../storage/api.ts';
import { createStoreExporter } from './store-exporter.ts';

// What reaches the writer, and what the sender is told was refused. The real store
// behind this exporter is exercised end to end in test/ingest-query.test.ts.

const hourNs = 3_600_000_000_000n;
const now = 1_000n * hourNs;

function recording() {
  const written: { traces: TracesData[]; metrics: MetricsData[]; logs: LogsData[] } = { traces: [], metrics: [], logs: [] };
  const writer: TelemetryWriter = {
    writeTraces: async (d) => void written.traces.push(d),
    writeMetrics: async (d) => void written.metrics.push(d),
    writeLogs: async (d) => void written.logs.push(d),
    health: () => ({ ok: true }),
    close: async () => {},
  };
  return { written, exporter: createStoreExporter(writer, { retentionNs: 24n * hourNs, nowNs: () => now }) };
}

const scope = { name: '', version: '', attributes: [], droppedAttributesCount: 0 };
const resource = { attributes: [], droppedAttributesCount: 0 };

function span(name: string, traceId: string, startTimeUnixNano: bigint) {
  const spanId = traceId === '' ? '' : '00f067aa0ba902b7';
  return { ...emptySpan(), traceId, spanId, name, kind: 1, startTimeUnixNano, endTimeUnixNano: startTimeUnixNano + 1n };
}

test('spans without ids or older than the retention are refused as partial success; the rest is written', async () => {
  const { written, exporter } = recording();
  const id = '0af7651916cd43dd8448eb211c80319c';
  const spans = [span('fresh', id, now - hourNs), span('no ids', '', now), span('ancient', id, now - 48n * hourNs)];
  const result = await exporter.consumeTraces({
    resourceSpans: [{ resource, schemaUrl: '', scopeSpans: [{ scope, schemaUrl: '', spans }] }],
  });
  const { refusedItems, ...answer } = result;
  assert.deepEqual(answer, {
    partialSuccess: {
      rejected: 2n,
      errorMessage: 'spans must have a non-empty trace_id and span_id; spans older than the retention period are not kept',
    },
  });
  // The refused span objects themselves, so a batch processor can tell their sender.
  assert.deepEqual([...(refusedItems ?? new Map()).entries()], [
    [spans[1], 'spans must have a non-empty trace_id and span_id'],
    [spans[2], 'spans older than the retention period are not kept'],
  ]);
  assert.deepEqual(written.traces[0]!.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name), ['fresh']);
});

test('a request with nothing to refuse is written as it came', async () => {
  const { written, exporter } = recording();
  const data: TracesData = { resourceSpans: [{ resource, schemaUrl: '', scopeSpans: [{ scope, schemaUrl: '', spans: [span('ok', '0af7651916cd43dd8448eb211c80319c', now)] }] }] };
  assert.deepEqual(await exporter.consumeTraces(data), {});
  assert.equal(written.traces[0], data);
});

test('old log records and data points, and nameless metrics, are refused', async () => {
  const { written, exporter } = recording();
  const record = (body: string, timeUnixNano: bigint, observedTimeUnixNano: bigint) => ({
    ...emptyLogRecord(), timeUnixNano, observedTimeUnixNano, severityNumber: 9, body: { type: 'string' as const, value: body },
  });
  const logs = await exporter.consumeLogs({
    resourceLogs: [{ resource, schemaUrl: '', scopeLogs: [{ scope, schemaUrl: '', logRecords: [
      record('recent', now, now), record('observed only', 0n, now), record('old', now - 30n * hourNs, now), record('no time', 0n, 0n),
    ] }] }],
  });
  assert.equal(logs.partialSuccess?.rejected, 2n);
  assert.deepEqual(written.logs[0]!.resourceLogs[0]!.scopeLogs[0]!.logRecords.map((r) => (r.body as { value: string }).value), ['recent', 'observed only']);

  const point = (timeUnixNano: bigint) => ({ attributes: [], startTimeUnixNano: 0n, timeUnixNano, value: { type: 'int' as const, value: 1n }, exemplars: [], flags: 0 });
  const metrics = await exporter.consumeMetrics({
    resourceMetrics: [{ resource, schemaUrl: '', scopeMetrics: [{ scope, schemaUrl: '', metrics: [
      { name: 'payments.processed', description: '', unit: '1', metadata: [], data: { type: 'gauge', dataPoints: [point(now), point(now - 25n * hourNs)] } },
      { name: '', description: '', unit: '', metadata: [], data: { type: 'gauge', dataPoints: [point(now), point(now)] } },
    ] }] }],
  });
  assert.equal(metrics.partialSuccess?.rejected, 3n);
  const kept = written.metrics[0]!.resourceMetrics[0]!.scopeMetrics[0]!.metrics;
  assert.deepEqual(kept.map((m) => [m.name, m.data?.dataPoints.length]), [['payments.processed', 1]]);
});

test('items whose retention TTL would pass 2106-02-07 (a 32-bit DateTime) are refused: they would be deleted at once', async () => {
  const { written, exporter } = recording();
  const id = '0af7651916cd43dd8448eb211c80319c';
  const lastTtlNs = (2n ** 32n - 1n) * 1_000_000_000n;
  const latest = lastTtlNs - 24n * hourNs; // the exporter's retention is 24 h
  const result = await exporter.consumeTraces({
    resourceSpans: [{ resource, schemaUrl: '', scopeSpans: [{ scope, schemaUrl: '', spans: [
      span('last second', id, latest - 1_000_000_000n), span('2106', id, latest), span('2262', id, 2n ** 63n - 1n),
    ] }] }],
  });
  assert.equal(result.partialSuccess?.rejected, 2n);
  assert.equal(result.partialSuccess?.errorMessage, 'spans starting after 2106-02-06T06:28:15.000Z are not kept (their retention TTL would pass 2106-02-07)');
  assert.deepEqual(written.traces[0]!.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name), ['last second']);

  const logs = await exporter.consumeLogs({
    resourceLogs: [{ resource, schemaUrl: '', scopeLogs: [{ scope, schemaUrl: '', logRecords: [
      { ...emptyLogRecord(), timeUnixNano: 0n, observedTimeUnixNano: latest },
    ] }] }],
  });
  assert.equal(logs.partialSuccess?.rejected, 1n);
  const point = { attributes: [], startTimeUnixNano: 0n, timeUnixNano: latest, value: { type: 'int' as const, value: 1n }, exemplars: [], flags: 0 };
  const metrics = await exporter.consumeMetrics({
    resourceMetrics: [{ resource, schemaUrl: '', scopeMetrics: [{ scope, schemaUrl: '', metrics: [
      { name: 'm', description: '', unit: '', metadata: [], data: { type: 'gauge', dataPoints: [point] } },
    ] }] }],
  });
  assert.equal(metrics.partialSuccess?.rejected, 1n);
});
