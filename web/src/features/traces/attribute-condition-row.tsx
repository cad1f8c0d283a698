import { useDeferredValue, useId } from 'react';
import type { TimeRange } from '../../lib/time-range.ts';
import type { AttributeCondition, AttributeOperator } from './search-params.ts';
import { attributeOperators } from './search-params.ts';
import { useAttributeKeys, useAttributeValues } from './use-trace-search.ts';

/** One `key op value` condition with autocomplete of keys and of the values seen for the key. */
export function AttributeConditionRow({ condition, index, service, range, onChange, onRemove }: {
  condition: AttributeCondition;
  index: number;
  service: string;
  range: TimeRange;
  onChange: (condition: AttributeCondition) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const typedKey = useDeferredValue(condition.key);
  const typedValue = useDeferredValue(condition.value);
  const keys = useAttributeKeys(service, typedKey, range);
  const values = useAttributeValues(condition.key, service, typedValue, range);
  const n = index + 1;
  return (
    <div className="condition" role="group" aria-label={`Attribute condition ${n}`}>
      <input
        aria-label={`Attribute key ${n}`}
        placeholder="payment.currency"
        list={`${id}-keys`}
        value={condition.key}
        onChange={(e) => onChange({ ...condition, key: e.target.value })}
      />
      <datalist id={`${id}-keys`}>
        {(keys.data?.keys ?? []).map((k) => (
          <option key={`${k.scope}:${k.key}`} value={k.key}>
            {`${k.types.join('|')} · ${k.scope} · ${k.count}`}
          </option>
        ))}
      </datalist>
      <select
        aria-label={`Operator ${n}`}
        value={condition.operator}
        onChange={(e) => onChange({ ...condition, operator: e.target.value as AttributeOperator })}
      >
        {attributeOperators.map((op) => (
          <option key={op} value={op}>
            {op}
          </option>
        ))}
      </select>
      <input
        aria-label={`Attribute value ${n}`}
        placeholder="EUR"
        list={`${id}-values`}
        value={condition.value}
        onChange={(e) => onChange({ ...condition, value: e.target.value })}
      />
      <datalist id={`${id}-values`}>
        {(values.data?.values ?? []).map((v) => (
          <option key={v.value} value={v.value}>
            {`${v.type} · ${v.count}`}
          </option>
        ))}
      </datalist>
      <button type="button" aria-label={`Remove condition ${n}`} onClick={onRemove}>
        ✕
      </button>
    </div>
  );
}
