import { Link, useSearchParams } from 'react-router';
import { ErrorState, Loading } from '../../components/state-views.tsx';
import type { TimeRange } from '../../lib/time-range.ts';
import { linkWithRange } from '../../lib/time-range.ts';
import { RedTable } from './red-table.tsx';
import { useOperations } from './use-services.ts';

/** A service's operations (route templates for HTTP servers) with their RED figures, busiest first. */
export function ServiceOperations({ service, range }: { service: string; range: TimeRange }) {
  const [params] = useSearchParams();
  const operations = useOperations(service, range);
  if (operations.isPending) return <Loading what={`operations of ${service}`} />;
  if (operations.isError) return <ErrorState error={operations.error} what={`operations of ${service}`} onRetry={() => void operations.refetch()} />;
  if (operations.data.operations.length === 0) {
    return <p className="muted" role="status">No requests of {service} in this range: choose a longer time range.</p>;
  }
  return (
    <>
      <p className="muted">
        Requests are {operations.data.basis === 'server' ? 'server spans' : 'root spans (the service has no server spans)'}.
      </p>
      <RedTable
        label={`Operations of ${service}`}
        nameHeader="Operation"
        rows={operations.data.operations}
        renderName={(row) => (
          <Link to={linkWithRange('/traces', params, { service, spanName: row.name })} aria-label={`Traces of ${row.name}`}>
            {row.name}
          </Link>
        )}
        renderActions={(row) => (
          <span className="row-actions">
            <Link to={linkWithRange('/traces', params, { service, spanName: row.name, status: 'error' })} aria-label={`Failed traces of ${row.name}`}>
              Errors
            </Link>
            <Link to={linkWithRange('/analysis', params, { service, spanName: row.name })} aria-label={`Root cause of ${row.name}`}>
              Root cause
            </Link>
          </span>
        )}
      />
    </>
  );
}
