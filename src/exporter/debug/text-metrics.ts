import type {
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  Metric,
  MetricsData,
  NumberDataPoint,
  NumberValue,
  SummaryDataPoint,
} from '../../pdata/model.ts';
import { attributesBlock, attributesInline, formatDouble, goTime, scopeLine } from './text-common.ts';
import { joined } from './text-traces.ts';

// The debug exporter's metrics text at `normal` (a line per data point) and
// `detailed` verbosity.

const dataTypeNames: Record<string, string> = {
  gauge: 'Gauge',
  sum: 'Sum',
  histogram: 'Histogram',
  exponentialHistogram: 'ExponentialHistogram',
  summary: 'Summary',
};
const temporalityNames = ['Unspecified', 'Delta', 'Cumulative'];

export function metricsNormal(data: MetricsData): string[] {
  const lines: string[] = [];
  data.resourceMetrics.forEach((rm, i) => {
    lines.push(joined(`ResourceMetrics #${i}`, rm.schemaUrl && `[${rm.schemaUrl}]`, attributesInline(rm.resource.attributes)));
    rm.scopeMetrics.forEach((sm, j) => {
      lines.push(joined(`ScopeMetrics #${j}`, sm.scope.name, sm.scope.version, sm.schemaUrl && `[${sm.schemaUrl}]`));
      for (const metric of sm.metrics) lines.push(...pointLines(metric));
    });
  });
  return lines;
}

function pointLines(metric: Metric): string[] {
  const data = metric.data;
  if (!data) return [];
  const head = (attributes: NumberDataPoint['attributes']): string => `${metric.name}{${attributesInline(attributes).replaceAll(' ', ',')}}`;
  switch (data.type) {
    case 'gauge':
    case 'sum':
      return data.dataPoints.map((p) => `${head(p.attributes)} ${numberText(p.value)}`);
    case 'histogram':
      return data.dataPoints.map((p) => `${head(p.attributes)} count=${p.count}${p.sum === undefined ? '' : ` sum=${p.sum}`}`);
    case 'exponentialHistogram':
      return data.dataPoints.map((p) => `${head(p.attributes)} count=${p.count}${p.sum === undefined ? '' : ` sum=${p.sum}`}`);
    case 'summary':
      return data.dataPoints.map((p) => `${head(p.attributes)} count=${p.count} sum=${p.sum}`);
  }
}

function numberText(value: NumberValue | undefined): string {
  if (!value) return '';
  return value.type === 'int' ? value.value.toString() : String(value.value);
}

export function metricsDetailed(data: MetricsData): string[] {
  const lines: string[] = [];
  data.resourceMetrics.forEach((rm, i) => {
    lines.push(`ResourceMetrics #${i}`, `Resource SchemaURL: ${rm.schemaUrl}`);
    attributesBlock(lines, 'Resource attributes:', rm.resource.attributes);
    rm.scopeMetrics.forEach((sm, j) => {
      lines.push(`ScopeMetrics #${j}`, `ScopeMetrics SchemaURL: ${sm.schemaUrl}`, scopeLine(sm.scope));
      attributesBlock(lines, 'InstrumentationScope attributes:', sm.scope.attributes);
      sm.metrics.forEach((metric, k) => {
        lines.push(
          `Metric #${k}`,
          'Descriptor:',
          `     -> Name: ${metric.name}`,
          `     -> Description: ${metric.description}`,
          `     -> Unit: ${metric.unit}`,
          `     -> DataType: ${metric.data ? dataTypeNames[metric.data.type] : 'Empty'}`,
        );
        const data = metric.data;
        if (!data) return;
        if (data.type === 'sum') lines.push(`     -> IsMonotonic: ${data.isMonotonic}`);
        if ('aggregationTemporality' in data) {
          lines.push(`     -> AggregationTemporality: ${temporalityNames[data.aggregationTemporality] ?? data.aggregationTemporality}`);
        }
        switch (data.type) {
          case 'gauge':
          case 'sum':
            data.dataPoints.forEach((p, n) => numberPoint(lines, p, n));
            break;
          case 'histogram':
            data.dataPoints.forEach((p, n) => histogramPoint(lines, p, n));
            break;
          case 'exponentialHistogram':
            data.dataPoints.forEach((p, n) => exponentialPoint(lines, p, n));
            break;
          case 'summary':
            data.dataPoints.forEach((p, n) => summaryPoint(lines, p, n));
            break;
        }
      });
    });
  });
  return lines;
}

function pointHeader(lines: string[], kind: string, n: number, p: { attributes: NumberDataPoint['attributes']; startTimeUnixNano: bigint; timeUnixNano: bigint }): void {
  lines.push(`${kind} #${n}`);
  attributesBlock(lines, 'Data point attributes:', p.attributes);
  lines.push(`StartTimestamp: ${goTime(p.startTimeUnixNano)}`, `Timestamp: ${goTime(p.timeUnixNano)}`);
}

function numberPoint(lines: string[], p: NumberDataPoint, n: number): void {
  pointHeader(lines, 'NumberDataPoints', n, p);
  const value = p.value;
  lines.push(`Value: ${value === undefined ? '' : value.type === 'int' ? value.value.toString() : formatDouble(value.value)}`);
}

function histogramPoint(lines: string[], p: HistogramDataPoint, n: number): void {
  pointHeader(lines, 'HistogramDataPoints', n, p);
  lines.push(`Count: ${p.count}`);
  if (p.sum !== undefined) lines.push(`Sum: ${formatDouble(p.sum)}`);
  if (p.min !== undefined) lines.push(`Min: ${formatDouble(p.min)}`);
  if (p.max !== undefined) lines.push(`Max: ${formatDouble(p.max)}`);
  p.explicitBounds.forEach((bound, b) => lines.push(`ExplicitBounds #${b}: ${formatDouble(bound)}`));
  p.bucketCounts.forEach((count, b) => lines.push(`Buckets #${b}, Count: ${count}`));
}

function exponentialPoint(lines: string[], p: ExponentialHistogramDataPoint, n: number): void {
  pointHeader(lines, 'ExponentialHistogramDataPoints', n, p);
  lines.push(`Count: ${p.count}`);
  if (p.sum !== undefined) lines.push(`Sum: ${formatDouble(p.sum)}`);
  if (p.min !== undefined) lines.push(`Min: ${formatDouble(p.min)}`);
  if (p.max !== undefined) lines.push(`Max: ${formatDouble(p.max)}`);
  lines.push(`Scale: ${p.scale}`, `ZeroCount: ${p.zeroCount}`, `ZeroThreshold: ${formatDouble(p.zeroThreshold)}`);
  // Bucket index i covers (base^(offset+i), base^(offset+i+1)] with base = 2^(2^-scale).
  const base = Math.pow(2, Math.pow(2, -p.scale));
  p.negative.bucketCounts.forEach((count, b) => {
    const index = p.negative.offset + b;
    lines.push(`Bucket [${formatDouble(-Math.pow(base, index + 1))}, ${formatDouble(-Math.pow(base, index))}), Count: ${count}`);
  });
  p.positive.bucketCounts.forEach((count, b) => {
    const index = p.positive.offset + b;
    lines.push(`Bucket (${formatDouble(Math.pow(base, index))}, ${formatDouble(Math.pow(base, index + 1))}], Count: ${count}`);
  });
}

function summaryPoint(lines: string[], p: SummaryDataPoint, n: number): void {
  pointHeader(lines, 'SummaryDataPoints', n, p);
  lines.push(`Count: ${p.count}`, `Sum: ${formatDouble(p.sum)}`);
  p.quantileValues.forEach((q, i) => lines.push(`QuantileValue #${i}: Quantile ${q.quantile}, Value ${formatDouble(q.value)}`));
}
