import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import type { SeverityBand } from '../../../../src/api/types.ts';
import { LogList } from '../../components/log-list.tsx';
import { StackedHistogram } from '../../components/stacked-histogram.tsx';
import type { HistogramLayer } from '../../components/stacked-histogram.tsx';
import { Empty, ErrorState, Loading } from '../../components/state-views.tsx';
import { TimePicker } from '../../components/time-picker.tsx';
import { severityBands, severityColorVar } from '../../lib/severity.ts';
import { describeTimeRange, readTimeRange, writeTimeRange } from '../../lib/time-range.ts';
import { unixNanoToMs } from '../../lib/times.ts';
import { useServiceNames } from '../services/use-services.ts';
import { SetupInstructions } from '../setup/setup-instructions.tsx';
import { useHasData } from '../setup/use-setup.ts';
import type { LogSearch } from './use-logs.ts';
import { ServiceSelect } from '../../components/service-select.tsx';
import { readLogSearch, useLogHistogram, useLogs, writeLogSearch } from './use-logs.ts';

const limit = 200;
const bottomUp: SeverityBand[] = [...severityBands].reverse();

export function LogsPage() {
  const [params, setParams] = useSearchParams();
  const paramsText = params.toString();
  const search = useMemo(() => readLogSearch(new URLSearchParams(paramsText)), [paramsText]);
  const range = useMemo(() => readTimeRange(new URLSearchParams(paramsText)), [paramsText]);
  const logs = useLogs(search, range, limit);
  const histogram = useLogHistogram(search, range);
  const hasData = useHasData();
  const services = useServiceNames(range);
  const [draft, setDraft] = useState<LogSearch>(search);
  useEffect(() => setDraft(search), [search]);

  const layers = useMemo<HistogramLayer[]>(
    () => bottomUp.map((band) => ({ label: band, colorVar: severityColorVar(band), counts: histogram.data?.counts[band] ?? [] })),
    [histogram.data],
  );
  const bucketStarts = useMemo(() => (histogram.data?.bucketStartUnixNano ?? []).map(unixNanoToMs), [histogram.data]);
  const narrow = useCallback(
    (fromMs: number, toMs: number) => setParams(writeTimeRange(new URLSearchParams(paramsText), { kind: 'absolute', fromMs, toMs })),
    [paramsText, setParams],
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setParams(writeLogSearch(new URLSearchParams(paramsText), draft));
  };

  let body;
  if (hasData.data === false) body = <SetupInstructions />;
  else if (logs.isPending) body = <Loading what="logs" />;
  else if (logs.isError) body = <ErrorState error={logs.error} what="logs" onRetry={() => void logs.refetch()} />;
  else if (logs.data.logs.length === 0) {
    body = <Empty title={`No log records match in ${describeTimeRange(range).toLowerCase()}.`}>Widen the time range or clear a filter.</Empty>;
  } else {
    body = (
      <>
        <p className="muted" role="status">
          {logs.isPlaceholderData ? 'Searching… showing the previous results. ' : ''}
          {histogram.data === undefined ? '' : `${histogram.data.total.toLocaleString()} records in the range; `}
          showing the newest {logs.data.logs.length}.
        </p>
        <LogList logs={logs.data.logs} label="Log records" />
      </>
    );
  }

  return (
    <div className="page">
      <header className="page-header">
        <h1>Logs</h1>
        <TimePicker />
      </header>
      <form className="search-form" aria-label="Log search" onSubmit={submit}>
        <div className="fields">
          <label>
            Text
            <input type="search" value={draft.q} placeholder="substring of the body" onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
          </label>
          <label>
            Minimum severity
            <select value={draft.minSeverity} onChange={(e) => setDraft({ ...draft, minSeverity: e.target.value })}>
              <option value="">Any</option>
              {bottomUp.filter((band) => band !== 'unset').map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <ServiceSelect services={services.data} value={draft.service} onChange={(service) => setDraft({ ...draft, service })} />
          <label>
            Trace id
            <input value={draft.traceId} placeholder="32 hex digits" size={34} onChange={(e) => setDraft({ ...draft, traceId: e.target.value })} />
          </label>
        </div>
        <fieldset className="conditions">
          <legend>Attributes (key=value, key!=value, key&gt;number, key&lt;number)</legend>
          {draft.attr.map((a, i) => (
            <div key={i} className="condition">
              <input aria-label={`Log attribute condition ${i + 1}`} value={a} placeholder="payment.currency=EUR" onChange={(e) => setDraft({ ...draft, attr: draft.attr.map((x, j) => (j === i ? e.target.value : x)) })} />
              <button type="button" aria-label={`Remove log attribute condition ${i + 1}`} onClick={() => setDraft({ ...draft, attr: draft.attr.filter((_, j) => j !== i) })}>
                ✕
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setDraft({ ...draft, attr: [...draft.attr, ''] })}>
            Add attribute condition
          </button>
        </fieldset>
        <button type="submit" className="primary">
          Search logs
        </button>
      </form>
      {histogram.isError ? <ErrorState error={histogram.error} what="the log histogram" /> : null}
      {histogram.data === undefined || histogram.data.total === 0 ? null : (
        <>
          <StackedHistogram
            bucketStartsMs={bucketStarts}
            stepMs={histogram.data.stepNs / 1e6}
            layers={layers}
            label={`Log records over time by severity, ${histogram.data.total} in all; drag to narrow the range`}
            onSelectRange={narrow}
          />
          <ul className="legend" aria-label="Severity colours">
            {severityBands.map((band) => (
              <li key={band}>
                <span className="swatch" style={{ background: `var(${severityColorVar(band)})` }} aria-hidden="true" />
                {band} {(histogram.data.counts[band] ?? []).reduce((a, b) => a + b, 0)}
              </li>
            ))}
          </ul>
        </>
      )}
      {body}
    </div>
  );
}
