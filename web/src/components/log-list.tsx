import { useState } from 'react';
import { Link } from 'react-router';
import type { LogRecordJson } from '../../../src/api/types.ts';
import { formatPlainValue, plainToTyped } from '../lib/attributes.ts';
import { serviceColor } from '../lib/colors.ts';
import { shortId, tracePath } from '../lib/ids.ts';
import { severityBand } from '../lib/severity.ts';
import { unixNanoToMs } from '../lib/times.ts';
import { AttributeTable } from './attribute-table.tsx';
import { RelativeTime } from './relative-time.tsx';

/** Log records, each expandable to its attributes and resource, linked to its trace and span. */
export function LogList({ logs, label, onSpan }: {
  logs: readonly LogRecordJson[];
  label: string;
  /** Inside a trace: select the span on this page instead of following a link. */
  onSpan?: (spanId: string) => void;
}) {
  return (
    <ul className="log-list" aria-label={label}>
      {logs.map((log, i) => (
        // Keyed by the record, not its position: an open record stays open when a search reorders the list.
        <LogItem key={`${log.timeUnixNano}-${log.spanId}-${log.severityNumber}-${i === 0 || logs[i - 1]?.timeUnixNano !== log.timeUnixNano ? 0 : i}`} log={log} {...(onSpan === undefined ? {} : { onSpan })} />
      ))}
    </ul>
  );
}

function LogItem({ log, onSpan }: { log: LogRecordJson; onSpan?: (spanId: string) => void }) {
  const [open, setOpen] = useState(false);
  const band = severityBand(log.severityNumber);
  const body = formatPlainValue(log.body);
  return (
    <li className={`log-item${open ? ' open' : ''}`}>
      <button type="button" className="log-summary" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="log-time">
          <RelativeTime ms={unixNanoToMs(log.timeUnixNano)} />
        </span>
        <span className={`severity severity-${band}`}>{log.severityText || band}</span>
        <span className="service-name">
          <span className="service-swatch" style={{ background: serviceColor(log.serviceName) }} aria-hidden="true" />
          {log.serviceName}
        </span>
        <span className="log-body">{body}</span>
      </button>
      {open ? (
        <div className="log-details">
          {log.traceId === '' ? (
            <p className="muted">Not part of a trace.</p>
          ) : (
            <p className="row-actions">
              <Link to={tracePath(log.traceId)}>Open trace {shortId(log.traceId)}</Link>
              {log.spanId === '' ? null : onSpan === undefined ? (
                <Link to={tracePath(log.traceId, log.spanId)}>Open span {shortId(log.spanId)}</Link>
              ) : (
                <button type="button" className="link-button" onClick={() => onSpan(log.spanId)}>
                  Go to span {shortId(log.spanId)}
                </button>
              )}
            </p>
          )}
          <h4>Body</h4>
          <pre className="log-body-full">{body}</pre>
          <h4>Attributes</h4>
          <AttributeTable attributes={plainToTyped(log.attributes)} label="Log attributes" />
          <h4>Resource</h4>
          <AttributeTable attributes={plainToTyped(log.resource)} label="Log resource" />
          <p className="muted">
            Scope {log.scope.name || '(none)'} {log.scope.version} · severity {log.severityNumber}
            {log.eventName ? ` · event ${log.eventName}` : ''}
          </p>
        </div>
      ) : null}
    </li>
  );
}
