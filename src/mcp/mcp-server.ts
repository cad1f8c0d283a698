import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ParameterError } from '../api/errors.ts';
import { logToJson } from '../api/handler-helpers.ts';
import { jaegerSpanKind, spanKindFromJaeger } from '../api/jaeger-model.ts';
import { parseAttributeFilter, parseDuration, parseSeverity, parseTime } from '../api/params.ts';
import type { Logger } from '../lib/log.ts';
import { breakdown } from '../query/analysis/breakdown.ts';
import { compare } from '../query/analysis/compare.ts';
import { diagnose } from '../query/doctor/doctor.ts';
import type { ExportRequestStats } from '../query/doctor/export-requests.ts';
import { PromqlError } from '../query/promql/errors.ts';
import { instantQuery, MAX_POINTS, rangeQuery } from '../query/promql/query.ts';
import { createSeriesSource } from '../query/promql/series-source.ts';
import type { TelemetryReader, TimeRange } from '../storage/api.ts';
import { compactTrace } from './trace-summary.ts';

// The MCP server (Model Context Protocol, spec 2025-06-18): tools an assistant
// calls to read this store, over the same readers and query logic as the HTTP
// API. Every input is a zod schema (the SDK validates it and answers a bad one
// as a tool error naming the field); every answer is JSON text bounded by
// maxResultChars; errors are tool errors (`isError`, MCP's "tool execution
// error") with our message, never engine text.

export interface McpServerOptions {
  reader: TelemetryReader;
  logger: Logger;
  nowNs: () => bigint;
  exportRequests?: ExportRequestStats;
  version: string;
}

/** Past this an answer is cut: an assistant's context is the scarce resource. */
export const maxResultChars = 60_000;
const hourNs = 3_600_000_000_000n;

const time = z.string().describe('RFC 3339 time (2026-05-19T10:00:00Z) or Unix milliseconds');
const range = {
  start: time.optional().describe('range start; default: 1 hour before end'),
  end: time.optional().describe('range end; default: now'),
};
const attributes = z
  .array(z.string().max(1000))
  .max(20)
  .optional()
  .describe('span or resource attribute conditions: key=value, key!=value, key>number, key<number');

function rangeOf(input: { start?: string | undefined; end?: string | undefined }, nowNs: bigint): TimeRange {
  const endNs = input.end === undefined ? nowNs : parseTime('end', input.end);
  const startNs = input.start === undefined ? endNs - hourNs : parseTime('start', input.start);
  if (startNs > endNs) throw new ParameterError('start', 'must not be after end');
  return { startNs, endNs };
}

function json(value: unknown): CallToolResult {
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  if (text.length <= maxResultChars) return { content: [{ type: 'text', text }] };
  return {
    content: [
      { type: 'text', text: `${text.slice(0, maxResultChars)}` },
      { type: 'text', text: `[answer cut at ${maxResultChars} of ${text.length} characters: narrow the query or lower the limit]` },
    ],
  };
}

export function createMcpServer(options: McpServerOptions): McpServer {
  const { reader, nowNs } = options;
  const server = new McpServer({ name: 'tracehouse', version: options.version });

  /** Runs a tool; a bad input or query is its own message, anything else a generic one (engine text stays in the log). */
  const tool = <A>(name: string, run: (args: A) => Promise<unknown>) => async (args: A): Promise<CallToolResult> => {
    try {
      return json(await run(args));
    } catch (error) {
      if (error instanceof ParameterError) return failure(`${error.parameter}: ${error.message}`);
      if (error instanceof PromqlError && error.errorType !== 'internal') return failure(`${error.errorType}: ${error.message}`);
      options.logger.warn('mcp tool failed', { tool: name, error });
      return failure('storage could not answer the query; see the server log');
    }
  };
  const failure = (text: string): CallToolResult => ({ content: [{ type: 'text', text }], isError: true });
  const readOnly = { readOnlyHint: true, openWorldHint: false };

  server.registerTool(
    'list_services',
    { description: 'Services that sent spans in the time range, with span counts.', inputSchema: range, annotations: readOnly },
    tool('list_services', async (a: { start?: string | undefined; end?: string | undefined }) => ({ services: await reader.listServices(rangeOf(a, nowNs())) })),
  );

  server.registerTool(
    'list_operations',
    {
      description: 'Span names (operations) of one service with their span kind, as Jaeger lists them.',
      inputSchema: { service: z.string().min(1), spanKind: z.enum(['internal', 'server', 'client', 'producer', 'consumer']).optional() },
      annotations: readOnly,
    },
    tool('list_operations', async (a: { service: string; spanKind?: string | undefined }) => {
      const ops = await reader.jaegerOperations(a.service, a.spanKind === undefined ? undefined : spanKindFromJaeger(a.spanKind), {});
      return { operations: ops.slice(0, 500).map((o) => ({ name: o.name, spanKind: jaegerSpanKind(o.kind) })), truncated: ops.length > 500 };
    }),
  );

  server.registerTool(
    'search_traces',
    {
      description: 'Find traces, newest first: every condition applies to one span of the trace (as GET /api/v1/traces). Answers summaries; get_trace shows one.',
      inputSchema: {
        ...range,
        service: z.string().optional(),
        spanName: z.string().optional(),
        minDuration: z.string().optional().describe('a duration such as 250ms'),
        maxDuration: z.string().optional(),
        status: z.enum(['ok', 'error', 'unset']).optional(),
        attributes,
        limit: z.number().int().min(1).max(100).default(20),
      },
      annotations: readOnly,
    },
    tool('search_traces', async (a: { start?: string | undefined; end?: string | undefined; service?: string | undefined; spanName?: string | undefined; minDuration?: string | undefined; maxDuration?: string | undefined; status?: 'ok' | 'error' | 'unset' | undefined; attributes?: string[] | undefined; limit: number }) => {
      const traces = await reader.searchTraces({
        ...rangeOf(a, nowNs()),
        ...(a.service ? { service: a.service } : {}),
        ...(a.spanName ? { spanName: a.spanName } : {}),
        ...(a.minDuration ? { minDurationNs: parseDuration('minDuration', a.minDuration) } : {}),
        ...(a.maxDuration ? { maxDurationNs: parseDuration('maxDuration', a.maxDuration) } : {}),
        ...(a.status ? { status: a.status } : {}),
        attributes: (a.attributes ?? []).map(parseAttributeFilter),
        limit: a.limit,
      });
      return {
        traces: traces.map((t) => ({
          traceId: t.traceId,
          rootService: t.rootServiceName,
          rootSpan: t.rootSpanName,
          start: new Date(Number(t.startTimeUnixNano / 1_000_000n)).toISOString(),
          durationMs: Number(t.durationNano) / 1e6,
          spanCount: t.spanCount,
          errorCount: t.errorCount,
          services: t.services,
        })),
      };
    }),
  );

  server.registerTool(
    'get_trace',
    {
      description: 'One trace as a compact tree: per span its depth, service, name, duration, self time, critical-path flag, error and attributes.',
      inputSchema: { traceId: z.string().regex(/^[0-9a-fA-F]{32}$/, '32 hex characters'), maxSpans: z.number().int().min(1).max(1000).default(200) },
      annotations: readOnly,
    },
    tool('get_trace', async (a: { traceId: string; maxSpans: number }) => {
      const traceId = a.traceId.toLowerCase();
      const data = await reader.getTrace(traceId);
      if (data === undefined) throw new ParameterError('traceId', `trace ${traceId} not found`);
      return compactTrace(traceId, data, a.maxSpans);
    }),
  );

  server.registerTool(
    'search_logs',
    {
      description: 'Log records, newest first, by service, trace, severity, body text and attributes.',
      inputSchema: {
        ...range,
        service: z.string().optional(),
        traceId: z.string().regex(/^[0-9a-fA-F]{32}$/).optional(),
        spanId: z.string().regex(/^[0-9a-fA-F]{16}$/).optional(),
        minSeverity: z.string().optional().describe('trace, debug, info, warn, error, fatal or 1-24'),
        text: z.string().optional().describe('case-insensitive substring of the body'),
        attributes,
        limit: z.number().int().min(1).max(200).default(50),
      },
      annotations: readOnly,
    },
    tool('search_logs', async (a: { start?: string | undefined; end?: string | undefined; service?: string | undefined; traceId?: string | undefined; spanId?: string | undefined; minSeverity?: string | undefined; text?: string | undefined; attributes?: string[] | undefined; limit: number }) => {
      const logs = await reader.searchLogs({
        ...rangeOf(a, nowNs()),
        ...(a.service ? { service: a.service } : {}),
        ...(a.traceId ? { traceId: a.traceId.toLowerCase() } : {}),
        ...(a.spanId ? { spanId: a.spanId.toLowerCase() } : {}),
        ...(a.minSeverity ? { minSeverity: parseSeverity('minSeverity', a.minSeverity) } : {}),
        ...(a.text ? { text: a.text } : {}),
        attributes: (a.attributes ?? []).map(parseAttributeFilter),
        limit: a.limit,
      });
      return { logs: logs.map(logToJson) };
    }),
  );

  server.registerTool(
    'query_promql',
    {
      description: 'Run PromQL over the stored metrics (OpenTelemetry names as Prometheus spells them). An instant query at `time`, or a range query when start, end and step are given.',
      inputSchema: { query: z.string().min(1).max(10_000), time: time.optional(), start: time.optional(), end: time.optional(), step: z.string().optional().describe('e.g. 60s') },
      annotations: readOnly,
    },
    tool('query_promql', async (a: { query: string; time?: string | undefined; start?: string | undefined; end?: string | undefined; step?: string | undefined }) => {
      const source = createSeriesSource(reader, {});
      const msOf = (name: string, text: string) => Number(parseTime(name, text) / 1_000_000n);
      if (a.start !== undefined || a.end !== undefined || a.step !== undefined) {
        if (a.start === undefined || a.end === undefined || a.step === undefined) throw new ParameterError('step', 'a range query needs start, end and step');
        const [startMs, endMs] = [msOf('start', a.start), msOf('end', a.end)];
        const stepMs = Number(parseDuration('step', a.step) / 1_000_000n);
        if (stepMs <= 0 || endMs < startMs || (endMs - startMs) / stepMs > MAX_POINTS) throw new ParameterError('step', `needs end >= start and at most ${MAX_POINTS} steps`);
        return rangeQuery(a.query, startMs, endMs, stepMs, { source });
      }
      return instantQuery(a.query, a.time === undefined ? Number(nowNs() / 1_000_000n) : msOf('time', a.time), { source });
    }),
  );

  const analysisInput = {
    ...range,
    service: z.string().min(1).describe('the service whose requests to analyze'),
    operation: z.string().optional().describe('span name of the slow operation; default: the service root spans'),
    minDuration: z.string().optional(),
    attributes,
  };
  server.registerTool(
    'explain_slow_operation',
    {
      description: 'Why an operation is slow: where its time goes (self time and critical path per operation, all traces vs the slowest 5%), and which attribute values the slowest traces have in common against the rest.',
      inputSchema: analysisInput,
      annotations: readOnly,
    },
    tool('explain_slow_operation', async (a: { start?: string | undefined; end?: string | undefined; service: string; operation?: string | undefined; minDuration?: string | undefined; attributes?: string[] | undefined }) => {
      const input = {
        ...rangeOf(a, nowNs()),
        service: a.service,
        ...(a.operation ? { spanName: a.operation } : {}),
        ...(a.minDuration ? { minDurationNs: parseDuration('minDuration', a.minDuration) } : {}),
        attributes: (a.attributes ?? []).map(parseAttributeFilter),
        traceAttributes: [],
        maxTraces: 10_000,
      };
      const where = await breakdown(reader, input);
      const common = await compare(reader, input, { type: 'slow', quantile: 0.95 });
      return {
        breakdown: { ...where, operations: where.operations.slice(0, 25) },
        slowTracesHave: { ...common, results: common.results.slice(0, 20), leftOut: common.leftOut.slice(0, 20) },
      };
    }),
  );

  server.registerTool(
    'check_setup',
    {
      description: 'The instrumentation doctor: per service, setup mistakes found in the stored telemetry with their fixes, and the Instrumentation Score.',
      inputSchema: { ...range, service: z.string().optional() },
      annotations: readOnly,
    },
    tool('check_setup', async (a: { start?: string | undefined; end?: string | undefined; service?: string | undefined }) =>
      diagnose(reader, options.exportRequests, { ...rangeOf(a, nowNs()), ...(a.service ? { service: a.service } : {}) }),
    ),
  );
  return server;
}
