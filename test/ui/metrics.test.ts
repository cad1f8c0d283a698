import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { screenshot, startUi, until } from './browser.ts';
import type { UiHarness } from './browser.ts';

// The metrics page against Tracehouse loaded by the OpenTelemetry JS SDK's
// metrics exporter: the p95-per-route preset, the PromQL editor's completion
// (asked of our own Prometheus API), and an exemplar leading to its trace.

let ui: UiHarness;
let exemplarTraceId: string;

const routes = ['/payments', '/refunds', '/health'];

before(async () => {
  ui = await startUi();
  const meterProvider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'payment-api', 'service.instance.id': 'pod-1' }),
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: `${ui.th.otlpUrl}/v1/metrics` }),
        exportIntervalMillis: 3_600_000,
      }),
    ],
  });
  try {
    const meter = meterProvider.getMeter('http-server');
    // Semantic conventions' stable HTTP server metric, in seconds.
    const duration = meter.createHistogram('http.server.request.duration', {
      unit: 's',
      description: 'Duration of HTTP server requests.',
      // The semantic conventions' advised buckets (the SDK's default ones are for milliseconds).
      advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] },
    });
    const processed = meter.createCounter('payments.processed', { unit: '1', description: 'Total number of payments processed' });
    const record = (round: number) => {
      for (const [i, route] of routes.entries()) {
        for (let n = 0; n < 20 + round * 10; n++) {
          duration.record(0.005 * (i + 1) * (1 + (n % 10)), { 'http.route': route, 'http.request.method': 'POST', 'http.response.status_code': n % 7 === 0 ? 500 : 200 });
        }
      }
      processed.add(5 + round, { 'payment.currency': 'EUR' });
    };
    // Two exports of cumulative points a little apart: rate() needs two in its window.
    record(0);
    await meterProvider.forceFlush();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    record(1);
    await meterProvider.forceFlush();
  } finally {
    await meterProvider.shutdown();
  }

  // A real trace for the exemplar to point at.
  const tracerProvider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${ui.th.otlpUrl}/v1/traces` }) })],
  });
  try {
    const span = tracerProvider.getTracer('checkout').startSpan('POST /checkout', { kind: SpanKind.SERVER, attributes: { 'http.route': '/checkout' } });
    span.end();
    exemplarTraceId = span.spanContext().traceId;
    await tracerProvider.forceFlush();
  } finally {
    await tracerProvider.shutdown();
  }
  // The JS SDK (3.1) attaches no exemplars, so this histogram is hand-built
  // OTLP/JSON: two cumulative points, the later one with an exemplar carrying
  // the trace's id (OTLP metrics.proto Exemplar).
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const startNs = nowNs - 660_000_000_000n;
  const point = (atNs: bigint, counts: number[], exemplars: object[]) => ({
    startTimeUnixNano: String(startNs),
    timeUnixNano: String(atNs),
    count: String(counts.reduce((a, b) => a + b, 0)),
    sum: 1,
    bucketCounts: counts.map(String),
    explicitBounds: [0.1, 0.25, 0.5, 1],
    attributes: [{ key: 'http.route', value: { stringValue: '/checkout' } }],
    exemplars,
  });
  const body = {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
        scopeMetrics: [
          {
            scope: { name: 'http-server' },
            metrics: [
              {
                name: 'http.server.request.duration',
                unit: 's',
                description: 'Duration of HTTP server requests.',
                histogram: {
                  aggregationTemporality: 2,
                  // Every 30 s over the last 10 minutes, slower in the middle; the exemplar on the last.
                  dataPoints: Array.from({ length: 20 }, (_, i) => {
                    // Cumulative counts never fall (a fall is a reset); 3 extra slow ones per point from 8 to 12.
                    const slow = 3 * Math.max(0, Math.min(i, 12) - 7);
                    const cumulative = [2 * i, 6 * i, 2 * i + slow, 0, 0];
                    const exemplar = { timeUnixNano: String(nowNs - 40_000_000_000n), asDouble: 0.3, traceId: exemplarTraceId, spanId: '0102030405060708' };
                    return point(nowNs - BigInt(19 - i) * 30_000_000_000n, cumulative, i === 19 ? [exemplar] : []);
                  }),
                },
              },
            ],
          },
        ],
      },
    ],
  };
  const response = await fetch(`${ui.th.otlpUrl}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 200, await response.text());
});

after(async () => {
  await ui?.close();
});

test('the p95 preset charts one series per route, and an exemplar opens its trace', async () => {
  const { page } = ui;
  await page.goto('/?range=15m');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Metrics' }).click();
  await page.waitForURL(/\/explore\/metrics/);
  await page.getByRole('button', { name: 'HTTP server latency per route (p95)' }).click();
  await page.waitForURL(/q=histogram_quantile/);
  const chart = page.locator('figure.metric-chart').first();
  await until(async () => (await chart.getAttribute('data-series-count')) === '4', 'four routes charted');
  const names = JSON.parse((await chart.getAttribute('data-series'))!) as string[];
  assert.deepEqual(names.map((n) => /http_route="([^"]+)"/.exec(n)?.[1]).sort(), ['/checkout', '/health', '/payments', '/refunds']);
  const legend = page.getByRole('list', { name: /^Legend of histogram_quantile/ });
  assert.equal(await legend.getByRole('listitem').count(), 4);
  await until(async () => (await chart.getAttribute('data-exemplar-count')) === '1', 'the exemplar loaded');
  await screenshot(page, 'metrics');
  await page.getByRole('link', { name: `Exemplar: open trace ${exemplarTraceId}` }).click();
  await page.waitForURL(new RegExp(`/trace/${exemplarTraceId}`));
  await page.getByRole('tree', { name: 'Trace waterfall' }).getByRole('treeitem', { name: /POST \/checkout/ }).waitFor();
  assert.deepEqual(ui.problems, []);
});

test('the editor completes metric names from our API; a PromQL error shows Prometheus\'s text', async () => {
  const { page } = ui;
  await page.goto('/explore/metrics?range=15m');
  // The other presets: request rate for all four routes; 5xx share for the three that send a status code.
  await page.getByRole('button', { name: 'HTTP request rate per route' }).click();
  const chart = page.locator('figure.metric-chart').first();
  await until(async () => (await chart.getAttribute('data-series-count')) === '4', 'request rate of four routes');
  await page.getByRole('button', { name: 'HTTP error rate per route (5xx share)' }).click();
  await page.waitForURL(/q=.*5\.\./);
  await until(async () => (await chart.getAttribute('data-series-count')) === '3', 'error rate of three routes');

  await page.goto('/explore/metrics');
  const editor = page.getByRole('textbox', { name: 'PromQL query' });
  await editor.click();
  await page.keyboard.type('payments_pro');
  const options = page.locator('.cm-tooltip-autocomplete li');
  await until(async () => (await options.allTextContents()).some((t) => t.includes('payments_processed_total')), 'payments_processed_total offered');
  // Taking the offered name completes it in the editor.
  await options.filter({ hasText: 'payments_processed_total' }).first().click();
  await until(async () => (await editor.textContent()) === 'payments_processed_total', 'the name completed');
  await page.keyboard.type('[5m]');
  await until(async () => (await editor.textContent()) === 'payments_processed_total[5m]', 'the selector typed');
  await page.getByRole('button', { name: 'Run query' }).click();
  await page.waitForURL(/q=payments_processed_total%5B5m%5D/);
  // A range vector cannot be charted: the API's own error text is shown.
  await page.getByRole('alert').filter({ hasText: /range vector/i }).waitFor();
  // The browser reports the deliberate 400 in its console; nothing else may go wrong.
  const expected = ui.problems.filter((p) => /status of 400 .*\/api\/v1\/query_range\?query=payments_processed_total%5B5m%5D/.test(p));
  assert.equal(expected.length, ui.problems.length, ui.problems.join('\n'));
  ui.problems.length = 0;

  // Shift+Enter adds a line instead of running.
  await page.goto('/explore/metrics');
  await editor.click();
  await page.keyboard.type('sum(');
  await page.keyboard.press('Shift+Enter');
  await until(async () => (await editor.locator('.cm-line').count()) === 2, 'a second line');
  assert.doesNotMatch(page.url(), /q=/);

  // The browser: a counter's labels and values, and its rate chart.
  await page.getByRole('list', { name: 'Metrics' }).getByRole('button', { name: /payments_processed_total/ }).click();
  await page.waitForURL(/metric=payments_processed_total/);
  const details = page.getByRole('region', { name: 'Metric payments_processed_total' });
  await details.getByRole('button', { name: 'payment_currency' }).click();
  await details.getByRole('list', { name: 'Values of payment_currency' }).getByText('EUR').waitFor();
  const rate = page.locator('figure.metric-chart').first();
  await until(async () => (await rate.getAttribute('data-series-count')) === '1', 'the counter charted as a rate');

  // A histogram: quantile lines and the bucket heatmap.
  await page.getByRole('list', { name: 'Metrics' }).getByRole('button', { name: /^http_server_request_duration_seconds / }).click();
  await page.locator('figure[data-bucket-count]').waitFor();
  const quantiles = page.locator('figure.metric-chart[data-series-count]').first();
  await until(async () => (await quantiles.getAttribute('data-series-count')) === '3', 'p50, p95, p99');
  assert.deepEqual(ui.problems, []);
});
