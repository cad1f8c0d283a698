import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import type { LogRecordJson, TraceTreeResponse } from '../../../../src/api/types.ts';
import { serviceColor } from '../../lib/colors.ts';
import { formatDurationNs } from '../../lib/durations.ts';
import { Minimap } from './minimap.tsx';
import { SpanRow, LogRow, spanRowHeight, logRowHeight } from './waterfall-row.tsx';
import type { WaterfallRow } from './waterfall-model.ts';

// The span tree on one time axis, virtualized (@tanstack/react-virtual): only
// the rows on screen are in the DOM, so 100,000 spans scroll like 100. Keyboard
// as in Jaeger and Tempo's viewers: j/k or arrows move, enter or arrows expand
// and collapse. Presentation only: the trace page owns the data and the state.

export interface WaterfallProps {
  tree: TraceTreeResponse;
  rows: readonly WaterfallRow[];
  logs: readonly LogRecordJson[];
  collapsed: ReadonlySet<number>;
  /** Search matches; undefined when not searching (nothing dimmed). */
  matches: Uint8Array | undefined;
  selected: number | undefined;
  onSelect: (span: number) => void;
  onToggle: (span: number) => void;
}

export function Waterfall({ tree, rows, logs, collapsed, matches, selected, onSelect, onToggle }: WaterfallProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (rows[i]?.kind === 'log' ? logRowHeight : spanRowHeight),
    overscan: 20,
  });
  const colors = useMemo(() => tree.services.map(serviceColor), [tree.services]);
  // Jaeger draws the critical path as the stretches of each bar that blocked the trace.
  const criticalBySpan = useMemo(() => {
    const bySpan = new Map<number, { startNs: number; endNs: number }[]>();
    for (const segment of tree.criticalPath) {
      const list = bySpan.get(segment.span);
      if (list === undefined) bySpan.set(segment.span, [segment]);
      else list.push(segment);
    }
    return bySpan;
  }, [tree.criticalPath]);
  const selectedRow = useMemo(
    () => (selected === undefined ? -1 : rows.findIndex((r) => r.kind === 'span' && r.span === selected)),
    [rows, selected],
  );

  useEffect(() => {
    if (selectedRow >= 0) virtualizer.scrollToIndex(selectedRow, { align: 'auto' });
  }, [selectedRow, virtualizer]);

  const move = (step: number) => {
    let i = selectedRow;
    for (;;) {
      i += step;
      const row = rows[i];
      if (row === undefined) return;
      if (row.kind === 'span') {
        onSelect(row.span);
        return;
      }
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget || event.metaKey || event.ctrlKey || event.altKey) return;
    const current = selected === undefined ? undefined : tree.spans[selected];
    switch (event.key) {
      case 'j':
      case 'ArrowDown':
        move(1);
        break;
      case 'k':
      case 'ArrowUp':
        move(-1);
        break;
      case 'Enter':
        if (selected !== undefined && current !== undefined && current.childCount > 0) onToggle(selected);
        break;
      case 'ArrowRight':
        if (selected !== undefined && collapsed.has(selected)) onToggle(selected);
        else move(1);
        break;
      case 'ArrowLeft':
        if (selected !== undefined && current !== undefined && current.childCount > 0 && !collapsed.has(selected)) onToggle(selected);
        else if (current !== undefined && current.parent >= 0) onSelect(current.parent);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const items = virtualizer.getVirtualItems();
  return (
    <div className="waterfall">
      <Minimap
        tree={tree}
        rows={rows}
        colors={colors}
        firstVisible={items[0]?.index ?? 0}
        lastVisible={items[items.length - 1]?.index ?? 0}
        onJump={(row) => virtualizer.scrollToIndex(row, { align: 'center' })}
      />
      <div className="waterfall-header" aria-hidden="true">
        <div className="waterfall-name-col">Service and operation</div>
        <div className="waterfall-time-col">
          {ticks.map((t) => (
            <span key={t} className="tick" style={{ left: `${t * 100}%` }}>
              {formatDurationNs(tree.durationNs * t)}
            </span>
          ))}
        </div>
      </div>
      <div
        ref={scroller}
        className="waterfall-body"
        role="tree"
        aria-label="Trace waterfall"
        aria-activedescendant={selected === undefined ? undefined : `span-row-${selected}`}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            const style = { transform: `translateY(${item.start}px)`, height: item.size };
            if (row.kind === 'log') {
              const log = logs[row.log];
              return log === undefined ? null : (
                <LogRow key={item.key} style={style} log={log} span={tree.spans[row.span]!} traceStartUnixNano={tree.startUnixNano} onSelect={() => onSelect(row.span)} />
              );
            }
            const span = tree.spans[row.span]!;
            return (
              <SpanRow
                key={item.key}
                style={style}
                index={row.span}
                span={span}
                name={tree.names[span.name] ?? ''}
                service={tree.services[span.service] ?? ''}
                color={colors[span.service] ?? '#888'}
                traceDurationNs={tree.durationNs}
                collapsed={collapsed.has(row.span)}
                selected={selected === row.span}
                dimmed={matches !== undefined && matches[row.span] !== 1}
                matched={matches !== undefined && matches[row.span] === 1}
                criticalSegments={criticalBySpan.get(row.span)}
                showService={span.parent < 0 || tree.spans[span.parent]?.service !== span.service}
                onSelect={onSelect}
                onToggle={onToggle}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
