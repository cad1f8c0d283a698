import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import type { Context } from 'hono';

// Large JSON answers (the tree of a 100,000-span trace is ~25 MB) go gzipped to
// clients that accept it, as Jaeger's query service compresses its API
// (gorilla handlers.CompressHandler). Level 1: 25 MB -> 3 MB in ~80 ms on a
// zlib thread, off the event loop; level 6 saved another 0.5 MB for 4x the CPU
// (measured for bench/trace-tree-bench.ts's 100,000-span trace).

const gzipAsync = promisify(gzip);
/** Below this, compressing costs more than sending. */
const MIN_GZIP_BYTES = 64 * 1024;

export async function largeJson(c: Context, text: string): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Vary: 'Accept-Encoding' };
  if (text.length < MIN_GZIP_BYTES || !acceptsGzip(c.req.header('Accept-Encoding'))) return c.body(text, 200, headers);
  const body = await gzipAsync(text, { level: constants.Z_BEST_SPEED });
  return c.body(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), 200, { ...headers, 'Content-Encoding': 'gzip' });
}

/** RFC 9110 §12.5.3: gzip listed without q=0 (or `*` without q=0). */
function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}
