import type { TypedAttribute } from '../../../src/api/types.ts';
import { formatAttributeValue } from '../lib/attributes.ts';

/** Attributes with their OTLP type; values are text nodes, never HTML. */
export function AttributeTable({ attributes, label, onFilter }: {
  attributes: readonly TypedAttribute[];
  label: string;
  /** Offered as "filter by this" on scalar values. */
  onFilter?: (attribute: TypedAttribute) => void;
}) {
  if (attributes.length === 0) return <p className="muted">No {label.toLowerCase()}.</p>;
  const sorted = [...attributes].sort((a, b) => a.key.localeCompare(b.key));
  return (
    <table className="attributes" aria-label={label}>
      <tbody>
        {sorted.map((attribute) => (
          <tr key={attribute.key}>
            <th scope="row">{attribute.key}</th>
            <td>
              <span className={`value value-${attribute.type}`}>{formatAttributeValue(attribute)}</span>
              <span className="type">{attribute.type}</span>
              {onFilter !== undefined && ['string', 'int', 'double', 'bool'].includes(attribute.type) ? (
                <button type="button" className="link-button" aria-label={`Find traces with ${attribute.key}`} onClick={() => onFilter(attribute)}>
                  filter
                </button>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
