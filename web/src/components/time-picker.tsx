import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { readTimeRange, relativeRanges, resolveTimeRange, writeTimeRange } from '../lib/time-range.ts';
import { toDateTimeLocal } from '../lib/times.ts';

/** Relative ranges (last 15 min … 7 d) or an absolute from/to; writes the URL. */
export function TimePicker() {
  const [params, setParams] = useSearchParams();
  const range = readTimeRange(params);
  const [custom, setCustom] = useState(range.kind === 'absolute');
  const resolved = resolveTimeRange(range);
  const [from, setFrom] = useState(toDateTimeLocal(resolved.startMs));
  const [to, setTo] = useState(toDateTimeLocal(resolved.endMs));

  const selectValue = custom || range.kind === 'absolute' ? 'custom' : range.value;
  return (
    <div className="time-picker" role="group" aria-label="Time range">
      <label>
        <span className="sr-only">Time range</span>
        <select
          aria-label="Time range"
          value={selectValue}
          onChange={(event) => {
            const value = event.target.value;
            if (value === 'custom') {
              setCustom(true);
              return;
            }
            setCustom(false);
            const known = relativeRanges.find((r) => r.value === value)!;
            setParams(writeTimeRange(params, { kind: 'relative', value: known.value, ms: known.ms }));
          }}
        >
          {relativeRanges.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
          <option value="custom">Absolute range…</option>
        </select>
      </label>
      {selectValue === 'custom' ? (
        <form
          className="absolute-range"
          onSubmit={(event) => {
            event.preventDefault();
            const fromMs = new Date(from).getTime();
            const toMs = new Date(to).getTime();
            if (Number.isFinite(fromMs) && Number.isFinite(toMs) && fromMs < toMs) {
              setParams(writeTimeRange(params, { kind: 'absolute', fromMs, toMs }));
            }
          }}
        >
          <label>
            From <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            To <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <button type="submit">Apply range</button>
        </form>
      ) : null}
    </div>
  );
}
