// Service colours: a fixed palette indexed by a hash of the name, so a service
// keeps its colour across traces and pages (as Jaeger and Tempo do).
const palette = [
  '#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948',
  '#ff9da7', '#9c755f', '#af7aa1', '#86bcb6', '#d37295', '#8cd17d',
];

export function serviceColor(name: string): string {
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619);
  return palette[(hash >>> 0) % palette.length]!;
}

/** A CSS custom property's current value (charts draw on canvas and need real colours). */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}
