import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { api } from '../../api/client.ts';

const weekMs = 7 * 24 * 3_600_000;

/** Where this Tracehouse receives OTLP (ports as bound). */
export function useReceivers() {
  return useQuery({ queryKey: ['ui-setup'], queryFn: ({ signal }) => api.setup(signal), staleTime: Infinity });
}

/**
 * Whether anything was ever received (spans or logs in the retention window);
 * polls every 3 s while nothing has, so the page moves on by itself when the
 * first export lands.
 */
export function useHasData() {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['has-data'],
    queryFn: async ({ signal }) => {
      const end = Date.now();
      const range = { start: end - weekMs, end: end + 60_000 };
      const services = await api.services(range, signal);
      if (services.services.length > 0) return true;
      const logs = await api.searchLogs({ ...range, limit: 1 }, signal);
      return logs.logs.length > 0;
    },
    refetchInterval: (query) => (query.state.data === true ? false : 3_000),
  });
  // When the first data lands, the page's own queries (which answered "nothing") run again.
  const previous = useRef(query.data);
  useEffect(() => {
    if (previous.current === false && query.data === true) {
      void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'has-data' && q.queryKey[0] !== 'ui-setup' });
    }
    previous.current = query.data;
  }, [query.data, queryClient]);
  return query;
}
