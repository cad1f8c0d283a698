import { Link, useSearchParams } from 'react-router';
import type { CompareResponse, CompareResult } from '../../../../src/api/types.ts';
import { shortId, tracePath } from '../../lib/ids.ts';
import { linkWithRange } from '../../lib/time-range.ts';

// "What is different about the slow ones": attribute values of any span of the
// trace or its resources, ranked by how over-represented they are in the
// selection, with both proportions; each one click from the trace search filtered
// by it and from example traces.

const percent = (f: number) => `${(f * 100).toFixed(f > 0 && f < 0.01 ? 1 : 0)}%`;

/** A measured number for people: 4 significant digits (quantiles interpolate: 692.1999999 reads 692.2). */
const num = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4))));

function describe(r: CompareResult): string {
  return r.kind === 'value' ? `${r.key} = ${r.value}` : `${r.key} ${r.threshold.op} ${num(r.threshold.value)}`;
}

function fractions(r: CompareResult): [number, number] {
  return r.kind === 'value' ? [r.selectedFraction, r.baselineFraction] : [r.threshold.selectedFraction, r.threshold.baselineFraction];
}

export function CompareView({ data, selectionName }: { data: CompareResponse; selectionName: string }) {
  const [params] = useSearchParams();
  const significant = data.results.filter((r) => r.significance.significant);
  return (
    <section aria-label="What is different about the selection">
      <p role="status">
        {data.selection.traces} traces in the selection ({data.selection.description}) against {data.baseline.traces} others
        {data.sample !== null ? `; ${data.sample.note}` : ''}.{' '}
        {significant.length === 0 ? 'Nothing sets them apart: no attribute value is significantly more common in the selection.' : `${significant.length} attribute values set them apart.`}
      </p>
      <table className="data-table compare-table" aria-label={`Attribute values of ${selectionName} against the rest`}>
        <thead>
          <tr>
            <th scope="col">Attribute</th>
            <th scope="col">Found on</th>
            <th scope="col">{selectionName} / the rest</th>
            <th scope="col" className="num">Lift</th>
            <th scope="col" className="num">p</th>
            <th scope="col">Traces</th>
          </tr>
        </thead>
        <tbody>
          {data.results.map((r) => {
            const [sel, base] = fractions(r);
            const search = linkWithRange('/traces', params, { service: r.foundOn.service, attr: r.filter });
            return (
              <tr key={`${r.kind} ${r.foundOn.label} ${describe(r)}`} className={r.significance.significant ? 'significant' : 'not-significant'}>
                <th scope="row">
                  <code>{describe(r)}</code>
                  {r.kind === 'number' ? (
                    <div className="muted small">
                      p50 {num(r.selected.p50)} vs {num(r.baseline.p50)}; p95 {num(r.selected.p95)} vs {num(r.baseline.p95)}
                    </div>
                  ) : null}
                </th>
                <td>{r.foundOn.label}</td>
                <td>
                  <div className="proportion" aria-label={`${percent(sel)} of the selection, ${percent(base)} of the rest`}>
                    <span className="bar-sel" style={{ width: `${sel * 100}%` }} />
                    <span className="bar-base" style={{ width: `${base * 100}%` }} />
                  </div>
                  <span className="small">
                    {percent(sel)} / {percent(base)}
                  </span>
                </td>
                <td className="num">{r.lift === null ? 'only here' : `${r.lift.toFixed(1)}×`}</td>
                <td className="num">
                  {r.significance.pValue < 1e-6 ? '<1e-6' : r.significance.pValue.toPrecision(2)}
                  {r.significance.significant ? <span className="badge"> significant</span> : null}
                </td>
                <td>
                  <span className="row-actions">
                    <Link to={search} aria-label={`Search traces with ${describe(r)}`}>
                      Filter search
                    </Link>
                    {r.exampleTraceIds.slice(0, 3).map((id) => (
                      <Link key={id} to={tracePath(id)} aria-label={`Example trace ${id} with ${describe(r)}`}>
                        {shortId(id)}
                      </Link>
                    ))}
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {data.leftOut.length > 0 ? (
        <details className="analysis-notes">
          <summary>{data.leftOut.length} keys left out (ids, timestamps)</summary>
          <ul className="muted">
            {data.leftOut.map((l) => (
              <li key={`${l.foundOn.label} ${l.key}`}>
                <code>{l.key}</code> on {l.foundOn.label}: {l.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <ul className="muted analysis-notes">
        {data.notes.map((n) => <li key={n}>{n}</li>)}
      </ul>
    </section>
  );
}
