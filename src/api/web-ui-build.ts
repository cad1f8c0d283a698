import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// Builds the web UI (web/, Vite) into web/dist when the bundle is missing or
// older than its sources. `npm start` runs this first (the `prestart` script), so
// `npm install && npm start` on a fresh clone serves the UI with no other step,
// and a `git pull` that changed web/ is rebuilt on the next start. Staleness is a
// hash of the inputs, not file times: git checkouts set arbitrary mtimes.

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const webDir = path.join(repoRoot, 'web');
export const webDistDir = path.join(webDir, 'dist');
const stampFile = '.build-inputs';

/** What the bundle is made from: the web sources, the shared API types, the locked dependency versions. */
async function inputFiles(): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== webDistDir && entry.name !== 'node_modules' && !entry.name.startsWith('dist-')) await walk(full);
      } else {
        files.push(full);
      }
    }
  };
  await walk(webDir);
  files.push(path.join(repoRoot, 'src/api/types.ts'), path.join(repoRoot, 'src/api/web-ui-types.ts'), path.join(repoRoot, 'package-lock.json'));
  return files.sort();
}

export async function webInputsHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await inputFiles()) {
    hash.update(path.relative(repoRoot, file)).update('\0');
    hash.update(await readFile(file)).update('\0');
  }
  return hash.digest('hex');
}

async function builtHash(): Promise<string | undefined> {
  try {
    return (await readFile(path.join(webDistDir, stampFile), 'utf8')).trim();
  } catch {
    return undefined;
  }
}

export type UiBuildResult = { status: 'fresh' } | { status: 'built'; durationMs: number };

/**
 * Builds web/dist unless it was built from the current inputs. The new bundle
 * is written beside the old one and swapped in by rename, so a server serving
 * the old bundle never reads a half-written one.
 */
export async function ensureWebUiBuilt(options: { force?: boolean } = {}): Promise<UiBuildResult> {
  const hash = await webInputsHash();
  if (options.force !== true && (await builtHash()) === hash) return { status: 'fresh' };
  const startedMs = Date.now();
  const tempDir = path.join(webDir, `dist-${process.pid}-${startedMs}`);
  // vite is a devDependency: present after `npm install`, imported only here.
  const { build } = await import('vite');
  try {
    await build({
      configFile: path.join(webDir, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: tempDir, emptyOutDir: true },
    });
    await writeFile(path.join(tempDir, stampFile), `${hash}\n`);
    const oldDir = path.join(webDir, `dist-old-${process.pid}-${startedMs}`);
    await rename(webDistDir, oldDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(tempDir, webDistDir);
    await rm(oldDir, { recursive: true, force: true });
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
  return { status: 'built', durationMs: Date.now() - startedMs };
}

// `node --import tsx src/api/web-ui-build.ts [--force]`: `npm run build:web` forces a
// build and fails loudly; `prestart` only warns, since the API and the receivers
// work without the UI (an install without devDependencies has no Vite) and must
// still start.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const force = process.argv.includes('--force');
  ensureWebUiBuilt({ force }).then(
    (result) => {
      process.stderr.write(result.status === 'fresh' ? 'web UI: web/dist is up to date\n' : `web UI: built web/dist in ${result.durationMs} ms\n`);
    },
    (error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      if (force) {
        process.stderr.write(`web UI: build failed: ${reason}\n`);
        process.exitCode = 1;
      } else {
        process.stderr.write(`web UI: not built (${reason}); the API and receivers start anyway, and / answers 503 until \`npm run build:web\` succeeds\n`);
      }
    },
  );
}
