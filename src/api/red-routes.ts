import { Hono } from 'hono';
import { routeRed } from '../query/metrics/red.ts';
import type { TelemetryReader } from '../storage/api.ts';
import { ParameterError } from './errors.ts';
import { parseStep, parseTimeRange } from './params.ts';

// GET /api/v1/red?service=&start=&end=&step=: request rate, error rate and
// p50/p95/p99 per route (query/metrics/red.ts), saying which source answered
// (`source`: the HTTP server duration metric, or server spans). start/end as
// the rest of the JSON API (RFC 3339 or Unix ms; the last hour by default),
// step a duration (default: 60 buckets over the range, at least 1 s).

export interface RedRoutesOptions {
  reader: TelemetryReader;
  nowNs: () => bigint;
}

const MAX_STEPS = 11_000;

export function createRedRoutes(options: RedRoutesOptions): Hono {
  const app = new Hono();
  app.get('/api/v1/red', async (c) => {
    const service = c.req.query('service');
    if (service === undefined || service === '') throw new ParameterError('service', 'required: the service.name to report on');
    const range = parseTimeRange((n) => c.req.query(n), options.nowNs());
    const startMs = Number(range.startNs / 1_000_000n);
    const endMs = Number(range.endNs / 1_000_000n);
    const stepText = c.req.query('step');
    const stepMs = stepText === undefined ? Math.max(1000, Math.ceil((endMs - startMs) / 60 / 1000) * 1000) : Number(parseStep('step', stepText) / 1_000_000n);
    if (stepMs < 1) throw new ParameterError('step', 'must be at least 1ms');
    if ((endMs - startMs) / stepMs > MAX_STEPS) throw new ParameterError('step', `too small for the range: at most ${MAX_STEPS} steps`);
    return c.json(await routeRed(options.reader, { service, startMs, endMs, stepMs }, { signal: c.req.raw.signal }));
  });
  return app;
}
