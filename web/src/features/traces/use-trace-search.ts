import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { TimeRange } from '../../lib/time-range.ts';
import { resolveTimeRange, timeRangeKey } from '../../lib/time-range.ts';
import type { TraceSearch } from './search-params.ts';
import { searchToApi } from './search-params.ts';

/** Traces matching the search; the range it ran over comes back with them (relative ranges end "now"). */
export function useTraceSearch(search: TraceSearch, range: TimeRange) {
  return useQuery({
    queryKey: ['trace-search', searchToApi(search), timeRangeKey(range)],
    queryFn: async ({ signal }) => {
      const { startMs, endMs } = resolveTimeRange(range);
      const response = await api.searchTraces({ ...searchToApi(search), start: startMs, end: endMs }, signal);
      return { startMs, endMs, traces: response.traces };
    },
    placeholderData: keepPreviousData,
  });
}

/** Attribute keys seen (for the key box), filtered by what was typed. */
export function useAttributeKeys(service: string, typed: string, range: TimeRange) {
  return useQuery({
    queryKey: ['attribute-keys', service, typed, timeRangeKey(range)],
    queryFn: ({ signal }) => {
      const { startMs, endMs } = resolveTimeRange(range);
      return api.attributeKeys({ start: startMs, end: endMs, limit: 50, ...(service ? { service } : {}), ...(typed ? { q: typed } : {}) }, signal);
    },
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

/** Values seen for one key (for the value box), most frequent first. */
export function useAttributeValues(key: string, service: string, typed: string, range: TimeRange) {
  return useQuery({
    queryKey: ['attribute-values', key, service, typed, timeRangeKey(range)],
    queryFn: ({ signal }) => {
      const { startMs, endMs } = resolveTimeRange(range);
      return api.attributeValues(key, { start: startMs, end: endMs, limit: 50, ...(service ? { service } : {}), ...(typed ? { q: typed } : {}) }, signal);
    },
    enabled: key.trim() !== '',
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}
