import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createQueryApi } from '../../src/api/query-api.ts';
import { silentLogger } from '../../src/lib/log.ts';
import type { KeyValue, MetricsData, NumberDataPoint } from '../../src/pdata/model.ts';
import { sanitizeLabelName } from '../../src/query/metrics/prometheus-naming.ts';
import { openStore } from '../../src/storage/index.ts';
import { tempDir } from '../helpers/tracehouse.ts';

// The query API's `limit` (current Prometheus: at most that many series, with the
// warning "results truncated due to limit"), `sum by` of a range rate grouped in
// SQL by attribute keys whose sanitised names are the labels (the same rules as
// sanitizeLabelName), and the same-labelset refusal. A real chDB store.

const str = (key: string, value: string): KeyValue => ({ key, value: { type: 'string', value } });
const T = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
const ns = (ms: number) => BigInt(ms) * 1_000_000n;
// Keys whose label names take every sanitising rule: a dot, a leading digit, one
// leading underscore, a non-ASCII letter, a character past U+FFFF.
const ODD_KEYS = ['http.route', '1st.key', '_private', 'größe', 'emoji😀key'];

function counter(name: string, attributes: KeyValue[], perMinute: number): MetricsData['resourceMetrics'][number]['scopeMetrics'][number]['metrics'][number] {
  const dataPoints: NumberDataPoint[] = Array.from({ length: 31 }, (_x, k) => ({
    attributes, startTimeUnixNano: ns(T - 1000), timeUnixNano: ns(T + k * 15_000), value: { type: 'double', value: (k * perMinute) / 4 }, exemplars: [], flags: 0,
  }));
  return { name, description: '', unit: '', metadata: [], data: { type: 'sum', aggregationTemporality: 2, isMonotonic: true, dataPoints } };
}

function data(): MetricsData {
  const metrics = [
    ...['a', 'b', 'c'].map((v, i) => counter('requests', [str('route', v)], 60 * (i + 1))),
    counter('retries', [str('route', 'a')], 60),
    ...ODD_KEYS.map((key, i) => counter('odd', [str(key, `v${i}`)], 60)),
  ];
  return {
    resourceMetrics: [{
      resource: { attributes: [str('service.name', 'shop')], droppedAttributesCount: 0 },
      scopeMetrics: [{ scope: { name: 's', version: '', attributes: [], droppedAttributesCount: 0 }, metrics, schemaUrl: '' }],
      schemaUrl: '',
    }],
  };
}

test('limit, sum by odd attribute keys in SQL, same-labelset refusals', async (t) => {
  const dir = await tempDir();
  const store = await openStore({ dataDir: dir.dir });
  t.after(async () => {
    await store.close();
    await dir.remove();
  });
  await store.writer.writeMetrics(data());
  const app = createQueryApi({ reader: store.reader, logger: silentLogger });
  const ask = async (path: string, params: Record<string, string>) => {
    const res = await app.request(`${path}?${new URLSearchParams(params)}`);
    return { status: res.status, body: (await res.json()) as { status: string; data: { resultType: string; result: unknown }; warnings?: string[]; errorType?: string; error?: string } };
  };
  const time = String((T + 7 * 60_000) / 1000);
  const range = { start: String((T + 5 * 60_000) / 1000), end: String((T + 7 * 60_000) / 1000), step: '60' };

  await t.test('limit truncates vectors and matrices, not scalars', async () => {
    const all = await ask('/api/v1/query', { query: 'requests_total', time });
    assert.equal((all.body.data.result as unknown[]).length, 3);
    assert.equal(all.body.warnings, undefined);
    const two = await ask('/api/v1/query', { query: 'requests_total', time, limit: '2' });
    assert.equal((two.body.data.result as unknown[]).length, 2);
    assert.deepEqual(two.body.warnings, ['results truncated due to limit']);
    const matrix = await ask('/api/v1/query_range', { query: 'rate(requests_total[5m])', ...range, limit: '1' });
    assert.equal((matrix.body.data.result as unknown[]).length, 1);
    assert.deepEqual(matrix.body.warnings, ['results truncated due to limit']);
    const enough = await ask('/api/v1/query_range', { query: 'rate(requests_total[5m])', ...range, limit: '3' });
    assert.equal((enough.body.data.result as unknown[]).length, 3);
    assert.equal(enough.body.warnings, undefined);
    assert.equal((await ask('/api/v1/query', { query: 'requests_total', time, limit: '0' })).body.warnings, undefined);
    const scalar = await ask('/api/v1/query', { query: 'scalar(sum(requests_total))', time, limit: '1' });
    assert.equal(scalar.body.data.resultType, 'scalar');
    assert.equal(scalar.body.warnings, undefined);
    const bad = await ask('/api/v1/query', { query: 'requests_total', time, limit: '-1' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errorType, 'bad_data');
    assert.match(bad.body.error ?? '', /^invalid parameter "limit"/);
  });

  await t.test('sum by (label) of a range rate groups by the keys the label stands for', async () => {
    for (const key of ODD_KEYS) {
      const label = sanitizeLabelName(key);
      const res = await ask('/api/v1/query_range', { query: `sum by (${label}) (rate(odd_total[5m]))`, ...range });
      assert.equal(res.body.status, 'success', `${key}: ${res.body.error ?? ''}`);
      const result = res.body.data.result as Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;
      const value = `v${ODD_KEYS.indexOf(key)}`;
      assert.deepEqual(result.map((s) => s.metric).sort((a, b) => (a[label] ?? '').localeCompare(b[label] ?? '')), [{}, { [label]: value }], `${key} -> ${label}`);
      const grouped = result.find((s) => s.metric[label] === value)!;
      assert.deepEqual(grouped.values.map(([, v]) => Number(v)), [1, 1, 1], `${key}: 60 a minute is 1/s`);
      const rest = result.find((s) => s.metric[label] === undefined)!;
      assert.deepEqual(rest.values.map(([, v]) => Number(v)), [4, 4, 4], `${key}: the other four series`);
    }
  });

  await t.test('two series left with the same labels are refused as Prometheus refuses them', async () => {
    for (const query of ['label_replace(requests_total, "route", "x", "route", ".*")', 'rate({__name__=~"requests_total|retries_total", route="a"}[5m])']) {
      for (const [path, params] of [['/api/v1/query', { query, time }], ['/api/v1/query_range', { query, ...range }]] as const) {
        const res = await ask(path, params);
        assert.equal(res.status, 422, `${path} ${query}`);
        assert.deepEqual({ errorType: res.body.errorType, error: res.body.error }, { errorType: 'execution', error: 'vector cannot contain metrics with the same labelset' });
      }
    }
  });
});
