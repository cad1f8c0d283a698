import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { jsonText } from '../../src/lib/json-text.ts';
import { metricsToOtlpJson } from '../../src/pdata/index.ts';
import { startInProcess } from '../helpers/tracehouse.ts';
import { buildOracleData } from './dataset.ts';

// promtool (Prometheus's own client, Debian's 2.42) as the client of
// Tracehouse's Prometheus API: it POSTs form-encoded queries and parses our
// JSON with the Prometheus Go client, so a shape it cannot read fails here.

const run = promisify(execFile);

async function promtool(...args: string[]): Promise<unknown> {
  const { stdout } = await run('promtool', ['query', '-o', 'json', ...args], { timeout: 30_000 });
  return JSON.parse(stdout);
}

test('promtool query instant, range, series and labels against Tracehouse', { timeout: 120_000 }, async (t) => {
  const t0Ms = Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000;
  const data = buildOracleData(t0Ms);
  const th = await startInProcess();
  t.after(() => th.stop());
  const ingest = await fetch(`${th.otlpUrl}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: jsonText(metricsToOtlpJson(data.otlp)),
  });
  assert.equal(ingest.status, 200);
  const at = String((t0Ms + 45 * 60_000) / 1000);

  await t.test('query instant', async () => {
    const out = (await promtool('instant', `--time=${at}`, th.apiUrl, 'sum by (http_route) (http_server_requests_total)')) as Array<{ metric: Record<string, string>; value: [number, string] }>;
    assert.deepEqual(out.map((s) => s.metric.http_route).sort(), ['/cart', '/checkout', '/pay']);
    const health = (await promtool('instant', th.apiUrl, '1+1')) as { value?: [number, string] } | [number, string];
    assert.equal(JSON.stringify(health).includes('"2"'), true, JSON.stringify(health));
  });

  await t.test('query range', async () => {
    const out = (await promtool(
      'range',
      `--start=${(t0Ms + 10 * 60_000) / 1000}`,
      `--end=${(t0Ms + 20 * 60_000) / 1000}`,
      '--step=1m',
      th.apiUrl,
      'sum(rate(payments_processed_total[5m]))',
    )) as Array<{ values: Array<[number, string]> }>;
    assert.equal(out.length, 1);
    assert.equal(out[0]!.values.length, 11);
    for (const [, v] of out[0]!.values) assert.ok(Number(v) > 0);
  });

  await t.test('query series', async () => {
    const out = (await promtool('series', '--match=http_server_request_duration_seconds_count', `--start=${t0Ms / 1000}`, `--end=${data.endMs / 1000}`, th.apiUrl)) as Array<Record<string, string>>;
    assert.deepEqual(
      out.map((s) => s.http_route).sort(),
      ['/cart', '/checkout', '/pay'],
    );
    assert.deepEqual(out[0], {
      __name__: 'http_server_request_duration_seconds_count',
      http_route: out[0]!.http_route!,
      instance: 'i-1',
      job: 'checkout',
      otel_scope_name: 'oracle',
    });
  });

  await t.test('query labels', async () => {
    const routes = await promtool('labels', `--start=${t0Ms / 1000}`, `--end=${data.endMs / 1000}`, th.apiUrl, 'http_route');
    assert.deepEqual(routes, ['/cart', '/checkout', '/pay']);
    const names = (await promtool('labels', `--start=${t0Ms / 1000}`, `--end=${data.endMs / 1000}`, th.apiUrl, '__name__')) as string[];
    for (const n of ['http_server_requests_total', 'http_server_request_duration_seconds_bucket', 'payments_processed_total', 'process_memory_usage_bytes', 'http_server_active_requests']) {
      assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    }
  });

  // Without --start/--end Prometheus's API means "all time" (year 1 to 9999): the
  // range must be clamped to what can be stored, not overflow the SQL parameters.
  await t.test('series and labels without a time range', async () => {
    const series = (await promtool('series', '--match=http_server_request_duration_seconds_count', th.apiUrl)) as Array<Record<string, string>>;
    assert.deepEqual(series.map((s) => s.http_route).sort(), ['/cart', '/checkout', '/pay']);
    assert.deepEqual(await promtool('labels', th.apiUrl, 'http_route'), ['/cart', '/checkout', '/pay']);
    const all = (await (await fetch(`${th.apiUrl}/api/v1/labels`)).json()) as { status: string; data: string[] };
    assert.equal(all.status, 'success');
    assert.ok(all.data.includes('http_route'));
    const exemplars = await fetch(`${th.apiUrl}/api/v1/query_exemplars?query=http_server_request_duration_seconds_bucket`);
    assert.equal(exemplars.status, 200);
  });
});
