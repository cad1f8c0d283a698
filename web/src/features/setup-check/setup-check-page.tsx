import { Link, useSearchParams } from 'react-router';
import { Empty, ErrorState, Loading } from '../../components/state-views.tsx';
import { TimePicker } from '../../components/time-picker.tsx';
import { describeTimeRange, linkWithRange, readTimeRange } from '../../lib/time-range.ts';
import { FindingCard } from './finding-card.tsx';
import { ScorePanel } from './score-panel.tsx';
import { useDoctor } from './use-doctor.ts';
import './setup-check.css';

/** The instrumentation doctor per service: setup problems with the fix to copy, and the Instrumentation Score. */
export function SetupCheckPage() {
  const [params] = useSearchParams();
  const range = readTimeRange(params);
  const service = params.get('service') ?? undefined;
  const doctor = useDoctor(range, service);

  let body;
  if (doctor.isPending) body = <Loading what="the setup check" />;
  else if (doctor.isError) body = <ErrorState error={doctor.error} what="the setup check" onRetry={() => void doctor.refetch()} />;
  else if (doctor.data.services.length === 0) {
    body = <Empty title={`No telemetry in ${describeTimeRange(range).toLowerCase()}.`}>Choose a longer time range above.</Empty>;
  } else {
    const { services, spec } = doctor.data;
    const withFindings = services.filter((s) => s.findings.length > 0).length;
    body = (
      <>
        <p role="status">
          {withFindings === 0 ? 'No setup problem found' : `${withFindings} of ${services.length} services have setup problems`}.
        </p>
        {services.map((s) => (
          <section key={s.service} className="check-service" aria-label={`Setup check of ${s.service || '(no service.name)'}`}>
            <header className="check-header">
              <h2>
                <Link to={linkWithRange(`/services/${encodeURIComponent(s.service)}`, params)}>{s.service || '(no service.name)'}</Link>
              </h2>
              <span className="muted">
                {s.signals.spans} spans, {s.signals.logs} logs, {s.signals.metricPoints} metric points
              </span>
            </header>
            <ScorePanel score={s.score} service={s.service} specUrl={spec.url} />
            {s.findings.length === 0 ? <p className="check-ok">No setup problem found.</p> : s.findings.map((f) => <FindingCard key={f.id} finding={f} service={s.service} />)}
          </section>
        ))}
        <p className="muted">
          Instrumentation Score rules evaluated: {spec.implemented.join(', ')}; not implemented: {spec.notImplemented.join(', ')} ({spec.version}). Spans per export request are
          counted by this process since {new Date(Number(BigInt(doctor.data.exportRequestsCountedSinceUnixNano) / 1_000_000n)).toLocaleString()}.
        </p>
      </>
    );
  }
  return (
    <div className="page">
      <header className="page-header">
        <h1>Setup check</h1>
        <TimePicker />
      </header>
      <p className="muted">Common OpenTelemetry setup problems, recognised in the telemetry each service sent over the range.</p>
      {body}
    </div>
  );
}
