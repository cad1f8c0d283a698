import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createSdkTelemetry } from '../helpers/sdk-telemetry.ts';
import { screenshot, startUi } from './browser.ts';
import type { UiHarness } from './browser.ts';

// A fresh install: the UI says how to point an SDK here, with the ports the
// receivers really bound (free ports in this test, not 4317/4318), and moves on
// by itself once data arrives.

let ui: UiHarness;

before(async () => {
  ui = await startUi();
});

after(async () => {
  await ui?.close();
});

test('with no data the services page shows the OTLP exporter settings for HTTP and gRPC, then the data once it arrives', async () => {
  const { page, th } = ui;
  const httpPort = new URL(th.otlpUrl).port;
  const grpcPort = th.grpcAddress.split(':')[1];
  await page.goto('/');
  const http = page.getByLabel('HTTP exporter settings');
  await http.waitFor();
  assert.equal(await http.innerText(), `OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${httpPort}\nOTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf`);
  assert.equal(
    await page.getByLabel('gRPC exporter settings').innerText(),
    `OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${grpcPort}\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc`,
  );
  await screenshot(page, 'empty-state');
  // The trace search and logs pages say the same, not "no results".
  await page.getByRole('link', { name: 'Traces', exact: true }).click();
  await page.getByLabel('HTTP exporter settings').waitFor();

  // Data sent through the gRPC line shown above reaches the page without a reload.
  await page.getByRole('link', { name: 'Services', exact: true }).click();
  await page.getByLabel('HTTP exporter settings').waitFor();
  const sdk = createSdkTelemetry(`http://127.0.0.1:${grpcPort}`, 'grpc');
  try {
    sdk.payment({ currency: 'EUR', amount: 10 });
    await sdk.flush();
  } finally {
    await sdk.shutdown();
  }
  await page.getByRole('table', { name: 'Services' }).getByRole('link', { name: 'payment-api', exact: true }).waitFor({ timeout: 20_000 });
  assert.equal(await page.getByLabel('HTTP exporter settings').count(), 0);
  assert.deepEqual(ui.problems, []);
});
