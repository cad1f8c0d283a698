import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLoginThrottle } from './login-throttle.ts';

test('ten failures lock a name for the rest of 15 minutes; a success clears it; other names are free', () => {
  let now = 0;
  const throttle = createLoginThrottle(() => now);
  for (let i = 0; i < 9; i++) throttle.failed('ada');
  assert.equal(throttle.retryAfterMs('ada'), 0);
  throttle.failed('ada');
  assert.equal(throttle.retryAfterMs('ada'), 15 * 60_000);
  assert.equal(throttle.retryAfterMs('bob'), 0);
  now = 15 * 60_000 + 1;
  assert.equal(throttle.retryAfterMs('ada'), 0);
  throttle.failed('bob');
  throttle.succeeded('bob');
  for (let i = 0; i < 9; i++) throttle.failed('bob');
  assert.equal(throttle.retryAfterMs('bob'), 0);
});
