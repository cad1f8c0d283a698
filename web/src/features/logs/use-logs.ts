import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { TimeRange } from '../../lib/time-range.ts';
import { resolveTimeRange, timeRangeKey } from '../../lib/time-range.ts';

export interface LogSearch {
  q: string;
  service: string;
  minSeverity: string;
  traceId: string;
  attr: string[];
}

export function readLogSearch(params: URLSearchParams): LogSearch {
  return {
    q: params.get('q') ?? '',
    service: params.get('service') ?? '',
    minSeverity: params.get('minSeverity') ?? '',
    traceId: params.get('traceId') ?? '',
    attr: params.getAll('attr'),
  };
}

export function writeLogSearch(params: URLSearchParams, search: LogSearch): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const name of ['q', 'service', 'minSeverity', 'traceId', 'attr']) next.delete(name);
  for (const name of ['q', 'service', 'minSeverity', 'traceId'] as const) {
    if (search[name].trim() !== '') next.set(name, search[name].trim());
  }
  for (const a of search.attr) if (a.trim() !== '') next.append('attr', a.trim());
  return next;
}

function apiParams(search: LogSearch): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of ['q', 'service', 'minSeverity', 'traceId'] as const) if (search[name]) out[name] = search[name];
  if (search.attr.length > 0) out['attr'] = search.attr;
  return out;
}

export function useLogs(search: LogSearch, range: TimeRange, limit: number) {
  return useQuery({
    queryKey: ['logs', apiParams(search), timeRangeKey(range), limit],
    queryFn: ({ signal }) => {
      const { startMs, endMs } = resolveTimeRange(range);
      return api.searchLogs({ ...apiParams(search), start: startMs, end: endMs, limit }, signal);
    },
    placeholderData: keepPreviousData,
  });
}

export function useLogHistogram(search: LogSearch, range: TimeRange) {
  return useQuery({
    queryKey: ['log-histogram', apiParams(search), timeRangeKey(range)],
    queryFn: ({ signal }) => {
      const { startMs, endMs } = resolveTimeRange(range);
      return api.logHistogram({ ...apiParams(search), start: startMs, end: endMs }, signal);
    },
    placeholderData: keepPreviousData,
  });
}
