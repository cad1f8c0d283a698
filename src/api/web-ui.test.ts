import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Hono } from 'hono';
import { mountWebUi } from './web-ui.ts';

// The UI's serving rules, in-process through app.request(): SPA fallback for
// client routes, immutable hashed assets, API paths never answered with HTML.

async function withDist(fn: (app: Hono, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracehouse-web-ui-'));
  try {
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(path.join(dir, 'secret.txt'), 'not an asset');
    const app = new Hono();
    app.get('/api/v1/services', (c) => c.json({ services: [] }));
    app.get('/healthz', (c) => c.json({ status: 'ok' }));
    mountWebUi(app, { distDir: dir, receivers: () => [{ protocol: 'http', host: '0.0.0.0', port: 4318 }] });
    await fn(app, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('client routes get index.html with a script-restricting CSP; API routes keep their answers', async () => {
  await withDist(async (app) => {
    for (const url of ['/', '/trace/4bf92f3577b34da6a3ce929d0e0e4736', '/traces?service=a', '/logs', '/services/payment-api']) {
      const response = await app.request(url);
      assert.equal(response.status, 200, url);
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self';/);
      assert.equal(await response.text(), '<!doctype html><div id="root"></div>');
    }
    assert.deepEqual(await (await app.request('/api/v1/services')).json(), { services: [] });
    assert.deepEqual(await (await app.request('/healthz')).json(), { status: 'ok' });
  });
});

test('unknown API paths are JSON 404s, not the page', async () => {
  await withDist(async (app) => {
    for (const url of ['/api/v1/nope', '/api/v2/services', '/v1/traces']) {
      const response = await app.request(url);
      assert.equal(response.status, 404, url);
      assert.match((await response.json() as { error: { message: string } }).error.message, /no such endpoint/);
    }
  });
});

test('hashed assets are cached for ever; nothing outside assets/ is served', async () => {
  await withDist(async (app) => {
    const asset = await app.request('/assets/index-abc123.js');
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(await asset.text(), 'console.log(1)');
    for (const url of ['/assets/missing.js', '/assets/..%2Fsecret.txt', '/assets/.hidden', '/assets/%2e%2e%2fsecret.txt']) {
      const response = await app.request(url);
      assert.equal(response.status, 404, url);
      assert.doesNotMatch(await response.text(), /not an asset/);
    }
  });
});

test('the setup endpoint lists the receivers; a missing bundle is a 503 that says how to build it', async () => {
  await withDist(async (app, dir) => {
    assert.deepEqual(await (await app.request('/api/v1/ui/setup')).json(), { receivers: [{ protocol: 'http', host: '0.0.0.0', port: 4318 }] });
    await rm(path.join(dir, 'index.html'));
    const response = await app.request('/trace/4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(response.status, 503);
    assert.match(await response.text(), /npm run build:web/);
  });
});

test('a /trace/<id> page preloads the trace and the trace page chunks (Link header); other pages do not', async () => {
  await withDist(async (app, dir) => {
    await mkdir(path.join(dir, '.vite'));
    await writeFile(
      path.join(dir, '.vite', 'manifest.json'),
      JSON.stringify({
        'index.html': { file: 'assets/index-abc123.js' },
        'src/features/trace/trace-page.tsx': { file: 'assets/trace-page-1.js', imports: ['index.html', '_times-2.js'] },
        '_times-2.js': { file: 'assets/times-2.js', imports: ['index.html'] },
      }),
    );
    const response = await app.request('/trace/4BF92F3577B34DA6A3CE929D0E0E4736');
    assert.equal(
      response.headers.get('link'),
      '</api/v1/traces/4bf92f3577b34da6a3ce929d0e0e4736/tree>; rel=preload; as=fetch; crossorigin=anonymous, ' +
        '</api/v1/traces/4bf92f3577b34da6a3ce929d0e0e4736/logs?limit=5000>; rel=preload; as=fetch; crossorigin=anonymous, ' +
        '</assets/trace-page-1.js>; rel=modulepreload, </assets/index-abc123.js>; rel=modulepreload, </assets/times-2.js>; rel=modulepreload',
    );
    assert.equal((await app.request('/traces')).headers.get('link'), null);
    assert.equal((await app.request('/trace/not-an-id')).headers.get('link'), null);
    // The manifest is the server's, not a public asset: its path is a client route like any other.
    for (const url of ['/.vite/manifest.json', '/assets/../.vite/manifest.json']) {
      assert.doesNotMatch(await (await app.request(url)).text(), /trace-page-1/);
    }
  });
});
