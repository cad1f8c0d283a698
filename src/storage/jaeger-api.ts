import type { ReadOptions, TimeRange } from './api.ts';

// What the Jaeger query API (api/jaeger-routes.ts) reads beyond trace search and
// trace by id: services, operations with their span kind, and the service
// dependency graph, each computed in ClickHouse (jaeger-sql.ts). Part of
// TelemetryReader (api.ts).

export interface JaegerOperation {
  name: string;
  /** OTLP SpanKind number (0 unspecified ... 5 consumer). */
  kind: number;
}

export interface JaegerDependencyLink {
  parent: string;
  child: string;
  callCount: number;
}

export interface JaegerReader {
  /** Every service with spans still stored (Jaeger's services carry no time range), by name. */
  jaegerServices(options?: ReadOptions): Promise<string[]>;
  /** Distinct (span name, kind) of one service's stored spans, by name then kind; only `kind` when given. */
  jaegerOperations(service: string, kind: number | undefined, options?: ReadOptions): Promise<JaegerOperation[]>;
  /**
   * Calls between services: each span whose parent span belongs to another
   * service counts once for (parent's service, its service). Spans starting in
   * the range; parents are looked for from an hour before it.
   */
  jaegerDependencies(range: TimeRange, options?: ReadOptions): Promise<JaegerDependencyLink[]>;
}
