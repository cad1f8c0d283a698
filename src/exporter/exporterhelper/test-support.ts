import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateSettings } from '../../component/component.ts';
import { parseComponentId } from '../../component/component.ts';
import { createLogger, silentLogger } from '../../lib/log.ts';
import type { Logger } from '../../lib/log.ts';
import { emptyLogRecord, emptySpan } from '../../pdata/defaults.ts';
import type { LogsData, MetricsData, TracesData } from '../../pdata/model.ts';
import { createMetricsRegistry } from '../../telemetry/metrics-registry.ts';
import type { MetricsRegistry } from '../../telemetry/metrics-registry.ts';

// Shared by the exporter tests: settings, a temporary data directory, small
// telemetry builders, and a logger that keeps its lines for assertions.

export function exporterSettings(id: string, dataDir = '/nonexistent', logger: Logger = silentLogger): CreateSettings & { metrics: MetricsRegistry } {
  const parsed = parseComponentId(id);
  if (!parsed) throw new Error(`bad id ${id}`);
  return { id: parsed, logger, metrics: createMetricsRegistry(), dataDir };
}

export async function withTempDir<R>(run: (dir: string) => Promise<R>): Promise<R> {
  const dir = await mkdtemp(join(tmpdir(), 'tracehouse-exporter-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger('debug', (line) => lines.push(line)), { lines });
}

const scope = { name: 'test', version: '1.0', attributes: [], droppedAttributesCount: 0 };

/** Spans named `names`, one resource (service.name=svc). */
export function spans(...names: string[]): TracesData {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { type: 'string', value: 'svc' } }], droppedAttributesCount: 0 },
        scopeSpans: [
          {
            scope,
            spans: names.map((name, i) => ({
              ...emptySpan(),
              traceId: '0af7651916cd43dd8448eb211c80319c',
              spanId: (i + 1).toString(16).padStart(16, '0'),
              name,
              kind: 2,
              startTimeUnixNano: 1_700_000_000_000_000_000n,
              endTimeUnixNano: 1_700_000_000_050_000_000n,
              attributes: [{ key: 'http.route', value: { type: 'string' as const, value: '/' + name } }],
            })),
            schemaUrl: '',
          },
        ],
        schemaUrl: '',
      },
    ],
  };
}

export function spanNames(data: TracesData): string[] {
  return data.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name)));
}

export function logLines(...bodies: string[]): LogsData {
  return {
    resourceLogs: [
      {
        resource: { attributes: [], droppedAttributesCount: 0 },
        scopeLogs: [
          {
            scope,
            logRecords: bodies.map((body) => ({
              ...emptyLogRecord(),
              timeUnixNano: 1_700_000_000_000_000_000n,
              observedTimeUnixNano: 1_700_000_000_000_000_001n,
              severityNumber: 9,
              severityText: 'INFO',
              body: { type: 'string' as const, value: body },
            })),
            schemaUrl: '',
          },
        ],
        schemaUrl: '',
      },
    ],
  };
}

export function gaugePoints(name: string, ...values: number[]): MetricsData {
  return {
    resourceMetrics: [
      {
        resource: { attributes: [], droppedAttributesCount: 0 },
        scopeMetrics: [
          {
            scope,
            metrics: [
              {
                name,
                description: '',
                unit: '1',
                metadata: [],
                data: {
                  type: 'gauge',
                  dataPoints: values.map((value) => ({
                    attributes: [{ key: 'host', value: { type: 'string', value: 'a' } }],
                    startTimeUnixNano: 0n,
                    timeUnixNano: 1_700_000_000_000_000_000n,
                    value: { type: 'double', value },
                    exemplars: [],
                    flags: 0,
                  })),
                },
              },
            ],
            schemaUrl: '',
          },
        ],
        schemaUrl: '',
      },
    ],
  };
}

/** Waits until `condition` holds, polling; fails after `timeoutMs`. */
export async function eventually(condition: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
