import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { LogList } from '../../components/log-list.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { ErrorState, Loading } from '../../components/state-views.tsx';
import { Waterfall } from '../../components/waterfall/waterfall.tsx';
import { buildRows, logsBySpanIndex, matchSpans, parentsOf, revealSpan } from '../../components/waterfall/waterfall-model.ts';
import { serviceColor } from '../../lib/colors.ts';
import { formatDurationNs } from '../../lib/durations.ts';
import { isTraceId } from '../../lib/ids.ts';
import { unixNanoToMs } from '../../lib/times.ts';
import { SpanDetails } from './span-details.tsx';
import { TraceStats } from './trace-stats.tsx';
import { useTraceLogs, useTraceTree } from './use-trace.ts';

type View = 'timeline' | 'stats' | 'logs';

/** /trace/<traceId>, Jaeger's path: `?span=` selects a span, `view=` a tab, `find=` searches. */
export function TracePage() {
  const traceId = (useParams()['traceId'] ?? '').toLowerCase();
  const [params, setParams] = useSearchParams();
  const validId = isTraceId(traceId);
  const tree = useTraceTree(traceId, validId);
  const traceLogs = useTraceLogs(traceId, validId);
  const [collapsed, setCollapsed] = useState<Set<number>>(() => new Set());
  const findInput = useRef<HTMLInputElement>(null);

  const view = (['timeline', 'stats', 'logs'].includes(params.get('view') ?? '') ? params.get('view') : 'timeline') as View;
  // Typed text is local (every keystroke counts) and mirrored to the URL for sharing.
  const [find, setFind] = useState(() => params.get('find') ?? '');
  const deferredFind = useDeferredValue(find);
  const criticalOnly = params.get('critical') === '1';
  const inlineLogs = params.get('inlineLogs') !== '0';
  const selectedId = params.get('span') ?? undefined;

  // react-router's functional setSearchParams sees the params of the render it
  // came from; timers and effects read the latest through this ref instead.
  const latestParams = useRef(params);
  latestParams.current = params;
  const setParam = useCallback(
    (name: string, value: string | undefined, replace = true) => {
      const next = new URLSearchParams(latestParams.current);
      if (value === undefined || value === '') next.delete(name);
      else next.set(name, value);
      if (next.toString() !== latestParams.current.toString()) setParams(next, { replace });
    },
    [setParams],
  );

  const data = tree.data;
  const indexById = useMemo(() => new Map(data?.spans.map((s, i) => [s.spanId, i]) ?? []), [data]);
  const selected = selectedId === undefined ? undefined : indexById.get(selectedId);
  const logsBySpan = useMemo(
    () => (data === undefined || traceLogs.data === undefined ? undefined : logsBySpanIndex(data, traceLogs.data.bySpan)),
    [data, traceLogs.data],
  );
  const rows = useMemo(
    () => (data === undefined ? [] : buildRows(data, { collapsed, criticalOnly, ...(inlineLogs && logsBySpan ? { logsBySpan } : {}) })),
    [data, collapsed, criticalOnly, inlineLogs, logsBySpan],
  );
  const matches = useMemo(() => (data === undefined ? undefined : matchSpans(data, deferredFind)), [data, deferredFind]);
  useEffect(() => {
    const timer = setTimeout(() => setParam('find', deferredFind), 300);
    return () => clearTimeout(timer);
  }, [deferredFind, setParam]);
  const matchCount = useMemo(() => (matches === undefined ? 0 : matches.reduce((n, m) => n + m, 0)), [matches]);

  // A linked span (?span=) inside a collapsed subtree is revealed.
  useEffect(() => {
    if (data !== undefined && selected !== undefined && data.spans[selected]!.parent >= 0) {
      setCollapsed((current) => {
        const next = revealSpan(data, current, selected);
        return next.size === current.size ? current : next;
      });
    }
  }, [data, selected]);

  // `/` searches within the trace, as in Jaeger and GitHub.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key !== '/' || (target !== null && target.closest('input, textarea, select') !== null)) return;
      event.preventDefault();
      findInput.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const select = useCallback((span: number) => setParam('span', data?.spans[span]?.spanId), [data, setParam]);
  const selectById = useCallback(
    (spanId: string) => {
      const next = new URLSearchParams(latestParams.current);
      next.set('span', spanId);
      next.delete('view');
      setParams(next);
    },
    [setParams],
  );
  const toggle = useCallback((span: number) => {
    setCollapsed((current) => {
      const next = new Set(current);
      if (next.has(span)) next.delete(span);
      else next.add(span);
      return next;
    });
  }, []);

  if (!validId) return <div className="page"><ErrorState error={new Error(`"${traceId}" is not a trace id (32 hex digits).`)} what="the trace" /></div>;
  if (tree.isPending) return <div className="page"><Loading what={`trace ${traceId}`} /></div>;
  if (tree.isError) return <div className="page"><ErrorState error={tree.error} what={`trace ${traceId}`} onRetry={() => void tree.refetch()} /></div>;

  const t = tree.data;
  const root = t.spans[0];
  const rootName = root === undefined ? '' : `${t.services[root.service] ?? ''} ${t.names[root.name] ?? ''}`;
  const allLogs = traceLogs.data?.logs ?? [];
  const selectedSpan = selected === undefined ? undefined : t.spans[selected];
  const selectedLogs = selected === undefined || logsBySpan === undefined ? [] : (logsBySpan.get(selected) ?? []).map((i) => allLogs[i]!).filter(Boolean);
  const logCount = allLogs.length;

  return (
    <div className="page trace-page">
      <header className="trace-header">
        <h1>{rootName || 'Trace'}</h1>
        <p className="facts-inline">
          <span className="mono">{t.traceId}</span>
          <span>
            started <RelativeTime ms={unixNanoToMs(t.startUnixNano)} />
          </span>
          <span>duration {formatDurationNs(t.durationNs)}</span>
          <span>{t.spanCount.toLocaleString()} spans</span>
          <span className={t.errorCount > 0 ? 'text-error' : ''}>{t.errorCount} errors</span>
          {t.services.map((s) => (
            <span key={s} className="chip">
              <span className="service-swatch" style={{ background: serviceColor(s) }} aria-hidden="true" />
              {s}
            </span>
          ))}
        </p>
      </header>
      <div role="tablist" aria-label="Trace views" className="tabs">
        {([
          ['timeline', 'Timeline'],
          ['stats', 'Statistics'],
          ['logs', `Logs (${traceLogs.isPending ? '…' : logCount}${traceLogs.data?.truncated ? '+' : ''})`],
        ] as const).map(([value, label]) => (
          <button key={value} type="button" role="tab" aria-selected={view === value} onClick={() => setParam('view', value === 'timeline' ? undefined : value, false)}>
            {label}
          </button>
        ))}
      </div>
      {view === 'stats' ? <TraceStats tree={t} /> : null}
      {view === 'logs' ? (
        traceLogs.isPending ? <Loading what="the trace's logs" />
        : traceLogs.isError ? <ErrorState error={traceLogs.error} what="the trace's logs" onRetry={() => void traceLogs.refetch()} />
        : logCount === 0 ? <p className="muted" role="status">No log record carries this trace id. Logs written inside a span by an OpenTelemetry logging bridge carry it automatically.</p>
        : <LogList logs={allLogs} label="Logs of this trace" onSpan={selectById} />
      ) : null}
      {view === 'timeline' ? (
        <>
          <div className="toolbar">
            <label>
              Find in trace
              <input ref={findInput} type="search" value={find} placeholder="press / — name, service or span id" onChange={(e) => setFind(e.target.value)} />
            </label>
            {matches !== undefined ? <span role="status">{matchCount} of {t.spanCount} spans match</span> : null}
            <span className="muted critical-legend">
              <span className="critical-sample" aria-hidden="true" /> critical path: the stretches of spans the trace waited on
            </span>
            <label className="check">
              <input type="checkbox" checked={criticalOnly} onChange={(e) => setParam('critical', e.target.checked ? '1' : undefined)} />
              Critical path only
            </label>
            <label className="check">
              <input type="checkbox" checked={inlineLogs} onChange={(e) => setParam('inlineLogs', e.target.checked ? undefined : '0')} />
              Logs inline
            </label>
            <button type="button" onClick={() => setCollapsed(parentsOf(t))}>Collapse all</button>
            <button type="button" onClick={() => setCollapsed(new Set())}>Expand all</button>
          </div>
          <div className={`trace-split${selectedSpan === undefined ? '' : ' with-details'}`}>
            <Waterfall tree={t} rows={rows} logs={allLogs} collapsed={collapsed} matches={matches} selected={selected} onSelect={select} onToggle={toggle} />
            {selectedSpan === undefined ? null : (
              <SpanDetails traceId={t.traceId} span={selectedSpan} logs={selectedLogs} onClose={() => setParam('span', undefined)} />
            )}
          </div>
        </>
      ) : null}
    </div>
  );
}
