import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createSdkTelemetry } from '../helpers/sdk-telemetry.ts';
import type { SentTrace } from '../helpers/sdk-telemetry.ts';
import { screenshot, startUi, until } from './browser.ts';
import type { UiHarness } from './browser.ts';

// The "done when": from the services page to the slowest EUR payment,
// which child span took the time and why it failed, and that request's logs,
// in a real browser against Tracehouse loaded by the OpenTelemetry JS SDK.

let ui: UiHarness;
let slowEur: SentTrace;
/** A settlement job's span linking to the slow EUR charge (OTel span links). */
let settle: { traceId: string; spanId: string };

before(async () => {
  ui = await startUi();
  const sdk = createSdkTelemetry(ui.th.otlpUrl, 'protobuf');
  try {
    slowEur = sdk.payment({ currency: 'EUR', amount: 120, declined: true, chargeMs: 400 });
    sdk.payment({ currency: 'EUR', amount: 35, chargeMs: 120 });
    sdk.payment({ currency: 'EUR', amount: 9.5, chargeMs: 30 });
    sdk.payment({ currency: 'USD', amount: 80, chargeMs: 600 });
    sdk.payment({ currency: 'USD', amount: 15, declined: true, chargeMs: 50 });
    sdk.health();
    await sdk.flush();
  } finally {
    await sdk.shutdown();
  }
  const worker = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'settlement-worker' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${ui.th.otlpUrl}/v1/traces` }) })],
  });
  try {
    const span = worker.getTracer('settlement').startSpan('settle batch', {
      kind: SpanKind.CONSUMER,
      links: [{ context: { traceId: slowEur.traceId, spanId: slowEur.chargeSpanId, traceFlags: 1 }, attributes: { 'link.reason': 'settles' } }],
    });
    span.end();
    settle = { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
    await worker.forceFlush();
  } finally {
    await worker.shutdown();
  }
});

after(async () => {
  await ui?.close();
});

test('the services page shows payment-api and its POST /payments operation with latencies', async () => {
  const { page } = ui;
  await page.goto('/');
  const services = page.getByRole('table', { name: 'Services' });
  await services.getByRole('link', { name: 'payment-api', exact: true }).waitFor();
  const row = page.getByRole('table', { name: 'Operations of payment-api' }).getByRole('row', { name: /POST \/payments/ });
  await row.waitFor();
  const cells = await row.getByRole('cell').allTextContents();
  // requests, rate, error rate, p50, p95, p99: five requests, two of them declined (402).
  assert.equal(cells[0], '5');
  assert.match(cells[2] ?? '', /^40(\.0)?%/);
  for (const latency of cells.slice(3, 6)) assert.match(latency, /^\d+(\.\d+)? ms$/);
  await screenshot(page, 'services');
  // Click through: the service's own page, then a route's traces.
  await services.getByRole('link', { name: 'payment-api', exact: true }).click();
  await page.waitForURL(/\/services\/payment-api/);
  await page.getByRole('link', { name: 'Traces of POST /payments', exact: true }).click();
  await page.waitForURL(/\/traces\?.*spanName=POST/);
  await page.getByRole('table', { name: 'Traces found' }).getByRole('row').nth(5).waitFor();
  assert.deepEqual(ui.problems, []);
});

test('search payment.currency = EUR with a minimum duration, open the slowest, find the failed charge and its logs', async () => {
  const { page } = ui;
  await page.goto('/traces');
  const form = page.getByRole('form', { name: 'Trace search' });
  await form.getByLabel('Service').selectOption('payment-api');
  await form.getByRole('button', { name: 'Add attribute condition' }).click();
  await form.getByLabel('Attribute key 1').fill('payment.cur');
  // Keys seen in the stored spans are offered as the key is typed, then the values seen for the key.
  const suggestions = (label: string) =>
    form.getByLabel(label).evaluate((input) => [...((input as unknown as { list: { options: { value: string }[] } | null }).list?.options ?? [])].map((o) => o.value));
  await until(async () => (await suggestions('Attribute key 1')).includes('payment.currency'), 'payment.currency suggested');
  await form.getByLabel('Attribute key 1').fill('payment.currency');
  await until(async () => (await suggestions('Attribute value 1')).join() === 'EUR,USD', 'EUR and USD suggested, most frequent first');
  await form.getByLabel('Operator 1').selectOption('=');
  await form.getByLabel('Attribute value 1').fill('EUR');
  // payment.currency is on payment.validate (2 ms in the seed): the span that
  // meets the condition must also be at least this long.
  await form.getByLabel('Min duration').fill('1ms');
  await form.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/attr=payment.currency%3DEUR/);

  const results = page.getByRole('table', { name: 'Traces found' });
  // Until the new answer arrives the previous results stay on screen.
  await until(async () => (await results.getByRole('row').count()) === 4, 'three EUR traces and the header');
  await results.getByRole('button', { name: /^Duration/ }).click();
  await page.waitForURL(/sort=-duration/);
  await screenshot(page, 'trace-search');
  // The slowest is the top point of the scatter: click it (x = its start on the
  // chart's time axis, y = its duration on an axis from 0 to 1.1 x the slowest).
  const chart = page.getByRole('img', { name: /Duration over time of 3 traces/ });
  const [xMin, xMax] = [Number(await chart.getAttribute('data-x-min')), Number(await chart.getAttribute('data-x-max'))];
  const startMs = Date.parse((await results.getByRole('row').nth(1).locator('time').getAttribute('datetime'))!);
  const plot = (await chart.locator('.u-over').boundingBox())!;
  await page.mouse.click(plot.x + ((startMs - xMin) / (xMax - xMin)) * plot.width, plot.y + plot.height * (1 - 1 / 1.1));
  await page.waitForURL(new RegExp(`/trace/${slowEur.traceId}`));
  await page.goBack();
  // And the same trace from the table, the sorted top row.
  await results.getByRole('row').nth(1).getByRole('link').first().click();
  await page.waitForURL(new RegExp(`/trace/${slowEur.traceId}`));

  const waterfall = page.getByRole('tree', { name: 'Trace waterfall' });
  const charge = waterfall.getByRole('treeitem', { name: /payment\.charge .* error exception/ });
  await charge.waitFor();
  // The declined charge's log is inline under its span.
  await waterfall.getByRole('treeitem', { name: `log ERROR: payment declined: EUR 120` }).waitFor();
  await charge.click();
  const details = page.getByRole('complementary', { name: 'Span details' });
  const exception = details.getByRole('region', { name: 'Exception PaymentDeclinedError' });
  await exception.waitFor();
  assert.match(await exception.locator('pre').innerText(), /PaymentDeclinedError: card declined for EUR\n\s+at /);
  await details.getByRole('list', { name: 'Logs of this span' }).getByText('payment declined: EUR 120').waitFor();
  assert.match(page.url(), new RegExp(`span=${slowEur.chargeSpanId}`));
  await screenshot(page, 'trace');
  // Themes: the system's (light here) by default; the toggle goes light, then dark.
  const theme = page.getByRole('button', { name: /^Theme: / });
  await theme.click();
  await theme.click();
  assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
  await screenshot(page, 'trace-dark');
  await theme.click();
  assert.equal(await page.locator('html').getAttribute('data-theme'), 'light');

  await page.getByRole('tab', { name: /Statistics/ }).click();
  await page.getByRole('table', { name: 'Trace statistics' }).getByRole('row', { name: /payment\.charge/ }).waitFor();
  await page.getByRole('tab', { name: /Logs \(2\)/ }).click();
  const traceLogs = page.getByRole('list', { name: 'Logs of this trace' });
  await traceLogs.getByText('validating payment of 120 EUR').waitFor();
  await traceLogs.getByText('payment declined: EUR 120').waitFor();
  assert.deepEqual(ui.problems, []);
});

test('the keyboard moves through the waterfall and / searches within the trace', async () => {
  const { page } = ui;
  await page.goto(`/trace/${slowEur.traceId}`);
  const waterfall = page.getByRole('tree', { name: 'Trace waterfall' });
  await waterfall.getByRole('treeitem', { name: /POST \/payments/ }).click();
  await waterfall.focus();
  await page.keyboard.press('j');
  await waterfall.getByRole('treeitem', { name: /payment\.validate/, selected: true }).waitFor();
  await page.keyboard.press('k');
  await waterfall.getByRole('treeitem', { name: /POST \/payments/, selected: true }).waitFor();
  await page.keyboard.press('Enter');
  await waterfall.getByRole('treeitem', { name: /POST \/payments/, expanded: false }).waitFor();
  assert.equal(await waterfall.getByRole('treeitem', { name: /payment\.charge/ }).count(), 0, 'collapsed: children hidden');
  await page.keyboard.press('Enter');
  await waterfall.getByRole('treeitem', { name: /payment\.charge/ }).waitFor();

  await page.keyboard.press('/');
  await page.keyboard.type('charge');
  await page.getByRole('status').filter({ hasText: '1 of 3 spans match' }).waitFor();
  assert.equal(await waterfall.locator('.span-row.dimmed').count(), 2);
  await page.getByLabel('Critical path only').check();
  assert.ok((await waterfall.getByRole('treeitem').count()) >= 1);
  assert.deepEqual(ui.problems, []);
});

test('a log on the logs page leads back to its span', async () => {
  const { page } = ui;
  await page.goto('/logs');
  await page.getByRole('img', { name: /Log records over time by severity, 7 in all/ }).waitFor();
  await page.getByRole('list', { name: 'Log records' }).getByRole('button', { name: /payment declined: EUR 120/ }).click();
  await screenshot(page, 'logs');
  const form = page.getByRole('form', { name: 'Log search' });
  await form.getByLabel('Text').fill('declined: EUR');
  await form.getByRole('button', { name: 'Search logs' }).click();
  const list = page.getByRole('list', { name: 'Log records' });
  const record = list.getByRole('button', { name: /payment declined: EUR 120/ });
  await until(async () => (await list.getByRole('listitem').count()) === 1, 'only the EUR decline');
  await page.getByRole('img', { name: /Log records over time by severity/ }).waitFor();
  // Still open from before the search if the list kept it: expand only when closed.
  if ((await record.getAttribute('aria-expanded')) !== 'true') await record.click();
  await list.getByRole('table', { name: 'Log attributes' }).getByText('PaymentDeclinedError').waitFor();
  await list.getByRole('link', { name: /^Open span/ }).click();
  await page.waitForURL(new RegExp(`/trace/${slowEur.traceId}\\?span=${slowEur.chargeSpanId}`));
  await page.getByRole('tree', { name: 'Trace waterfall' }).getByRole('treeitem', { name: /payment\.charge/, selected: true }).waitFor();
  await page.getByRole('complementary', { name: 'Span details' }).getByRole('heading', { name: 'payment.charge' }).waitFor();
  assert.deepEqual(ui.problems, []);
});

test('dragging across the duration scatter narrows the search to that time range', async () => {
  const { page } = ui;
  await page.goto('/traces?service=payment-api&range=15m');
  await page.getByRole('table', { name: 'Traces found' }).getByRole('row').nth(1).waitFor();
  const plot = page.getByRole('img', { name: /Duration over time of \d+ traces/ }).locator('.u-over');
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await page.waitForURL(/from=\d+&to=\d+/);
  const url = new URL(page.url());
  const fromMs = Number(url.searchParams.get('from'));
  const toMs = Number(url.searchParams.get('to'));
  // 20%..50% of a 15-minute axis: about 4.5 minutes, ending well before now.
  assert.ok(toMs - fromMs > 3 * 60_000 && toMs - fromMs < 6 * 60_000, `range ${toMs - fromMs} ms`);
  assert.ok(toMs < Date.now() - 5 * 60_000);
  assert.equal(url.searchParams.get('service'), 'payment-api', 'the other fields are kept');
  await page.getByRole('status').filter({ hasText: 'No trace matches' }).waitFor();
  assert.deepEqual(ui.problems, []);
});

test('an unknown or malformed trace id says what happened and what to do', async () => {
  const { page } = ui;
  await page.goto(`/trace/${'0'.repeat(31)}1`);
  const alert = page.getByRole('alert');
  await alert.getByText(/Could not load trace/).waitFor();
  await alert.getByText(/older than the retention/).waitFor();
  await page.goto('/trace/not-a-trace');
  await page.getByRole('alert').getByText(/is not a trace id \(32 hex digits\)/).waitFor();
  // The 404 of the unknown trace is the expected answer, not a page problem.
  assert.deepEqual(ui.problems.filter((p) => !p.includes('404')), []);
  ui.problems.length = 0;
});

test('a span link opens the linked trace at the linked span', async () => {
  const { page } = ui;
  await page.goto(`/trace/${settle.traceId}?span=${settle.spanId}`);
  const details = page.getByRole('complementary', { name: 'Span details' });
  await details.getByRole('heading', { name: 'Links (1)' }).waitFor();
  await details.getByRole('table', { name: 'Link attributes' }).getByText('settles').waitFor();
  await details.getByRole('link', { name: `Trace ${slowEur.traceId.slice(0, 8)} span ${slowEur.chargeSpanId.slice(0, 8)}` }).click();
  await page.waitForURL(new RegExp(`/trace/${slowEur.traceId}\\?span=${slowEur.chargeSpanId}`));
  await page.getByRole('tree', { name: 'Trace waterfall' }).getByRole('treeitem', { name: /payment\.charge/, selected: true }).waitFor();
  assert.deepEqual(ui.problems, []);
});
