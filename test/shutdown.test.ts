import assert from 'node:assert/strict';
import http from 'node:http';
import { after, test } from 'node:test';
import { startLoad } from './helpers/sequenced-load.ts';
import type { LoadPlan, Transport } from './helpers/sequenced-load.ts';
import { freePortArgs, startChild, stopChild, tempDir } from './helpers/tracehouse.ts';
import type { ChildTracehouse } from './helpers/tracehouse.ts';
import { verifyRound } from './helpers/verify-stored.ts';

// SIGTERM while keep-alive senders push as fast as they can and query API reads
// are in flight: the process must exit 0 within the shutdown timeout, and what
// it acknowledged must be readable after a restart on the same data directory.
// (Before, keep-alive connections held server.close() open for ever.)

const SHUTDOWN_TIMEOUT_S = 5;
// The timeout bounds the in-flight requests; the pipelines' last flush and the
// engine's close come after it.
const FLUSH_MARGIN_MS = 8000;

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Query API reads on keep-alive connections, `concurrency` at a time, until stopped. */
function startReads(apiUrl: string, concurrency: number, plan: LoadPlan) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const paths = [
    `/api/v1/traces?start=${plan.baseMs}&end=${plan.baseMs + 60_000}&limit=200`,
    `/api/v1/services?start=${plan.baseMs}&end=${plan.baseMs + 60_000}`,
    `/api/v1/traces/${'ab'.repeat(16)}`,
    '/readyz',
  ];
  const statuses = new Map<number, number>();
  let stopped = false;
  const worker = async (w: number) => {
    for (let i = w; !stopped; i++) {
      const status = await new Promise<number>((resolve) => {
        http
          .get(`${apiUrl}${paths[i % paths.length]}`, { agent }, (response) => {
            response.resume();
            response.once('end', () => resolve(response.statusCode ?? 0));
            response.once('error', () => resolve(-1));
          })
          .once('error', () => resolve(-1));
      });
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status === -1) await new Promise((r) => setTimeout(r, 50));
    }
  };
  const running = Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return {
    async stop() {
      stopped = true;
      await running;
      agent.destroy();
      return statuses;
    },
  };
}

test('SIGTERM under full keep-alive load exits 0 within the shutdown timeout; everything acknowledged is readable after restart', async (t) => {
  const temp = await tempDir();
  cleanups.push(temp.remove);
  const args = [...freePortArgs, '--data-dir', temp.dir, '--shutdown-timeout', `${SHUTDOWN_TIMEOUT_S}s`];
  const transports: Transport[] = ['http', 'grpc', 'http'];
  let th: ChildTracehouse = await startChild(args);
  cleanups.push(async () => stopChild(th, 'SIGKILL'));
  for (const [round, transport] of transports.entries()) {
    const plan: LoadPlan = { round, spansPerRequest: 50, baseMs: Date.now() - 30 * 60_000 + round * 60_000 };
    const load = startLoad({ transport, otlpUrl: th.otlpUrl, grpcAddress: th.grpcAddress }, plan, 16);
    const reads = startReads(th.apiUrl, 4, plan);
    while (load.acknowledgedCount() < 20) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500 + Math.random() * 1500));

    const signalledMs = Date.now();
    th.child.kill('SIGTERM');
    const exit = await th.exited;
    const shutdownMs = Date.now() - signalledMs;
    const result = await load.stop();
    const statuses = await reads.stop();
    const log = th.stderr();
    assert.equal(exit, 0, `round ${round} (${transport}): exit ${exit}\n${log.slice(-3000)}`);
    assert.ok(
      shutdownMs < SHUTDOWN_TIMEOUT_S * 1000 + FLUSH_MARGIN_MS,
      `round ${round} (${transport}): stopped ${shutdownMs} ms after SIGTERM\n${log.slice(-3000)}`,
    );
    assert.match(log, /stopped/);
    assert.doesNotMatch(log, /shutdown failed|did not finish/);
    assert.deepEqual(result.refusals, []);
    // Reads answer or are refused cleanly (503 once storage is closing); never a 500.
    for (const status of statuses.keys()) assert.ok([-1, 200, 404, 503].includes(status), `read answered ${status}`);
    assert.ok((statuses.get(200) ?? 0) > 0, 'some reads were answered before the shutdown');

    th = await startChild(args);
    const figures = await verifyRound(th.apiUrl, result);
    t.diagnostic(
      `round ${round} (${transport}): exit ${exit} ${shutdownMs} ms after SIGTERM, ${figures.acknowledgedSpans} spans acknowledged, ` +
        `${figures.missing} missing, ${figures.duplicates} duplicates; reads ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    assert.ok(figures.acknowledgedSpans > 0);
    assert.deepEqual(figures.problems, [], `round ${round} (${transport})`);
    assert.equal(figures.missing, 0);
    assert.equal(figures.duplicates, 0);
  }
  assert.equal(await stopChild(th), 0);
});

test('SIGTERM while reads the clients gave up on still run in the engine exits 0 (was a segfault in libchdb)', async (t) => {
  const temp = await tempDir();
  cleanups.push(temp.remove);
  const args = [...freePortArgs, '--data-dir', temp.dir];
  let th: ChildTracehouse = await startChild(args);
  cleanups.push(async () => stopChild(th, 'SIGKILL'));
  const plan: LoadPlan = { round: 0, spansPerRequest: 50, baseMs: Date.now() - 20 * 60_000 };
  const load = startLoad({ transport: 'http', otlpUrl: th.otlpUrl, grpcAddress: th.grpcAddress }, plan, 8);
  while (load.acknowledgedCount() < 40) await new Promise((r) => setTimeout(r, 50));
  await load.stop();
  const range = `start=${plan.baseMs - 60_000}&end=${Date.now() + 60_000}`;
  const exits: (number | string)[] = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    if (attempt > 0) th = await startChild(args);
    // A client that gives up closes its connection: the query API's read rejects
    // at once, but chDB cannot interrupt the statement, which runs on. Closing
    // the engine (and exiting) under it crashed the process in 5 of 6 tries.
    const requests = Array.from({ length: 12 }, (_, i) => {
      const path = i % 2 === 0 ? `/api/v1/traces?${range}&limit=1000&minDuration=1ns` : `/api/v1/services?${range}`;
      return http.get(`${th.apiUrl}${path}`, (res) => res.resume()).once('error', () => {});
    });
    await new Promise((r) => setTimeout(r, 30 + attempt * 20));
    for (const request of requests) request.destroy();
    th.child.kill('SIGTERM');
    exits.push(await th.exited);
  }
  t.diagnostic(`exits: ${exits.join(', ')}`);
  assert.deepEqual(exits, [0, 0, 0, 0], th.stderr().slice(-2000));
});
