import type { CSSProperties } from 'react';
import type { LogRecordJson, TreeSpan } from '../../../../src/api/types.ts';
import { formatDurationNs } from '../../lib/durations.ts';
import { formatPlainValue } from '../../lib/attributes.ts';
import { severityBand } from '../../lib/severity.ts';

export const spanRowHeight = 26;
export const logRowHeight = 22;

export function SpanRow(props: {
  style: CSSProperties;
  index: number;
  span: TreeSpan;
  name: string;
  service: string;
  color: string;
  traceDurationNs: number;
  collapsed: boolean;
  selected: boolean;
  dimmed: boolean;
  matched: boolean;
  /** The service is named where it changes (roots, calls into another service), as Jaeger does; the colour marks every row. */
  showService: boolean;
  /** Stretches of this span on the critical path (trace offsets). */
  criticalSegments: readonly { startNs: number; endNs: number }[] | undefined;
  onSelect: (span: number) => void;
  onToggle: (span: number) => void;
}) {
  const { span, index, traceDurationNs } = props;
  const total = traceDurationNs > 0 ? traceDurationNs : 1;
  const leftPct = (span.startNs / total) * 100;
  const widthPct = Math.max((span.durationNs / total) * 100, 0.05);
  // The duration goes after the bar, or inside a long bar that ends near the right edge, or before it.
  const labelPlace = leftPct + widthPct < 82 ? 'after' : widthPct > 14 ? 'inside' : 'before';
  const error = span.status === 2;
  const classes = ['waterfall-row', 'span-row'];
  if (props.selected) classes.push('selected');
  if (props.dimmed) classes.push('dimmed');
  if (props.matched) classes.push('matched');
  if (span.critical) classes.push('critical');
  return (
    <div
      id={`span-row-${index}`}
      className={classes.join(' ')}
      style={props.style}
      role="treeitem"
      aria-level={span.depth + 1}
      aria-selected={props.selected}
      aria-expanded={span.childCount > 0 ? !props.collapsed : undefined}
      aria-label={`${props.service} ${props.name} ${formatDurationNs(span.durationNs)}${error ? ' error' : ''}${span.hasException ? ' exception' : ''}`}
      title={`${props.name}: ${formatDurationNs(span.durationNs)} (self ${formatDurationNs(span.selfNs)})${span.critical ? ', on the critical path' : ''}`}
      onClick={() => props.onSelect(index)}
    >
      <div className="waterfall-name-col" style={{ paddingLeft: 4 + Math.min(span.depth, 40) * 14 }}>
        {span.childCount > 0 ? (
          <button
            type="button"
            className="toggle"
            aria-label={`${props.collapsed ? 'Expand' : 'Collapse'} ${props.name}`}
            tabIndex={-1}
            onClick={(event) => {
              event.stopPropagation();
              props.onToggle(index);
            }}
          >
            {props.collapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span className="toggle-space" />
        )}
        <span className="service-swatch" style={{ background: props.color }} aria-hidden="true" />
        {props.showService ? <span className="service-name">{props.service}</span> : null}
        <span className="span-name">{props.name}</span>
        {props.collapsed ? <span className="badge">{span.childCount}</span> : null}
        {error ? <span className="badge badge-error">error</span> : null}
        {span.hasException ? <span className="badge badge-error" title="An exception was recorded">exception</span> : null}
        {span.logCount > 0 ? <span className="badge" title="Log records of this span">{span.logCount} logs</span> : null}
        {span.orphan ? <span className="badge" title="Its parent span is not in the trace">orphan</span> : null}
      </div>
      <div className="waterfall-time-col">
        <div
          className={`bar${error ? ' bar-error' : ''}`}
          style={{ left: `${leftPct}%`, width: `${widthPct}%`, background: props.color }}
        />
        {(props.criticalSegments ?? []).map((segment, i) => (
          <span
            key={`c${i}`}
            className="critical-segment"
            style={{ left: `${(segment.startNs / total) * 100}%`, width: `${Math.max(((segment.endNs - segment.startNs) / total) * 100, 0.05)}%` }}
            aria-hidden="true"
          />
        ))}
        {span.eventsNs.map((eventNs, i) => (
          <span key={i} className="event-marker" style={{ left: `${(eventNs / total) * 100}%` }} aria-hidden="true" />
        ))}
        <span
          className={`bar-label${labelPlace === 'inside' ? ' bar-label-inside' : ''}`}
          style={
            labelPlace === 'after' ? { left: `calc(${leftPct + widthPct}% + 4px)` }
            : labelPlace === 'inside' ? { right: `calc(${100 - leftPct - widthPct}% + 4px)` }
            : { right: `calc(${100 - leftPct}% + 4px)` }
          }
        >
          {formatDurationNs(span.durationNs)}
        </span>
      </div>
    </div>
  );
}

export function LogRow({ style, log, span, traceStartUnixNano, onSelect }: {
  style: CSSProperties;
  log: LogRecordJson;
  span: TreeSpan;
  traceStartUnixNano: string;
  onSelect: () => void;
}) {
  const band = severityBand(log.severityNumber);
  const offsetNs = Number(BigInt(log.timeUnixNano || '0') - BigInt(traceStartUnixNano || '0'));
  return (
    <div className="waterfall-row log-row" style={style} role="treeitem" aria-level={span.depth + 2} aria-label={`log ${log.severityText || band}: ${formatPlainValue(log.body)}`} onClick={onSelect}>
      <div className="waterfall-log" style={{ paddingLeft: 22 + Math.min(span.depth, 40) * 14 }}>
        <span className={`severity severity-${band}`}>{log.severityText || band}</span>
        <span className="log-offset">+{formatDurationNs(offsetNs)}</span>
        <span className="log-body">{formatPlainValue(log.body)}</span>
      </div>
    </div>
  );
}
