import { Link, useSearchParams } from 'react-router';
import { Empty, ErrorState, Loading } from '../../components/state-views.tsx';
import { TimePicker } from '../../components/time-picker.tsx';
import { serviceColor } from '../../lib/colors.ts';
import { describeTimeRange, linkWithRange, readTimeRange } from '../../lib/time-range.ts';
import { SetupInstructions } from '../setup/setup-instructions.tsx';
import { useHasData } from '../setup/use-setup.ts';
import { RedTable } from './red-table.tsx';
import { ServiceOperations } from './service-operations.tsx';
import { useServiceStats } from './use-services.ts';

const inlineOperationsUpTo = 3;

/** Every service with the RED figures of its requests (server spans, else root spans). */
export function ServicesPage() {
  const [params] = useSearchParams();
  const range = readTimeRange(params);
  const stats = useServiceStats(range);
  const hasData = useHasData();

  let body;
  if (hasData.data === false) body = <SetupInstructions />;
  else if (stats.isPending) body = <Loading what="services" />;
  else if (stats.isError) body = <ErrorState error={stats.error} what="services" onRetry={() => void stats.refetch()} />;
  else if (stats.data.services.length === 0) {
    body = (
      <Empty title={`No spans in ${describeTimeRange(range).toLowerCase()}.`}>
        Choose a longer time range above; data older than the retention (--retention) is gone.
      </Empty>
    );
  } else {
    body = (
      <RedTable
        label="Services"
        nameHeader="Service"
        rows={stats.data.services}
        renderName={(row) => (
          <Link to={linkWithRange(`/services/${encodeURIComponent(row.name)}`, params)}>
            <span className="service-swatch" style={{ background: serviceColor(row.name) }} aria-hidden="true" />
            {row.name}
          </Link>
        )}
        renderActions={(row) => (
          <span className="row-actions">
            <Link to={linkWithRange('/traces', params, { service: row.name })} aria-label={`Traces of ${row.name}`}>
              Traces
            </Link>
            <Link to={linkWithRange('/logs', params, { service: row.name })} aria-label={`Logs of ${row.name}`}>
              Logs
            </Link>
          </span>
        )}
      />
    );
    // A small install (the usual first run) sees its routes at once; larger ones click through.
    const inline = stats.data.services.length <= inlineOperationsUpTo ? stats.data.services : [];
    body = (
      <>
        {body}
        {inline.map((service) => (
          <section key={service.name} aria-label={`Operations of ${service.name}`}>
            <h2 className="section-title">Operations of {service.name}</h2>
            <ServiceOperations service={service.name} range={range} />
          </section>
        ))}
      </>
    );
  }
  return (
    <div className="page">
      <header className="page-header">
        <h1>Services</h1>
        <TimePicker />
      </header>
      <p className="muted">Requests are each service&apos;s server spans (or its root spans when it has none), over the range.</p>
      {body}
    </div>
  );
}
