import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DoctorResponse } from '../../src/api/types.ts';
import { plantedServices, sendPlanted } from '../helpers/doctor-services.ts';
import { getJson } from '../helpers/tracehouse.ts';
import { screenshot, startUi } from './browser.ts';
import type { UiHarness } from './browser.ts';

// The Setup check page (web/src/features/setup-check/) in Chromium over services
// made by the OpenTelemetry JS SDK with planted mistakes: each service's findings
// and Instrumentation Score, the fix copied to the clipboard as the API gave it,
// and the clean service shown as clean.

let ui: UiHarness;
let doctor: DoctorResponse;

before(async () => {
  ui = await startUi();
  let instance = 0;
  for (const kind of ['clean', 'health', 'simple-processor', 'old-semconv'] as const) await sendPlanted(ui.th.otlpUrl, kind, instance++);
  doctor = (await getJson(`${ui.th.apiUrl}/api/v1/doctor`)).body;
});

after(async () => {
  await ui?.close();
});

test('the setup check shows each service with its findings, score and fix to copy', async () => {
  const { page } = ui;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await page.getByRole('link', { name: 'Setup check', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'of 4 services have setup problems' }).waitFor();

  const clean = page.getByRole('region', { name: `Setup check of ${plantedServices.clean}` });
  await clean.getByText('No setup problem found.').waitFor();
  assert.equal(await clean.getByRole('article').count(), 0);
  assert.equal(await clean.getByLabel(`Instrumentation Score of ${plantedServices.clean}`).locator('.score-figure strong').innerText(), '100');

  const health = page.getByRole('region', { name: `Setup check of ${plantedServices.health}` });
  const finding = health.getByRole('article', { name: `Health check endpoints produce spans (${plantedServices.health})` });
  await finding.waitFor();
  assert.equal(await health.getByRole('article').count(), 1);
  const expectedFix = doctor.services.find((s) => s.service === plantedServices.health)!.findings[0]!.fix;
  assert.equal(await finding.getByLabel('Fix for Health check endpoints produce spans').innerText(), expectedFix);
  await finding.getByRole('button', { name: 'Copy fix' }).click();
  await finding.getByRole('button', { name: 'Copied' }).waitFor();
  assert.equal(await page.evaluate('navigator.clipboard.readText()'), expectedFix);
  // The example span opens its trace.
  assert.match((await finding.getByRole('link', { name: /GET \/health in trace/ }).getAttribute('href')) ?? '', /^\/trace\/[0-9a-f]{32}/);

  const simple = page.getByRole('region', { name: `Setup check of ${plantedServices['simple-processor']}` });
  await simple.getByRole('heading', { name: 'One span per export request' }).waitFor();
  const legacy = page.getByRole('region', { name: `Setup check of ${plantedServices['old-semconv']}` });
  assert.equal(await legacy.getByLabel('Fix for Old HTTP semantic conventions').innerText(), 'OTEL_SEMCONV_STABILITY_OPT_IN=http');

  // Every rule of the spec is listed, those not implemented said so.
  await clean.getByRole('button', { name: 'Show all rules' }).click();
  const rules = clean.getByRole('table');
  assert.equal(await rules.getByRole('row').count(), 1 + 19);
  assert.match(await rules.getByRole('row', { name: /RES-002/ }).innerText(), /not implemented/);
  await clean.getByRole('button', { name: 'Hide rules' }).click();
  await screenshot(page, 'setup-check');
  assert.deepEqual(ui.problems, []);
});
