import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createQueryApi } from '../../src/api/query-api.ts';
import { silentLogger } from '../../src/lib/log.ts';
import type { KeyValue, Metric, MetricsData } from '../../src/pdata/model.ts';
import { openStore } from '../../src/storage/index.ts';
import { tempDir } from '../helpers/tracehouse.ts';

// OTLP kind semantics through the Prometheus API, against hand-computed values
// (what the Prometheus oracle cannot check: start-time resets, delta
// temporality before the range, staleness markers, native histograms from
// exponential ones, summaries, target_info), and the API's error answers in
// Prometheus's words. A real chDB store in a temporary directory.

const str = (key: string, value: string): KeyValue => ({ key, value: { type: 'string', value } });
const T = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000; // ms, recent enough for retention
const ns = (ms: number) => BigInt(ms) * 1_000_000n;
const num = (ms: number, value: number, startMs = T - 1000, flags = 0) => ({
  attributes: [],
  startTimeUnixNano: ns(startMs),
  timeUnixNano: ns(ms),
  value: { type: 'double' as const, value },
  exemplars: [],
  flags,
});
const expPoint = (ms: number, counts: number[], sum: number, scale = 0) => ({
  attributes: [str('http.route', '/a')],
  startTimeUnixNano: ns(T - 1000),
  timeUnixNano: ns(ms),
  count: BigInt(counts.reduce((a, b) => a + b, 0)),
  sum,
  scale,
  zeroCount: 0n,
  positive: { offset: 0, bucketCounts: counts.map(BigInt) },
  negative: { offset: 0, bucketCounts: [] },
  flags: 0,
  exemplars: [],
  min: undefined,
  max: undefined,
  zeroThreshold: 0,
});

function data(): MetricsData {
  const metrics: Metric[] = [
    // Restarted between 15 s and 30 s: the value rose anyway (10, 20, then 25 under a new start time).
    { name: 'restarts', description: '', unit: '', metadata: [], data: { type: 'sum', aggregationTemporality: 2, isMonotonic: true, dataPoints: [num(T, 10), num(T + 15_000, 20), num(T + 30_000, 25, T + 29_000), num(T + 45_000, 30, T + 29_000), num(T + 60_000, 35, T + 29_000)] } },
    // Delta: 2 every minute for 21 minutes.
    { name: 'jobs', description: '', unit: '', metadata: [], data: { type: 'sum', aggregationTemporality: 1, isMonotonic: true, dataPoints: Array.from({ length: 21 }, (_x, k) => num(T + k * 60_000, 2, T + (k - 1) * 60_000)) } },
    // A gauge whose series ends with a staleness marker (FLAG_NO_RECORDED_VALUE) at 45 s.
    { name: 'temperature', description: '', unit: 'Cel', metadata: [], data: { type: 'gauge', dataPoints: [num(T, 20), num(T + 15_000, 21), num(T + 30_000, 22), num(T + 45_000, 0, T, 1)] } },
    { name: 'latency', description: 'Latency.', unit: 's', metadata: [], data: { type: 'exponentialHistogram', aggregationTemporality: 2, dataPoints: [expPoint(T, [2, 4, 2], 30), expPoint(T + 60_000, [4, 8, 4], 60)] } },
    {
      name: 'checkout.duration', description: '', unit: 's', metadata: [],
      data: {
        type: 'histogram', aggregationTemporality: 2,
        dataPoints: [{
          attributes: [], startTimeUnixNano: ns(T - 1000), timeUnixNano: ns(T), count: 3n, sum: 1.2, bucketCounts: [1n, 2n, 0n], explicitBounds: [0.1, 1],
          exemplars: [{ filteredAttributes: [], timeUnixNano: ns(T - 500), value: { type: 'double', value: 0.5 }, traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8) }],
          flags: 0, min: undefined, max: undefined,
        }],
      },
    },
    // Delta exponential histogram, one point a minute for 10 minutes, 2 observations of 1.5 each: scale 1
    // (buckets 0 and 1) for the first 5, then scale 0 (bucket 0, the same range (1, 2]).
    {
      name: 'queue.wait', description: '', unit: 's', metadata: [],
      data: {
        type: 'exponentialHistogram', aggregationTemporality: 1,
        dataPoints: Array.from({ length: 10 }, (_x, k) => ({
          ...expPoint(T + k * 60_000, k < 5 ? [1, 1] : [2], 3, k < 5 ? 1 : 0),
          attributes: [],
          startTimeUnixNano: ns(T + (k - 1) * 60_000),
        })),
      },
    },
    {
      name: 'rpc.latency', description: '', unit: 'ms', metadata: [],
      data: { type: 'summary', dataPoints: [{ attributes: [], startTimeUnixNano: ns(T - 1000), timeUnixNano: ns(T), count: 7n, sum: 12.5, quantileValues: [{ quantile: 0.5, value: 1.5 }, { quantile: 0.99, value: 3 }], flags: 0 }] },
    },
  ];
  return {
    resourceMetrics: [
      {
        resource: { attributes: [str('service.name', 'svc'), str('service.instance.id', 'i-9'), str('host.name', 'h1'), str('deployment.environment', 'prod')], droppedAttributesCount: 0 },
        scopeMetrics: [{ scope: { name: 'kinds', version: '1.0', attributes: [], droppedAttributesCount: 0 }, metrics, schemaUrl: '' }],
        schemaUrl: '',
      },
    ],
  };
}

test('OTLP kinds and the Prometheus API', { timeout: 60_000 }, async (t) => {
  const dir = await tempDir();
  t.after(() => dir.remove());
  const store = await openStore({ dataDir: dir.dir });
  t.after(() => store.close());
  await store.writer.writeMetrics(data());
  const app = createQueryApi({ reader: store.reader, logger: silentLogger });
  const get = async (path: string, params: Record<string, string>) => {
    const res = await app.request(`${path}?${new URLSearchParams(params)}`);
    return { status: res.status, body: (await res.json()) as { status: string; data: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string]; histogram?: unknown }> }; errorType?: string; error?: string } };
  };
  const instant = async (query: string, atMs: number, extra: Record<string, string> = {}) => {
    const { status, body } = await get('/api/v1/query', { query, time: String(atMs / 1000), ...extra });
    assert.equal(status, 200, JSON.stringify(body));
    return body.data.result;
  };
  const value = async (query: string, atMs: number) => {
    const r = await instant(query, atMs);
    assert.equal(r.length, 1, `${query}: ${JSON.stringify(r)}`);
    return Number(r[0]!.value[1]);
  };

  await t.test('a new start time is a counter reset even when the value rose', async () => {
    assert.equal(await value('increase(restarts_total[1m])', T + 60_000), 45); // 35 - 10 + 20 carried over the reset
    assert.equal(await value('resets(restarts_total[1m])', T + 60_000), 1);
    // The same in a range query, where rate/increase run in SQL (metric-window-sql.ts).
    const { body } = await get('/api/v1/query_range', { query: 'increase(restarts_total[1m])', start: String((T + 45_000) / 1000), end: String((T + 60_000) / 1000), step: '15' });
    const values = (body.data.result[0] as unknown as { values: Array<[number, string]> }).values;
    assert.deepEqual(values[values.length - 1], [(T + 60_000) / 1000, '45']);
  });

  await t.test('a delta counter reads as its running total, earlier deltas summed in SQL', async () => {
    assert.equal(await value('jobs_total', T + 20 * 60_000), 42);
    assert.equal(await value('increase(jobs_total[10m])', T + 20 * 60_000), 20);
  });

  await t.test('a delta exponential histogram reads as its running total, earlier points summed in SQL across scales', async () => {
    // At T+9m the selector reads from T+4m: the 4 points before are the base (8 observations), merged to scale 0.
    assert.equal(await value('histogram_count(queue_wait_seconds)', T + 9 * 60_000), 20);
    assert.equal(await value('histogram_sum(queue_wait_seconds)', T + 9 * 60_000), 30);
    assert.equal(await value('histogram_count(increase(queue_wait_seconds[5m]))', T + 9 * 60_000), 10);
    const [h] = await instant('queue_wait_seconds', T + 9 * 60_000);
    // Every observation in (1, 2], the one bucket at schema 0.
    assert.deepEqual((h!.histogram as [number, { count: string; buckets: unknown[] }])[1].buckets, [[0, '1', '2', '20']]);
  });

  await t.test('a point flagged no-recorded-value is a staleness marker', async () => {
    assert.equal(await value('temperature_celsius', T + 40_000), 22);
    assert.deepEqual(await instant('temperature_celsius', T + 60_000), []);
    assert.deepEqual(await instant('temperature_celsius', T + 40_000, { lookback_delta: '5s' }), []);
  });

  await t.test('exponential histograms are native histograms', async () => {
    // Buckets (1,2] 2, (2,4] 4, (4,8] 2: the median is halfway into (2,4].
    assert.equal(await value('histogram_quantile(0.5, latency_seconds)', T), 3);
    assert.equal(await value('histogram_count(latency_seconds)', T), 8);
    assert.equal(await value('histogram_sum(latency_seconds)', T), 30);
    // rate over [T-60s, T+60s]: +8 observations in 60 s, extrapolated to the 120 s range, per second.
    assert.ok(Math.abs((await value('histogram_count(rate(latency_seconds[2m]))', T + 60_000)) - 16 / 120) < 1e-12);
    assert.equal(await value('histogram_quantile(0.5, sum(rate(latency_seconds[2m])))', T + 60_000), 3);
    const [raw] = await instant('latency_seconds', T);
    assert.deepEqual(raw!.histogram, [T / 1000, { count: '8', sum: '30', buckets: [[0, '1', '2', '2'], [0, '2', '4', '4'], [0, '4', '8', '2']] }]);
  });

  await t.test('summaries: quantile series, _sum and _count', async () => {
    assert.equal(await value('rpc_latency_milliseconds{quantile="0.99"}', T), 3);
    assert.equal(await value('rpc_latency_milliseconds_count', T), 7);
    assert.equal(await value('rpc_latency_milliseconds_sum', T), 12.5);
  });

  await t.test('job, instance, otel_scope_* labels and target_info', async () => {
    const [s] = await instant('rpc_latency_milliseconds_count', T);
    assert.deepEqual(s!.metric, { __name__: 'rpc_latency_milliseconds_count', instance: 'i-9', job: 'svc', otel_scope_name: 'kinds', otel_scope_version: '1.0' });
    const [info] = await instant('target_info{deployment_environment="prod"}', T);
    assert.deepEqual(info!.metric, { __name__: 'target_info', deployment_environment: 'prod', host_name: 'h1', instance: 'i-9', job: 'svc' });
  });

  await t.test('exemplars: trace and span ids on the bucket the value falls in', async () => {
    const res = await app.request(`/api/v1/query_exemplars?${new URLSearchParams({ query: 'rate(checkout_duration_seconds_bucket[5m])', start: String((T - 60_000) / 1000), end: String((T + 60_000) / 1000) })}`);
    assert.deepEqual(await res.json(), {
      status: 'success',
      data: [
        {
          seriesLabels: { __name__: 'checkout_duration_seconds_bucket', instance: 'i-9', job: 'svc', le: '1', otel_scope_name: 'kinds', otel_scope_version: '1.0' },
          exemplars: [{ labels: { trace_id: 'ab'.repeat(16), span_id: 'cd'.repeat(8) }, value: '0.5', timestamp: (T - 500) / 1000 }],
        },
      ],
    });
  });

  await t.test('a regex that backtracks badly runs in linear time (RE2)', async () => {
    assert.deepEqual(await instant(`latency_seconds{http_route=~"(a+)+$", job="${'a'.repeat(5000)}!"}`, T), []);
  });

  await t.test("errors in Prometheus's shape and words", async () => {
    const err = async (path: string, params: Record<string, string>, status: number, text: string | RegExp) => {
      const r = await get(path, params);
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.equal(r.body.status, 'error');
      assert.equal(r.body.errorType, status === 400 ? 'bad_data' : 'execution');
      if (typeof text === 'string') assert.equal(r.body.error, text);
      else assert.match(r.body.error!, text);
    };
    await err('/api/v1/query', { query: '1+1', time: 'abc' }, 400, 'invalid parameter "time": cannot parse "abc" to a valid timestamp');
    await err('/api/v1/query', { query: '1 +' }, 400, /^invalid parameter "query": 1:4: parse error/);
    await err('/api/v1/query', { query: 'predict_linear(temperature_celsius[5m], 60)' }, 400, /unsupported in Tracehouse's PromQL: function "predict_linear"/);
    await err('/api/v1/query', { query: '{job=""}' }, 400, 'vector selector must contain at least one non-empty matcher');
    await err('/api/v1/query', { query: 'x{a=~"("}' }, 400, /invalid regular expression/);
    await err('/api/v1/query_range', { query: '1', start: '10', end: '5', step: '1' }, 400, 'invalid parameter "end": end timestamp must not be before start time');
    await err('/api/v1/query_range', { query: '1', start: '0', end: '5', step: '0' }, 400, 'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer');
    await err('/api/v1/query_range', { query: '1', start: '0', end: '5', step: 'x' }, 400, 'invalid parameter "step": cannot parse "x" to a valid duration');
    await err('/api/v1/query_range', { query: '1', start: '0', end: '100000', step: '1' }, 400, /exceeded maximum resolution of 11,000 points/);
    await err('/api/v1/series', {}, 400, 'no match[] parameter provided');
    await err('/api/v1/query', { query: '1', timeout: 'soon' }, 400, 'invalid parameter "timeout": cannot parse "soon" to a valid duration');
    await err('/api/v1/query', { query: 'rate(temperature_celsius)' }, 400, /expected type range vector in call to function "rate"/);
  });

  await t.test("Grafana's health check and POST", async () => {
    const res = await app.request('/api/v1/query', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=1%2B1&time=1700000000' });
    assert.deepEqual(await res.json(), { status: 'success', data: { resultType: 'scalar', result: [1700000000, '2'] } });
    const build = (await (await app.request('/api/v1/status/buildinfo')).json()) as { data: { version: string } };
    assert.match(build.data.version, /^2\./);
    const meta = (await (await app.request('/api/v1/metadata?metric=latency_seconds')).json()) as { data: Record<string, unknown> };
    assert.deepEqual(meta.data, { latency_seconds: [{ type: 'histogram', help: 'Latency.', unit: 'seconds' }] });
  });
});
