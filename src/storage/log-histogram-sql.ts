import type { BuiltQuery } from './built-query.ts';
import { LOG_IDENTITY, logConditions } from './log-reader.ts';
import { QueryParams } from './sql.ts';
import type { LogHistogramQuery } from './view-api.ts';

// Log counts per time bucket and severity band, for the logs page histogram.
// Bands are the OTLP log data model's SeverityNumber ranges (TRACE 1-4, DEBUG
// 5-8, INFO 9-12, WARN 13-16, ERROR 17-20, FATAL 21-24; 0 is unspecified).
// Buckets are aligned to multiples of the step (not to the range start), so
// refreshing a sliding range keeps the bars in place. A record stored twice
// counts once (LOG_IDENTITY, as the logs search reads it once).

export function logHistogramSql(q: LogHistogramQuery): BuiltQuery {
  const p = new QueryParams();
  const where = logConditions({ ...q, attributes: q.attributes }, p);
  const step = p.bindInt64(q.stepNs);
  const sql = `SELECT intDiv(toUnixTimestamp64Nano(Timestamp), ${step}) * ${step} AS BucketNs,
  multiIf(SeverityNumber <= 0, 'unset', SeverityNumber <= 4, 'trace', SeverityNumber <= 8, 'debug',
    SeverityNumber <= 12, 'info', SeverityNumber <= 16, 'warn', SeverityNumber <= 20, 'error', 'fatal') AS Band,
  uniqExact(${LOG_IDENTITY}) AS Count
FROM logs
WHERE ${where.join('\n  AND ')}
GROUP BY BucketNs, Band
ORDER BY BucketNs, Band`;
  return { sql, params: p };
}
