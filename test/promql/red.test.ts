import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createQueryApi } from '../../src/api/query-api.ts';
import { silentLogger } from '../../src/lib/log.ts';
import type { HistogramDataPoint, KeyValue, MetricsData } from '../../src/pdata/model.ts';
import type { RedResult } from '../../src/query/metrics/red.ts';
import { openStore } from '../../src/storage/index.ts';
import { hex, resource, span, traces } from '../../src/storage/testdata/telemetry.ts';
import { tempDir } from '../helpers/tracehouse.ts';

// GET /api/v1/red: per route rate, error rate and p50/p95/p99, from the HTTP
// server duration histogram (seconds, or the old milliseconds one, converted)
// when the service sends it, else from its SERVER spans; `source` says which.

const str = (key: string, value: string): KeyValue => ({ key, value: { type: 'string', value } });
const int = (key: string, value: number): KeyValue => ({ key, value: { type: 'int', value: BigInt(value) } });
const T = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
const ns = (ms: number) => BigInt(ms) * 1_000_000n;

/** Every 15 s for 10 minutes, per route: 4 requests of 200 and 1 of 500 per export, all in the second bucket. */
function httpHistogram(service: string, name: string, unit: string, bounds: number[], statusKey: string): MetricsData {
  const points: HistogramDataPoint[] = [];
  for (const route of ['/a', '/b']) {
    for (const [status, per] of [[200, 4], [500, 1]] as const) {
      for (let k = 0; k <= 40; k++) {
        points.push({
          attributes: [str('http.route', route), int(statusKey, status), str('http.request.method', 'GET')],
          startTimeUnixNano: ns(T - 1000),
          timeUnixNano: ns(T + k * 15_000),
          count: BigInt(per * k),
          sum: per * k * bounds[0]! * 2,
          bucketCounts: [0n, BigInt(per * k), 0n, 0n],
          explicitBounds: bounds,
          exemplars: [],
          flags: 0,
          min: undefined,
          max: undefined,
        });
      }
    }
  }
  return {
    resourceMetrics: [
      {
        resource: resource(service),
        scopeMetrics: [{ scope: { name: 'http', version: '', attributes: [], droppedAttributesCount: 0 }, metrics: [{ name, description: '', unit, metadata: [], data: { type: 'histogram', aggregationTemporality: 2, dataPoints: points } }], schemaUrl: '' }],
        schemaUrl: '',
      },
    ],
  };
}

test('RED per route from metrics or spans', { timeout: 60_000 }, async (t) => {
  const dir = await tempDir();
  t.after(() => dir.remove());
  const store = await openStore({ dataDir: dir.dir });
  t.after(() => store.close());
  await store.writer.writeMetrics(httpHistogram('shop', 'http.server.request.duration', 's', [0.1, 0.5, 1], 'http.response.status_code'));
  await store.writer.writeMetrics(httpHistogram('legacy', 'http.server.duration', 'ms', [100, 500, 1000], 'http.status_code'));
  const spans = Array.from({ length: 10 }, (_x, i) =>
    span({
      traceId: hex(16),
      name: 'GET /x',
      kind: 2,
      startTimeUnixNano: ns(T + i * 30_000),
      endTimeUnixNano: ns(T + i * 30_000 + (i + 1) * 100),
      attributes: [str('http.route', '/x')],
      status: { code: i < 2 ? 2 : 0, message: '' },
    }),
  );
  await store.writer.writeTraces(traces(resource('spanonly'), spans));
  const app = createQueryApi({ reader: store.reader, logger: silentLogger });
  const red = async (service: string): Promise<RedResult> => {
    const res = await app.request(`/api/v1/red?${new URLSearchParams({ service, start: String(T), end: String(T + 600_000), step: '60s' })}`);
    assert.equal(res.status, 200);
    return (await res.json()) as RedResult;
  };
  const near = (a: number | null, b: number, what: string) => assert.ok(a !== null && Math.abs(a - b) < 1e-9, `${what}: ${a} != ${b}`);

  for (const [service, source] of [['shop', 'http.server.request.duration'], ['legacy', 'http.server.duration']] as const) {
    const r = await red(service);
    assert.equal(r.source, source);
    assert.deepEqual(r.routes.map((x) => x.route), ['/a', '/b']);
    assert.equal(r.timestampsMs.length, 10);
    for (const route of r.routes) {
      near(route.series.rate[9]!, 5 / 15, `${service} rate`);
      near(route.series.errorRate[9]!, 0.2, `${service} error rate`);
      near(route.series.p50Seconds[9]!, 0.3, `${service} p50`); // halfway into (0.1, 0.5]
      near(route.series.p95Seconds[9]!, 0.48, `${service} p95`);
      near(route.p99Seconds, 0.496, `${service} whole-range p99`);
      near(route.errorRate, 0.2, `${service} whole-range error rate`);
    }
  }

  const s = await red('spanonly');
  assert.equal(s.source, 'spans');
  assert.equal(s.routes.length, 1);
  const x = s.routes[0]!;
  assert.equal(x.route, '/x');
  near(x.rate, 10 / 600, 'span rate');
  near(x.errorRate, 0.2, 'span error rate');
  assert.ok(x.p50Seconds! > 0.4 && x.p50Seconds! < 0.7, `p50 ${x.p50Seconds}`); // 0.1 s .. 1 s, t-digest
  assert.equal(x.series.rate.filter((v) => v !== null).length, 5);

  const bad = await app.request('/api/v1/red?start=1');
  assert.equal(bad.status, 400);
});
