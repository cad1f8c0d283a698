import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KeyValue, LogRecord, LogsData, Metric, MetricsData, ResourceSpans, Span, TracesData } from '../pdata/model.ts';
import type { TelemetryStore } from './api.ts';
import { bool, dbl, everyKind, hex, int, logRecord, MS, nowNs, resource, SECOND, str, tempStore } from './testdata/telemetry.ts';

// What goes in comes out: every field of spans, logs and metric points, every
// attribute type, grouped back under resource and scope.

const byKey = (a: KeyValue, b: KeyValue) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
/** Attribute order across value types is not kept (attribute-columns.ts); compare sorted. */
const sorted = (kvs: KeyValue[]) => [...kvs].sort(byKey);

const serviceOf = (rs: ResourceSpans) => {
  const v = rs.resource.attributes.find((kv) => kv.key === 'service.name')?.value;
  return v?.type === 'string' ? v.value : '';
};

function normalizeTraces(data: TracesData): TracesData {
  return {
    resourceSpans: data.resourceSpans
      .map((rs) => ({
        ...rs,
        resource: { ...rs.resource, attributes: sorted(rs.resource.attributes) },
        scopeSpans: rs.scopeSpans
          .map((ss) => ({
            ...ss,
            spans: ss.spans.map((s) => ({ ...s, attributes: sorted(s.attributes) })).sort((a, b) => a.spanId.localeCompare(b.spanId)),
          }))
          .sort((a, b) => a.scope.name.localeCompare(b.scope.name)),
      }))
      .sort((a, b) => serviceOf(a).localeCompare(serviceOf(b))),
  };
}

let handle: Awaited<ReturnType<typeof tempStore>>;
let store: TelemetryStore;
const t0 = nowNs() - 60n * SECOND;
const range = { startNs: t0 - SECOND, endNs: t0 + 3600n * SECOND };

before(async () => {
  handle = await tempStore();
  store = handle.store;
});
after(async () => {
  await handle.close();
});

describe('traces', () => {
  const traceId = hex(16);
  const rootId = hex(8);
  const full: Span = {
    traceId,
    spanId: hex(8),
    traceState: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7',
    parentSpanId: rootId,
    flags: 0x301,
    name: 'payment.charge',
    kind: 3,
    startTimeUnixNano: t0 + 1_234_567n,
    endTimeUnixNano: t0 + 250n * MS + 89n,
    attributes: [...everyKind, str('payment.currency', 'EUR'), dbl('payment.amount', 99.99)],
    droppedAttributesCount: 5,
    events: [
      { timeUnixNano: t0 + 2n * MS, name: 'exception', attributes: [str('exception.type', 'PaymentDeclinedError'), ...everyKind], droppedAttributesCount: 1 },
      { timeUnixNano: t0 + 3n * MS, name: 'retry', attributes: [], droppedAttributesCount: 0 },
    ],
    droppedEventsCount: 4,
    links: [{ traceId: hex(16), spanId: hex(8), traceState: 'k=v', attributes: [int('link.n', 3), ...everyKind], droppedAttributesCount: 2, flags: 0x101 }],
    droppedLinksCount: 6,
    status: { code: 2, message: 'card declined for EUR' },
  };
  const root: Span = { ...full, spanId: rootId, parentSpanId: '', traceState: '', flags: 1, name: 'POST /payments', kind: 2,
    startTimeUnixNano: t0, endTimeUnixNano: t0 + 300n * MS, attributes: [str('http.route', '/payments')], droppedAttributesCount: 0,
    events: [], droppedEventsCount: 0, links: [], droppedLinksCount: 0, status: { code: 1, message: '' } };
  // A clock that ran backwards: kept as sent.
  const backwards: Span = { ...root, spanId: hex(8), parentSpanId: rootId, name: 'payment.validate', startTimeUnixNano: t0 + 5n * MS, endTimeUnixNano: t0 + 4n * MS };
  const other: Span = { ...root, spanId: hex(8), parentSpanId: rootId, name: 'GET /items/{item_id}', startTimeUnixNano: t0 + 6n * MS, endTimeUnixNano: t0 + 9n * MS };
  const sent: TracesData = {
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', 'payment-api'), ...everyKind], droppedAttributesCount: 3 },
        scopeSpans: [
          { scope: { name: 'fastapi', version: '0.63b0', attributes: [str('scope.kind', 'http'), ...everyKind], droppedAttributesCount: 2 },
            spans: [root, full], schemaUrl: 'https://opentelemetry.io/schemas/1.21.0' },
          { scope: { name: 'payments', version: '', attributes: [], droppedAttributesCount: 0 }, spans: [backwards], schemaUrl: '' },
        ],
        schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      },
      {
        resource: { attributes: [str('service.name', 'inventory'), bool('k8s.ready', true)], droppedAttributesCount: 0 },
        scopeSpans: [{ scope: { name: 'fastapi', version: '0.63b0', attributes: [], droppedAttributesCount: 0 }, spans: [other], schemaUrl: '' }],
        schemaUrl: '',
      },
    ],
  };

  test('getTrace returns exactly what was written, grouped by resource and scope', async () => {
    await store.writer.writeTraces(sent);
    const got = await store.reader.getTrace(traceId);
    assert.ok(got);
    assert.deepStrictEqual(normalizeTraces(got), normalizeTraces(sent));
    assert.equal(got.resourceSpans.length, 2);
    const first = got.resourceSpans.find((rs: ResourceSpans) => rs.scopeSpans.length === 2);
    assert.ok(first, 'the two scopes of one resource come back under that resource');
  });

  test('getTrace of an unknown id is undefined', async () => {
    assert.equal(await store.reader.getTrace(hex(16)), undefined);
  });

  test('listServices counts spans per service in range', async () => {
    const services = await store.reader.listServices(range);
    assert.deepStrictEqual(services, [
      { name: 'inventory', spanCount: 1 },
      { name: 'payment-api', spanCount: 3 },
    ]);
    assert.deepStrictEqual(await store.reader.listServices({ startNs: t0 + 7n * MS, endNs: t0 + 8n * MS }), []);
  });
});

describe('logs', () => {
  const traceId = hex(16);
  const bodies: LogRecord['body'][] = [
    { type: 'string', value: 'payment declined: USD 80' },
    { type: 'int', value: -9223372036854775808n },
    { type: 'double', value: Number.NaN },
    { type: 'bool', value: false },
    { type: 'bytes', value: new Uint8Array([9, 8, 7]) },
    { type: 'array', value: [{ type: 'string', value: 'x' }, { type: 'double', value: -0 }] },
    { type: 'kvlist', value: [str('msg', 'structured'), int('n', 1)] },
    { type: 'empty' },
  ];
  const records = bodies.map((body, i) =>
    logRecord({
      timeUnixNano: t0 + BigInt(i) * MS,
      observedTimeUnixNano: t0 + BigInt(i) * MS + 17n,
      severityNumber: 17 + i,
      severityText: `SEV${i}`,
      body,
      attributes: [...everyKind, int('i.index', i)],
      droppedAttributesCount: i,
      flags: 1,
      traceId,
      spanId: hex(8),
      eventName: i === 0 ? 'payment.declined' : '',
    }),
  );
  // No time: the observed time stands in for ordering, and time comes back as 0.
  const untimed = logRecord({ timeUnixNano: 0n, observedTimeUnixNano: t0 + 100n * MS, traceId, body: { type: 'string', value: 'untimed' } });
  const sent: LogsData = {
    resourceLogs: [
      {
        resource: { attributes: [str('service.name', 'payment-api'), ...everyKind], droppedAttributesCount: 1 },
        scopeLogs: [{ scope: { name: 'logger', version: '2', attributes: [bool('scoped', true)], droppedAttributesCount: 4 },
          logRecords: [...records, untimed], schemaUrl: 'https://opentelemetry.io/schemas/1.24.0' }],
        schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      },
    ],
  };

  test('searchLogs returns every record as sent, newest first, with resource and scope', async () => {
    await store.writer.writeLogs(sent);
    const got = await store.reader.searchLogs({ ...range, traceId, attributes: [], limit: 100 });
    assert.equal(got.length, records.length + 1);
    assert.deepStrictEqual(got[0]!.record, untimed);
    const expected = [...records].reverse();
    for (const [i, stored] of got.slice(1).entries()) {
      assert.deepStrictEqual({ ...stored.record, attributes: sorted(stored.record.attributes) }, { ...expected[i]!, attributes: sorted(expected[i]!.attributes) });
      assert.equal(stored.serviceName, 'payment-api');
      assert.deepStrictEqual({ ...stored.resource, attributes: sorted(stored.resource.attributes) },
        { ...sent.resourceLogs[0]!.resource, attributes: sorted(sent.resourceLogs[0]!.resource.attributes) });
      assert.deepStrictEqual(stored.scope, sent.resourceLogs[0]!.scopeLogs[0]!.scope);
    }
  });
});

describe('metrics', () => {
  const pointAttrs = [str('http.route', '/payments'), ...everyKind];
  const exemplars = [
    { filteredAttributes: [str('user', 'u1'), ...everyKind], timeUnixNano: t0 + 1n, value: { type: 'double' as const, value: 0.25 }, spanId: hex(8), traceId: hex(16) },
    { filteredAttributes: [], timeUnixNano: t0 + 2n, value: { type: 'int' as const, value: 9007199254740993n }, spanId: '', traceId: '' },
    { filteredAttributes: [], timeUnixNano: t0 + 3n, value: undefined, spanId: '', traceId: '' },
  ];
  const at = (i: number) => ({ startTimeUnixNano: t0 - 10n * SECOND, timeUnixNano: t0 + BigInt(i) * SECOND, flags: i % 2 });
  const metrics: Metric[] = [
    { name: 'queue.depth', description: 'Jobs waiting', unit: '{job}', metadata: [str('meta', 'data')],
      data: { type: 'gauge', dataPoints: [
        { ...at(1), attributes: pointAttrs, value: { type: 'double', value: Number.POSITIVE_INFINITY }, exemplars },
        { ...at(2), attributes: [], value: { type: 'int', value: -5n }, exemplars: [] },
        { ...at(3), attributes: [], value: undefined, exemplars: [] },
      ] } },
    { name: 'payments.processed', description: 'Payments', unit: '1', metadata: [],
      data: { type: 'sum', aggregationTemporality: 2, isMonotonic: true, dataPoints: [{ ...at(1), attributes: pointAttrs, value: { type: 'int', value: 12n }, exemplars }] } },
    { name: 'http.server.request.duration', description: 'Duration', unit: 's', metadata: [],
      data: { type: 'histogram', aggregationTemporality: 1, dataPoints: [
        { ...at(1), attributes: pointAttrs, count: 12n, sum: 0.84, bucketCounts: [1n, 10n, 1n], explicitBounds: [0.005, 0.5], exemplars, min: 0.001, max: 0.7 },
        { ...at(2), attributes: [], count: 0n, sum: undefined, bucketCounts: [], explicitBounds: [], exemplars: [], min: undefined, max: undefined },
      ] } },
    { name: 'payment.amount', description: '', unit: 'EUR', metadata: [],
      data: { type: 'exponentialHistogram', aggregationTemporality: 2, dataPoints: [
        { ...at(1), attributes: pointAttrs, count: 18446744073709551615n, sum: 1234.5, scale: -3, zeroCount: 2n,
          positive: { offset: -2, bucketCounts: [1n, 0n, 4n] }, negative: { offset: 3, bucketCounts: [] }, exemplars, min: -1, max: undefined, zeroThreshold: 1e-9 },
      ] } },
    { name: 'rpc.latency', description: 'Latency', unit: 'ms', metadata: [],
      data: { type: 'summary', dataPoints: [{ ...at(1), attributes: pointAttrs, count: 3n, sum: 0, quantileValues: [{ quantile: 0, value: 1 }, { quantile: 0.99, value: Number.NaN }] }] } },
    { name: 'no.data', description: '', unit: '', metadata: [], data: undefined },
  ];
  const sent: MetricsData = {
    resourceMetrics: [{
      resource: resource('payment-api', [int('process.pid', 1234)]),
      scopeMetrics: [{ scope: { name: 'meter', version: '1', attributes: [], droppedAttributesCount: 0 }, metrics, schemaUrl: 'https://s/1' }],
      schemaUrl: '',
    }],
  };

  /** Points newest first, attributes sorted: the form metricPoints answers in. */
  function expectedOf(m: Metric): Metric {
    const d = m.data!;
    const fix = <P extends { attributes: KeyValue[]; timeUnixNano: bigint }>(ps: P[]) =>
      ps.map((p) => ({ ...p, attributes: sorted(p.attributes) })).sort((a, b) => (a.timeUnixNano > b.timeUnixNano ? -1 : 1));
    return { ...m, data: { ...d, dataPoints: fix(d.dataPoints as never[]) } as Metric['data'] };
  }

  test('metricPoints returns each kind as received', async () => {
    await store.writer.writeMetrics(sent);
    for (const metric of metrics.filter((m) => m.data !== undefined)) {
      const got = await store.reader.metricPoints({ ...range, name: metric.name, attributes: [], limit: 100 });
      assert.equal(got.resourceMetrics.length, 1);
      const rm = got.resourceMetrics[0]!;
      assert.deepStrictEqual({ ...rm.resource, attributes: sorted(rm.resource.attributes) },
        { ...sent.resourceMetrics[0]!.resource, attributes: sorted(sent.resourceMetrics[0]!.resource.attributes) });
      assert.deepStrictEqual(rm.scopeMetrics.map((s) => [s.scope, s.schemaUrl]), [[sent.resourceMetrics[0]!.scopeMetrics[0]!.scope, 'https://s/1']]);
      const [gotMetric] = rm.scopeMetrics[0]!.metrics;
      const d = gotMetric!.data!;
      const normalized = { ...gotMetric!, data: { ...d, dataPoints: (d.dataPoints as { attributes: KeyValue[] }[]).map((p) => ({ ...p, attributes: sorted(p.attributes) })) } };
      assert.deepStrictEqual(normalized, expectedOf(metric), metric.name);
    }
  });

  test('listMetrics names each metric once with kind, unit, description and services', async () => {
    const list = await store.reader.listMetrics(range);
    assert.deepStrictEqual(list, [
      { name: 'http.server.request.duration', kind: 'histogram', unit: 's', description: 'Duration', services: ['payment-api'] },
      { name: 'payment.amount', kind: 'exponentialHistogram', unit: 'EUR', description: '', services: ['payment-api'] },
      { name: 'payments.processed', kind: 'sum', unit: '1', description: 'Payments', services: ['payment-api'] },
      { name: 'queue.depth', kind: 'gauge', unit: '{job}', description: 'Jobs waiting', services: ['payment-api'] },
      { name: 'rpc.latency', kind: 'summary', unit: 'ms', description: 'Latency', services: ['payment-api'] },
    ]);
  });

  test('metricPoints filters on point and resource attributes', async () => {
    const route = await store.reader.metricPoints({ ...range, name: 'queue.depth', attributes: [{ key: 'http.route', op: '=', value: '/payments' }], limit: 10 });
    assert.equal(route.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.data!.dataPoints.length, 1);
    const pid = await store.reader.metricPoints({ ...range, name: 'queue.depth', attributes: [{ key: 'process.pid', op: '>', value: '1000' }], limit: 2 });
    assert.equal(pid.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.data!.dataPoints.length, 2, 'limit applies');
    const none = await store.reader.metricPoints({ ...range, name: 'queue.depth', attributes: [{ key: 'process.pid', op: '<', value: '1000' }], limit: 10 });
    assert.deepStrictEqual(none, { resourceMetrics: [] });
  });
});
