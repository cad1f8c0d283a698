import type { ReactNode } from 'react';
import type { RedStats, Sparkline } from '../../../../src/api/types.ts';
import { SparklineChart } from '../../components/sparkline.tsx';
import { formatDurationNs } from '../../lib/durations.ts';

// One table for services and for a service's operations: rate, errors and
// latency (RED), each with its sparkline over the range.

export interface RedRow extends RedStats {
  name: string;
  sparkline: Sparkline;
}

function formatRate(perSecond: number): string {
  if (perSecond === 0) return '0/s';
  if (perSecond < 0.1) return `${Number((perSecond * 60).toPrecision(2))}/min`;
  return `${Number(perSecond.toPrecision(3))}/s`;
}

export function RedTable({ rows, label, nameHeader, renderName, renderActions }: {
  rows: readonly RedRow[];
  label: string;
  nameHeader: string;
  renderName: (row: RedRow) => ReactNode;
  renderActions: (row: RedRow) => ReactNode;
}) {
  return (
    <table className="data-table red-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{nameHeader}</th>
          <th scope="col">Requests</th>
          <th scope="col">Rate</th>
          <th scope="col">Error rate</th>
          <th scope="col">p50</th>
          <th scope="col">p95</th>
          <th scope="col">p99</th>
          <th scope="col"><span className="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name}>
            <th scope="row">{renderName(row)}</th>
            <td className="num">{row.requestCount.toLocaleString()}</td>
            <td>
              <div className="with-spark">
                <span className="num">{formatRate(row.ratePerSecond)}</span>
                <SparklineChart values={row.sparkline.ratePerSecond} label={`Request rate of ${row.name} over the range`} />
              </div>
            </td>
            <td>
              <div className="with-spark">
                <span className={`num${row.errorRate > 0 ? ' text-error' : ''}`}>{(row.errorRate * 100).toFixed(row.errorRate > 0 && row.errorRate < 0.01 ? 2 : 1)}%</span>
                <SparklineChart values={row.sparkline.errorRate} colorVar="--error" label={`Error rate of ${row.name} over the range`} />
              </div>
            </td>
            <td className="num">{formatDurationNs(row.p50Ns)}</td>
            <td>
              <div className="with-spark">
                <span className="num">{formatDurationNs(row.p95Ns)}</span>
                <SparklineChart values={row.sparkline.p95Ns} colorVar="--latency" label={`p95 latency of ${row.name} over the range`} />
              </div>
            </td>
            <td className="num">{formatDurationNs(row.p99Ns)}</td>
            <td>{renderActions(row)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
