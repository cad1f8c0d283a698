import type { DoctorResponse } from '../../api/types.ts';
import type { ReadOptions } from '../../storage/api.ts';
import type { DoctorQuery, DoctorReader } from '../../storage/doctor-api.ts';
import type { ExportRequestStats } from './export-requests.ts';
import { findingsOf } from './findings.ts';
import { IMPLEMENTED, instrumentationScore, NOT_IMPLEMENTED, SPEC_URL, SPEC_VERSION } from './score.ts';
import { statsByService } from './service-stats.ts';

// GET /api/v1/doctor: per service, the setup problems found (findings.ts) and
// the Instrumentation Score (score.ts), from aggregates storage computed over
// the range (doctor-*-sql.ts) and the export request counts kept in memory.

export async function diagnose(
  reader: DoctorReader,
  exportRequests: ExportRequestStats | undefined,
  query: DoctorQuery,
  options?: ReadOptions,
): Promise<DoctorResponse> {
  const stats = await reader.doctorStats(query, options);
  const startMs = Number(query.startNs / 1_000_000n);
  const endMs = Number(query.endNs / 1_000_000n);
  const none = { requests: 0, spans: 0, singleSpanRequests: 0, peakRequestsPerMinute: 0, countingSinceMs: 0 };
  const services = statsByService(stats, (service) => exportRequests?.summary(service, startMs, endMs) ?? none).map((s) => {
    const findings = findingsOf(s);
    return {
      service: s.service,
      signals: { spans: s.spans?.spans ?? 0, traces: s.spans?.traces ?? 0, logs: s.logs?.logs ?? 0, metricPoints: s.metrics?.points ?? 0 },
      findings,
      score: instrumentationScore(s, findings.some((f) => f.id === 'span-name-high-cardinality')),
    };
  });
  return {
    startUnixNano: query.startNs.toString(),
    endUnixNano: query.endNs.toString(),
    services,
    exportRequestsCountedSinceUnixNano: (BigInt(exportRequests?.countingSinceMs ?? 0) * 1_000_000n).toString(),
    spec: { url: SPEC_URL, version: SPEC_VERSION, implemented: IMPLEMENTED, notImplemented: NOT_IMPLEMENTED },
  };
}
