import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

/** The trace's compact tree (all spans, no attributes). Also prefetched by main.tsx when a /trace/ link is opened. */
export const traceTreeQuery = (traceId: string) =>
  queryOptions({
    queryKey: ['trace-tree', traceId],
    queryFn: ({ signal }) => api.traceTree(traceId, signal),
    staleTime: 60_000,
  });

export const traceLogsQuery = (traceId: string) =>
  queryOptions({
    queryKey: ['trace-logs', traceId],
    queryFn: ({ signal }) => api.traceLogs(traceId, { limit: 5000 }, signal),
    staleTime: 30_000,
  });

/** `enabled` false for a malformed id: nothing to ask the server. */
export function useTraceTree(traceId: string, enabled: boolean) {
  return useQuery({ ...traceTreeQuery(traceId), enabled });
}

/** One span's attributes, resource, scope, events and links, fetched when the span is selected. */
export function useSpanDetail(traceId: string, spanId: string | undefined) {
  return useQuery({
    queryKey: ['span', traceId, spanId],
    queryFn: ({ signal }) => api.span(traceId, spanId!, signal),
    enabled: spanId !== undefined,
    staleTime: 60_000,
  });
}

/** Every log record of the trace, grouped by span id. */
export function useTraceLogs(traceId: string, enabled: boolean) {
  return useQuery({ ...traceLogsQuery(traceId), enabled });
}
