import { test } from 'node:test';
import { doctorDetachedSpansSql, doctorOrphansSql, doctorSpanStatsSql, doctorTraceShapeSql } from './doctor-spans-sql.ts';
import { doctorLogStatsSql, doctorMetricStatsSql, doctorResourceStatsSql } from './doctor-signals-sql.ts';
import { verifySqlSnapshot } from './testdata/sql-snapshot.ts';

// The instrumentation doctor's SQL as files under snapshots/ (testdata/sql-snapshot.ts);
// the service name is user text and must appear only as a bound value.

const range = { startNs: 1_764_620_400_000_000_000n, endNs: 1_764_624_000_000_000_000n };
const one = { ...range, service: "pay' OR 1=1" };

test('doctor span aggregates', () => {
  verifySqlSnapshot('doctor-span-stats', doctorSpanStatsSql(one));
  verifySqlSnapshot('doctor-trace-shape', doctorTraceShapeSql(one));
  verifySqlSnapshot('doctor-orphans', doctorOrphansSql(one));
  verifySqlSnapshot('doctor-detached-spans', doctorDetachedSpansSql(range));
});

test('doctor log, metric and resource aggregates', () => {
  verifySqlSnapshot('doctor-log-stats', doctorLogStatsSql(one));
  verifySqlSnapshot('doctor-metric-stats', doctorMetricStatsSql(range));
  verifySqlSnapshot('doctor-resource-stats', doctorResourceStatsSql(one));
});
