import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StorageRefusedDataError, StorageUnavailableError } from '../consumer/errors.ts';
import { EngineInsertError } from './insert-failure.ts';
import { encodeSpans, SPAN_COLUMNS } from './span-encoder.ts';
import { hex, MS, nowNs, resource, span, tempStore, traces } from './testdata/telemetry.ts';

// Bad data in one write must not fail the writes grouped with it (group-commit.ts):
// real chDB, real encoded rows, the engine itself refusing the bad ones.

const trace = (name = 'POST /payments', spans = 3) => {
  const traceId = hex(16);
  const t = nowNs();
  return {
    traceId,
    data: traces(resource('payment-api'), Array.from({ length: spans }, (_, i) => span({ traceId, name, startTimeUnixNano: t + BigInt(i) * MS }))),
  };
};

const engineText = /DB::Exception|Code:|spans|SpanName|Timestamp/;

test('one write the engine refuses among valid ones: only it fails, permanently; the others are stored', async () => {
  const h = await tempStore({ groupCommitWaitMs: 50 });
  try {
    await h.store.writer.writeTraces(trace().data); // the resource row is known from here on
    const valid = Array.from({ length: 7 }, () => trace());
    // A lone surrogate: JSON.stringify writes it as the escape \ud800, which the
    // engine's JSON parser refuses (CANNOT_PARSE_ESCAPE_SEQUENCE).
    const poisoned = trace('\ud800');
    const writes = [...valid.slice(0, 3), poisoned, ...valid.slice(3)];
    const before = h.internals.committer.insertCount;
    const results = await Promise.allSettled(writes.map((w) => h.store.writer.writeTraces(w.data)));
    const inserts = h.internals.committer.insertCount - before;

    const bad = results[3]!;
    assert.equal(bad.status, 'rejected');
    const error = (bad as PromiseRejectedResult).reason as Error;
    assert.ok(error instanceof StorageRefusedDataError, String(error));
    assert.doesNotMatch(error.message, engineText, 'the message a client may see has no engine text');
    assert.ok(error.cause instanceof EngineInsertError && error.cause.engineCode === 25, String(error.cause));
    results.forEach((r, i) => {
      if (i !== 3) assert.equal(r.status, 'fulfilled', `write ${i}: ${String((r as PromiseRejectedResult).reason)}`);
    });
    // One group of 8, then halves down to the bad one: 1 + 2·log2(8) at most.
    assert.ok(inserts >= 3 && inserts <= 7, `${inserts} inserts`);
    for (const w of valid) {
      const stored = await h.store.reader.getTrace(w.traceId);
      assert.equal(stored?.resourceSpans[0]?.scopeSpans[0]?.spans.length, 3, `trace ${w.traceId} is stored`);
    }
    assert.equal(h.internals.committer.pendingRows, 0);
    assert.equal(h.store.writer.health().ok, true, 'bad data does not make storage unready');
  } finally {
    await h.close();
  }
});

test('several bad submissions in one group (a truncated row, a lone surrogate) are all found', async () => {
  const h = await tempStore({ groupCommitWaitMs: 50 });
  try {
    const { committer } = h.internals;
    const payload = (data: ReturnType<typeof trace>['data']) => {
      const encoded = encodeSpans(data);
      return { table: 'spans', columns: SPAN_COLUMNS, payload: encoded.payload, rows: encoded.rows };
    };
    const valid = Array.from({ length: 10 }, () => trace());
    const truncated = payload(trace().data);
    truncated.payload = truncated.payload.subarray(0, Math.floor(truncated.payload.length / 2));
    // A time past DateTime64 was the second bad row until migration 005: only the
    // trace_id_ts view (addNanoseconds) refused it, and the spans table stores it
    // wrapped (ch-values.ts). A lone surrogate the engine's JSON parser refuses.
    const late = trace('\ud800');
    const submissions = [payload(valid[0]!.data), truncated, ...valid.slice(1, 6).map((v) => payload(v.data)), payload(late.data), ...valid.slice(6).map((v) => payload(v.data))];
    const results = await Promise.allSettled(submissions.map((p) => committer.submit([p])));
    const refused = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    assert.deepEqual(refused, [1, 7]);
    for (const i of refused) assert.ok((results[i] as PromiseRejectedResult).reason instanceof StorageRefusedDataError);
    const rows = await h.internals.connections.read.query({
      query: 'SELECT uniqExact(SpanId) AS n FROM spans WHERE TraceId IN {ids:Array(String)}',
      query_params: { ids: valid.map((v) => v.traceId) },
      format: 'JSONEachRow',
    });
    assert.deepEqual(await rows.json(), [{ n: '30' }], 'every valid span is stored');
  } finally {
    await h.close();
  }
});

test('a storage failure fails the whole group retryably, without bisection, and readiness follows it', async () => {
  const h = await tempStore({ groupCommitWaitMs: 50 });
  try {
    await h.store.writer.writeTraces(trace().data);
    await h.internals.connections.write.command({ query: 'RENAME TABLE spans TO spans_away' });
    const before = h.internals.committer.insertCount;
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => h.store.writer.writeTraces(trace().data)));
    assert.equal(h.internals.committer.insertCount - before, 1, 'one insert: an unknown table is not the data');
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      const error = (r as PromiseRejectedResult).reason as Error;
      assert.ok(error instanceof StorageUnavailableError, String(error));
      assert.doesNotMatch(error.message, engineText);
    }
    assert.equal(h.store.writer.health().ok, false, 'not ready while writes fail');

    await h.internals.connections.write.command({ query: 'RENAME TABLE spans_away TO spans' });
    const { traceId, data } = trace();
    await h.store.writer.writeTraces(data);
    assert.equal(h.store.writer.health().ok, true, 'ready again after a write succeeded');
    assert.ok(await h.store.reader.getTrace(traceId));
  } finally {
    await h.close();
  }
});
