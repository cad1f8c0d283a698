import type { ClickHouseClient } from '@clickhouse/client';
import { nsFromCh } from './ch-values.ts';
import { indexStatsSql, labelNamesSql, labelValuesSql, seriesSql } from './logql-index-sql.ts';
import type { LokiReader } from './logql-api.ts';
import { logLinesSql, sampleBucketsSql } from './logql-query-sql.ts';
import { selectNewestDistinct } from './newest-distinct.ts';
import { selectRows } from './read-query.ts';
import { QueryParams } from './sql.ts';

type Row = Record<string, unknown>;

const textMap = (v: unknown): Record<string, string> => Object.fromEntries(Object.entries((v ?? {}) as Record<string, unknown>).map(([k, x]) => [k, String(x)]));

export function createLokiReader(client: ClickHouseClient): LokiReader {
  return {
    async logqlLines(input, options) {
      let rawLine = true;
      const rows = await selectNewestDistinct(
        client,
        {
          inner: (fetchLimit, p) => {
            const built = logLinesSql(input, fetchLimit, p);
            rawLine = built.rawLine;
            return built.sql;
          },
          identity: '__id',
          limit: input.limit,
        },
        () => new QueryParams(),
        options,
      );
      return rows.map((r: Row) => ({
        timeNs: nsFromCh(r.__ts),
        line: String(r.__line),
        bodyIsJson: rawLine && Boolean(r.BodyIsJson),
        stream: textMap(r.__stream),
        metadata: textMap(r.__meta),
        parsed: textMap(r.__parsed),
      }));
    },
    async logqlSampleBuckets(input, options) {
      const { sql, params } = sampleBucketsSql(input);
      const rows = await selectRows<Row>(client, sql, params, options);
      return rows.map((r) => ({
        key: Array.isArray(r.key) ? r.key.map(String) : textMap(r.key),
        bucket: Number(r.bucket),
        count: Number(r.n),
        bytes: Number(r.bytes),
      }));
    },
    async lokiLabelNames(query, options) {
      const { sql, params } = labelNamesSql(query);
      return (await selectRows<Row>(client, sql, params, options)).map((r) => String(r.name));
    },
    async lokiLabelValues(name, query, options) {
      const { sql, params } = labelValuesSql(name, query);
      return (await selectRows<Row>(client, sql, params, options)).map((r) => String(r.value));
    },
    async lokiSeries(query, options) {
      const { sql, params } = seriesSql(query);
      return (await selectRows<Row>(client, sql, params, options)).map((r) => textMap(r.labels));
    },
    async lokiIndexStats(query, options) {
      const { sql, params } = indexStatsSql(query);
      const [row] = await selectRows<Row>(client, sql, params, options);
      const streams = Number(row?.streams ?? 0);
      // No chunks here: one per stream is what a client sizing a query can use.
      return { streams, chunks: streams, entries: Number(row?.entries ?? 0), bytes: Number(row?.bytes ?? 0) };
    },
  };
}
