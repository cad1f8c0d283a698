import { Link } from 'react-router';
import type { TraceSummaryJson } from '../../../../src/api/types.ts';
import { RelativeTime } from '../../components/relative-time.tsx';
import { serviceColor } from '../../lib/colors.ts';
import { formatDurationNs } from '../../lib/durations.ts';
import { shortId, tracePath } from '../../lib/ids.ts';
import { unixNanoToMs } from '../../lib/times.ts';

export type SortKey = 'start' | 'duration' | 'spans' | 'errors' | 'root';
export interface Sort {
  key: SortKey;
  descending: boolean;
}

export function readSort(text: string | null): Sort {
  const descending = text === null || text.startsWith('-');
  const key = (text ?? '-start').replace(/^-/, '');
  return { key: (['start', 'duration', 'spans', 'errors', 'root'].includes(key) ? key : 'start') as SortKey, descending };
}

export function writeSort(sort: Sort): string {
  return `${sort.descending ? '-' : ''}${sort.key}`;
}

function compare(a: TraceSummaryJson, b: TraceSummaryJson, key: SortKey): number {
  switch (key) {
    case 'duration':
      return Number(BigInt(a.durationNano) - BigInt(b.durationNano));
    case 'spans':
      return a.spanCount - b.spanCount;
    case 'errors':
      return a.errorCount - b.errorCount;
    case 'root':
      return `${a.rootServiceName} ${a.rootSpanName}`.localeCompare(`${b.rootServiceName} ${b.rootSpanName}`);
    case 'start':
      return Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano));
  }
}

const columns: { key: SortKey; label: string }[] = [
  { key: 'root', label: 'Root service and span' },
  { key: 'spans', label: 'Spans' },
  { key: 'errors', label: 'Errors' },
  { key: 'duration', label: 'Duration' },
  { key: 'start', label: 'Start' },
];

export function ResultsTable({ traces, sort, onSort }: {
  traces: readonly TraceSummaryJson[];
  sort: Sort;
  onSort: (sort: Sort) => void;
}) {
  const sorted = [...traces].sort((a, b) => (sort.descending ? -1 : 1) * compare(a, b, sort.key));
  return (
    <table className="data-table results" aria-label="Traces found">
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.key} scope="col" aria-sort={sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
              <button
                type="button"
                className="sort-button"
                onClick={() => onSort({ key: column.key, descending: sort.key === column.key ? !sort.descending : column.key !== 'root' })}
              >
                {column.label} {sort.key === column.key ? (sort.descending ? '↓' : '↑') : ''}
              </button>
            </th>
          ))}
          <th scope="col">Services</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((trace) => (
          <tr key={trace.traceId}>
            <th scope="row">
              <Link to={tracePath(trace.traceId)} aria-label={`Open trace ${trace.rootServiceName} ${trace.rootSpanName} ${formatDurationNs(Number(trace.durationNano))}`}>
                <span className="service-swatch" style={{ background: serviceColor(trace.rootServiceName) }} aria-hidden="true" />
                <span className="service-name">{trace.rootServiceName || '(missing root)'}</span> {trace.rootSpanName}
              </Link>
              <span className="muted mono"> {shortId(trace.traceId)}</span>
            </th>
            <td className="num">{trace.spanCount}</td>
            <td className={`num${trace.errorCount > 0 ? ' text-error' : ''}`}>{trace.errorCount}</td>
            <td className="num">{formatDurationNs(Number(trace.durationNano))}</td>
            <td>
              <RelativeTime ms={unixNanoToMs(trace.startTimeUnixNano)} />
            </td>
            <td>
              {trace.services.map((s) => (
                <span key={s} className="chip">
                  <span className="service-swatch" style={{ background: serviceColor(s) }} aria-hidden="true" />
                  {s}
                </span>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
