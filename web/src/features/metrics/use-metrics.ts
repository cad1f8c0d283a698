import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { promApi } from '../../api/prometheus.ts';
import type { TimeRange } from '../../lib/time-range.ts';
import { resolveTimeRange, timeRangeKey } from '../../lib/time-range.ts';
import { stepFor } from './metric-queries.ts';

// Data hooks of the metrics page; all read the Prometheus HTTP API.

export interface MetricEntry {
  name: string;
  type: string;
  unit: string;
  help: string;
}

export function useMetricList() {
  return useQuery({
    queryKey: ['prom', 'metadata'],
    queryFn: async ({ signal }): Promise<MetricEntry[]> => {
      const { data } = await promApi.metadata(signal);
      return Object.entries(data)
        .map(([name, [first]]) => ({ name, type: first?.type ?? 'unknown', unit: first?.unit ?? '', help: first?.help ?? '' }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
  });
}

function seconds(range: TimeRange) {
  const { startMs, endMs } = resolveTimeRange(range);
  return { start: startMs / 1000, end: endMs / 1000, startMs, endMs };
}

export function useLabelKeys(selector: string | undefined, range: TimeRange) {
  return useQuery({
    queryKey: ['prom', 'labels', selector, timeRangeKey(range)],
    enabled: selector !== undefined,
    queryFn: async ({ signal }) => {
      const { start, end } = seconds(range);
      const { data } = await promApi.labels(selector!, { start, end }, signal);
      return data.filter((key) => key !== '__name__');
    },
  });
}

export function useLabelValues(selector: string | undefined, key: string | undefined, range: TimeRange) {
  return useQuery({
    queryKey: ['prom', 'label-values', selector, key, timeRangeKey(range)],
    enabled: selector !== undefined && key !== undefined,
    queryFn: async ({ signal }) => {
      const { start, end } = seconds(range);
      return (await promApi.labelValues(key!, selector!, { start, end }, signal)).data;
    },
  });
}

export function useRangeQuery(query: string, range: TimeRange) {
  return useQuery({
    queryKey: ['prom', 'query_range', query, timeRangeKey(range)],
    enabled: query.trim() !== '',
    placeholderData: keepPreviousData,
    queryFn: async ({ signal }) => {
      const { start, end, startMs, endMs } = seconds(range);
      const answer = await promApi.queryRange({ query, start, end, step: stepFor(startMs, endMs) }, signal);
      return { ...answer, startMs, endMs };
    },
  });
}

/** Exemplars of the query's selectors; none is not an error (most SDKs attach none). */
export function useExemplars(query: string, range: TimeRange) {
  return useQuery({
    queryKey: ['prom', 'exemplars', query, timeRangeKey(range)],
    enabled: query.trim() !== '',
    queryFn: async ({ signal }) => {
      const { start, end } = seconds(range);
      return (await promApi.exemplars({ query, start, end }, signal)).data;
    },
  });
}
