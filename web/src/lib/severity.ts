import type { SeverityBand } from '../../../src/api/types.ts';

// OTel logs data model: SeverityNumber ranges 1-4 TRACE ... 21-24 FATAL.
export const severityBands: readonly SeverityBand[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'unset'];

export function severityBand(severityNumber: number): SeverityBand {
  if (severityNumber <= 0) return 'unset';
  if (severityNumber <= 4) return 'trace';
  if (severityNumber <= 8) return 'debug';
  if (severityNumber <= 12) return 'info';
  if (severityNumber <= 16) return 'warn';
  if (severityNumber <= 20) return 'error';
  return 'fatal';
}

/** CSS custom property holding a band's colour (styles.css). */
export function severityColorVar(band: SeverityBand): string {
  return `--severity-${band}`;
}
