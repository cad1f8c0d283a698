import type { TraceTreeResponse } from '../../../../src/api/types.ts';
import { serviceColor } from '../../lib/colors.ts';
import { formatDurationNs } from '../../lib/durations.ts';

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** Jaeger's trace statistics: per service and operation, where the time went. */
export function TraceStats({ tree }: { tree: TraceTreeResponse }) {
  return (
    <table className="data-table" aria-label="Trace statistics">
      <thead>
        <tr>
          <th scope="col">Service</th>
          <th scope="col">Operation</th>
          <th scope="col">Count</th>
          <th scope="col">Errors</th>
          <th scope="col">Total</th>
          <th scope="col">Min</th>
          <th scope="col">Max</th>
          <th scope="col">Self time</th>
          <th scope="col">Self share of trace</th>
        </tr>
      </thead>
      <tbody>
        {tree.stats.map((row) => (
          <tr key={`${row.service}\u0000${row.operation}`}>
            <td>
              <span className="service-swatch" style={{ background: serviceColor(row.service) }} aria-hidden="true" />
              {row.service}
            </td>
            <th scope="row">{row.operation}</th>
            <td className="num">{row.count}</td>
            <td className={`num${row.errorCount > 0 ? ' text-error' : ''}`}>{row.errorCount}</td>
            <td className="num">{formatDurationNs(row.totalNs)}</td>
            <td className="num">{formatDurationNs(row.minNs)}</td>
            <td className="num">{formatDurationNs(row.maxNs)}</td>
            <td className="num">{formatDurationNs(row.selfNs)}</td>
            <td className="num">
              <span className="share-bar" style={{ width: `${Math.min(row.selfShare, 1) * 60}px` }} aria-hidden="true" />
              {percent(row.selfShare)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
