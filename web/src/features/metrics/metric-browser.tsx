import { useState } from 'react';
import { Empty, ErrorState, Loading } from '../../components/state-views.tsx';
import type { TimeRange } from '../../lib/time-range.ts';
import { selectorFor } from './metric-queries.ts';
import type { MetricEntry } from './use-metrics.ts';
import { useLabelKeys, useLabelValues, useMetricList } from './use-metrics.ts';

/** Every metric under its Prometheus name, with type, unit and description; the chosen one's labels and their values. */
export function MetricBrowser({ selected, label, range, onSelect, onLabel }: {
  selected: string | undefined;
  label: string | undefined;
  range: TimeRange;
  onSelect: (name: string) => void;
  onLabel: (key: string | undefined) => void;
}) {
  const metrics = useMetricList();
  const [filter, setFilter] = useState('');
  if (metrics.isPending) return <Loading what="metric names" />;
  if (metrics.isError) return <ErrorState error={metrics.error} what="metric names" onRetry={() => void metrics.refetch()} />;
  if (metrics.data.length === 0) {
    return (
      <Empty title="No metrics in the last day.">
        Send metrics over OTLP (an SDK's metric exporter, or the Collector's otlp exporter) to this server's receiver; see Send data.
      </Empty>
    );
  }
  const shown = metrics.data.filter((m) => m.name.includes(filter.trim()));
  const chosen = metrics.data.find((m) => m.name === selected);
  return (
    <section className="metric-browser" aria-label="Metric browser">
      <input type="search" aria-label="Filter metrics" placeholder="Filter metrics" value={filter} onChange={(e) => setFilter(e.target.value)} />
      <ul className="metric-list" aria-label="Metrics">
        {shown.map((m) => (
          <li key={m.name}>
            <button type="button" aria-pressed={m.name === selected} onClick={() => onSelect(m.name)} title={m.help}>
              <span className="metric-name">{m.name}</span> <span className={`kind kind-${m.type}`}>{m.type}</span>
              {m.unit === '' ? null : <span className="unit">{m.unit}</span>}
            </button>
          </li>
        ))}
        {shown.length === 0 ? <li className="muted">No metric name contains “{filter}”.</li> : null}
      </ul>
      {chosen === undefined ? null : <MetricLabels metric={chosen} label={label} range={range} onLabel={onLabel} />}
    </section>
  );
}

function MetricLabels({ metric, label, range, onLabel }: { metric: MetricEntry; label: string | undefined; range: TimeRange; onLabel: (key: string | undefined) => void }) {
  const selector = selectorFor(metric.name, metric.type);
  const keys = useLabelKeys(selector, range);
  const values = useLabelValues(selector, label, range);
  return (
    <div className="metric-details" role="region" aria-label={`Metric ${metric.name}`}>
      <h3>{metric.name}</h3>
      <p>
        {metric.type}
        {metric.unit === '' ? '' : `, in ${metric.unit}`}
        {metric.help === '' ? '' : `: ${metric.help}`}
      </p>
      {keys.isPending ? <Loading what="label names" /> : keys.isError ? <ErrorState error={keys.error} what="label names" /> : (
        <ul className="label-keys" aria-label={`Labels of ${metric.name}`}>
          {keys.data.map((key) => (
            <li key={key}>
              <button type="button" aria-pressed={key === label} onClick={() => onLabel(key === label ? undefined : key)}>
                {key}
              </button>
            </li>
          ))}
        </ul>
      )}
      {label === undefined ? null : values.isPending ? <Loading what={`values of ${label}`} /> : values.isError ? (
        <ErrorState error={values.error} what={`values of ${label}`} />
      ) : (
        <ul className="label-values" aria-label={`Values of ${label}`}>
          {values.data.map((v) => (
            <li key={v}>
              <code>{v}</code>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
