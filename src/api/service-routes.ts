import { Hono } from 'hono';
import type { RedGroup } from '../storage/view-api.ts';
import type { ViewRoutesOptions } from './handler-helpers.ts';
import { parseIntParam, parseTimeRange } from './params.ts';
import type { OperationsResponse, OperationStats, ServiceStatsResponse, Sparkline } from './types.ts';

// The services page: RED figures per service and per operation, with sparklines.

const NS_PER_SECOND = 1e9;

export function createServiceRoutes({ reader, nowNs }: ViewRoutesOptions): Hono {
  const app = new Hono();

  app.get('/api/v1/services/stats', async (c) => {
    const range = parseTimeRange((n) => c.req.query(n), nowNs());
    const buckets = parseIntParam('buckets', c.req.query('buckets'), 30, 1, 200);
    const { stepNs, services } = await reader.serviceStats({ ...range, buckets }, { signal: c.req.raw.signal });
    const body: ServiceStatsResponse = {
      startUnixNano: range.startNs.toString(),
      endUnixNano: range.endNs.toString(),
      services: services.map((s) => ({ ...redJson(s, range, stepNs), basis: s.basis })),
    };
    return c.json(body);
  });

  app.get('/api/v1/services/:name/operations', async (c) => {
    const range = parseTimeRange((n) => c.req.query(n), nowNs());
    const buckets = parseIntParam('buckets', c.req.query('buckets'), 30, 1, 200);
    const service = c.req.param('name');
    const result = await reader.operationStats(service, { ...range, buckets }, { signal: c.req.raw.signal });
    const body: OperationsResponse = {
      service,
      basis: result.basis,
      startUnixNano: range.startNs.toString(),
      endUnixNano: range.endNs.toString(),
      operations: result.groups.map((g) => redJson(g, range, result.stepNs)),
    };
    return c.json(body);
  });

  return app;
}

function redJson(g: RedGroup, range: { startNs: bigint; endNs: bigint }, stepNs: bigint): OperationStats {
  const rangeSeconds = Number(range.endNs - range.startNs) / NS_PER_SECOND;
  const stepSeconds = Number(stepNs) / NS_PER_SECOND;
  const buckets = g.series.requestCount.length;
  // The last bucket may reach past the range end: its rate is over the part inside.
  const bucketSeconds = (i: number) =>
    i === buckets - 1 ? Math.max(rangeSeconds - stepSeconds * (buckets - 1), Number.MIN_VALUE) : stepSeconds;
  const sparkline: Sparkline = {
    startUnixNano: range.startNs.toString(),
    stepNs: Number(stepNs),
    ratePerSecond: g.series.requestCount.map((n, i) => (rangeSeconds > 0 ? n / bucketSeconds(i) : 0)),
    errorRate: g.series.requestCount.map((n, i) => (n > 0 ? g.series.errorCount[i]! / n : 0)),
    p95Ns: g.series.p95Ns.slice(),
  };
  return {
    name: g.name,
    requestCount: g.requestCount,
    ratePerSecond: rangeSeconds > 0 ? g.requestCount / rangeSeconds : 0,
    errorCount: g.errorCount,
    errorRate: g.requestCount > 0 ? g.errorCount / g.requestCount : 0,
    p50Ns: g.p50Ns,
    p95Ns: g.p95Ns,
    p99Ns: g.p99Ns,
    sparkline,
  };
}
