import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startInProcess } from './helpers/tracehouse.ts';
import type { RunningTracehouse } from './helpers/tracehouse.ts';

// The batch processor merges concurrent requests into one write; the store then
// refuses single items (here: a span older than the retention) as partial success.
// Each sender must learn about its own refused items only: before, the batch's
// count was shared out by size, so valid senders were told "rejected 1" for
// another sender's span and the sender of it was often told nothing.

let th: RunningTracehouse;
before(async () => {
  // A batch timeout long enough that the concurrent requests below share a batch.
  th = await startInProcess();
});
after(async () => {
  await th?.stop();
});

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

function request(startsUnixNano: bigint[]): string {
  const traceId = hex(16);
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'attribution-test' } }] },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: startsUnixNano.map((start) => ({
              traceId,
              spanId: hex(8),
              name: 'op',
              kind: 2,
              startTimeUnixNano: start.toString(),
              endTimeUnixNano: (start + 1_000_000n).toString(),
            })),
          },
        ],
      },
    ],
  });
}

async function post(body: string): Promise<{ status: number; rejected: number; message: string }> {
  const response = await fetch(`${th.otlpUrl}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  const answer = (await response.json()) as { partialSuccess?: { rejectedSpans?: string; errorMessage?: string } };
  return {
    status: response.status,
    rejected: Number(answer.partialSuccess?.rejectedSpans ?? 0),
    message: answer.partialSuccess?.errorMessage ?? '',
  };
}

test('each merged request is told of its own refused spans only', async () => {
  const now = BigInt(Date.now()) * 1_000_000n;
  const longAgo = now - 400n * 24n * 3_600_000_000_000n; // past the 7 d retention
  for (let round = 0; round < 5; round++) {
    const valid = Array.from({ length: 7 }, () => post(request([now, now, now])));
    const mixed = post(request([now, longAgo, now]));
    const answers = await Promise.all(valid);
    for (const answer of answers) assert.deepEqual(answer, { status: 200, rejected: 0, message: '' }, `round ${round}`);
    const own = await mixed;
    assert.equal(own.status, 200);
    assert.equal(own.rejected, 1, `round ${round}: the sender of the old span is told`);
    assert.match(own.message, /older than the retention/);
  }
});
