import { Hono } from 'hono';
import { diagnose } from '../query/doctor/doctor.ts';
import type { ExportRequestStats } from '../query/doctor/export-requests.ts';
import type { TelemetryReader } from '../storage/api.ts';
import { ParameterError } from './errors.ts';
import { parseTimeRange } from './params.ts';

// GET /api/v1/doctor?service=&start=&end=: the instrumentation doctor
// (query/doctor/): per service, setup problems with evidence and the fix, and
// the Instrumentation Score. start/end as the rest of the JSON API (RFC 3339 or
// Unix ms; the last hour by default); without service, every service with
// spans, logs or metric points in the range.

export interface DoctorRoutesOptions {
  reader: TelemetryReader;
  nowNs: () => bigint;
  /** Spans per received export request (server.ts); without it the span-per-request check sees no requests. */
  exportRequests?: ExportRequestStats;
}

export function createDoctorRoutes(options: DoctorRoutesOptions): Hono {
  const app = new Hono();
  app.get('/api/v1/doctor', async (c) => {
    const service = c.req.query('service');
    if (service === '') throw new ParameterError('service', 'must not be empty: leave it out for every service');
    const range = parseTimeRange((n) => c.req.query(n), options.nowNs());
    const query = service === undefined ? range : { ...range, service };
    return c.json(await diagnose(options.reader, options.exportRequests, query, { signal: c.req.raw.signal }));
  });
  return app;
}
