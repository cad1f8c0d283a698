import type { TracesConsumer } from '../../consumer/consumer.ts';
import { currentTenant } from '../../tenancy/tenant-context.ts';
import type { TracesData } from '../../pdata/model.ts';
import { serviceNameOf } from '../../storage/resource-scope.ts';

// How many spans each received trace export request carried, per service: the
// one thing the doctor needs that storage cannot tell (group commit merges
// requests into one insert). An SDK exporting span by span (SimpleSpanProcessor)
// sends one request per span; a BatchSpanProcessor sends at most one request per
// scheduledDelayMillis (5 s by default) unless 512 spans are waiting.
//
// Kept in memory, per service and minute, for the last 24 hours: it counts what
// this process received since it started (a restart forgets it; the doctor says
// since when it knows). Observed where a receiver hands a request to the
// pipelines, before any batch processor merges requests; the cost is one pass
// over the request's resource spans (no per-span work beyond reading a length).

const MINUTE_MS = 60_000;
const KEEP_MINUTES = 24 * 60;
/** More services than this are not tracked (a sender inventing names must not grow memory). */
const MAX_SERVICES = 1000;

interface MinuteCounts {
  requests: number;
  spans: number;
  singleSpanRequests: number;
}

export interface ExportRequestSummary {
  requests: number;
  spans: number;
  /** Requests that carried exactly one span of the service. */
  singleSpanRequests: number;
  /** The most requests of the service in one minute of the range. */
  peakRequestsPerMinute: number;
  /** Unix ms from which this process counted (its start). */
  countingSinceMs: number;
}

/** A service of one tenant: the doctor of a tenant counts only its own requests (tenancy/). */
function tenantScoped(service: string): string {
  const tenant = currentTenant();
  return tenant === undefined ? service : `${tenant}\0${service}`;
}

export class ExportRequestStats {
  readonly countingSinceMs: number;
  readonly #services = new Map<string, Map<number, MinuteCounts>>();

  constructor(nowMs = Date.now()) {
    this.countingSinceMs = nowMs;
  }

  /** One received request: spans per service.name of its resources. */
  record(data: TracesData, nowMs = Date.now()): void {
    this.add(spansPerService(data), nowMs);
  }

  /** A request's counts from `spansPerService`. */
  add(perService: Map<string, number>, nowMs = Date.now()): void {
    const minute = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
    for (const [name, spans] of perService) {
      let minutes = this.#services.get(tenantScoped(name));
      if (minutes === undefined) {
        if (this.#services.size >= MAX_SERVICES) continue;
        minutes = new Map();
        this.#services.set(tenantScoped(name), minutes);
      }
      let counts = minutes.get(minute);
      if (counts === undefined) {
        counts = { requests: 0, spans: 0, singleSpanRequests: 0 };
        minutes.set(minute, counts);
        // Maps iterate in insertion order: the oldest minute is first.
        for (const old of minutes.keys()) {
          if (old > minute - KEEP_MINUTES * MINUTE_MS) break;
          minutes.delete(old);
        }
      }
      counts.requests++;
      counts.spans += spans;
      if (spans === 1) counts.singleSpanRequests++;
    }
  }

  /** What the service sent in [startMs, endMs), by whole minutes. */
  summary(service: string, startMs: number, endMs: number): ExportRequestSummary {
    const out: ExportRequestSummary = { requests: 0, spans: 0, singleSpanRequests: 0, peakRequestsPerMinute: 0, countingSinceMs: this.countingSinceMs };
    for (const [minute, c] of this.#services.get(tenantScoped(service)) ?? []) {
      if (minute + MINUTE_MS <= startMs || minute >= endMs) continue;
      out.requests += c.requests;
      out.spans += c.spans;
      out.singleSpanRequests += c.singleSpanRequests;
      out.peakRequestsPerMinute = Math.max(out.peakRequestsPerMinute, c.requests);
    }
    return out;
  }
}

/** Spans of each service.name in one request (storage's name: resource-scope.ts serviceNameOf). */
export function spansPerService(data: TracesData): Map<string, number> {
  const perService = new Map<string, number>();
  for (const rs of data.resourceSpans) {
    let spans = 0;
    for (const ss of rs.scopeSpans) spans += ss.spans.length;
    if (spans === 0) continue;
    const name = serviceNameOf(rs.resource);
    perService.set(name, (perService.get(name) ?? 0) + spans);
  }
  return perService;
}

/**
 * `consumer`, counting each request it accepted into `stats`. Counted before the
 * call (downstream may own and change the data once handed on), recorded after
 * it resolved: a request refused and resent counts once.
 */
export function observeTraceRequests(consumer: TracesConsumer, stats: ExportRequestStats | undefined): TracesConsumer {
  if (stats === undefined) return consumer;
  return {
    async consumeTraces(data) {
      const counts = spansPerService(data);
      const result = await consumer.consumeTraces(data);
      stats.add(counts);
      return result;
    },
  };
}
