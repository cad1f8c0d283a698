import http from 'node:http';
import type { LoadResult } from './sequenced-load.ts';
import { spanIdOf, traceIdOf } from './sequenced-load.ts';

// Reads one load round back through every read surface of the query API and
// counts, exactly, acknowledged spans that are missing and spans counted or
// returned more than once.

export interface RoundFigures {
  acknowledgedSpans: number;
  /** Acknowledged spans not found (by search summary or by trace id). */
  missing: number;
  /** Spans seen more than once: in a trace by id, a search summary, or the services count. */
  duplicates: number;
  /** Unacknowledged spans that were stored anyway (allowed: at-least-once). */
  storedUnacknowledged: number;
  /** Human-readable findings, empty when missing and duplicates are 0. */
  problems: string[];
}

const SEARCH_LIMIT = 1000;
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

async function get(url: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.once('end', () => resolve({ status: response.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text) }));
        response.once('error', reject);
      })
      .once('error', reject);
  });
}

async function getOk(url: string): Promise<any> {
  const { status, body } = await get(url);
  if (status !== 200) throw new Error(`GET ${url}: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** The spans of the trace, as [spanId, seq] pairs in the order returned. */
async function traceSpans(apiUrl: string, traceId: string): Promise<{ spanId: string; seq: string }[]> {
  const { status, body } = await get(`${apiUrl}/api/v1/traces/${traceId}`);
  if (status === 404) return [];
  if (status !== 200) throw new Error(`GET trace ${traceId}: ${status}`);
  const spans: { spanId: string; attributes: { key: string; value: { intValue?: string } }[] }[] = body.resourceSpans.flatMap(
    (r: any) => r.scopeSpans.flatMap((s: any) => s.spans),
  );
  return spans.map((s) => ({ spanId: s.spanId, seq: s.attributes.find((a) => a.key === 'seq')?.value.intValue ?? '' }));
}

/**
 * Every acknowledged request of `load` must be whole on every surface; nothing
 * may appear twice. Trace by id is read for every unacknowledged request and
 * for `sampleAcknowledged` acknowledged ones spread over the round (reading
 * them all costs ~5 ms a trace); search summaries and the services count cover
 * every request.
 */
export async function verifyRound(apiUrl: string, load: LoadResult, sampleAcknowledged = 40): Promise<RoundFigures> {
  const { plan } = load;
  const r = plan.spansPerRequest;
  const problems: string[] = [];
  let missing = 0;
  let duplicates = 0;
  const acked = new Set(load.acknowledged);

  // Search summaries, one time window of SEARCH_LIMIT requests at a time.
  const summaries = new Map<string, { spanCount: number; errorCount: number; durationNano: string }>();
  for (let first = 0; first < load.sent; first += SEARCH_LIMIT) {
    const start = plan.baseMs + first;
    const body = await getOk(`${apiUrl}/api/v1/traces?start=${start}&end=${start + SEARCH_LIMIT}&limit=${SEARCH_LIMIT}`);
    for (const t of body.traces) summaries.set(t.traceId, t);
  }
  let searchTotal = 0;
  let storedUnacknowledged = 0;
  for (let index = 0; index < load.sent; index++) {
    const summary = summaries.get(traceIdOf(plan, index));
    const count = summary?.spanCount ?? 0;
    searchTotal += count;
    if (count > r) {
      duplicates += count - r;
      problems.push(`search: trace of request ${index} counts ${count} spans, sent ${r}`);
    }
    if (acked.has(index)) {
      if (count < r) {
        missing += r - count;
        problems.push(`search: acknowledged request ${index} shows ${count} of ${r} spans`);
      } else {
        // The root fails on every tenth request; it lasts 0.9 ms.
        const errors = index % 10 === 0 ? 1 : 0;
        if (summary!.errorCount !== errors) problems.push(`search: request ${index} errorCount ${summary!.errorCount}, expected ${errors}`);
        if (summary!.durationNano !== '900000') problems.push(`search: request ${index} durationNano ${summary!.durationNano}`);
      }
    } else storedUnacknowledged += Math.min(count, r);
  }

  // The services count over the round's time range must be the same spans.
  const services = await getOk(`${apiUrl}/api/v1/services?start=${plan.baseMs}&end=${plan.baseMs + load.sent + 1}`);
  const servicesTotal = (services.services as { spanCount: number }[]).reduce((sum, s) => sum + s.spanCount, 0);
  if (servicesTotal !== searchTotal) {
    duplicates += Math.max(0, servicesTotal - searchTotal);
    missing += Math.max(0, searchTotal - servicesTotal);
    problems.push(`services count ${servicesTotal} spans, search summaries ${searchTotal}`);
  }

  // Trace by id: whole, each span once, for the unacknowledged and a sample of the rest.
  const ackedSorted = [...acked].sort((a, b) => a - b);
  const step = Math.max(1, Math.floor(ackedSorted.length / sampleAcknowledged));
  const sample = new Set([...load.unacknowledged, ...ackedSorted.filter((_, i) => i % step === 0), ...ackedSorted.slice(-10)]);
  const indices = [...sample];
  const read = await Promise.all(indices.map((index) => traceSpans(apiUrl, traceIdOf(plan, index))));
  for (const [i, index] of indices.entries()) {
    const spans = read[i]!;
    const ids = new Set(spans.map((s) => s.spanId));
    if (ids.size !== spans.length) {
      duplicates += spans.length - ids.size;
      problems.push(`trace by id: request ${index} returns ${spans.length} spans, ${ids.size} distinct`);
    }
    if (!acked.has(index)) continue;
    for (let position = 0; position < r; position++) {
      const found = spans.find((s) => s.spanId === spanIdOf(plan, index, position));
      if (found === undefined) {
        missing++;
        problems.push(`trace by id: acknowledged span ${index}/${position} missing`);
      } else if (found.seq !== String(index * r + position)) problems.push(`trace by id: span ${index}/${position} seq ${found.seq}`);
    }
  }
  return { acknowledgedSpans: load.acknowledged.length * r, missing, duplicates, storedUnacknowledged, problems };
}
