// Tracehouse's own telemetry, served at GET /metrics in the Prometheus text format
// (version 0.0.4). Hand-written instead of prom-client: counters, gauges and
// histograms with labels are ~200 lines we fully control, and a dependency would
// bring its own default metrics and global registry.
//
// Metric names follow the Collector's own (`otelcol_receiver_accepted_spans`,
// `otelcol_processor_batch_batch_send_size`, ...) so Collector dashboards work.
// Counters are registered without `_total` and rendered with it, as the Collector's
// Prometheus endpoint does since it moved to the OpenTelemetry Go SDK.
//
// Registering a name again with the same type, labels (and buckets) returns the
// same metric, so two instances of one component share a family and tell their
// series apart by label (`processor="batch/fast"`). A conflicting registration is
// a programming error and throws, as do unknown label names.

export type Labels = Readonly<Record<string, string>>;

export interface Counter {
  /** Adds `amount` (>= 0, default 1) to the series with these labels. */
  add(amount?: number, labels?: Labels): void;
  labels(labels: Labels): { add(amount?: number): void };
}

export interface Gauge {
  set(value: number, labels?: Labels): void;
  add(amount: number, labels?: Labels): void;
  labels(labels: Labels): { set(value: number): void; add(amount: number): void };
}

export interface Histogram {
  record(value: number, labels?: Labels): void;
  labels(labels: Labels): { record(value: number): void };
}

/** Called at render time; reports the current value of each series. */
export type GaugeCollector = (report: (value: number, labels?: Labels) => void) => void;

export interface MetricsRegistry {
  counter(name: string, help: string, labelNames?: readonly string[]): Counter;
  /** A settable gauge, or one whose values come from `collect` at render time. */
  gauge(name: string, help: string, labelNames?: readonly string[], collect?: GaugeCollector): Gauge;
  /** `bucketBounds`: the upper bounds, ascending; `+Inf` is added. */
  histogram(name: string, help: string, labelNames: readonly string[], bucketBounds: readonly number[]): Histogram;
  /** The Prometheus text exposition format, families sorted by name. */
  render(): string;
}

/** The media type to send with `render()`'s output. */
export const prometheusContentType = 'text/plain; version=0.0.4; charset=utf-8';

type Kind = 'counter' | 'gauge' | 'histogram';

interface HistogramState {
  /** Per bucket, not cumulative; the last entry is the +Inf bucket. */
  counts: number[];
  sum: number;
  count: number;
}

interface Series<V> {
  labelValues: string[];
  value: V;
}

interface Family {
  kind: Kind;
  name: string;
  help: string;
  labelNames: readonly string[];
  bounds: readonly number[];
  collect: GaugeCollector | undefined;
  series: Map<string, Series<number | HistogramState>>;
}

const metricNamePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function createMetricsRegistry(): MetricsRegistry {
  const families = new Map<string, Family>();

  const register = (
    kind: Kind,
    name: string,
    help: string,
    labelNames: readonly string[],
    bounds: readonly number[],
    collect: GaugeCollector | undefined,
  ): Family => {
    if (!metricNamePattern.test(name)) throw new Error(`invalid metric name "${name}"`);
    for (const label of labelNames) {
      if (!labelNamePattern.test(label) || label.startsWith('__') || label === 'le') {
        throw new Error(`metric ${name}: invalid label name "${label}"`);
      }
    }
    const existing = families.get(name);
    if (existing) {
      const same =
        existing.kind === kind &&
        sameList(existing.labelNames, labelNames) &&
        sameList(existing.bounds, bounds) &&
        existing.collect === undefined &&
        collect === undefined;
      if (!same) throw new Error(`metric ${name} is already registered with another type, labels or buckets`);
      return existing;
    }
    for (let i = 1; i < bounds.length; i++) {
      if (!(bounds[i]! > bounds[i - 1]!)) throw new Error(`metric ${name}: bucket bounds must be ascending`);
    }
    const family: Family = { kind, name, help, labelNames: [...labelNames], bounds: [...bounds], collect, series: new Map() };
    families.set(name, family);
    return family;
  };

  return {
    counter(name, help, labelNames = []) {
      const family = register('counter', name, help, labelNames, [], undefined);
      const add = (amount: number, labels: Labels | undefined): void => {
        if (!(amount >= 0)) throw new Error(`counter ${name}: cannot add ${amount}`);
        const series = seriesFor(family, labels, () => 0);
        series.value = (series.value as number) + amount;
      };
      return {
        add: (amount = 1, labels) => add(amount, labels),
        labels: (labels) => ({ add: (amount = 1) => add(amount, labels) }),
      };
    },

    gauge(name, help, labelNames = [], collect) {
      const family = register('gauge', name, help, labelNames, [], collect);
      const set = (value: number, labels: Labels | undefined): void => {
        seriesFor(family, labels, () => 0).value = value;
      };
      const add = (amount: number, labels: Labels | undefined): void => {
        const series = seriesFor(family, labels, () => 0);
        series.value = (series.value as number) + amount;
      };
      return {
        set,
        add,
        labels: (labels) => ({ set: (value) => set(value, labels), add: (amount) => add(amount, labels) }),
      };
    },

    histogram(name, help, labelNames, bucketBounds) {
      const family = register('histogram', name, help, labelNames, bucketBounds, undefined);
      const record = (value: number, labels: Labels | undefined): void => {
        const series = seriesFor<HistogramState>(family, labels, () => ({
          counts: new Array<number>(family.bounds.length + 1).fill(0),
          sum: 0,
          count: 0,
        }));
        const state = series.value;
        // Prometheus buckets are "less than or equal": a value equal to a bound
        // belongs to that bound's bucket.
        let index = family.bounds.findIndex((bound) => value <= bound);
        if (index === -1) index = family.bounds.length;
        state.counts[index] = (state.counts[index] ?? 0) + 1;
        state.sum += value;
        state.count += 1;
      };
      return { record, labels: (labels) => ({ record: (value) => record(value, labels) }) };
    },

    render() {
      const lines: string[] = [];
      for (const family of [...families.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        renderFamily(family, lines);
      }
      return lines.length === 0 ? '' : lines.join('\n') + '\n';
    },
  };
}

function seriesFor<V>(family: Family, labels: Labels | undefined, initial: () => V): Series<V> {
  const labelValues = labelValuesFor(family, labels);
  const key = labelValues.join('\u0000');
  let series = family.series.get(key) as Series<V> | undefined;
  if (!series) {
    series = { labelValues, value: initial() };
    family.series.set(key, series as Series<number | HistogramState>);
  }
  return series;
}

function labelValuesFor(family: Pick<Family, 'name' | 'labelNames'>, labels: Labels | undefined): string[] {
  if (labels) {
    for (const key of Object.keys(labels)) {
      if (!family.labelNames.includes(key)) throw new Error(`metric ${family.name} has no label "${key}"`);
    }
  }
  // A label left out is the empty string, which Prometheus treats as "no label".
  return family.labelNames.map((label) => labels?.[label] ?? '');
}

function renderFamily(family: Family, lines: string[]): void {
  const sampleName = family.kind === 'counter' && !family.name.endsWith('_total') ? `${family.name}_total` : family.name;
  let series = [...family.series.values()];
  if (family.collect) {
    const collected = new Map<string, Series<number>>();
    family.collect((value, labels) => {
      const labelValues = labelValuesFor(family, labels);
      collected.set(labelValues.join('\u0000'), { labelValues, value });
    });
    series = [...collected.values()];
  }
  // An unlabelled counter or gauge exists from registration on (it reads 0); a
  // labelled family appears with its first series.
  if (series.length === 0 && family.labelNames.length === 0 && family.kind !== 'histogram' && !family.collect) {
    series = [{ labelValues: [], value: 0 }];
  }
  if (series.length === 0) return;

  lines.push(`# HELP ${sampleName} ${escapeHelp(family.help)}`);
  lines.push(`# TYPE ${sampleName} ${family.kind}`);
  for (const { labelValues, value } of series) {
    if (typeof value === 'number') {
      lines.push(`${sampleName}${formatLabels(family.labelNames, labelValues)} ${formatNumber(value)}`);
      continue;
    }
    let cumulative = 0;
    for (let i = 0; i <= family.bounds.length; i++) {
      cumulative += value.counts[i] ?? 0;
      const le = i < family.bounds.length ? formatNumber(family.bounds[i]!) : '+Inf';
      lines.push(
        `${family.name}_bucket${formatLabels([...family.labelNames, 'le'], [...labelValues, le])} ${formatNumber(cumulative)}`,
      );
    }
    const labels = formatLabels(family.labelNames, labelValues);
    lines.push(`${family.name}_sum${labels} ${formatNumber(value.sum)}`);
    lines.push(`${family.name}_count${labels} ${formatNumber(value.count)}`);
  }
}

function formatLabels(names: readonly string[], values: readonly string[]): string {
  if (names.length === 0) return '';
  const pairs = names.map((name, i) => `${name}="${escapeLabelValue(values[i] ?? '')}"`);
  return `{${pairs.join(',')}}`;
}

/** Exposition format: label values escape backslash, double quote and line feed. */
function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Exposition format: HELP text escapes backslash and line feed only. */
function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
