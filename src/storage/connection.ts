import { mkdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createClient } from '@clickhouse/client';
import type { ClickHouseClient, ClickHouseSettings, ClickHouseClientConfigOptions } from '@clickhouse/client';
import { drainPending } from 'chdb';
import { createChdbConnection } from 'chdb/connection';
import type { ChdbConnection } from 'chdb/connection';
import { engineInsertError, insertFailureKind } from './insert-failure.ts';
import { createPartVerifier, lowSpaceOf } from './part-verifier.ts';
import type { PartVerifier } from './part-verifier.ts';
import { ident } from './sql.ts';

// Connections to embedded chDB or to a ClickHouse server, both through the
// @clickhouse/client API. Writing and reading get separate connections: one chDB
// connection runs one statement at a time (an insert waited 1.9 s behind a 2 s
// query on a shared connection, 7 ms on its own), and separate server clients have
// separate socket pools. So a slow query never stalls ingestion.

export type Engine = 'chdb' | 'server';

export interface ServerOptions {
  url: string;
  username?: string;
  password?: string;
  database?: string;
}

export interface ConnectionOptions {
  dataDir: string;
  clickhouse?: ServerOptions | undefined;
  maxQuerySeconds: number;
  /**
   * Embedded only, for tests and the bench: send inserts the way the server route
   * does (through @clickhouse/client) instead of chDB's raw insert.
   */
  insertRoute?: 'raw' | 'client';
  /** Write connections for inserts (chDB) or concurrent insert requests (server). */
  insertConnections: number;
  /** Embedded only: the database to use (a tenant's); default DEFAULT_DATABASE. A server names it in `clickhouse.database`. */
  database?: string | undefined;
}

/** Where encoded rows go: one INSERT of JSONCompactEachRow text. */
export interface RowSink {
  /**
   * Resolves once the INSERT has returned, i.e. the rows are in a part on disk.
   * Rejects with an EngineInsertError carrying the engine's error code, if any.
   */
  insertRows(table: string, columns: readonly string[], chunks: readonly Buffer[]): Promise<void>;
}

export interface Connections {
  readonly engine: Engine;
  readonly database: string;
  /** Migrations and DDL; on a server also the inserts. */
  readonly write: ClickHouseClient;
  /** Queries only. */
  readonly read: ClickHouseClient;
  readonly sink: RowSink;
  /** Inserts the sink can run at once. */
  readonly insertConcurrency: number;
  close(): Promise<void>;
}

/** The database embedded chDB uses, and the server default. */
export const DEFAULT_DATABASE = 'tracehouse';

function readSettings(engine: Engine, maxQuerySeconds: number): ClickHouseSettings {
  return {
    max_execution_time: maxQuerySeconds,
    // Exact 64-bit values (timestamps, counts) and NaN/Inf doubles in JSON output;
    // recent ClickHouse no longer quotes 64-bit integers by default.
    output_format_json_quote_64bit_integers: 1,
    output_format_json_quote_denormals: 1,
    // A server does not stop a SELECT when the HTTP client goes away unless told
    // to: with this, aborting the request (options.signal) cancels the query.
    ...(engine === 'server' ? { cancel_http_readonly_queries_on_client_close: 1 } : {}),
  };
}

export async function openConnections(options: ConnectionOptions): Promise<Connections> {
  return options.clickhouse === undefined ? openChdb(options) : openServer(options, options.clickhouse);
}

async function openChdb(options: ConnectionOptions): Promise<Connections> {
  await mkdir(options.dataDir, { recursive: true });
  // One data directory per process, many databases in it: each tenant's store
  // opens its own connections, since USE is per connection.
  const database = options.database ?? DEFAULT_DATABASE;
  const opened: { close(): Promise<void> }[] = [];
  const closeAll = async () => {
    await Promise.allSettled(opened.map((c) => c.close()));
    // chdb defers closing a connection while a statement still runs on it (a
    // read whose caller aborted keeps running in the engine); wait for those, so
    // the process never exits with libchdb still working on a worker thread.
    await drainPending();
  };
  try {
    const writeConnection = createChdbConnection({ path: options.dataDir });
    const write = createClient({ connection: asClientConnection(writeConnection) });
    opened.push(write);
    await write.command({ query: `CREATE DATABASE IF NOT EXISTS ${ident(database)}` });
    // USE is per chDB connection (checked: a second connection stays in `default`).
    await write.command({ query: `USE ${ident(database)}` });
    const read = createClient({
      connection: asClientConnection(createChdbConnection({ path: options.dataDir })),
      clickhouse_settings: readSettings('chdb', options.maxQuerySeconds),
    });
    opened.push(read);
    await read.command({ query: `USE ${ident(database)}` });
    let sink: RowSink;
    if (options.insertRoute === 'client') {
      sink = clientSink(write);
    } else {
      // Inserts get connections of their own, so DDL or a second insert never
      // queues behind one; each runs on its own engine thread.
      const inserters: ChdbConnection[] = [];
      for (let i = 0; i < options.insertConnections; i++) {
        const c = createChdbConnection({ path: options.dataDir });
        opened.push(c);
        inserters.push(c);
      }
      sink = chdbRawSink(inserters, database, createPartVerifier({ client: write, database, lowSpace: lowSpaceOf(options.dataDir) }));
    }
    const insertConcurrency = options.insertRoute === 'client' ? 1 : options.insertConnections;
    return { engine: 'chdb', database, write, read, sink, insertConcurrency, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function openServer(options: ConnectionOptions, server: ServerOptions): Promise<Connections> {
  const database = server.database ?? DEFAULT_DATABASE;
  const auth = {
    url: server.url,
    ...(server.username === undefined ? {} : { username: server.username }),
    ...(server.password === undefined ? {} : { password: server.password }),
  };
  // The database must exist before a client can name it as its default.
  const bootstrap = createClient(auth);
  try {
    await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${ident(database)}` });
  } finally {
    await bootstrap.close();
  }
  const write = createClient({ ...auth, database });
  const read = createClient({
    ...auth,
    database,
    clickhouse_settings: readSettings('server', options.maxQuerySeconds),
    // The client's own default (30 s) would cut off queries the server is still
    // allowed to run under max_execution_time.
    request_timeout: options.maxQuerySeconds * 1000 + 5000,
  });
  return {
    engine: 'server',
    database,
    write,
    read,
    sink: clientSink(write),
    // The write client's socket pool carries concurrent inserts.
    insertConcurrency: options.insertConnections,
    close: async () => {
      await Promise.allSettled([write.close(), read.close()]);
    },
  };
}

/**
 * chdb types its Connection with @clickhouse/client-common's declarations, and
 * @clickhouse/client bundles its own copy of the same declarations; the shapes
 * are identical but TypeScript sees two types.
 */
function asClientConnection(connection: ChdbConnection): NonNullable<ClickHouseClientConfigOptions['connection']> {
  return connection as unknown as NonNullable<ClickHouseClientConfigOptions['connection']>;
}

/**
 * Embedded route: chDB's raw insert hands the Buffer to the engine zero-copy and
 * the engine parses it. Measured for seed-shaped spans (50K-row payloads, this
 * 2-core machine): JSONCompactEachRow 80-100K rows/s, TSV the same within noise,
 * JSONEachRow ~50K rows/s (twice the bytes); @clickhouse/client over
 * chdb/connection with an array of objects 32K rows/s. JSONCompactEachRow wins
 * because JSON.stringify does all string escaping natively while the row is built.
 * Measured again for issue 9 (bench/insert-cost-bench.ts --parse-only, 8K-row
 * inserts into a Null-engine copy of spans, load average 9-17): the parse is
 * 6.5-7.8 µs of CPU a row for JSONCompactEachRow, 6.6-6.9 for TabSeparated: no
 * reason to switch, and TSV reads a DateTime64 written as an integer as text
 * (`5` became 2026-01-05), where JSON takes it as ticks. input_format_parallel_parsing=0
 * made no difference either (6.4-6.9). A binary format is not available: chDB's
 * raw insert takes text formats only.
 */
function chdbRawSink(connections: readonly ChdbConnection[], database: string, verifier: PartVerifier): RowSink {
  const idle = [...connections];
  return {
    async insertRows(table, columns, chunks) {
      // The group committer runs at most connections.length inserts at once.
      const pooled = idle.pop();
      const connection = pooled ?? connections[0]!;
      const token = verifier.begin();
      let failure: Error | undefined;
      try {
        const values = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        await connection.chdb.rawInsert({ table: `${database}.${table}`, columns, values, format: 'JSONCompactEachRow' });
      } catch (error) {
        failure = engineInsertError(error);
      } finally {
        if (pooled !== undefined) idle.push(pooled);
      }
      // On a nearly full disk, or after a storage failure, the parts just written
      // are checked before the rows count as stored (part-verifier.ts).
      await verifier.afterInsert(table, token, failure !== undefined && insertFailureKind(failure) !== 'data');
      if (failure !== undefined) throw failure;
    },
  };
}

/**
 * Server route: the same JSONCompactEachRow bytes streamed as the body of one
 * INSERT (`exec` with values: @clickhouse/client's `insert` wants objects for
 * JSON formats and would stringify them again). async_insert is forced off: the
 * writer's contract is that the rows are in a part when the promise resolves.
 */
function clientSink(client: ClickHouseClient): RowSink {
  return {
    async insertRows(table, columns, chunks) {
      try {
        const result = await client.exec({
          query: `INSERT INTO ${ident(table)} (${columns.map(ident).join(', ')}) FORMAT JSONCompactEachRow`,
          values: Readable.from(chunks),
          clickhouse_settings: { async_insert: 0 },
        });
        // Drained rather than destroyed, so the socket goes back to the pool.
        for await (const _ of result.stream) {
          // an INSERT answers with an empty body
        }
      } catch (error) {
        throw engineInsertError(error);
      }
    },
  };
}
