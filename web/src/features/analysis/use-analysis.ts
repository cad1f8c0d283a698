import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { BreakdownResponse, CompareResponse } from '../../../../src/api/types.ts';
import { getJson } from '../../api/client.ts';
import type { TimeRange } from '../../lib/time-range.ts';
import { resolveTimeRange, timeRangeKey } from '../../lib/time-range.ts';

// The root-cause views' data: GET /api/v1/analysis/breakdown and /compare over the
// page's range and the search it came from (service, span name, attr, traceAttr, minDuration).

export interface AnalysisScope {
  service: string;
  spanName: string;
  attr: string[];
  /** Conditions one span of the trace meets (a trace search's). */
  traceAttr: string[];
  minDuration: string;
}

export type CompareSelection = 'slow' | 'errors';

export function readScope(params: URLSearchParams): AnalysisScope {
  return {
    service: params.get('service') ?? '',
    spanName: params.get('spanName') ?? '',
    attr: params.getAll('attr'),
    traceAttr: params.getAll('traceAttr'),
    minDuration: params.get('minDuration') ?? '',
  };
}

const scopeParams = (scope: AnalysisScope, range: TimeRange) => {
  const { startMs, endMs } = resolveTimeRange(range);
  return { service: scope.service, spanName: scope.spanName, attr: scope.attr, traceAttr: scope.traceAttr, minDuration: scope.minDuration, start: startMs, end: endMs };
};
const scopeKey = (scope: AnalysisScope) => [scope.service, scope.spanName, scope.attr.join('\u0000'), scope.traceAttr.join('\u0000'), scope.minDuration];

export function useBreakdown(scope: AnalysisScope, range: TimeRange, enabled: boolean) {
  return useQuery({
    queryKey: ['analysis-breakdown', ...scopeKey(scope), timeRangeKey(range)],
    queryFn: ({ signal }) => getJson<BreakdownResponse>('/api/v1/analysis/breakdown', scopeParams(scope, range), signal),
    enabled: enabled && scope.service !== '',
    placeholderData: keepPreviousData,
  });
}

export function useCompare(scope: AnalysisScope, range: TimeRange, selection: CompareSelection, enabled: boolean) {
  return useQuery({
    queryKey: ['analysis-compare', ...scopeKey(scope), selection, timeRangeKey(range)],
    queryFn: ({ signal }) => getJson<CompareResponse>('/api/v1/analysis/compare', { ...scopeParams(scope, range), selection }, signal),
    enabled: enabled && scope.service !== '',
    placeholderData: keepPreviousData,
  });
}
