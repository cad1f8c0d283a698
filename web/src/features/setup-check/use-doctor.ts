import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { DoctorResponse } from '../../../../src/api/types.ts';
import { getJson } from '../../api/client.ts';
import type { TimeRange } from '../../lib/time-range.ts';
import { resolveTimeRange, timeRangeKey } from '../../lib/time-range.ts';

/** GET /api/v1/doctor over the page's range, optionally for one service. */
export function useDoctor(range: TimeRange, service: string | undefined) {
  return useQuery({
    queryKey: ['doctor', service ?? '', timeRangeKey(range)],
    queryFn: ({ signal }) => {
      const { startMs, endMs } = resolveTimeRange(range);
      return getJson<DoctorResponse>('/api/v1/doctor', { start: startMs, end: endMs, service }, signal);
    },
    placeholderData: keepPreviousData,
  });
}
