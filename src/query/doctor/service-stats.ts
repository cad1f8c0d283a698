import type {
  DoctorDetachedSpans,
  DoctorLogStats,
  DoctorMetricStats,
  DoctorOrphans,
  DoctorResourceStats,
  DoctorSpanStats,
  DoctorStats,
  DoctorTraceShape,
} from '../../storage/doctor-api.ts';
import type { ExportRequestSummary } from './export-requests.ts';

// Storage's per-signal rows regrouped per service: what findings.ts and
// score.ts judge. A signal the service did not send is undefined.

export interface ServiceStats {
  service: string;
  spans: DoctorSpanStats | undefined;
  shape: DoctorTraceShape | undefined;
  orphans: DoctorOrphans | undefined;
  detached: DoctorDetachedSpans | undefined;
  logs: DoctorLogStats | undefined;
  metrics: DoctorMetricStats | undefined;
  resources: DoctorResourceStats | undefined;
  exportRequests: ExportRequestSummary;
}

export function statsByService(stats: DoctorStats, exportRequests: (service: string) => ExportRequestSummary): ServiceStats[] {
  const byName = <T extends { service: string }>(rows: T[]) => new Map(rows.map((r) => [r.service, r]));
  const spans = byName(stats.spans);
  const shapes = byName(stats.traceShapes);
  const orphans = byName(stats.orphans);
  const detached = byName(stats.detached);
  const logs = byName(stats.logs);
  const metrics = byName(stats.metrics);
  const resources = byName(stats.resources);
  const names = new Set([...spans.keys(), ...logs.keys(), ...metrics.keys()]);
  return [...names].sort().map((service) => ({
    service,
    spans: spans.get(service),
    shape: shapes.get(service),
    orphans: orphans.get(service),
    detached: detached.get(service),
    logs: logs.get(service),
    metrics: metrics.get(service),
    resources: resources.get(service),
    exportRequests: exportRequests(service),
  }));
}
