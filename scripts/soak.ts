import { parseArgs } from 'node:util';
import { runKillRounds } from '../test/helpers/kill-rounds.ts';
import type { RoundReport } from '../test/helpers/kill-rounds.ts';
import type { Transport } from '../test/helpers/sequenced-load.ts';

// npm run soak [-- --rounds 100 --transport both --concurrency 8]: the kill -9
// rounds of test/kill-restart.test.ts, many times over, with the figures printed.
// Exits 1 when anything acknowledged went missing or anything was seen twice.

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '100' },
    transport: { type: 'string', default: 'both' },
    concurrency: { type: 'string', default: '8' },
    'spans-per-request': { type: 'string', default: '50' },
    'min-kill-ms': { type: 'string', default: '1000' },
    'max-kill-ms': { type: 'string', default: '4000' },
  },
});
const transports: Transport[] = values.transport === 'both' ? ['http', 'grpc'] : [values.transport as Transport];
if (!transports.every((t) => t === 'http' || t === 'grpc')) {
  process.stderr.write(`soak: --transport must be http, grpc or both, got "${values.transport}"\n`);
  process.exit(2);
}

const startedMs = Date.now();
const line = (r: RoundReport) =>
  `round ${String(r.round + 1).padStart(3)}  ${r.transport.padEnd(4)}  killed after ${String(r.killAfterMs).padStart(4)} ms  ` +
  `acknowledged ${String(r.acknowledgedSpans).padStart(7)}  missing ${r.missing}  duplicates ${r.duplicates}  ` +
  `stored unacknowledged ${r.storedUnacknowledged}  retries ${r.retries}${r.problems.length > 0 ? `\n  ${r.problems.slice(0, 5).join('\n  ')}` : ''}\n`;
const totals = await runKillRounds({
  rounds: Number(values.rounds),
  transports,
  minKillMs: Number(values['min-kill-ms']),
  maxKillMs: Number(values['max-kill-ms']),
  concurrency: Number(values.concurrency),
  spansPerRequest: Number(values['spans-per-request']),
  traceSample: 40,
  onRound: (r) => process.stdout.write(line(r)),
});
const refusals = totals.reports.flatMap((r) => r.refusals);
process.stdout.write(
  `\nrounds ${totals.rounds} (${transports.join(' + ')}), ${((Date.now() - startedMs) / 1000).toFixed(0)} s\n` +
    `acknowledged spans     ${totals.acknowledgedSpans}\n` +
    `missing                ${totals.missing}\n` +
    `duplicates             ${totals.duplicates}\n` +
    `stored unacknowledged  ${totals.storedUnacknowledged} (allowed: at-least-once)\n` +
    `refused requests       ${refusals.length}\n` +
    `final SIGTERM exit     ${totals.finalExit}\n`,
);
process.exitCode = totals.missing === 0 && totals.duplicates === 0 && refusals.length === 0 && totals.finalExit === 0 ? 0 : 1;
