import type { AnchorScope } from '../../storage/analysis-api.ts';
import type { ReadOptions, TelemetryReader } from '../../storage/api.ts';
import type { AnalysisBasis } from './analysis-types.ts';

// Past maxTraces matching traces an analysis reads a deterministic sample of them
// (analysis-anchor-sql.ts: a range of trace ids, so every statement of one
// analysis sees the same traces, and the same on every run), and says so.

export interface AnalysisInput extends AnchorScope {
  maxTraces: number;
}

export async function sampledScope(
  reader: TelemetryReader,
  input: AnalysisInput,
  options: ReadOptions | undefined,
): Promise<{ scope: AnchorScope; matchedTraces: number; sample: AnalysisBasis['sample'] }> {
  const { maxTraces, ...scope } = input;
  const matchedTraces = await reader.countAnchorTraces(scope, options);
  if (matchedTraces <= maxTraces) return { scope, matchedTraces, sample: null };
  const perMillion = Math.max(1, Math.floor((maxTraces / matchedTraces) * 1_000_000));
  const fraction = perMillion / 1_000_000;
  return {
    scope: { ...scope, samplePerMillion: perMillion },
    matchedTraces,
    sample: {
      fraction,
      note: `${matchedTraces} traces matched; a deterministic sample of about ${(fraction * 100).toPrecision(2)}% of them (a range of trace ids, about ${maxTraces} traces) was analyzed`,
    },
  };
}

export function basisOf(scope: AnchorScope, matchedTraces: number, analyzedTraces: number, sample: AnalysisBasis['sample'], notes: string[]): AnalysisBasis {
  return {
    service: scope.service,
    spanName: scope.spanName ?? null,
    startUnixNano: scope.startNs.toString(),
    endUnixNano: scope.endNs.toString(),
    matchedTraces,
    analyzedTraces,
    sample,
    notes,
  };
}
