import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../test/helpers/tracehouse.ts';
import { jaegerBinary } from '../test/jaeger/jaeger-process.ts';
import { benchOptionSpecs, benchUsage, parseBenchOptions } from './bench-options.ts';
import type { SystemFigures } from './bench-phases.ts';
import { figuresTable } from './figures-table.ts';
import { machineInfo, machineLine } from './proc-stats.ts';
import { runJaeger } from './jaeger-bench.ts';
import { runTracehouse } from './tracehouse-bench.ts';

// `npm run bench:peers`: Tracehouse and Jaeger v2 (Badger store) under the same
// load and the same queries, one after the other on this machine, printed side by
// side with Tracehouse / Jaeger ratios; writes bench/results/peers.json. Builds
// Jaeger first (scripts/jaeger/build.sh, cached in .cache/go-bin). Takes the
// options of `npm run bench`, and `--tracehouse-from bench/results/ingest.json`
// to reuse Tracehouse's figures from an earlier `npm run bench` instead of
// running it again. Not part of `npm test`.

const { values } = parseArgs({
  options: { ...benchOptionSpecs, 'tracehouse-from': { type: 'string' }, help: { type: 'boolean', default: false } },
});
if (values.help === true) {
  console.log(`${benchUsage}\n  --tracehouse-from FILE (Tracehouse's figures from an earlier npm run bench)`);
  process.exit(0);
}
const options = parseBenchOptions(values);
const loadAverageAtStart = os.loadavg();
const started = performance.now();

let buildS = performance.now();
process.stderr.write('bench: building Jaeger (scripts/jaeger/build.sh; cached after the first time)\n');
const jaegerPath = await jaegerBinary();
buildS = (performance.now() - buildS) / 1000;

const from = values['tracehouse-from'];
const tracehouseS = performance.now();
const tracehouse = typeof from === 'string'
  ? ((JSON.parse(await readFile(from, 'utf8')) as { figures: SystemFigures }).figures)
  : await runTracehouse(options);
const tracehouseElapsedS = (performance.now() - tracehouseS) / 1000;
const jaegerS = performance.now();
const jaeger = await runJaeger(options, jaegerPath);
const jaegerElapsedS = (performance.now() - jaegerS) / 1000;

const round2 = (n: number) => Math.round(n * 100) / 100;
const result = {
  machine: await machineInfo(),
  jaeger: { version: path.basename(jaegerPath), store: 'badger', config: 'scripts/jaeger/config-badger.yaml' },
  tracehouseFiguresFrom: typeof from === 'string' ? from : 'this run',
  options,
  systems: [tracehouse, jaeger],
  seconds: { jaegerBuild: Math.round(buildS), tracehouse: Math.round(tracehouseElapsedS), jaeger: Math.round(jaegerElapsedS), total: Math.round((performance.now() - started) / 1000) },
  loadAverage: { atStart: loadAverageAtStart.map(round2), atEnd: os.loadavg().map(round2) },
  measuredAt: new Date().toISOString(),
};
await mkdir(path.join(repoRoot, 'bench/results'), { recursive: true });
await writeFile(path.join(repoRoot, 'bench/results/peers.json'), JSON.stringify(result, null, 2) + '\n');

console.log(figuresTable([tracehouse, jaeger]));
console.log(
  `\nsame load for both: ${options.spansPerRequest} spans a request, fresh trace ids, ${options.concurrency} in flight, ` +
    `${options.warmupS} s warm-up + ${options.measureS} s measured, then ${options.totalSpans.toLocaleString('en-US')} spans over ${options.spreadH} h.`,
);
console.log('jaeger: "lost" is not countable through its API (no span count); its sampled traces fetched by id are; it acknowledges on enqueue. No logs, no search without a service.');
console.log(machineLine(result.machine));
console.log(`seconds: jaeger build ${result.seconds.jaegerBuild}, tracehouse ${result.seconds.tracehouse}, jaeger ${result.seconds.jaeger}; ` +
  `load average at start ${result.loadAverage.atStart.join(', ')}, at end ${result.loadAverage.atEnd.join(', ')}; bench/results/peers.json written.`);
