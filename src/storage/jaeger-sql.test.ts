import { test } from 'node:test';
import { jaegerDependenciesSql, jaegerOperationsSql, jaegerServicesSql } from './jaeger-sql.ts';
import { verifySqlSnapshot } from './testdata/sql-snapshot.ts';

const range = { startNs: 1_780_000_000_000_000_000n, endNs: 1_780_086_400_000_000_000n };

test('Jaeger services, operations and dependencies SQL', () => {
  verifySqlSnapshot('jaeger-services', jaegerServicesSql());
  verifySqlSnapshot('jaeger-operations', jaegerOperationsSql('payment-api', undefined));
  verifySqlSnapshot('jaeger-operations-kind', jaegerOperationsSql('payment-api', 2));
  verifySqlSnapshot('jaeger-dependencies', jaegerDependenciesSql(range));
});
