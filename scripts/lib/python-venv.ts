import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

// The Python virtual environment of examples/fastapi-payment-api, made by the demo
// and by the end-to-end tests alike. A venv is tied to the interpreter that made it
// and holds absolute paths, so it is built in place, never copied; a marker file
// written last says which requirements it holds, so an interrupted install is
// redone rather than trusted.

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const fastapiExampleDir = path.join(repoRoot, 'examples/fastapi-payment-api');
export const fastapiRequirements = path.join(fastapiExampleDir, 'requirements.txt');

const markerName = '.tracehouse-requirements';
const minimumPython: [number, number] = [3, 10];
/** A lock older than this was left by a killed process. */
const staleLockMs = 15 * 60_000;

export interface PythonVenv {
  dir: string;
  /** Absolute path of a program in the venv's bin directory. */
  bin(name: string): string;
}

export interface EnsureVenvOptions {
  /** Where the venv lives; by default `.cache/venv-<hash of interpreter and requirements>`. */
  dir?: string;
  requirementsFile?: string;
  /** The interpreter that makes the venv: $PYTHON, else python3. */
  python?: string;
  /** Progress and pip output; by default they are kept and shown only on failure. */
  log?: (text: string) => void;
}

export class PythonSetupError extends Error {
  override name = 'PythonSetupError';
}

/** Creates the venv, or reuses it when it already holds these requirements. */
export async function ensureVenv(options: EnsureVenvOptions = {}): Promise<PythonVenv> {
  const requirementsFile = options.requirementsFile ?? fastapiRequirements;
  const python = options.python ?? process.env['PYTHON'] ?? 'python3';
  const log = options.log;
  const interpreter = await pythonIdentity(python);
  const requirements = await readFile(requirementsFile, 'utf8');
  const key = createHash('sha256').update(interpreter).update('\0').update(requirements).digest('hex').slice(0, 16);
  const dir = options.dir ?? path.join(repoRoot, '.cache', `venv-${key}`);
  const venv: PythonVenv = { dir, bin: (name) => path.join(dir, 'bin', name) };

  if (await holds(dir, key)) return venv;
  await mkdir(path.dirname(dir), { recursive: true });
  const unlock = await lock(`${dir}.lock`);
  try {
    if (await holds(dir, key)) return venv;
    if (!existsSync(venv.bin('python'))) {
      log?.(`creating a Python virtual environment in ${path.relative(process.cwd(), dir) || dir}\n`);
      await rm(dir, { recursive: true, force: true });
      await run(python, ['-m', 'venv', dir], log, () =>
        'python3 -m venv failed; on Debian or Ubuntu install the venv module: apt-get install python3-venv',
      );
    }
    await rm(path.join(dir, markerName), { force: true });
    log?.(`installing ${path.relative(repoRoot, requirementsFile)} (first run only)\n`);
    await run(
      venv.bin('python'),
      ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-r', requirementsFile],
      log,
      () => 'pip install failed (is PyPI reachable?)',
    );
    await writeFile(path.join(dir, markerName), `${key}\n`);
    return venv;
  } finally {
    await unlock();
  }
}

/** Version and path of the interpreter; refuses one older than the SDK supports. */
async function pythonIdentity(python: string): Promise<string> {
  const script = 'import sys; print(sys.version_info[0], sys.version_info[1], sys.version.split()[0], sys.executable)';
  let output: string;
  try {
    output = await run(python, ['-c', script]);
  } catch (error) {
    throw new PythonSetupError(
      `no usable Python interpreter "${python}" (set $PYTHON to another): the example needs Python >= ${minimumPython.join('.')}`,
      { cause: error },
    );
  }
  const [major, minor, version, executable] = output.trim().split(' ');
  if (Number(major) < minimumPython[0] || (Number(major) === minimumPython[0] && Number(minor) < minimumPython[1])) {
    throw new PythonSetupError(
      `${executable} is Python ${version}; opentelemetry-sdk 1.42 needs Python >= ${minimumPython.join('.')} (set $PYTHON)`,
    );
  }
  return `${version} ${executable}`;
}

async function holds(dir: string, key: string): Promise<boolean> {
  try {
    return (await readFile(path.join(dir, markerName), 'utf8')).trim() === key && existsSync(path.join(dir, 'bin', 'python'));
  } catch {
    return false;
  }
}

/** An exclusive lock as a directory: mkdir is atomic. Waits for another installer. */
async function lock(lockDir: string): Promise<() => Promise<void>> {
  for (;;) {
    try {
      await mkdir(lockDir);
      return () => rm(lockDir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = await stat(lockDir).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > staleLockMs) await rm(lockDir, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Runs a program to the end; resolves with its stdout, rejects with everything it wrote. */
function run(command: string, args: string[], log?: (text: string) => void, hint?: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let all = '';
    const take = (chunk: Buffer, isStdout: boolean) => {
      const text = chunk.toString();
      if (isStdout) stdout += text;
      all += text;
      log?.(text);
    };
    child.stdout.on('data', (c: Buffer) => take(c, true));
    child.stderr.on('data', (c: Buffer) => take(c, false));
    child.once('error', (error) => reject(new PythonSetupError(`${command}: ${error.message}`, { cause: error })));
    child.once('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new PythonSetupError(`${hint?.() ?? `${command} failed`} (exit ${code}):\n${all.slice(-4000)}`));
    });
  });
}
