import { linkWithRange } from '../../lib/time-range.ts';

/** `/analysis?…` for a search's traces (range kept): its span conditions become `traceAttr`, met by one span of each trace. */
export function analysisLink(current: URLSearchParams, scope: { service: string; spanName?: string; minDuration?: string; attr?: readonly string[] }): string {
  const extra: Record<string, string> = { service: scope.service };
  if (scope.spanName) extra['spanName'] = scope.spanName;
  if (scope.minDuration) extra['minDuration'] = scope.minDuration;
  const link = linkWithRange('/analysis', current, extra);
  const attrs = (scope.attr ?? []).map((a) => `traceAttr=${encodeURIComponent(a)}`).join('&');
  return attrs === '' ? link : `${link}&${attrs}`;
}
