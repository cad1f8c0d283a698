import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { test } from 'node:test';
import { requestBody, spanIdOf, traceIdOf } from './helpers/sequenced-load.ts';
import type { LoadPlan } from './helpers/sequenced-load.ts';
import { freePortArgs, startChild, stopChild, tempDir } from './helpers/tracehouse.ts';
import type { ChildTracehouse } from './helpers/tracehouse.ts';

// Far more in flight than can be written (issue 7, finding 3: 160 requests in
// flight gave zero 429s and a 7 s p99). Tracehouse must say "retry later" (429 with
// Retry-After) instead of queueing without bound, keep every acknowledged span,
// and keep its RSS (the embedded ClickHouse included) under the memory limiter's
// limit. Each request is sent once: the point is the answers under pressure.

// 320 x 512 spans in flight: ~164K rows. The finding's 160 (~82K rows, under the
// 100,000 pending-row cap, so only the time budget of write-admission.ts could
// refuse them) stopped overloading once inserts got cheaper (issue 9: all 480
// requests stored in 2.8 s, no 429); past the cap a refusal no longer depends on
// how fast this machine inserts, and the time budget still refuses first when
// inserts are slow.
const CONCURRENCY = 320;
const REQUESTS = 640;
const SPANS_PER_REQUEST = 512;
// About 330 MiB at start. The soft limit (650 MiB) can be reached under this load,
// so the limiter takes part; the spike limit is large because a burst of 160 x
// 512 spans lands between two checks (decoded requests, encoded rows, the
// engine's insert buffers): peaks measured 494-745 MiB at 160-200 in flight.
const LIMIT_MIB = 900;
const SPIKE_LIMIT_MIB = 250;

const config = `
processors:
  memory_limiter:
    check_interval: 100ms
    limit_mib: ${LIMIT_MIB}
    spike_limit_mib: ${SPIKE_LIMIT_MIB}
  batch:
    timeout: 10ms
    send_batch_size: 4096
    send_batch_max_size: 16384
receivers:
  otlp:
    protocols:
      http: { endpoint: "127.0.0.1:0" }
exporters:
  tracehouse:
service:
  pipelines:
    traces: { receivers: [otlp], processors: [memory_limiter, batch], exporters: [tracehouse] }
`;

interface Answer {
  status: number;
  retryAfter: string | undefined;
}

function post(agent: http.Agent, url: URL, body: Uint8Array): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, timeout: 60_000, headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.byteLength } },
      (response) => {
        response.resume();
        response.once('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] }));
        response.once('error', reject);
      },
    );
    request.once('timeout', () => request.destroy(new Error('no answer within 60 s')));
    request.once('error', reject);
    request.end(body);
  });
}

function rssMiB(pid: number): number {
  const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib ?? 0) / 1024;
}

async function distinctSpanIds(apiUrl: string, agent: http.Agent, traceId: string): Promise<Set<string>> {
  const body = await new Promise<string>((resolve, reject) => {
    http
      .get(`${apiUrl}/api/v1/traces/${traceId}`, { agent }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.once('end', () => resolve(response.statusCode === 200 ? text : '{"resourceSpans":[]}'));
      })
      .once('error', reject);
  });
  const trace = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: { spanId: string }[] }[] }[] };
  return new Set(trace.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((sp) => sp.spanId))));
}

test('overload: some requests get 429 with Retry-After, every acknowledged span is readable, RSS stays under the limit', async (t) => {
  const dir = await tempDir();
  let th: ChildTracehouse | undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const configPath = path.join(dir.dir, 'config.yaml');
    await writeFile(configPath, config);
    th = await startChild([...freePortArgs, '--data-dir', path.join(dir.dir, 'data'), '--config', configPath]);
    const pid = th.child.pid!;
    let maxRss = rssMiB(pid);
    const sampler = setInterval(() => (maxRss = Math.max(maxRss, rssMiB(pid))), 50);

    const plan: LoadPlan = { round: 9, spansPerRequest: SPANS_PER_REQUEST, baseMs: Date.now() - 60_000 };
    const url = new URL(`${th.otlpUrl}/v1/traces`);
    const answers: Answer[] = [];
    let next = 0;
    const startedMs = Date.now();
    try {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < REQUESTS) {
            const index = next++;
            answers[index] = await post(agent, url, requestBody(plan, index));
          }
        }),
      );
    } finally {
      clearInterval(sampler);
    }

    const count = (status: number) => answers.filter((a) => a.status === status).length;
    const summary = `200: ${count(200)}, 429: ${count(429)}, 503: ${count(503)}, max RSS ${Math.round(maxRss)} MiB, load ${Date.now() - startedMs} ms`;
    t.diagnostic(summary);
    for (const a of answers) assert.ok([200, 429, 503].includes(a.status), `unexpected ${a.status} (${summary})`);
    const refused = answers.filter((a) => a.status === 429 || a.status === 503);
    assert.ok(count(429) > 0, `overload is refused with 429 (${summary})`);
    for (const a of refused) assert.match(a.retryAfter ?? '', /^[1-9]\d*$/, `Retry-After on every refusal (${summary})`);
    assert.ok(count(200) > 0, `some requests are stored (${summary})`);
    assert.ok(maxRss < LIMIT_MIB, `RSS stays under limit_mib ${LIMIT_MIB} (${summary})`);

    // Every acknowledged request is whole: its 512 distinct span ids read back.
    const acknowledged = answers.flatMap((a, i) => (a.status === 200 ? [i] : []));
    const missing: string[] = [];
    for (let i = 0; i < acknowledged.length; i += 8) {
      await Promise.all(
        acknowledged.slice(i, i + 8).map(async (index) => {
          const ids = await distinctSpanIds(th!.apiUrl, agent, traceIdOf(plan, index));
          for (let position = 0; position < SPANS_PER_REQUEST; position++) {
            if (!ids.has(spanIdOf(plan, index, position))) missing.push(`${index}/${position}`);
          }
        }),
      );
    }
    assert.equal(missing.length, 0, `acknowledged spans missing: ${missing.slice(0, 10).join(', ')} (${summary})`);

    // Once the load is gone, data is taken again: usage falls (the limiter's GC)
    // rather than keeping the limiter refusing forever.
    const lone = requestBody(plan, REQUESTS);
    let answer = await post(agent, url, lone);
    let tries = 0;
    for (; answer.status !== 200 && tries < 40; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      answer = await post(agent, url, lone);
    }
    assert.equal(answer.status, 200, `a request after the load is taken (${summary})`);
    t.diagnostic(`taken again after ${tries} retries`);
  } finally {
    agent.destroy();
    if (th !== undefined) await stopChild(th, 'SIGKILL');
    await dir.remove();
  }
});
