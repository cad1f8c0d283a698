// Trace statistics per service and operation, as Jaeger's "Trace Statistics"
// view groups them (count, total, min, max, self time, share of the trace).

export interface StatSpanInput {
  service: string;
  name: string;
  durationNs: number;
  selfNs: number;
  isError: boolean;
}

export interface TraceStat {
  service: string;
  operation: string;
  count: number;
  errorCount: number;
  totalNs: number;
  minNs: number;
  maxNs: number;
  selfNs: number;
  /** selfNs / trace duration (0 for a zero-length trace). */
  selfShare: number;
  /** totalNs / trace duration: above 1 when spans of the group overlap or repeat. */
  totalShare: number;
}

/** Rows by self time, largest first (where the trace spent its time). */
export function traceStats(spans: Iterable<StatSpanInput>, traceDurationNs: number): TraceStat[] {
  const byService = new Map<string, Map<string, TraceStat>>();
  const rows: TraceStat[] = [];
  for (const s of spans) {
    const duration = Math.max(0, s.durationNs);
    let groups = byService.get(s.service);
    if (groups === undefined) byService.set(s.service, (groups = new Map()));
    let g = groups.get(s.name);
    if (g === undefined) {
      g = { service: s.service, operation: s.name, count: 0, errorCount: 0, totalNs: 0, minNs: duration, maxNs: duration, selfNs: 0, selfShare: 0, totalShare: 0 };
      groups.set(s.name, g);
      rows.push(g);
    }
    g.count++;
    if (s.isError) g.errorCount++;
    g.totalNs += duration;
    g.minNs = Math.min(g.minNs, duration);
    g.maxNs = Math.max(g.maxNs, duration);
    g.selfNs += s.selfNs;
  }
  for (const g of rows) {
    g.selfShare = traceDurationNs > 0 ? g.selfNs / traceDurationNs : 0;
    g.totalShare = traceDurationNs > 0 ? g.totalNs / traceDurationNs : 0;
  }
  return rows.sort((a, b) => b.selfNs - a.selfNs || a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation));
}
