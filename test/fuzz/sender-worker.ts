import { parentPort, workerData } from 'node:worker_threads';
import { runSender } from './sender.ts';
import type { SenderOptions } from './sender.ts';

// Worker thread entry: runs one sender (sender.ts) and posts its report, or the
// error that stopped it.

runSender(workerData as SenderOptions).then(
  (report) => parentPort!.postMessage({ report }),
  (error: unknown) => parentPort!.postMessage({ error: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) }),
);
