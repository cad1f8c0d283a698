import { useEffect, useRef } from 'react';
import type { PointerEvent } from 'react';
import type { TraceTreeResponse } from '../../../../src/api/types.ts';
import type { WaterfallRow } from './waterfall-model.ts';

const height = 48;

/**
 * The whole trace in a strip (Jaeger's minimap): every shown row as a line at
 * its time position, the rows on screen framed; click or drag to jump there.
 * Canvas, so 100,000 rows cost one drawing pass, not 100,000 elements.
 */
export function Minimap({ tree, rows, colors, firstVisible, lastVisible, onJump }: {
  tree: TraceTreeResponse;
  rows: readonly WaterfallRow[];
  colors: readonly string[];
  firstVisible: number;
  lastVisible: number;
  onJump: (row: number) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    if (element === null) return;
    const width = element.clientWidth || 600;
    const ratio = window.devicePixelRatio || 1;
    element.width = width * ratio;
    element.height = height * ratio;
    const ctx = element.getContext('2d');
    if (ctx === null) return;
    ctx.scale(ratio, ratio);
    ctx.clearRect(0, 0, width, height);
    const total = tree.durationNs > 0 ? tree.durationNs : 1;
    const rowHeight = Math.max(height / Math.max(rows.length, 1), 0.5);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (row.kind !== 'span') continue;
      const span = tree.spans[row.span]!;
      ctx.fillStyle = span.status === 2 ? '#d62728' : colors[span.service] ?? '#888';
      ctx.fillRect((span.startNs / total) * width, (i / rows.length) * height, Math.max((span.durationNs / total) * width, 1), Math.max(rowHeight - 0.2, 0.5));
    }
  }, [tree, rows, colors]);

  const jump = (event: PointerEvent<HTMLDivElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    onJump(Math.floor(((event.clientY - rect.top) / rect.height) * rows.length));
  };
  const count = Math.max(rows.length, 1);
  return (
    <div
      className="minimap"
      role="img"
      aria-label="Minimap of the whole trace; click to jump"
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture(event.pointerId);
        jump(event);
      }}
      onPointerMove={(event) => {
        if (event.buttons === 1) jump(event);
      }}
    >
      <canvas ref={canvas} style={{ width: '100%', height }} />
      <div className="minimap-window" style={{ top: `${(firstVisible / count) * 100}%`, height: `${Math.max(((lastVisible - firstVisible + 1) / count) * 100, 2)}%` }} />
    </div>
  );
}
