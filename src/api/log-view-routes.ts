import { Hono } from 'hono';
import { ParameterError } from './errors.ts';
import { attributeFilters, defined, optionalParam } from './handler-helpers.ts';
import type { ViewRoutesOptions } from './handler-helpers.ts';
import { parseSeverity, parseStep, parseTimeRange, parseTraceId } from './params.ts';
import type { LogHistogramResponse, SeverityBand } from './types.ts';

// The logs page histogram: counts per time bucket, stacked by severity band.

const SECOND_NS = 1_000_000_000n;
const DEFAULT_BUCKETS = 60n;
const MAX_BUCKETS = 1000n;
const BANDS: SeverityBand[] = ['unset', 'trace', 'debug', 'info', 'warn', 'error', 'fatal'];

export function createLogViewRoutes({ reader, nowNs }: ViewRoutesOptions): Hono {
  const app = new Hono();

  app.get('/api/v1/logs/histogram', async (c) => {
    const range = parseTimeRange((n) => c.req.query(n), nowNs());
    const spanNs = range.endNs - range.startNs;
    const stepNs = optionalParam(c, 'step', (t) => parseStep('step', t)) ?? defaultStep(spanNs);
    const first = floorTo(range.startNs, stepNs);
    const count = range.endNs === range.startNs ? 1n : (range.endNs - 1n - first) / stepNs + 1n;
    if (count > MAX_BUCKETS) throw new ParameterError('step', `gives ${count} buckets over the range; at most ${MAX_BUCKETS}: use a longer step`);
    const buckets = await reader.logHistogram(
      {
        ...range,
        stepNs,
        ...defined('traceId', optionalParam(c, 'traceId', (t) => parseTraceId('traceId', t))),
        ...defined('service', optionalParam(c, 'service', String)),
        ...defined('minSeverity', optionalParam(c, 'minSeverity', (t) => parseSeverity('minSeverity', t))),
        ...defined('text', optionalParam(c, 'q', String)),
        attributes: attributeFilters(c),
      },
      { signal: c.req.raw.signal },
    );
    const n = Number(count);
    const counts = Object.fromEntries(BANDS.map((b) => [b, new Array<number>(n).fill(0)])) as Record<SeverityBand, number[]>;
    let total = 0;
    for (const b of buckets) {
      const i = Number((b.startNs - first) / stepNs);
      if (i < 0 || i >= n) continue;
      counts[b.band][i] = b.count;
      total += b.count;
    }
    const body: LogHistogramResponse = {
      startUnixNano: first.toString(),
      stepNs: Number(stepNs),
      bucketStartUnixNano: Array.from({ length: n }, (_, i) => (first + BigInt(i) * stepNs).toString()),
      counts,
      total,
    };
    return c.json(body);
  });

  return app;
}

/** About 60 bars over the range, in whole seconds. */
function defaultStep(spanNs: bigint): bigint {
  const step = (spanNs + DEFAULT_BUCKETS - 1n) / DEFAULT_BUCKETS;
  const seconds = (step + SECOND_NS - 1n) / SECOND_NS;
  return (seconds > 0n ? seconds : 1n) * SECOND_NS;
}

function floorTo(ns: bigint, stepNs: bigint): bigint {
  const r = ns % stepNs;
  return r < 0n ? ns - r - stepNs : ns - r;
}
