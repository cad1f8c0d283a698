import { parseArgs } from 'node:util';

// The options `npm run bench` and `npm run bench:peers` share: the load shape of
// issue 9 by default (500 spans a request, 16 in flight, 5 s warm-up, 30 s
// measured, then 10 million spans over 24 h and ≥ 20 runs a query).

export interface BenchOptions {
  spansPerRequest: number;
  concurrency: number;
  warmupS: number;
  measureS: number;
  totalSpans: number;
  loadConcurrency: number;
  spreadH: number;
  logsEvery: number;
  queryRuns: number;
  queryWarmup: number;
  sampleSize: number;
  /** Keep Tracehouse's data directory (and print its path) to query it afterwards. */
  keepData: boolean;
}

export const benchOptionSpecs = {
  'spans-per-request': { type: 'string', default: '500' },
  concurrency: { type: 'string', default: '16' },
  'warmup-s': { type: 'string', default: '5' },
  'measure-s': { type: 'string', default: '30' },
  'total-spans': { type: 'string', default: '10000000' },
  'load-concurrency': { type: 'string', default: '32' },
  'spread-h': { type: 'string', default: '24' },
  'logs-every': { type: 'string', default: '10' },
  'query-runs': { type: 'string', default: '30' },
  'query-warmup': { type: 'string', default: '3' },
  'sample-size': { type: 'string', default: '200' },
  'keep-data': { type: 'boolean', default: false },
} as const;

export const benchUsage = `options (defaults): --spans-per-request 500 --concurrency 16 --warmup-s 5 --measure-s 30
  --total-spans 10000000 (spans stored before the queries) --load-concurrency 32 --spread-h 24
  --logs-every 10 (a logs request for every 10th loading request's traces) --query-runs 30 --query-warmup 3
  --sample-size 200 (acknowledged traces fetched by id and compared with what was sent)
  --keep-data (keep Tracehouse's data directory and print its path, to query it afterwards)`;

export function parseBenchOptions(values: Record<string, string | boolean | undefined>): BenchOptions {
  const number = (name: keyof typeof benchOptionSpecs, min: number): number => {
    const text = values[name];
    const n = Number(text);
    if (typeof text !== 'string' || !Number.isFinite(n) || n < min) throw new Error(`--${name}: expected a number of at least ${min}, got ${String(text)}\n${benchUsage}`);
    return n;
  };
  return {
    spansPerRequest: number('spans-per-request', 5),
    concurrency: number('concurrency', 1),
    warmupS: number('warmup-s', 0),
    measureS: number('measure-s', 1),
    totalSpans: number('total-spans', 0),
    loadConcurrency: number('load-concurrency', 1),
    spreadH: number('spread-h', 1),
    logsEvery: number('logs-every', 0),
    queryRuns: number('query-runs', 5), // 5 is enough for a p50 in ingest-focused runs; p95 wants 20 or more
    queryWarmup: number('query-warmup', 0),
    sampleSize: number('sample-size', 1),
    keepData: values['keep-data'] === true,
  };
}

export function parseBenchArgs() {
  return parseArgs({ options: { ...benchOptionSpecs, help: { type: 'boolean', default: false } } });
}
