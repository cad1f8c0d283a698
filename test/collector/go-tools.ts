import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../helpers/tracehouse.ts';

// The OpenTelemetry Collector and telemetrygen, built from the Go module proxy by
// scripts/collector/build.sh (pinned versions, cached in .cache/go-bin/).

export interface GoTools {
  otelcol: string;
  telemetrygen: string;
}

/**
 * For a `before` hook that may build. A cold build (empty Go module and build
 * caches) took 1.5 to 2.5 minutes on the 2-core development machine. Under
 * `npm test` the whole file must also fit in --test-timeout (180 s), which is why
 * CI runs build.sh before the tests and the hook only finds the binaries.
 */
export const buildTimeoutMs = 10 * 60_000;

let tools: Promise<GoTools> | undefined;

/** Builds the binaries unless cached; once per test process. */
export function ensureGoTools(): Promise<GoTools> {
  tools ??= run('bash', [path.join(repoRoot, 'scripts/collector/build.sh')]).then(({ code, stdout, stderr }) => {
    const found = Object.fromEntries(
      stdout.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    if (code !== 0 || !found.otelcol || !found.telemetrygen) {
      throw new Error(`scripts/collector/build.sh failed (${code}):\n${stderr}`);
    }
    return { otelcol: found.otelcol, telemetrygen: found.telemetrygen };
  });
  return tools;
}

export interface Finished {
  code: number | string;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to its end, keeping what it printed. It gets its own process
 * group, killed whole if this process exits first (a build's `go` children too).
 */
export function run(command: string, args: string[]): Promise<Finished> {
  const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', killGroup);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<Finished>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? signal ?? -1, stdout, stderr }));
  }).finally(() => process.removeListener('exit', killGroup));
}
