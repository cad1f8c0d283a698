import type { StoredMetricInfo } from '../../storage/metric-series-api.ts';

// OTLP metric and attribute names as Prometheus sees them, per the OpenTelemetry
// specification, "Prometheus and OpenMetrics Compatibility" (compatibility/
// prometheus_and_openmetrics.md), as the Collector's translator implements it
// (pkg/translator/prometheus, normalize_name.go, with suffixes on):
// - the name is split into alphanumeric tokens and joined by `_`;
// - the unit becomes a suffix (s -> seconds, By -> bytes, "1/s" -> per_second),
//   units in braces ({request}) are annotations and dropped, "1" is "ratio" on
//   gauges only;
// - monotonic sums are counters and end in `_total`;
// - explicit-bucket histograms give `_bucket` (with `le`), `_sum`, `_count`;
//   exponential histograms are native histograms under the base name;
// - summaries give the base name (with `quantile`), `_sum`, `_count`.

const UNITS: Record<string, string> = {
  d: 'days', h: 'hours', min: 'minutes', s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds',
  By: 'bytes', KiBy: 'kibibytes', MiBy: 'mebibytes', GiBy: 'gibibytes', TiBy: 'tibibytes',
  KBy: 'kilobytes', MBy: 'megabytes', GBy: 'gigabytes', TBy: 'terabytes',
  m: 'meters', V: 'volts', A: 'amperes', J: 'joules', W: 'watts', g: 'grams',
  Cel: 'celsius', Hz: 'hertz', '1': '', '%': 'percent',
};

const PER_UNITS: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };

export type PromMetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

/** Which part of a stored point a Prometheus series shows. */
export type SeriesRole = 'value' | 'bucket' | 'sum' | 'count' | 'native' | 'quantile';

export interface PromFamily {
  /** The family name (a histogram's without `_bucket`). */
  name: string;
  type: PromMetricType;
  help: string;
  unit: string;
  stored: StoredMetricInfo;
  /** Every __name__ the family exposes and what each shows. */
  series: ReadonlyArray<{ name: string; role: SeriesRole }>;
}

function unitTokens(unit: string): { main: string; per: string } {
  const cleaned = unit.replace(/\{[^}]*\}/g, '').trim();
  if (cleaned === '') return { main: '', per: '' };
  const [mainUnit = '', perUnit = ''] = cleaned.split('/', 2);
  const main = UNITS[mainUnit] ?? sanitizeToken(mainUnit);
  const per = perUnit === '' ? '' : (PER_UNITS[perUnit] ?? sanitizeToken(perUnit));
  return { main, per };
}

function sanitizeToken(s: string): string {
  return s.split(/[^A-Za-z0-9]+/).filter((t) => t !== '').join('_');
}

export function prometheusFamily(m: StoredMetricInfo): PromFamily {
  let tokens = m.name.split(/[^A-Za-z0-9]+/).filter((t) => t !== '');
  const { main, per } = unitTokens(m.unit);
  if (main !== '' && !tokens.includes(main)) tokens.push(main);
  if (per !== '' && !tokens.includes(per)) tokens.push('per', per);
  const counter = m.kind === 'sum' && m.monotonic;
  if (counter) tokens = [...tokens.filter((t) => t !== 'total'), 'total'];
  if (m.unit === '1' && m.kind === 'gauge') tokens = [...tokens.filter((t) => t !== 'ratio'), 'ratio'];
  let name = tokens.join('_');
  if (/^[0-9]/.test(name)) name = `_${name}`;
  const help = m.description;
  const unit = main;
  switch (m.kind) {
    case 'gauge':
      return { name, type: 'gauge', help, unit, stored: m, series: [{ name, role: 'value' }] };
    case 'sum':
      return { name, type: counter ? 'counter' : 'gauge', help, unit, stored: m, series: [{ name, role: 'value' }] };
    case 'histogram':
      return {
        name,
        type: 'histogram',
        help,
        unit,
        stored: m,
        series: [
          { name: `${name}_bucket`, role: 'bucket' },
          { name: `${name}_sum`, role: 'sum' },
          { name: `${name}_count`, role: 'count' },
        ],
      };
    case 'exponentialHistogram':
      return { name, type: 'histogram', help, unit, stored: m, series: [{ name, role: 'native' }] };
    case 'summary':
      return {
        name,
        type: 'summary',
        help,
        unit,
        stored: m,
        series: [
          { name, role: 'quantile' },
          { name: `${name}_sum`, role: 'sum' },
          { name: `${name}_count`, role: 'count' },
        ],
      };
  }
}

/**
 * An attribute key as a label name (the translator's NormalizeLabel): every
 * character outside [A-Za-z0-9_] becomes `_`, a leading digit gets `key_`, a
 * single leading underscore `key` (names starting `__` are reserved).
 */
export function sanitizeLabelName(key: string): string {
  let label = key.replace(/[^A-Za-z0-9_]/g, '_');
  if (/^[0-9]/.test(label)) label = `key_${label}`;
  else if (label.startsWith('_') && !label.startsWith('__')) label = `key${label}`;
  return label;
}

/** The Prometheus text form of a float (Go's strconv.FormatFloat(f, 'f', -1, 64)): `le`, `quantile`, count_values. */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Number.POSITIVE_INFINITY) return '+Inf';
  if (f === Number.NEGATIVE_INFINITY) return '-Inf';
  const s = String(f);
  if (!s.includes('e')) return s;
  // Shortest round-trip digits, written without an exponent as Go's 'f' format does.
  const [mantissa = '', expText = '0'] = s.split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const pointAt = (mantissa.replace('-', '').indexOf('.') === -1 ? mantissa.replace('-', '').length : mantissa.replace('-', '').indexOf('.')) + exp;
  const body =
    pointAt <= 0 ? `0.${'0'.repeat(-pointAt)}${digits}` : pointAt >= digits.length ? digits + '0'.repeat(pointAt - digits.length) : `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
  return (negative ? '-' : '') + body;
}
