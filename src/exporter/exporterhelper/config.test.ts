import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBackoff } from './backoff.ts';
import { queueConfigSchema } from './queue-config.ts';
import { retryConfigSchema } from './retry-config.ts';

function issues(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }): string[] {
  return (result.error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('retry_on_failure', () => {
  test('Collector defaults', () => {
    assert.deepEqual(retryConfigSchema.parse(undefined), {
      enabled: true,
      initialIntervalMs: 5_000,
      randomizationFactor: 0.5,
      multiplier: 1.5,
      maxIntervalMs: 30_000,
      maxElapsedTimeMs: 300_000,
    });
    assert.equal(retryConfigSchema.parse(null).enabled, true);
  });

  test('Collector checks', () => {
    assert.deepEqual(issues(retryConfigSchema.safeParse({ randomization_factor: 2, initial_interval: '10m' })), [
      'randomization_factor: must be between 0 and 1',
      'max_elapsed_time: must not be less than initial_interval (or 0: retry forever)',
    ]);
    assert.deepEqual(issues(retryConfigSchema.safeParse({ max_interval: 5 })).length, 1);
    assert.equal(retryConfigSchema.parse({ max_elapsed_time: 0, initial_interval: '1h' }).maxElapsedTimeMs, 0);
  });

  test('backoff grows by the multiplier up to max_interval, randomized around it', () => {
    const config = retryConfigSchema.parse({ initial_interval: '100ms', multiplier: 2, max_interval: '350ms' });
    const low = createBackoff(config, () => 0);
    assert.deepEqual([1, 2, 3, 4].map(() => low.nextDelayMs()), [50, 100, 175, 175]);
    const high = createBackoff(config, () => 1);
    assert.deepEqual([1, 2, 3].map(() => high.nextDelayMs()), [150, 300, 525]);
  });
});

describe('sending_queue', () => {
  test('Collector defaults; debug has it off', () => {
    assert.deepEqual(queueConfigSchema(true).parse(undefined), { enabled: true, numConsumers: 10, queueSize: 1000, storage: undefined });
    assert.equal(queueConfigSchema(false).parse({}).enabled, false);
    assert.equal(queueConfigSchema(true).parse({ storage: 'file_storage/q' }).storage, 'file_storage/q');
  });

  test('refuses what Tracehouse does not do, saying so', () => {
    assert.deepEqual(issues(queueConfigSchema(true).safeParse({ num_consumers: 0, queue_size: -1, storage: 'Bad Id' })), [
      'num_consumers: must be positive',
      'queue_size: must be positive',
      'storage: must be a storage extension id such as "file_storage" or "file_storage/queue", got "Bad Id"',
    ]);
    const refused = issues(queueConfigSchema(true).safeParse({ sizer: 'items', batch: {}, block_on_overflow: true }));
    assert.equal(refused.length, 3);
    assert.match(refused.join('\n'), /batch processor/);
  });
});
