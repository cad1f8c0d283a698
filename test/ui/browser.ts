import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { ensureWebUiBuilt } from '../../src/api/web-ui-build.ts';
import { repoRoot, startInProcess } from '../helpers/tracehouse.ts';
import type { RunningTracehouse } from '../helpers/tracehouse.ts';

// Debian's chromium driven by playwright-core (no browser download: .ci/run
// installs the distribution package). The flags keep it from reaching out to
// the network on its own and from needing a GPU or a user namespace sandbox,
// which CI containers do not have.
export const chromiumPath = '/usr/bin/chromium';
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

export interface UiHarness {
  th: RunningTracehouse;
  browser: Browser;
  page: Page;
  /** Problems the page reported (console errors, uncaught exceptions, dialogs). */
  problems: string[];
  close(): Promise<void>;
}

/** A built UI, Tracehouse in-process on free ports, and a fresh browser page on it. */
export async function startUi(): Promise<UiHarness> {
  await ensureWebUiBuilt();
  const th = await startInProcess();
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const context = await browser.newContext({ baseURL: th.apiUrl, viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()} at ${message.location().url}`);
    });
    const opened = browser;
    return {
      th,
      browser,
      page,
      problems,
      async close() {
        await opened.close();
        await th.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await th.stop();
    throw error;
  }
}

export const screenshotDir = path.join(repoRoot, 'docs/screenshots');

/**
 * Saves docs/screenshots/<name>.png when TRACEHOUSE_UPDATE_SCREENSHOTS=1 (the
 * README shows them); other runs only check that the page can be captured, so
 * the test suite does not rewrite committed files.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env['TRACEHOUSE_UPDATE_SCREENSHOTS'] !== '1') {
    await page.screenshot();
    return;
  }
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: false });
}

/** Polls `check` until true (the page updates asynchronously); fails naming `what`. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
