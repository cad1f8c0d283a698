import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

/** The trace's compact tree (all spans, no attributes); stored spans never change, so it is cached for the session. */
export function useTraceTree(traceId: string) {
  return useQuery({
    queryKey: ['trace-tree', traceId],
    queryFn: ({ signal }) => api.traceTree(traceId, signal),
    staleTime: 60_000,
    // A trace still arriving (SDKs export in batches) gets a few retries before "not found" sticks.
    retry: (count, error) => count < 2 && !(error instanceof Error && 'status' in error && (error as { status: number }).status === 400),
  });
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
export function useTraceLogs(traceId: string) {
  return useQuery({
    queryKey: ['trace-logs', traceId],
    queryFn: ({ signal }) => api.traceLogs(traceId, { limit: 5000 }, signal),
    staleTime: 30_000,
  });
}
