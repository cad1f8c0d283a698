import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { TimeRange } from '../../lib/time-range.ts';
import { resolveTimeRange, timeRangeKey } from '../../lib/time-range.ts';

const buckets = 30;
const refreshMs = 30_000;

export function useServiceStats(range: TimeRange) {
  return useQuery({
    queryKey: ['service-stats', timeRangeKey(range)],
    queryFn: ({ signal }) => {
      const { startMs, endMs } = resolveTimeRange(range);
      return api.serviceStats({ start: startMs, end: endMs, buckets }, signal);
    },
    placeholderData: keepPreviousData,
    refetchInterval: range.kind === 'relative' ? refreshMs : false,
  });
}

export function useOperations(service: string, range: TimeRange) {
  return useQuery({
    queryKey: ['operations', service, timeRangeKey(range)],
    queryFn: ({ signal }) => {
      const { startMs, endMs } = resolveTimeRange(range);
      return api.operations(service, { start: startMs, end: endMs, buckets }, signal);
    },
    enabled: service !== '',
    placeholderData: keepPreviousData,
    refetchInterval: range.kind === 'relative' ? refreshMs : false,
  });
}

/** Service names for pickers (search, logs). */
export function useServiceNames(range: TimeRange) {
  return useQuery({
    queryKey: ['service-names', timeRangeKey(range)],
    queryFn: async ({ signal }) => {
      const { startMs, endMs } = resolveTimeRange(range);
      const response = await api.services({ start: startMs, end: endMs }, signal);
      return response.services.map((s) => s.name);
    },
    staleTime: 30_000,
  });
}
