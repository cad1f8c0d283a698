import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonText } from '../../src/lib/json-text.ts';
import { metricsToOtlpJson } from '../../src/pdata/index.ts';
import { startInProcess } from '../helpers/tracehouse.ts';
import { CORPUS } from './corpus.ts';
import type { CorpusQuery } from './corpus.ts';
import { buildOracleData } from './dataset.ts';
import { startOraclePrometheus } from './prometheus-oracle.ts';

// The correctness oracle (issue 10, part 3): the same series go into Tracehouse
// as hand-built OTLP/JSON with exact timestamps (through the OTLP/HTTP
// receiver) and into a Prometheus 2.42 TSDB block; every corpus query must give
// the same series and values on both, as an instant and as a range query.
// Not comparable this way, and tested against hand-computed values instead
// (src/query/promql/*.test.ts): native histograms from exponential ones (2.42's
// OpenMetrics import has none) and staleness markers (a block has none; the
// corpus has a gap longer than the lookback instead).

const RELATIVE = 1e-9;

type Result = { resultType: string; result: unknown };

function close(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) && Number.isNaN(y)) return true;
  return Math.abs(x - y) <= RELATIVE * Math.max(Math.abs(x), Math.abs(y)) || Math.abs(x - y) < 1e-12;
}

/** Series as `labels -> [[t, v]...]`; `order` keeps the result order for sort(). */
function normalize(r: Result): { order: string[]; series: Map<string, Array<[number, string]>> } {
  const series = new Map<string, Array<[number, string]>>();
  const order: string[] = [];
  const add = (metric: Record<string, string>, samples: Array<[number, string]>) => {
    const key = JSON.stringify(Object.entries(metric).sort());
    order.push(key);
    series.set(key, samples);
  };
  if (r.resultType === 'scalar' || r.resultType === 'string') add({}, [r.result as [number, string]]);
  else {
    for (const s of r.result as Array<{ metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }>) {
      add(s.metric, s.values ?? [s.value!]);
    }
  }
  return { order, series };
}

function compare(label: string, ours: Result, theirs: Result, ordered: boolean): void {
  assert.equal(ours.resultType, theirs.resultType, `${label}: result type`);
  const a = normalize(ours);
  const b = normalize(theirs);
  assert.deepEqual([...a.series.keys()].sort(), [...b.series.keys()].sort(), `${label}: series (label sets)`);
  if (ordered) assert.deepEqual(a.order, b.order, `${label}: order`);
  for (const [key, samples] of b.series) {
    const mine = a.series.get(key)!;
    assert.deepEqual(
      mine.map(([t]) => t),
      samples.map(([t]) => t),
      `${label}: timestamps of ${key}`,
    );
    samples.forEach(([t, v], i) => assert.ok(close(mine[i]![1], v), `${label}: ${key} at ${t}: ours ${mine[i]![1]}, Prometheus ${v}`));
  }
}

test('PromQL answers as Prometheus 2.42 does on the same data', { timeout: 170_000 }, async (t) => {
  // Recent enough for the default retention, minute-aligned so the steps fall on known offsets.
  const t0Ms = Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000;
  const data = buildOracleData(t0Ms);
  const th = await startInProcess();
  t.after(() => th.stop());
  const prom = await startOraclePrometheus(data.openMetrics);
  t.after(() => prom.stop());

  const ingest = await fetch(`${th.otlpUrl}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: jsonText(metricsToOtlpJson(data.otlp)),
  });
  assert.equal(ingest.status, 200, await ingest.text());

  const seconds = (ms: number) => String(ms / 1000);
  const expand = (query: string) => query.replace(/\{\{T\+(\d+)\}\}/g, (_m, n: string) => seconds(t0Ms + Number(n) * 1000));
  const ask = async (base: string, path: string, params: Record<string, string>): Promise<Result> => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params) });
    const body = (await res.json()) as { status: string; data: Result; error?: string };
    assert.equal(body.status, 'success', `${base}${path} ${params.query}: ${body.error ?? ''}`);
    return body.data;
  };

  const refusal = async (base: string, path: string, params: Record<string, string>) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params) });
    const body = (await res.json()) as { status: string; errorType?: string; error?: string };
    return { httpStatus: res.status, status: body.status, errorType: body.errorType, error: body.error };
  };

  assert.ok(CORPUS.length >= 80, 'at least 80 queries');
  let compared = 0;
  const run = async (c: CorpusQuery) => {
    const query = expand(c.query);
    const instant = { query, time: seconds(t0Ms + 45 * 60_000) };
    if (c.error === true) {
      const range = { query, start: seconds(t0Ms + 10 * 60_000), end: seconds(t0Ms + 59 * 60_000), step: '60' };
      for (const [path, params] of [['/api/v1/query', instant], ['/api/v1/query_range', range]] as const) {
        const theirs = await refusal(prom.url, path, params);
        assert.equal(theirs.status, 'error', `Prometheus answers ${path} ${query}`);
        assert.deepEqual(await refusal(th.apiUrl, path, params), theirs, `${path} ${query}: the refusal`);
        compared++;
      }
      return;
    }
    compare(`instant ${query}`, await ask(th.apiUrl, '/api/v1/query', instant), await ask(prom.url, '/api/v1/query', instant), c.ordered === true);
    compared++;
    if (c.instantOnly === true) return;
    const range = { query, start: seconds(t0Ms + 10 * 60_000), end: seconds(t0Ms + 59 * 60_000), step: c.oddStep === true ? '37' : '60' };
    compare(`range ${query}`, await ask(th.apiUrl, '/api/v1/query_range', range), await ask(prom.url, '/api/v1/query_range', range), false);
    compared++;
  };
  const failures: string[] = [];
  for (const c of CORPUS) {
    try {
      await run(c);
    } catch (error) {
      failures.push((error as Error).message.split('\n')[0]!);
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${CORPUS.length} queries differ from Prometheus`);
  assert.ok(compared >= 2 * CORPUS.length - 5);
});
