import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { after } from 'node:test';
import { tempDir } from '../helpers/tracehouse.ts';

// Every process and directory a test file makes is undone after its tests, passed
// or failed. `after` is not enough on its own: node --test ends a file that runs
// past --test-timeout (180 s in `npm test`, for the whole file) with SIGTERM, and
// its `after` hooks never run, so children would outlive it.

export interface Cleanups {
  /** An undo step for after the tests, such as shutting an SDK down. */
  add(step: () => Promise<unknown>): void;
  /** A new temporary directory (named tracehouse-collector-<role>-...), removed after the tests. */
  tempDir(role: string): Promise<string>;
  /** A started child process: `stop` after the tests, SIGKILL if the file is ended early. */
  child(child: ChildProcess, stop: () => Promise<unknown>): void;
}

const liveChildren = new Set<ChildProcess>();
const liveDirs = new Set<string>();
const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** On the way out, when nothing can be awaited: kill, and remove what can be. */
function abandonNow(): void {
  for (const child of liveChildren) if (running(child)) child.kill('SIGKILL');
  for (const dir of liveDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // A dying child may still hold files; nothing more can be done.
    }
  }
}

/** On a signal: kill, wait until the children are gone (no more writes), then remove. */
async function abandon(): Promise<void> {
  const gone = [...liveChildren].filter(running).map((child) => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    return exited;
  });
  await Promise.race([Promise.all(gone), new Promise((resolve) => setTimeout(resolve, 5_000))]);
  await Promise.all([...liveDirs].map((dir) => rm(dir, { recursive: true, force: true }).catch(() => undefined)));
  liveDirs.clear();
}

let lastResortInstalled = false;
function installLastResort(): void {
  if (lastResortInstalled) return;
  lastResortInstalled = true;
  process.once('exit', abandonNow);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void abandon().finally(() => process.exit(signal === 'SIGTERM' ? 143 : 130));
    });
  }
}

/** The file's cleanups: run by an `after` hook, last registered first. */
export function cleanupAfterTests(): Cleanups {
  installLastResort();
  const steps: (() => Promise<unknown>)[] = [];
  after(async () => {
    const failures: unknown[] = [];
    for (const step of steps.reverse()) await step().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  });
  const add = (step: () => Promise<unknown>) => void steps.push(step);
  return {
    add,
    async tempDir(role) {
      const temp = await tempDir(`tracehouse-collector-${role}-`);
      liveDirs.add(temp.dir);
      add(async () => {
        await temp.remove();
        liveDirs.delete(temp.dir);
      });
      return temp.dir;
    },
    child(child, stop) {
      liveChildren.add(child);
      add(async () => {
        await stop();
        liveChildren.delete(child);
      });
    },
  };
}
