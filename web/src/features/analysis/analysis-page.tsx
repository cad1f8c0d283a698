import { Link, useSearchParams } from 'react-router';
import { ErrorState, Loading } from '../../components/state-views.tsx';
import { TimePicker } from '../../components/time-picker.tsx';
import { linkWithRange, readTimeRange } from '../../lib/time-range.ts';
import './analysis.css';
import { BreakdownView } from './breakdown-view.tsx';
import { CompareView } from './compare-view.tsx';
import type { CompareSelection } from './use-analysis.ts';
import { readScope, useBreakdown, useCompare } from './use-analysis.ts';

// /analysis?service=&spanName=&attr=&traceAttr=&minDuration=&view=&selection=: root cause for
// a set of traces (a route of the services page, or a trace search): where the
// time goes, and what is different about the slow (or failing) ones.

export function AnalysisPage() {
  const [params, setParams] = useSearchParams();
  const scope = readScope(params);
  const range = readTimeRange(params);
  const view = params.get('view') === 'compare' ? 'compare' : 'breakdown';
  const selection: CompareSelection = params.get('selection') === 'errors' ? 'errors' : 'slow';
  const breakdown = useBreakdown(scope, range, view === 'breakdown');
  const compare = useCompare(scope, range, selection, view === 'compare');
  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined) next.delete(name);
    else next.set(name, value);
    setParams(next);
  };
  const searchLink = [
    linkWithRange('/traces', params, { service: scope.service, ...(scope.spanName === '' ? {} : { spanName: scope.spanName }), ...(scope.minDuration === '' ? {} : { minDuration: scope.minDuration }) }),
    ...scope.traceAttr.map((a) => `attr=${encodeURIComponent(a)}`),
  ].join('&');
  const selectionName = selection === 'errors' ? 'Failing' : 'Slowest 5%';

  let body;
  if (scope.service === '') {
    body = <p role="status">Choose a service: open this page from a route on the services page or from trace search results.</p>;
  } else if (view === 'breakdown') {
    body = breakdown.isPending ? <Loading what="where the time goes" />
      : breakdown.isError ? <ErrorState error={breakdown.error} what="where the time goes" onRetry={() => void breakdown.refetch()} />
      : breakdown.data.analyzedTraces === 0 ? <p role="status">No matching traces in this range: choose a longer time range.</p>
      : <BreakdownView data={breakdown.data} />;
  } else {
    body = (
      <>
        <div role="radiogroup" aria-label="Selection" className="row-actions">
          {([['slow', 'Slowest 5%'], ['errors', 'Failing']] as const).map(([value, label]) => (
            <label key={value}>
              <input type="radio" name="selection" checked={selection === value} onChange={() => set('selection', value === 'slow' ? undefined : value)} /> {label}
            </label>
          ))}
        </div>
        {compare.isPending ? <Loading what="the comparison" />
          : compare.isError ? <ErrorState error={compare.error} what="the comparison" onRetry={() => void compare.refetch()} />
          : compare.data.analyzedTraces === 0 ? <p role="status">No matching traces in this range: choose a longer time range.</p>
          : <CompareView data={compare.data} selectionName={selectionName} />}
      </>
    );
  }

  return (
    <div className="page">
      <header className="page-header">
        <h1>
          <Link to={linkWithRange('/', params)}>Services</Link>
          {scope.service === '' ? null : (
            <>
              {' / '}
              <Link to={linkWithRange(`/services/${encodeURIComponent(scope.service)}`, params)}>{scope.service}</Link>
            </>
          )}
          {' / '}Root cause
        </h1>
        <TimePicker />
      </header>
      <p className="scope-line muted">
        {scope.spanName === '' ? 'Root spans' : <code>{scope.spanName}</code>} of {scope.service || '…'}
        {scope.attr.map((a) => <code key={a}> {a}</code>)}
        {scope.traceAttr.length === 0 ? '' : ' in traces with a span where '}
        {scope.traceAttr.map((a) => <code key={`t${a}`}> {a}</code>)}
        {scope.minDuration === '' ? '' : ` at least ${scope.minDuration}`} · <Link to={searchLink}>these traces in the search</Link>
      </p>
      <div role="tablist" aria-label="Analyses" className="tabs">
        {([['breakdown', 'Where the time goes'], ['compare', 'What is different about the slow ones']] as const).map(([value, label]) => (
          <button key={value} type="button" role="tab" aria-selected={view === value} onClick={() => set('view', value === 'breakdown' ? undefined : value)}>
            {label}
          </button>
        ))}
      </div>
      {body}
    </div>
  );
}
