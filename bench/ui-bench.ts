import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { ensureWebUiBuilt } from '../src/api/web-ui-build.ts';
import { emptySpan } from '../src/pdata/defaults.ts';
import type { KeyValue, Span, TracesData } from '../src/pdata/model.ts';
import { repoRoot, startInProcess } from '../test/helpers/tracehouse.ts';
import { launchChromium } from '../test/ui/browser.ts';

// npm run bench:ui: in headless Chromium, the time from navigating to
// /trace/<id> to the first waterfall row on screen, for traces of 1,000, 10,000
// and 100,000 spans written through the real store writer; and the gzipped size
// of the JavaScript the first page (/) loads. Targets (issue 8): 10K spans < 1 s,
// 100K < 5 s, first-page JS < 300 KB gzipped. Prints the figures and writes
// bench/results/ui.json.

const sizes = [1_000, 10_000, 100_000];
const runs = 3;
const targets = { '10000': 1000, '100000': 5000, firstPageJsGzipKb: 300 };

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const str = (key: string, value: string): KeyValue => ({ key, value: { type: 'string', value } });

/**
 * A wide, fairly deep tree like a batch job fanning out to services: every span
 * has up to 8 children, siblings run one after another inside their parent,
 * four services, an error now and then.
 */
function bigTrace(spanCount: number, startNs: bigint): { traceId: string; data: TracesData } {
  const traceId = hex(16);
  const services = ['orders', 'payment-api', 'inventory', 'notifier'];
  const bySvc = new Map<string, Span[]>(services.map((s) => [s, []]));
  const fanOut = 8;
  interface Pending { spanId: string; start: bigint; end: bigint; depth: number }
  const root: Pending = { spanId: hex(8), start: startNs, end: startNs + 30_000_000_000n, depth: 0 };
  const queue: Pending[] = [root];
  let made = 0;
  const emit = (p: Pending, parent: string, i: number) => {
    const service = services[p.depth % services.length]!;
    bySvc.get(service)!.push({
      ...emptySpan(),
      traceId,
      spanId: p.spanId,
      parentSpanId: parent,
      name: p.depth === 0 ? 'POST /batch' : `step ${p.depth}.${i % 16}`,
      kind: p.depth === 0 ? 2 : 1,
      startTimeUnixNano: p.start,
      endTimeUnixNano: p.end,
      attributes: [str('job.step', String(i)), str('job.kind', 'bench')],
      status: { code: i % 97 === 0 ? 2 : 0, message: '' },
      flags: 1,
    });
  };
  emit(root, '', 0);
  made = 1;
  for (let head = 0; head < queue.length && made < spanCount; head++) {
    const parent = queue[head]!;
    const children = Math.min(fanOut, spanCount - made);
    const slice = (parent.end - parent.start) / BigInt(children + 1);
    for (let c = 0; c < children; c++) {
      const start = parent.start + slice * BigInt(c) + slice / 4n;
      const child: Pending = { spanId: hex(8), start, end: start + slice, depth: parent.depth + 1 };
      emit(child, parent.spanId, made);
      queue.push(child);
      made++;
    }
  }
  return {
    traceId,
    data: {
      resourceSpans: services.map((service) => ({
        resource: { attributes: [str('service.name', service)], droppedAttributesCount: 0 },
        scopeSpans: [{ scope: { name: 'bench', version: '1', attributes: [], droppedAttributesCount: 0 }, spans: bySvc.get(service)!, schemaUrl: '' }],
        schemaUrl: '',
      })),
    },
  };
}

/** The same data in writes of at most `chunk` spans, as a Collector's batches would arrive. */
function* chunks(data: TracesData, chunk: number): Generator<TracesData> {
  for (const rs of data.resourceSpans) {
    const spans = rs.scopeSpans[0]!.spans;
    for (let i = 0; i < spans.length; i += chunk) {
      yield { resourceSpans: [{ ...rs, scopeSpans: [{ ...rs.scopeSpans[0]!, spans: spans.slice(i, i + chunk) }] }] };
    }
  }
}

interface PageGlobals {
  document: { querySelector(selector: string): unknown };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const build = await ensureWebUiBuilt();
  const th = await startInProcess();
  let browser: Browser | undefined;
  try {
    const traces: { spans: number; traceId: string }[] = [];
    const nowNs = BigInt(Date.now() - 60_000) * 1_000_000n;
    for (const spans of sizes) {
      const { traceId, data } = bigTrace(spans, nowNs);
      for (const part of chunks(data, 10_000)) await th.server.store.writer.writeTraces(part);
      traces.push({ spans, traceId });
    }
    browser = await launchChromium();

    // First page: every script the browser fetched for /, gzipped as a server would send it.
    const context = await browser.newContext({ baseURL: th.apiUrl });
    const page = await context.newPage();
    const scripts = new Map<string, Buffer>();
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') {
        void response.body().then((body) => scripts.set(response.url(), body), () => undefined);
      }
    });
    await page.goto('/', { waitUntil: 'networkidle' });
    await page.getByRole('heading', { name: 'Services' }).waitFor();
    const rawBytes = [...scripts.values()].reduce((n, b) => n + b.length, 0);
    const gzipBytes = [...scripts.values()].reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
    await context.close();

    const results: {
      spans: number;
      medianMs: number;
      runsMs: number[];
      treeArrivedMedianMs: number;
      renderAfterTreeMedianMs: number;
      treeBytes: number;
      treeFetchMs: number;
    }[] = [];
    for (const { spans, traceId } of traces) {
      const fetchStarted = performance.now();
      const tree = await (await fetch(`${th.apiUrl}/api/v1/traces/${traceId}/tree`)).arrayBuffer();
      const treeFetchMs = performance.now() - fetchStarted;
      const runsMs: number[] = [];
      const treeArrivedMs: number[] = [];
      const clientMs: number[] = [];
      for (let run = 0; run < runs; run++) {
        // A fresh context each run: nothing cached, as when a link is pasted.
        const ctx = await browser.newContext({ baseURL: th.apiUrl, viewport: { width: 1400, height: 900 } });
        const p = await ctx.newPage();
        await p.goto(`/trace/${traceId}`, { waitUntil: 'commit' });
        // performance.now() counts from the navigation's start (timeOrigin).
        const handle = await p.waitForFunction(
          // Runs in the page (the root tsconfig has no DOM types, hence the cast).
          () => ((globalThis as unknown as PageGlobals).document.querySelector('[role="tree"] [role="treeitem"]') === null ? false : performance.now()),
          undefined,
          { polling: 'raf', timeout: 120_000 },
        );
        const renderedMs = (await handle.jsonValue()) as number;
        runsMs.push(Math.round(renderedMs));
        // Where the time went: the tree's response (server: query and assembly) against the page's own work after it.
        const treeEnd = await p.evaluate(
          () => (performance.getEntriesByType('resource').find((e) => e.name.includes('/tree')) as unknown as { responseEnd: number } | undefined)?.responseEnd ?? 0,
        );
        treeArrivedMs.push(Math.round(treeEnd));
        clientMs.push(Math.round(renderedMs - treeEnd));
        const rows = await p.locator('[role="tree"] [role="treeitem"]').count();
        if (rows === 0) throw new Error(`no waterfall rows for the ${spans}-span trace`);
        await ctx.close();
      }
      results.push({
        spans,
        medianMs: median(runsMs),
        runsMs,
        treeArrivedMedianMs: median(treeArrivedMs),
        renderAfterTreeMedianMs: median(clientMs),
        treeBytes: tree.byteLength,
        treeFetchMs: Math.round(treeFetchMs),
      });
    }

    const firstPageJsGzipKb = Math.round((gzipBytes / 1024) * 10) / 10;
    console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (figures spread widely on a busy machine)`);
    console.log(`web UI bundle: ${build.status === 'fresh' ? 'up to date' : `built in ${build.durationMs} ms`}`);
    console.log(`first page (/) JavaScript: ${scripts.size} files, ${(rawBytes / 1024).toFixed(1)} KB raw, ${firstPageJsGzipKb} KB gzipped (target < ${targets.firstPageJsGzipKb} KB)`);
    for (const r of results) {
      const target = targets[String(r.spans) as '10000' | '100000'];
      console.log(
        `${r.spans.toLocaleString('en-US').padStart(7)} spans: navigation to rendered waterfall ${r.medianMs} ms median (runs ${r.runsMs.join(', ')} ms)` +
          `${target === undefined ? '' : `, target < ${target} ms`}; tree response complete at ${r.treeArrivedMedianMs} ms, rows drawn ${r.renderAfterTreeMedianMs} ms after;` +
          ` tree JSON ${(r.treeBytes / 1e6).toFixed(1)} MB (${r.treeFetchMs} ms from Node)`,
      );
    }
    const out = {
      measuredAt: new Date().toISOString(),
      chromium: browser.version(),
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
      cpus: os.cpus().length,
      firstPage: { scripts: scripts.size, rawBytes, gzipBytes, gzipKb: firstPageJsGzipKb, targetKb: targets.firstPageJsGzipKb },
      waterfall: results.map((r) => ({ ...r, targetMs: targets[String(r.spans) as '10000' | '100000'] ?? null })),
    };
    const dir = path.join(repoRoot, 'bench/results');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'ui.json'), `${JSON.stringify(out, null, 2)}\n`);
    console.log('wrote bench/results/ui.json');
  } finally {
    await browser?.close();
    await th.stop();
  }
}

await main();
