import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Empty, ErrorState, Loading } from '../../components/state-views.tsx';
import { TimePicker } from '../../components/time-picker.tsx';
import type { TimeRange } from '../../lib/time-range.ts';
import { readTimeRange } from '../../lib/time-range.ts';
import { BucketHeatmap } from './bucket-heatmap.tsx';
import { MetricBrowser } from './metric-browser.tsx';
import type { MetricChart } from './metric-queries.ts';
import { chartsFor, presets } from './metric-queries.ts';
import { PromqlEditor } from './promql-editor.tsx';
import { exemplarPoints, SeriesChart } from './series-chart.tsx';
import { useExemplars, useMetricList, useRangeQuery } from './use-metrics.ts';
import './metrics.css';

// /explore/metrics (GET /metrics on this port is our own Prometheus
// exposition): browse metrics, run PromQL, chart it. Everything a user would
// share is in the URL: q (the query), metric and label (the browser), range.

export function MetricsPage() {
  const [params, setParams] = useSearchParams();
  const paramsText = params.toString();
  const range = useMemo(() => readTimeRange(new URLSearchParams(paramsText)), [paramsText]);
  const query = params.get('q') ?? '';
  const metric = params.get('metric') ?? undefined;
  const label = params.get('label') ?? undefined;
  const [draft, setDraft] = useState(query);
  useEffect(() => setDraft(query), [query]);
  const metrics = useMetricList();

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(paramsText);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === '') next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  };
  const run = (text: string) => update({ q: text.trim() });

  const chosen = metrics.data?.find((m) => m.name === metric);
  const charts: MetricChart[] =
    query !== '' ? [{ title: query, query, kind: 'lines' }] : chosen === undefined ? [] : chartsFor(chosen.name, chosen.type);

  return (
    <div className="page metrics-page">
      <header className="page-header">
        <h1>Metrics</h1>
        <TimePicker />
      </header>
      <div className="metrics-layout">
        <MetricBrowser
          selected={metric}
          label={label}
          range={range}
          onSelect={(name) => update({ metric: name, label: undefined, q: undefined })}
          onLabel={(key) => update({ label: key })}
        />
        <section className="metrics-main" aria-label="Query and charts">
          <div className="presets" role="group" aria-label="Presets">
            {presets.map((p) => (
              <button key={p.label} type="button" onClick={() => run(p.query)}>
                {p.label}
              </button>
            ))}
          </div>
          <form
            className="promql-form"
            aria-label="PromQL query"
            onSubmit={(event) => {
              event.preventDefault();
              run(draft);
            }}
          >
            <PromqlEditor value={draft} onChange={setDraft} onSubmit={run} />
            <button type="submit">Run query</button>
          </form>
          {charts.length === 0 ? (
            <Empty title="Choose a metric or run a query.">
              Pick a metric on the left (counters are charted as rates, histograms as p50/p95/p99 and a bucket heatmap, gauges as values),
              click a preset, or type PromQL above; names are suggested as you type.
            </Empty>
          ) : (
            charts.map((chart) => <ChartPanel key={chart.query} chart={chart} range={range} />)
          )}
        </section>
      </div>
    </div>
  );
}

function ChartPanel({ chart, range }: { chart: MetricChart; range: TimeRange }) {
  const result = useRangeQuery(chart.query, range);
  const exemplars = useExemplars(chart.kind === 'lines' ? chart.query : '', range);
  const points = useMemo(() => exemplarPoints(exemplars.data), [exemplars.data]);
  if (result.isPending) return <Loading what="the query's answer" />;
  if (result.isError) return <ErrorState error={result.error} what={`“${chart.query}”`} onRetry={() => void result.refetch()} />;
  const { data, warnings, startMs, endMs } = result.data;
  const warningList = warnings.length === 0 ? null : (
    <ul className="warnings" aria-label="Warnings">
      {warnings.map((w) => <li key={w}>{w}</li>)}
    </ul>
  );
  if (data.result.length === 0) {
    return (
      <>
        {warningList}
        <Empty title={`No series for ${chart.title} in this range.`}>
          Widen the time range, or check the metric and label names in the browser on the left (rate() needs at least two points in its window).
        </Empty>
      </>
    );
  }
  return (
    <>
      {warningList}
      {chart.kind === 'heatmap' ? (
        <BucketHeatmap series={data.result} startMs={startMs} endMs={endMs} title={chart.title} />
      ) : (
        <SeriesChart series={data.result} exemplars={points} startMs={startMs} endMs={endMs} title={chart.title} />
      )}
    </>
  );
}
