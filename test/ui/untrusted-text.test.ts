import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createSdkTelemetry } from '../helpers/sdk-telemetry.ts';
import type { SentTrace } from '../helpers/sdk-telemetry.ts';
import { startUi } from './browser.ts';
import type { UiHarness } from './browser.ts';

// Span, log and attribute content is whatever an instrumented app sent: it must
// show as the literal text on every page and never run. The payload would set
// a global, open a dialog and fetch /x if it were ever parsed as HTML.

const payload = (n: number) => `<img src=x onerror="window.__xss=(window.__xss||0)+${n};alert(${n})">`;
const serviceName = `shop ${payload(1)}`;
const currency = `EUR${payload(2)}`;

let ui: UiHarness;
let sent: SentTrace;
const requestedPaths: string[] = [];

before(async () => {
  ui = await startUi();
  ui.page.on('request', (request) => requestedPaths.push(new URL(request.url()).pathname));
  const sdk = createSdkTelemetry(ui.th.otlpUrl, 'protobuf', serviceName);
  try {
    sent = sdk.payment({ currency, amount: 42, declined: true, chargeMs: 50 });
    await sdk.flush();
  } finally {
    await sdk.shutdown();
  }
});

after(async () => {
  await ui?.close();
});

async function assertNothingRan(page: Page): Promise<void> {
  assert.equal(await page.evaluate(() => (globalThis as { __xss?: number }).__xss), undefined, 'no injected handler ran');
  assert.equal(await page.locator('img').count(), 0, 'no <img> element was created from data');
  assert.ok(!requestedPaths.includes('/x'), 'the payload fetched nothing');
  assert.deepEqual(ui.problems, [], 'no dialog, no page error');
}

test('a service name with HTML shows as text on the services and search pages', async () => {
  const { page } = ui;
  await page.goto('/');
  await page.getByRole('table', { name: 'Services' }).getByText(serviceName, { exact: true }).waitFor();
  await page.getByRole('heading', { name: `Operations of ${serviceName}` }).waitFor();
  await assertNothingRan(page);

  await page.goto(`/traces?service=${encodeURIComponent(serviceName)}`);
  const results = page.getByRole('table', { name: 'Traces found' });
  await results.getByText(serviceName, { exact: true }).first().waitFor();
  await assertNothingRan(page);
});

test('attribute values, status messages and log bodies with HTML show as text in the trace view and on the logs page', async () => {
  const { page } = ui;
  await page.goto(`/trace/${sent.traceId}?span=${sent.validateSpanId}`);
  const details = page.getByRole('complementary', { name: 'Span details' });
  await details.getByRole('table', { name: 'Span attributes' }).getByText(currency, { exact: true }).waitFor();
  await page.getByRole('tree', { name: 'Trace waterfall' }).getByText(`validating payment of 42 ${currency}`).waitFor();
  await page.goto(`/trace/${sent.traceId}?span=${sent.chargeSpanId}`);
  await details.getByText(`error: card declined for ${currency}`, { exact: true }).waitFor();
  await details.getByRole('region', { name: 'Exception PaymentDeclinedError' }).getByText(`card declined for ${currency}`, { exact: true }).waitFor();
  await assertNothingRan(page);

  await page.goto('/logs');
  const record = page.getByRole('list', { name: 'Log records' }).getByRole('button', { name: `payment declined: ${currency} 42` });
  await record.click();
  await page.getByRole('table', { name: 'Log attributes' }).getByText(currency, { exact: true }).waitFor();
  await page.getByRole('table', { name: 'Log resource' }).getByText(serviceName, { exact: true }).waitFor();
  await assertNothingRan(page);
});
