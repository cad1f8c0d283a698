import { Link, useParams, useSearchParams } from 'react-router';
import { TimePicker } from '../../components/time-picker.tsx';
import { linkWithRange, readTimeRange } from '../../lib/time-range.ts';
import { ServiceOperations } from './service-operations.tsx';

/** /services/<name>: one service's operations. */
export function OperationsPage() {
  const service = useParams()['service'] ?? '';
  const [params] = useSearchParams();
  const range = readTimeRange(params);
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
        <Link to={linkWithRange('/analysis', params, { service })}>Where the time goes in {service}</Link>
      </p>
      <ServiceOperations service={service} range={range} />
    </div>
  );
}
