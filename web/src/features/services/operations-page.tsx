import { Link, useParams, useSearchParams } from 'react-router';
import { Empty, ErrorState, Loading } from '../../components/state-views.tsx';
import { TimePicker } from '../../components/time-picker.tsx';
import { linkWithRange, readTimeRange } from '../../lib/time-range.ts';
import { RedTable } from './red-table.tsx';
import { useOperations } from './use-services.ts';

/** One service's operations (route templates for HTTP servers), busiest first. */
export function OperationsPage() {
  const service = useParams()['service'] ?? '';
  const [params] = useSearchParams();
  const range = readTimeRange(params);
  const operations = useOperations(service, range);

  let body;
  if (operations.isPending) body = <Loading what="operations" />;
  else if (operations.isError) body = <ErrorState error={operations.error} what="operations" onRetry={() => void operations.refetch()} />;
  else if (operations.data.operations.length === 0) {
    body = <Empty title={`No requests of ${service} in this range.`}>Choose a longer time range, or check the service name.</Empty>;
  } else {
    body = (
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
            </span>
          )}
        />
      </>
    );
  }
  return (
    <div className="page">
      <header className="page-header">
        <h1>
          <Link to={linkWithRange('/', params)}>Services</Link> / {service}
        </h1>
        <TimePicker />
      </header>
      <p className="row-actions">
        <Link to={linkWithRange('/traces', params, { service })}>All traces of {service}</Link>
        <Link to={linkWithRange('/logs', params, { service })}>Logs of {service}</Link>
      </p>
      {body}
    </div>
  );
}
