// Prometheus label sets: plain objects, `__name__` included. A label with an
// empty value is the same as no label (Prometheus's rule), so none is kept.

export type Labels = Readonly<Record<string, string>>;

export const NAME = '__name__';

/** A stable identity for a label set (sorted pairs). */
export function labelsKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join('\u0001');
}

export function withoutName(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (k !== NAME) out[k] = v;
  return out;
}

/** The labels in `names` only (by), or all but them (without). */
export function groupLabels(labels: Labels, names: readonly string[], without: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (without) {
    for (const [k, v] of Object.entries(labels)) if (k !== NAME && !names.includes(k)) out[k] = v;
  } else {
    for (const k of names) {
      const v = labels[k];
      if (v !== undefined && v !== '') out[k] = v;
    }
  }
  return out;
}

/** Sorted by name, as Prometheus orders a label set. */
export function sortedLabels(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) {
    const v = labels[k]!;
    if (v !== '') out[k] = v;
  }
  return out;
}
