import type { BreakdownResponse, CompareResponse } from '../src/api/types.ts';
import { timeQuery } from './query-timing.ts';
import type { Timing } from './query-timing.ts';

// The root-cause phase of `npm run bench` (issue 11): latency of
// GET /api/v1/analysis/breakdown and /compare (slowest 5%, and errors) over every
// stored payment-api trace of the last day, through the query API, after the
// load phase (1M or 10M seed-shaped spans). Targets: under 2 s at 1M spans, under
// 10 s at 10M. Each answer must name an operation or a value, so an empty answer
// cannot pass for a fast one.

const hourMs = 3_600_000;

export interface AnalysisTimings {
  analysisBreakdown: Timing;
  analysisCompareSlow: Timing;
  analysisCompareErrors: Timing;
}

export async function analysisPhase(apiUrl: string, q: { warmup: number; runs: number }): Promise<AnalysisTimings> {
  const range = () => `service=payment-api&start=${Date.now() - 25 * hourMs}&end=${Date.now() + hourMs}`;
  const breakdownCheck = (body: unknown) => ((body as BreakdownResponse).operations.length > 0 ? undefined : 'no operations');
  const compareCheck = (body: unknown) => ((body as CompareResponse).results.length > 0 ? undefined : 'no results');
  return {
    analysisBreakdown: await timeQuery(() => `${apiUrl}/api/v1/analysis/breakdown?${range()}`, breakdownCheck, { ...q, label: 'tracehouse analysis breakdown' }),
    analysisCompareSlow: await timeQuery(() => `${apiUrl}/api/v1/analysis/compare?${range()}`, compareCheck, { ...q, label: 'tracehouse analysis compare (slowest 5%)' }),
    analysisCompareErrors: await timeQuery(() => `${apiUrl}/api/v1/analysis/compare?${range()}&selection=errors`, compareCheck, { ...q, label: 'tracehouse analysis compare (errors)' }),
  };
}
