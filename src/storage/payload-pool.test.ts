import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PayloadPool, payloadPool } from './payload-pool.ts';
import { RowBuffer } from './row-buffer.ts';
import { hex, MS, nowNs, resource, span, str, tempStore, traces } from './testdata/telemetry.ts';

// Reused payload memory (payload-pool.ts) must never hand one buffer to two
// writers: released memory comes back once, foreign or twice-released buffers
// are ignored, and rows written through reused buffers are stored as sent.

test('a released buffer is handed out again, once; foreign and twice-released buffers are ignored', () => {
  const pool = new PayloadPool(1024 * 1024);
  const a = pool.take(100_000);
  assert.equal(a.length, 128 * 1024, 'sizes are powers of two');
  pool.release(a.subarray(10, 20)); // any view of it
  pool.release(a);
  assert.equal(pool.freeBytes, 128 * 1024, 'released twice, kept once');
  const b = pool.take(70_000);
  const c = pool.take(70_000);
  assert.equal(b.buffer, a.buffer, 'the released memory is reused');
  assert.notEqual(c.buffer, a.buffer, 'and not handed out twice');
  pool.release(Buffer.allocUnsafe(200_000));
  assert.equal(pool.freeBytes, 0, 'a buffer not taken from the pool is not kept');
  assert.equal(pool.isOut(pool.take(1000)), false, 'small buffers are not pooled');
});

test('memory past maxFreeBytes is left to the GC', () => {
  const pool = new PayloadPool(200 * 1024);
  const taken = [pool.take(128 * 1024), pool.take(128 * 1024)];
  for (const b of taken) pool.release(b);
  assert.equal(pool.freeBytes, 128 * 1024);
});

test('a row buffer growing in the pool gives its old memory back and its payload stays in the pool', () => {
  const pool = new PayloadPool(1024 * 1024);
  const out = new RowBuffer(64 * 1024, pool);
  out.utf8('x'.repeat(100 * 1024));
  const payload = out.finish();
  assert.equal(payload.length, 100 * 1024);
  assert.equal(pool.isOut(payload), true);
  assert.equal(pool.freeBytes, 64 * 1024, 'the outgrown buffer');
});

test('rows written through reused buffers, round after round, are stored exactly as sent', async () => {
  const h = await tempStore({ groupCommitWaitMs: 5 });
  try {
    const sent = new Map<string, string[]>();
    for (let round = 0; round < 4; round++) {
      // 300 spans a write: a 512 KiB pooled buffer each, released after its insert.
      const writes = Array.from({ length: 6 }, (_, w) => {
        const traceId = hex(16);
        const t = nowNs();
        const names = Array.from({ length: 300 }, (_, i) => `r${round} w${w} span ${i} ${hex(4)}`);
        sent.set(traceId, names);
        return traces(
          resource('payment-api'),
          names.map((name, i) => span({ traceId, spanId: hex(8), name, startTimeUnixNano: t + BigInt(i) * MS, attributes: [str('n', name)] })),
        );
      });
      await Promise.all(writes.map((d) => h.store.writer.writeTraces(d)));
    }
    assert.ok(payloadPool.freeBytes > 0, 'payload memory came back to the pool');
    for (const [traceId, names] of sent) {
      const stored = await h.store.reader.getTrace(traceId);
      const spans = stored?.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)) ?? [];
      assert.deepEqual(spans.map((s) => s.name).sort(), [...names].sort(), `trace ${traceId}`);
      for (const s of spans) assert.deepEqual(s.attributes, [str('n', s.name)]);
    }
  } finally {
    await h.close();
  }
});
