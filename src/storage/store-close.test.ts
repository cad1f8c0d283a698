import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { test } from 'node:test';
import { StorageUnavailableError } from '../consumer/errors.ts';
import { hex, nowNs, resource, SECOND, span, tempStore, traces } from './testdata/telemetry.ts';

// Closing the store while it is being read: reads already running finish (the
// engine is closed only after them), reads that arrive once closing began are
// refused with a retryable error instead of reaching a closing connection.

test('close() waits for the reads in flight and refuses new ones', async () => {
  const handle = await tempStore();
  try {
    const t0 = nowNs() - 60n * SECOND;
    const traceId = hex(16);
    await handle.store.writer.writeTraces(traces(resource('close-api'), [span({ traceId, name: 'GET /', startTimeUnixNano: t0 })]));
    const range = { startNs: t0 - SECOND, endNs: t0 + SECOND };
    const inFlight = Promise.all([
      handle.store.reader.getTrace(traceId),
      handle.store.reader.listServices(range),
      handle.store.reader.searchTraces({ ...range, attributes: [], limit: 5 }),
    ]);
    const closed = handle.store.close();
    await assert.rejects(handle.store.reader.listServices(range), StorageUnavailableError);
    await assert.rejects(handle.store.reader.ping(), StorageUnavailableError);
    const [trace, services, found] = await inFlight;
    assert.equal(trace?.resourceSpans.length, 1);
    assert.deepEqual(services, [{ name: 'close-api', spanCount: 1 }]);
    assert.equal(found.length, 1);
    await closed;
  } finally {
    await handle.store.close();
    await rm(handle.dir, { recursive: true, force: true });
  }
});
