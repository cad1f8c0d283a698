import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExpectedSpan } from './otlp-template.ts';

// Runs bench/load-generator.ts in its own process against an OTLP/HTTP endpoint and
// returns its figures and the sample of acknowledged traces it kept.

const repoRoot = path.resolve(import.meta.dirname, '..');

export interface GeneratorResult {
  acknowledgedSpans: number;
  acknowledgedLogs: number;
  failures: number;
  logFailures: number;
  retries: number;
  sentRequests: number;
  elapsedS: number;
  bytesPerSpanOnWire: number;
  spansPerTrace: number;
  measuredS?: number;
  measuredSpans?: number;
  measuredRequests?: number;
  latencyMs?: { p50: number; p99: number; max: number };
  serverCpu?: { seconds: number; byThreadName: Record<string, number> };
}

export interface GeneratorSample {
  traces: { traceId: string; endNs: string; spans: ExpectedSpan[] }[];
  queryIds: string[];
  logTraceIds: string[];
}

export async function runGenerator(args: Record<string, string | number>, sampleFile: string): Promise<{ result: GeneratorResult; sample: GeneratorSample }> {
  const argv = Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'bench/load-generator.ts'), ...argv, '--sample-out', sampleFile],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  const result = JSON.parse(out) as GeneratorResult;
  const sample = JSON.parse(await readFile(sampleFile, 'utf8')) as GeneratorSample;
  return { result, sample };
}

/**
 * Compares what a fetch by id returned with what was sent: the same span ids with
 * the same names, no more, no fewer. Returns a description of the first difference.
 */
export function compareSpans(expected: ExpectedSpan[], got: ExpectedSpan[]): string | undefined {
  const key = (s: ExpectedSpan) => `${s.spanId} ${s.name}`;
  const want = expected.map(key).sort();
  const have = got.map(key).sort();
  if (want.length !== have.length) return `${have.length} spans, sent ${want.length}`;
  const at = want.findIndex((k, i) => k !== have[i]);
  return at < 0 ? undefined : `span "${have[at]}" where "${want[at]}" was sent`;
}
