import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { isDurationText } from '../../lib/durations.ts';
import type { TimeRange } from '../../lib/time-range.ts';
import { useOperations, useServiceNames } from '../services/use-services.ts';
import { AttributeConditionRow } from './attribute-condition-row.tsx';
import { ServiceSelect } from '../../components/service-select.tsx';
import type { TraceSearch } from './search-params.ts';

/** The search fields; edits stay local until "Search" writes them to the URL. */
export function SearchForm({ initial, range, onSearch }: {
  initial: TraceSearch;
  range: TimeRange;
  onSearch: (search: TraceSearch) => void;
}) {
  const [search, setSearch] = useState(initial);
  const [problem, setProblem] = useState<string | undefined>();
  // A link or back/forward changes the URL: the form follows it.
  useEffect(() => setSearch(initial), [initial]);
  const services = useServiceNames(range);
  const operations = useOperations(search.service, range);
  const update = (patch: Partial<TraceSearch>) => setSearch((s) => ({ ...s, ...patch }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    for (const [name, value] of [['Min duration', search.minDuration], ['Max duration', search.maxDuration]] as const) {
      if (value.trim() !== '' && !isDurationText(value)) {
        setProblem(`${name}: write a number with a unit, such as 250ms, 1.5s or 2m.`);
        return;
      }
    }
    setProblem(undefined);
    onSearch(search);
  };

  return (
    <form className="search-form" aria-label="Trace search" onSubmit={submit}>
      <div className="fields">
        <ServiceSelect services={services.data} value={search.service} onChange={(service) => update({ service, spanName: '' })} />
        <label>
          Span name
          <input list="span-names" value={search.spanName} placeholder="any" onChange={(e) => update({ spanName: e.target.value })} />
          <datalist id="span-names">
            {(search.service ? operations.data?.operations ?? [] : []).map((op) => (
              <option key={op.name} value={op.name} />
            ))}
          </datalist>
        </label>
        <label>
          Min duration
          <input value={search.minDuration} placeholder="e.g. 100ms" size={8} onChange={(e) => update({ minDuration: e.target.value })} />
        </label>
        <label>
          Max duration
          <input value={search.maxDuration} placeholder="e.g. 2s" size={8} onChange={(e) => update({ maxDuration: e.target.value })} />
        </label>
        <label>
          Status
          <select value={search.status} onChange={(e) => update({ status: e.target.value as TraceSearch['status'] })}>
            <option value="">Any</option>
            <option value="error">Error</option>
            <option value="ok">OK</option>
            <option value="unset">Unset</option>
          </select>
        </label>
        <label>
          Limit
          <select value={search.limit || '100'} onChange={(e) => update({ limit: e.target.value })}>
            {['20', '100', '500', '1000'].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
      <fieldset className="conditions">
        <legend>Attributes (span or resource) — one span must meet every condition</legend>
        {search.conditions.map((condition, i) => (
          <AttributeConditionRow
            key={i}
            index={i}
            condition={condition}
            service={search.service}
            range={range}
            onChange={(next) => update({ conditions: search.conditions.map((c, j) => (j === i ? next : c)) })}
            onRemove={() => update({ conditions: search.conditions.filter((_, j) => j !== i) })}
          />
        ))}
        <button type="button" onClick={() => update({ conditions: [...search.conditions, { key: '', operator: '=', value: '' }] })}>
          Add attribute condition
        </button>
      </fieldset>
      {problem === undefined ? null : (
        <p className="text-error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" className="primary">
        Search
      </button>
    </form>
  );
}
