/**
 * The service filter of the search forms: every known service, plus the chosen
 * one even when the range holds none of its data (a shared link keeps its filter).
 */
export function ServiceSelect(props: { services: readonly string[] | undefined; value: string; onChange: (service: string) => void }) {
  const names = [...new Set([...(props.services ?? []), ...(props.value ? [props.value] : [])])];
  return (
    <label>
      Service
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">All services</option>
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
