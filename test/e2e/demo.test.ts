import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
// Type-only: makes `npm test`'s typecheck cover the script, which runs as a child process.
import type * as _demo from '../../scripts/demo.ts';
import { eventually, getJson, repoRoot } from '../helpers/tracehouse.ts';
import { pythonSkipReason, testVenv } from './helpers/python.ts';

// `npm run demo` as a newcomer runs it, on free ports and with the tests' venv
// (so no second pip install): it prints where to look, payment-api traces show up
// there, and a Ctrl-C (SIGINT) stops everything it started.

let demo: ReturnType<typeof spawn> | undefined;
after(async () => {
  // After a failure: a Ctrl-C, so the demo stops what it started; SIGKILL only as a last resort.
  if (demo === undefined || demo.exitCode !== null || demo.signalCode !== null) return;
  const exited = new Promise((resolve) => demo!.once('exit', resolve));
  demo.kill('SIGINT');
  const timer = setTimeout(() => demo!.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
});

test('npm run demo: one command, data to look at, Ctrl-C stops everything', { skip: pythonSkipReason(), timeout: 600_000 }, async () => {
  const pkg = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8'));
  assert.equal(pkg.scripts.demo, 'node --import tsx scripts/demo.ts');

  const venv = await testVenv();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--free-ports', '--venv', venv.dir, '--rate', '20'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  demo = child;
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));

  await eventually(async () => (output.includes('Press Ctrl-C to stop.') ? true : undefined), 600);
  const apiUrl = /API (http:\/\/\S+)/.exec(output)?.[1];
  const appUrl = /payment-api {3}(http:\/\/\S+)/.exec(output)?.[1];
  assert.ok(apiUrl && appUrl, output);
  assert.ok(output.includes(`${apiUrl}/api/v1/traces?service=payment-api`), output);

  // The load driver's payments arrive, with their manual spans. (A third of its
  // requests continue an upstream trace, whose root span is not stored: rootSpanName ''.)
  await eventually(async () => {
    const { body } = await getJson(`${apiUrl}/api/v1/traces?service=payment-api&spanName=payment.charge`);
    return body?.traces?.some((t: { rootSpanName: string }) => t.rootSpanName === 'POST /payments') ? true : undefined;
  }, 300);

  child.kill('SIGINT');
  assert.equal(await exited, 0, output);
  assert.match(output, /stopped\./);
  for (const url of [`${apiUrl}/healthz`, `${appUrl}/health`]) {
    await assert.rejects(fetch(url), `${url} still answers after the demo stopped`);
  }
});
