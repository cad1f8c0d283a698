import { ensureVenv } from '../../../scripts/lib/python-venv.ts';
import type { PythonVenv } from '../../../scripts/lib/python-venv.ts';

// The end-to-end tests share one venv per interpreter and requirements.txt, under
// .cache/venv-<hash> (gitignored, cacheable in CI): only the first run pays for pip.

/**
 * A missing or old Python fails the tests, on purpose: CI must run them. A
 * developer without Python can set TRACEHOUSE_SKIP_PYTHON_E2E=1 to skip them.
 */
export function pythonSkipReason(): string | false {
  return process.env['TRACEHOUSE_SKIP_PYTHON_E2E'] === '1' ? 'TRACEHOUSE_SKIP_PYTHON_E2E=1' : false;
}

let shared: Promise<PythonVenv> | undefined;

export function testVenv(): Promise<PythonVenv> {
  shared ??= ensureVenv();
  return shared;
}
