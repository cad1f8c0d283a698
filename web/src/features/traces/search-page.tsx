import { useCallback, useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { ScatterPoint } from '../../components/duration-scatter.tsx';
import { DurationScatter } from '../../components/duration-scatter.tsx';
import { Empty, ErrorState, Loading } from '../../components/state-views.tsx';
import { TimePicker } from '../../components/time-picker.tsx';
import { tracePath } from '../../lib/ids.ts';
import { describeTimeRange, readTimeRange, writeTimeRange } from '../../lib/time-range.ts';
import { unixNanoToMs } from '../../lib/times.ts';
import { SetupInstructions } from '../setup/setup-instructions.tsx';
import { useHasData } from '../setup/use-setup.ts';
import { ResultsTable, readSort, writeSort } from './results-table.tsx';
import { formatCondition, readSearch, writeSearch } from './search-params.ts';
import { analysisLink } from '../analysis/analysis-link.ts';
import { SearchForm } from './search-form.tsx';
import { useTraceSearch } from './use-trace-search.ts';

export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const paramsText = params.toString();
  // Objects rebuilt only when the URL changes, so the form keeps its edits between renders.
  const search = useMemo(() => readSearch(new URLSearchParams(paramsText)), [paramsText]);
  const range = useMemo(() => readTimeRange(new URLSearchParams(paramsText)), [paramsText]);
  const sort = readSort(params.get('sort'));
  const results = useTraceSearch(search, range);
  const hasData = useHasData();

  const points = useMemo<ScatterPoint[]>(
    () =>
      (results.data?.traces ?? []).map((t) => ({
        id: t.traceId,
        startMs: unixNanoToMs(t.startTimeUnixNano),
        durationNs: Number(t.durationNano),
        error: t.errorCount > 0,
      })),
    [results.data],
  );
  const open = useCallback((traceId: string) => void navigate(tracePath(traceId)), [navigate]);
  const narrow = useCallback(
    (fromMs: number, toMs: number) => setParams(writeTimeRange(new URLSearchParams(paramsText), { kind: 'absolute', fromMs, toMs })),
    [paramsText, setParams],
  );

  let body;
  if (hasData.data === false) body = <SetupInstructions />;
  else if (results.isPending) body = <Loading what="traces" />;
  else if (results.isError) body = <ErrorState error={results.error} what="traces" onRetry={() => void results.refetch()} />;
  else if (results.data.traces.length === 0) {
    body = (
      <Empty title={`No trace matches in ${describeTimeRange(range).toLowerCase()}.`}>
        Widen the time range, remove a condition, or lower the minimum duration. A trace matches when one of its spans meets every
        span condition together.
      </Empty>
    );
  } else {
    body = (
      <>
        <DurationScatter points={points} startMs={results.data.startMs} endMs={results.data.endMs} onOpen={open} onSelectRange={narrow} />
        <p className="muted" role="status">
          {results.isPlaceholderData ? 'Searching… showing the previous results. ' : ''}
          {results.data.traces.length} traces{results.isFetching && !results.isPlaceholderData ? ' (refreshing…)' : ''}. Click a point to open a trace; drag across the
          chart to narrow the range.
        </p>
        {search.service === '' ? null : (
          <p className="row-actions">
            <Link to={analysisLink(params, { service: search.service, spanName: search.spanName, minDuration: search.minDuration, attr: search.conditions.map(formatCondition) })}>
              Root cause: where the time goes, what the slow ones share
            </Link>
          </p>
        )}
        <ResultsTable
          traces={results.data.traces}
          sort={sort}
          onSort={(next) => {
            const nextParams = new URLSearchParams(paramsText);
            nextParams.set('sort', writeSort(next));
            setParams(nextParams, { replace: true });
          }}
        />
      </>
    );
  }

  return (
    <div className="page">
      <header className="page-header">
        <h1>Traces</h1>
        <TimePicker />
      </header>
      <SearchForm initial={search} range={range} onSearch={(next) => setParams(writeSearch(new URLSearchParams(paramsText), next))} />
      {body}
    </div>
  );
}
