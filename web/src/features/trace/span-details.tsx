import { Link, useNavigate } from 'react-router';
import type { LogRecordJson, SpanEventJson, TreeSpan } from '../../../../src/api/types.ts';
import { AttributeTable } from '../../components/attribute-table.tsx';
import { LogList } from '../../components/log-list.tsx';
import { ErrorState, Loading } from '../../components/state-views.tsx';
import { formatDurationNs } from '../../lib/durations.ts';
import { formatAttributeValue } from '../../lib/attributes.ts';
import { shortId, tracePath } from '../../lib/ids.ts';
import { formatAbsolute, unixNanoToMs } from '../../lib/times.ts';
import { useSpanDetail } from './use-trace.ts';

const kinds = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const statuses = ['unset', 'ok', 'error'];

/** The selected span: everything the compact tree leaves out, fetched on demand. */
export function SpanDetails({ traceId, span, logs, onClose }: {
  traceId: string;
  span: TreeSpan;
  logs: readonly LogRecordJson[];
  onClose: () => void;
}) {
  const detail = useSpanDetail(traceId, span.spanId);
  const navigate = useNavigate();
  return (
    <aside className="span-details" aria-label="Span details">
      <header>
        <h2>{detail.data?.name ?? 'Span'}</h2>
        <button type="button" aria-label="Close span details" onClick={onClose}>
          ✕
        </button>
      </header>
      <dl className="facts">
        <dt>Duration</dt>
        <dd>{formatDurationNs(span.durationNs)}</dd>
        <dt>Self time</dt>
        <dd>{formatDurationNs(span.selfNs)}</dd>
        <dt>Critical path</dt>
        <dd>{span.critical ? 'yes' : 'no'}</dd>
        <dt>Span id</dt>
        <dd className="mono">{span.spanId}</dd>
      </dl>
      {detail.isPending ? <Loading what="span details" /> : null}
      {detail.isError ? <ErrorState error={detail.error} what="span details" onRetry={() => void detail.refetch()} /> : null}
      {detail.data === undefined ? null : (
        <>
          <dl className="facts">
            <dt>Service</dt>
            <dd>{detail.data.serviceName}</dd>
            <dt>Kind</dt>
            <dd>{kinds[detail.data.kind] ?? detail.data.kind}</dd>
            <dt>Status</dt>
            <dd className={detail.data.status.code === 2 ? 'text-error' : ''}>
              {statuses[detail.data.status.code]}
              {detail.data.status.message ? `: ${detail.data.status.message}` : ''}
            </dd>
            <dt>Start</dt>
            <dd>{formatAbsolute(unixNanoToMs(detail.data.startTimeUnixNano))}</dd>
            {detail.data.parentSpanId ? (
              <>
                <dt>Parent</dt>
                <dd className="mono">{detail.data.parentSpanId}</dd>
              </>
            ) : null}
          </dl>
          {detail.data.events.filter((e) => e.exception !== undefined).map((event, i) => (
            <ExceptionView key={i} event={event} />
          ))}
          <h3>Attributes</h3>
          <AttributeTable
            attributes={detail.data.attributes}
            label="Span attributes"
            onFilter={(a) => void navigate(`/traces?service=${encodeURIComponent(detail.data.serviceName)}&attr=${encodeURIComponent(`${a.key}=${formatAttributeValue(a)}`)}`)}
          />
          {detail.data.droppedAttributesCount > 0 ? <p className="muted">{detail.data.droppedAttributesCount} attributes dropped by the SDK.</p> : null}
          <h3>Logs ({logs.length})</h3>
          {logs.length === 0 ? <p className="muted">No log records carry this span id.</p> : <LogList logs={logs} label="Logs of this span" />}
          <h3>Events ({detail.data.events.length})</h3>
          {detail.data.events.length === 0 ? <p className="muted">No events.</p> : null}
          {detail.data.events.map((event, i) => (
            <div key={i} className="event">
              <strong>{event.name}</strong> <span className="muted">+{formatDurationNs(event.offsetNs)}</span>
              <AttributeTable attributes={event.attributes} label={`Attributes of event ${event.name}`} />
            </div>
          ))}
          <h3>Links ({detail.data.links.length})</h3>
          {detail.data.links.length === 0 ? <p className="muted">No links.</p> : null}
          <ul>
            {detail.data.links.map((link, i) => (
              <li key={i}>
                <Link to={tracePath(link.traceId, link.spanId)}>
                  Trace {shortId(link.traceId)} span {shortId(link.spanId)}
                </Link>
                <AttributeTable attributes={link.attributes} label="Link attributes" />
              </li>
            ))}
          </ul>
          <h3>Resource</h3>
          <AttributeTable attributes={detail.data.resource.attributes} label="Resource attributes" />
          <h3>Instrumentation scope</h3>
          <p>
            {detail.data.scope.name || '(unnamed)'} {detail.data.scope.version}
          </p>
          <AttributeTable attributes={detail.data.scope.attributes} label="Scope attributes" />
        </>
      )}
    </aside>
  );
}

function ExceptionView({ event }: { event: SpanEventJson }) {
  const exception = event.exception!;
  return (
    <section className="exception" aria-label={`Exception ${exception.type}`}>
      <h3>
        Exception <span className="text-error">{exception.type || '(no type)'}</span>
        {exception.escaped === true ? <span className="badge">escaped</span> : null}
      </h3>
      <p>{exception.message}</p>
      {exception.stacktrace ? <pre className="stacktrace">{exception.stacktrace}</pre> : <p className="muted">No stack trace recorded.</p>}
    </section>
  );
}
