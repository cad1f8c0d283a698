import type { LoadPlan, LoadResult, Transport } from './sequenced-load.ts';
import { startLoad } from './sequenced-load.ts';
import { freePortArgs, startChild, stopChild, tempDir } from './tracehouse.ts';
import type { ChildTracehouse } from './tracehouse.ts';
import type { RoundFigures } from './verify-stored.ts';
import { verifyRound } from './verify-stored.ts';

// kill -9 rounds shared by test/kill-restart.test.ts and `npm run soak`: load a
// Tracehouse process with sequence-numbered spans, kill it at a random moment,
// start it again on the same data directory, and read the round back. The
// restarted process is the next round's victim, so every round also proves
// that start-up after a crash works.

export interface KillRoundsOptions {
  rounds: number;
  /** Round r uses transports[r % transports.length]. */
  transports: readonly Transport[];
  /** The kill comes at a uniformly random moment in [minKillMs, maxKillMs) after the load starts. */
  minKillMs: number;
  maxKillMs: number;
  concurrency: number;
  spansPerRequest: number;
  /** Acknowledged traces read back by id each round (all unacknowledged ones are). */
  traceSample: number;
  /** Called after each round, e.g. to print it. */
  onRound?: (round: RoundReport) => void;
}

export interface RoundReport extends RoundFigures {
  round: number;
  transport: Transport;
  killAfterMs: number;
  retries: number;
  refusals: string[];
}

export interface KillRoundsTotals {
  rounds: number;
  acknowledgedSpans: number;
  missing: number;
  duplicates: number;
  storedUnacknowledged: number;
  /** Exit code of the last process, stopped by SIGTERM at the end. */
  finalExit: number | string;
  reports: RoundReport[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runKillRounds(options: KillRoundsOptions): Promise<KillRoundsTotals> {
  const temp = await tempDir('tracehouse-kill-');
  const args = [...freePortArgs, '--data-dir', temp.dir];
  const reports: RoundReport[] = [];
  let th: ChildTracehouse | undefined;
  let finalExit: number | string = -1;
  // Rounds a few minutes apart in event time (each round's trace ids differ by
  // their first byte too), all inside the last hour the API reads by default.
  const firstBaseMs = Date.now() - 55 * 60_000;
  try {
    th = await startChild(args);
    for (let round = 0; round < options.rounds; round++) {
      const transport = options.transports[round % options.transports.length]!;
      const plan: LoadPlan = {
        round: round % 256,
        spansPerRequest: options.spansPerRequest,
        baseMs: firstBaseMs + (round % 256) * 12_000,
      };
      const killAfterMs = options.minKillMs + Math.floor(Math.random() * (options.maxKillMs - options.minKillMs));
      const load = startLoad({ transport, otlpUrl: th.otlpUrl, grpcAddress: th.grpcAddress }, plan, options.concurrency);
      await sleep(killAfterMs);
      th.child.kill('SIGKILL');
      await th.exited;
      const result: LoadResult = await load.stop();
      th = await startChild(args);
      const restarted = th;
      const figures = await verifyRound(th.apiUrl, result, options.traceSample).catch((error: unknown) => {
        throw new Error(`round ${round} (${transport}): ${String(error)}\nserver log:\n${restarted.stderr().slice(-4000)}`, { cause: error });
      });
      const report: RoundReport = { round, transport, killAfterMs, retries: result.retries, refusals: result.refusals, ...figures };
      reports.push(report);
      options.onRound?.(report);
      if (round % 256 === 255) {
        // Trace ids repeat after 256 rounds: start over on a fresh directory.
        finalExit = await stopChild(th);
        th = undefined;
        await temp.remove();
        th = await startChild(args);
      }
    }
    finalExit = await stopChild(th);
    th = undefined;
  } finally {
    if (th !== undefined) await stopChild(th, 'SIGKILL');
    await temp.remove();
  }
  const sum = (f: (r: RoundReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  return {
    rounds: reports.length,
    acknowledgedSpans: sum((r) => r.acknowledgedSpans),
    missing: sum((r) => r.missing),
    duplicates: sum((r) => r.duplicates),
    storedUnacknowledged: sum((r) => r.storedUnacknowledged),
    finalExit,
    reports,
  };
}
