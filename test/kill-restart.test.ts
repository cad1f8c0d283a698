import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runKillRounds } from './helpers/kill-rounds.ts';
import type { RoundReport } from './helpers/kill-rounds.ts';

// kill -9 at a random moment under sequence-numbered load, then a restart on the
// same data directory: nothing acknowledged may be missing and nothing may be
// seen twice on any read surface (trace by id, search summaries, services
// counts). `npm run soak` runs the same rounds 100 times and prints the figures.

const describeRound = (r: RoundReport) =>
  `round ${r.round} (${r.transport}, killed after ${r.killAfterMs} ms): ${r.acknowledgedSpans} acknowledged, ` +
  `${r.missing} missing, ${r.duplicates} duplicates${r.problems.length > 0 ? `\n  ${r.problems.slice(0, 10).join('\n  ')}` : ''}`;

describe('kill -9 under load, then restart on the same data directory', () => {
  for (const transport of ['http', 'grpc'] as const) {
    test(`OTLP/${transport === 'http' ? 'HTTP' : 'gRPC'}: 5 rounds, zero acknowledged spans missing, zero duplicates`, async () => {
      const totals = await runKillRounds({
        rounds: Number(process.env.KILL_ROUNDS ?? 5),
        transports: [transport],
        minKillMs: 1000,
        maxKillMs: 4000,
        concurrency: 8,
        spansPerRequest: 50,
        traceSample: 20,
      });
      const rounds = totals.reports.map(describeRound).join('\n');
      assert.equal(totals.rounds, Number(process.env.KILL_ROUNDS ?? 5));
      for (const r of totals.reports) {
        assert.deepEqual(r.refusals, [], rounds);
        assert.ok(r.acknowledgedSpans > 0, `nothing was acknowledged before the kill\n${rounds}`);
      }
      assert.equal(totals.missing, 0, rounds);
      assert.equal(totals.duplicates, 0, rounds);
      assert.deepEqual(totals.reports.flatMap((r) => r.problems), [], rounds);
      assert.equal(totals.finalExit, 0);
    });
  }
});
