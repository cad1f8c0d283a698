import type { BreakdownOperation, BreakdownResponse } from '../../../../src/api/types.ts';
import { serviceColor } from '../../lib/colors.ts';
import { formatDurationNs } from '../../lib/durations.ts';

// "Where the time goes": the anchor's duration divided among the operations
// below it as self time, the slowest 5% beside all matching traces: a stacked
// bar per set and a table of the same figures.

const percent = (f: number) => `${(f * 100).toFixed(f > 0 && f < 0.01 ? 1 : 0)}%`;
const opLabel = (o: BreakdownOperation) => (o.itself ? `${o.name} (itself)` : o.name);

/** A colour per operation: the service's hue, lighter for each further operation of the same service. */
function colorsOf(operations: readonly BreakdownOperation[]): Map<BreakdownOperation, string> {
  const seen = new Map<string, number>();
  const out = new Map<BreakdownOperation, string>();
  for (const o of operations) {
    const n = seen.get(o.service) ?? 0;
    seen.set(o.service, n + 1);
    out.set(o, `color-mix(in srgb, ${serviceColor(o.service)} ${Math.max(35, 100 - n * 18)}%, white)`);
  }
  return out;
}

function StackedBar({ label, operations, colors, pick }: {
  label: string;
  operations: readonly BreakdownOperation[];
  colors: Map<BreakdownOperation, string>;
  pick: (o: BreakdownOperation) => number;
}) {
  const parts = operations.filter((o) => pick(o) > 0);
  const summary = parts.map((o) => `${opLabel(o)} ${percent(pick(o))}`).join(', ');
  return (
    <div className="stacked-row">
      <span className="stacked-label">{label}</span>
      <div className="stacked-bar" role="img" aria-label={`${label}: ${summary}`}>
        {parts.map((o) => (
          <span key={`${o.service} ${o.name} ${o.itself}`} style={{ width: `${pick(o) * 100}%`, background: colors.get(o) }} title={`${opLabel(o)} (${o.service}): ${percent(pick(o))}`}>
            {pick(o) >= 0.08 ? `${opLabel(o)} ${percent(pick(o))}` : ''}
          </span>
        ))}
      </div>
    </div>
  );
}

export function BreakdownView({ data }: { data: BreakdownResponse }) {
  const colors = colorsOf(data.operations);
  const top = data.operations[0];
  return (
    <section aria-label="Where the time goes">
      <p role="status">
        {data.analyzedTraces} traces looked at ({data.slowTraces} in the slowest 5%, from {formatDurationNs(data.slowThresholdNs)})
        {data.sample !== null ? `: ${data.sample.note}` : ''}.
        {top !== undefined ? (
          <>
            {' '}The slowest 5% spend most of their time in <strong>{opLabel(top)}</strong> ({percent(top.slow.share)}, against {percent(top.all.share)} over all).
          </>
        ) : null}
      </p>
      <div className="stacked">
        <StackedBar label="Slowest 5%" operations={data.operations} colors={colors} pick={(o) => o.slow.share} />
        <StackedBar label="All" operations={data.operations} colors={colors} pick={(o) => o.all.share} />
      </div>
      <table className="data-table" aria-label="Self time per operation">
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>Operation</th>
            <th scope="colgroup" colSpan={4}>Slowest 5%</th>
            <th scope="colgroup" colSpan={4}>All</th>
          </tr>
          <tr>
            {['Share', 'p50 / p95 self', 'Spans a trace', 'Critical path'].flatMap((h) => [h]).map((h) => <th key={`s${h}`} scope="col" className="num">{h}</th>)}
            {['Share', 'p50 / p95 self', 'Spans a trace', 'Critical path'].map((h) => <th key={`a${h}`} scope="col" className="num">{h}</th>)}
          </tr>
        </thead>
        <tbody>
          {data.operations.map((o) => (
            <tr key={`${o.service} ${o.name} ${o.itself}`}>
              <th scope="row">
                <span className="service-swatch" style={{ background: colors.get(o) }} aria-hidden="true" /> {opLabel(o)}
                <span className="muted"> · {o.service}</span>
              </th>
              {[o.slow, o.all].map((f, i) => (
                <Figures key={i} f={f} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="muted analysis-notes">
        {data.notes.map((n) => <li key={n}>{n}</li>)}
      </ul>
    </section>
  );
}

function Figures({ f }: { f: BreakdownOperation['all'] }) {
  return (
    <>
      <td className="num">{percent(f.share)}</td>
      <td className="num">{f.traces === 0 ? '–' : `${formatDurationNs(f.selfP50Ns)} / ${formatDurationNs(f.selfP95Ns)}`}</td>
      <td className="num">{f.spansPerTrace.toFixed(f.spansPerTrace % 1 === 0 ? 0 : 1)}</td>
      <td className="num">{percent(f.criticalPathFraction)}</td>
    </>
  );
}
