import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sendAnalysisSeed } from '../helpers/analysis-seed.ts';
import type { SeedSummary } from '../helpers/analysis-seed.ts';
import { screenshot, startUi } from './browser.ts';
import type { UiHarness } from './browser.ts';

// The root-cause views in a real browser (issue 11, part 4), over the seed's
// planted causes sent by the OpenTelemetry JS SDK: from a route on the services
// page to where the time goes, then to what the slow ones share, and one click on
// to the search filtered by it and to an example trace; from search results too.

let ui: UiHarness;
let seed: SeedSummary;

before(async () => {
  ui = await startUi();
  seed = await sendAnalysisSeed(ui.th.otlpUrl, 600);
});
after(async () => {
  await ui?.close();
});

test('from a route of payment-api: where the time goes, slowest 5% beside all', async () => {
  const { page } = ui;
  await page.goto('/services/payment-api');
  await page.getByRole('link', { name: 'Root cause of POST /payments' }).click();
  await page.waitForURL(/\/analysis\?/);
  const bar = page.getByRole('img', { name: /^Slowest 5%:/ });
  await bar.waitFor();
  const label = (await bar.getAttribute('aria-label')) ?? '';
  assert.match(label, /^Slowest 5%: payment\.charge \d+%/);
  await page.getByRole('img', { name: /^All:/ }).waitFor();
  const table = page.getByRole('table', { name: 'Self time per operation' });
  const first = table.getByRole('row').nth(2);
  assert.match((await first.textContent()) ?? '', /payment\.charge/);
  assert.match((await page.getByRole('status').first().textContent()) ?? '', /spend most of their time in payment\.charge/);
  await screenshot(page, 'analysis-breakdown');
  assert.deepEqual(ui.problems, []);
});

test('what is different about the slow ones: EUR on payment.validate first, one click to the search and to an example trace', async () => {
  const { page } = ui;
  await page.getByRole('tab', { name: 'What is different about the slow ones' }).click();
  const table = page.getByRole('table', { name: /Attribute values of Slowest 5%/ });
  await table.waitFor();
  const first = table.getByRole('row').nth(1);
  assert.match((await first.textContent()) ?? '', /payment\.currency = EUR.*payment\.validate span attribute/);
  assert.match((await first.getByLabel(/of the selection/).getAttribute('aria-label')) ?? '', /% of the selection, 0% of the rest/);
  await screenshot(page, 'analysis-compare');
  await page.getByText(/keys left out/).click();
  await page.getByText('user.id', { exact: true }).waitFor();

  const example = first.getByRole('link', { name: /^Example trace/ }).first();
  const exampleId = /Example trace ([0-9a-f]{32})/.exec((await example.getAttribute('aria-label')) ?? '')?.[1];
  assert.ok(exampleId !== undefined && seed.eurTraceIds.includes(exampleId));

  await first.getByRole('link', { name: 'Search traces with payment.currency = EUR' }).click();
  await page.waitForURL(/\/traces\?/);
  const url = new URL(page.url());
  assert.deepEqual(url.searchParams.getAll('attr'), ['payment.currency=EUR']);
  assert.equal(url.searchParams.get('service'), 'payment-api');
  await page.getByRole('table').getByRole('link').first().waitFor();
  await page.goBack();
  await table.waitFor();
  await table.getByRole('row').nth(1).getByRole('link', { name: /^Example trace/ }).first().click();
  await page.waitForURL(new RegExp(`/trace/${exampleId}`));
  assert.deepEqual(ui.problems, []);
});

test('failing ones: JPY; a search result set from its roots; the clean service shows nothing', async () => {
  const { page } = ui;
  await page.goto('/analysis?service=payment-api&view=compare&selection=errors');
  const table = page.getByRole('table', { name: /Attribute values of Failing/ });
  await table.waitFor();
  assert.match((await table.textContent()) ?? '', /payment\.currency = JPY/);

  await page.goto('/traces?service=payment-api&attr=payment.currency%3DEUR');
  await page.getByRole('link', { name: /^Root cause/ }).click();
  await page.getByRole('img', { name: /^All: payment\.charge/ }).waitFor();
  assert.match((await page.getByRole('status').first().textContent()) ?? '', new RegExp(`^${seed.eurTraceIds.length} traces looked at`));

  await page.goto('/analysis?service=catalog-api&view=compare');
  await page.getByText('Nothing sets them apart').waitFor();
  assert.deepEqual(ui.problems, []);
});
