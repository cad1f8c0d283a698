import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Context, Hono } from 'hono';
import type { Endpoint } from '../component/component.ts';
import { webDistDir } from './web-ui-build.ts';
import type { UiSetupResponse } from './web-ui-types.ts';

// Serves the built web UI (web/dist) on the API port: hashed assets under
// /assets/ cached for ever, every other GET that no API route took answered with
// index.html, so a client-side route pasted as a link (/trace/<id>, Jaeger's
// path) opens the right page. Mounted after the API routes, which it never shadows.

export interface WebUiOptions {
  /** The OTLP receivers listening, for the "send data" instructions. */
  receivers?: () => readonly Endpoint[];
  /** Where the bundle is; web/dist by default. */
  distDir?: string;
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

// Span names, attribute values and log bodies are user data: besides React
// rendering them as text, the page may run only its own scripts.
const securityHeaders = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** Paths the UI never owns: an unknown one under these is the API's 404, not index.html. */
const apiPrefixes = ['/api/', '/v1/'];

export function mountWebUi(app: Hono, options: WebUiOptions = {}): void {
  const distDir = options.distDir ?? webDistDir;
  const assetsDir = path.join(distDir, 'assets');

  app.get('/api/v1/ui/setup', (c) => {
    const receivers = (options.receivers?.() ?? []).map(({ protocol, host, port, authenticated, tls }) => ({
      protocol,
      host,
      port,
      ...(authenticated ? { authenticated } : {}),
      ...(tls ? { tls } : {}),
    }));
    return c.json({ receivers } satisfies UiSetupResponse);
  });

  app.get('/assets/:file', async (c) => {
    const file = c.req.param('file');
    // Vite's hashed file names only; nothing that could climb out of assets/.
    if (!/^[\w.-]+$/.test(file) || file.startsWith('.')) return c.text('not found', 404);
    const body = await readOptional(path.join(assetsDir, file));
    if (body === undefined) return c.text('not found', 404);
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    });
  });

  app.get('*', async (c) => {
    if (apiPrefixes.some((prefix) => c.req.path.startsWith(prefix))) {
      return c.json({ error: { message: `no such endpoint: ${c.req.path}` } }, 404);
    }
    return serveIndex(c, distDir);
  });
}

/** index.html with the page's security headers; also what a logged-out browser gets for any page link (access-middleware.ts). */
export async function serveIndex(c: Context, distDir: string): Promise<Response> {
  const html = await readOptional(path.join(distDir, 'index.html'));
  if (html === undefined) {
    return c.text(
      'The web UI is not built. Run `npm run build:web` (npm start does it by itself), then reload. The query API under /api/v1/ works without it.\n',
      503,
      { 'Cache-Control': 'no-store' },
    );
  }
  // no-cache: the page names the hashed assets of the current build.
  const headers: Record<string, string> = { 'Content-Type': contentTypes['.html']!, 'Cache-Control': 'no-cache', ...securityHeaders };
  const preload = tracePreloads(c.req.path);
  if (preload !== undefined) {
    const chunks = await chunkFiles(distDir, 'src/features/trace/trace-page.tsx');
    headers['Link'] = [preload, ...chunks.map((file) => `</${file}>; rel=modulepreload`)].join(', ');
  }
  return c.body(new Uint8Array(html), 200, headers);
}

/**
 * For a /trace/<id> link, the trace's tree and logs as preloads (RFC 8288 Link
 * header, `rel=preload; as=fetch`): the browser fetches them while it loads the
 * scripts, not after. The URLs are exactly the ones web/src/api/client.ts asks
 * for (features/trace/use-trace.ts), or the preload would go unused.
 */
export function tracePreloads(pathname: string): string | undefined {
  const match = /^\/trace\/([0-9a-fA-F]{32})$/.exec(pathname);
  if (match === null) return undefined;
  const traceId = match[1]!.toLowerCase();
  return [`/api/v1/traces/${traceId}/tree`, `/api/v1/traces/${traceId}/logs?limit=5000`]
    .map((url) => `<${url}>; rel=preload; as=fetch; crossorigin=anonymous`)
    .join(', ');
}

interface ManifestChunk {
  file: string;
  imports?: string[];
}

/** The chunk of a source module and every chunk it imports, from Vite's build manifest; [] without one. */
async function chunkFiles(distDir: string, entry: string): Promise<string[]> {
  const text = await readOptional(path.join(distDir, '.vite', 'manifest.json'));
  if (text === undefined) return [];
  let manifest: Record<string, ManifestChunk>;
  try {
    manifest = JSON.parse(text.toString('utf8')) as Record<string, ManifestChunk>;
  } catch {
    return [];
  }
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (chunk === undefined || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(entry);
  return [...files];
}

async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw error;
  }
}
