import type { LogsData } from '../../pdata/model.ts';
import { attributesBlock, attributesInline, goTime, scopeLine, typedValue, valueText } from './text-common.ts';
import { joined } from './text-traces.ts';

// The debug exporter's logs text at `normal` (a line per record; a multi-line body
// stays multi-line, as in the Collector) and `detailed` verbosity.

const severityNames = ['Unspecified', 'Trace', 'Trace2', 'Trace3', 'Trace4', 'Debug', 'Debug2', 'Debug3', 'Debug4',
  'Info', 'Info2', 'Info3', 'Info4', 'Warn', 'Warn2', 'Warn3', 'Warn4', 'Error', 'Error2', 'Error3', 'Error4',
  'Fatal', 'Fatal2', 'Fatal3', 'Fatal4'];

export function logsNormal(data: LogsData): string[] {
  const lines: string[] = [];
  data.resourceLogs.forEach((rl, i) => {
    lines.push(joined(`ResourceLog #${i}`, rl.schemaUrl && `[${rl.schemaUrl}]`, attributesInline(rl.resource.attributes)));
    rl.scopeLogs.forEach((sl, j) => {
      lines.push(joined(`ScopeLog #${j}`, sl.scope.name, sl.scope.version, sl.schemaUrl && `[${sl.schemaUrl}]`));
      for (const record of sl.logRecords) lines.push(joined(valueText(record.body), attributesInline(record.attributes)));
    });
  });
  return lines;
}

export function logsDetailed(data: LogsData): string[] {
  const lines: string[] = [];
  data.resourceLogs.forEach((rl, i) => {
    lines.push(`ResourceLog #${i}`, `Resource SchemaURL: ${rl.schemaUrl}`);
    attributesBlock(lines, 'Resource attributes:', rl.resource.attributes);
    rl.scopeLogs.forEach((sl, j) => {
      lines.push(`ScopeLogs #${j}`, `ScopeLogs SchemaURL: ${sl.schemaUrl}`, scopeLine(sl.scope));
      attributesBlock(lines, 'InstrumentationScope attributes:', sl.scope.attributes);
      sl.logRecords.forEach((record, k) => {
        lines.push(
          `LogRecord #${k}`,
          `ObservedTimestamp: ${goTime(record.observedTimeUnixNano)}`,
          `Timestamp: ${goTime(record.timeUnixNano)}`,
          `SeverityText: ${record.severityText}`,
          `SeverityNumber: ${severityNames[record.severityNumber] ?? 'Unknown'}(${record.severityNumber})`,
        );
        if (record.eventName !== '') lines.push(`EventName: ${record.eventName}`);
        lines.push(`Body: ${typedValue(record.body)}`);
        attributesBlock(lines, 'Attributes:', record.attributes);
        lines.push(`Trace ID: ${record.traceId}`, `Span ID: ${record.spanId}`, `Flags: ${record.flags}`);
      });
    });
  });
  return lines;
}
