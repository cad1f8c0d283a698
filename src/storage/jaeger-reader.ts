import type { ClickHouseClient } from '@clickhouse/client';
import type { ReadOptions } from './api.ts';
import type { BuiltQuery } from './built-query.ts';
import type { JaegerReader } from './jaeger-api.ts';
import { jaegerDependenciesSql, jaegerOperationsSql, jaegerServicesSql } from './jaeger-sql.ts';
import { selectRows } from './read-query.ts';

// JaegerReader over ClickHouse: runs the statements of jaeger-sql.ts.

export function createJaegerReader(client: ClickHouseClient): JaegerReader {
  const run = <T>(q: BuiltQuery, options: ReadOptions | undefined) => selectRows<T>(client, q.sql, q.params, options);
  return {
    async jaegerServices(options) {
      const rows = await run<{ Name: string }>(jaegerServicesSql(), options);
      return rows.map((r) => r.Name);
    },
    async jaegerOperations(service, kind, options) {
      const rows = await run<{ Name: string; Kind: number }>(jaegerOperationsSql(service, kind), options);
      return rows.map((r) => ({ name: r.Name, kind: Number(r.Kind) }));
    },
    async jaegerDependencies(range, options) {
      const rows = await run<{ Parent: string; Child: string; CallCount: string | number }>(jaegerDependenciesSql(range), options);
      return rows.map((r) => ({ parent: r.Parent, child: r.Child, callCount: Number(r.CallCount) }));
    },
  };
}
