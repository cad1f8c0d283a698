import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { Hono } from 'hono';
import { listen } from './listen.ts';

// close(): keep-alive senders that never pause must not hold it open (they did:
// SIGTERM under load never ended), and `force` cuts what is still in flight.

const within = <T>(ms: number, what: string, p: Promise<T>) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not done in ${ms} ms`)), ms).unref())]);

function request(agent: http.Agent, port: number, path: string, body?: string): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .request({ host: '127.0.0.1', port, path, agent, method: body === undefined ? 'GET' : 'POST' }, (res) => {
        res.resume();
        res.once('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
      })
      .once('error', reject)
      .end(body);
  });
}

test('close() ends while keep-alive clients keep sending; requests sent after it are answered with Connection: close', async () => {
  // As the OTLP receiver: read the body, wait for storage (group commit), answer.
  const app = new Hono().post('/', async (c) => {
    await c.req.arrayBuffer();
    await new Promise((r) => setTimeout(r, 5));
    return c.text('ok');
  });
  const listener = await listen(app, '127.0.0.1', 0, 'test');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const answers: { status: number; connection: string | undefined }[] = [];
  let closing = false;
  const afterClose: (string | undefined)[] = [];
  const sender = async () => {
    for (;;) {
      const sentAfterClose = closing;
      const answer = await request(agent, listener.port, '/', 'x'.repeat(10_000)).catch(() => undefined);
      if (answer === undefined) return; // refused or reset: the listener is gone
      answers.push(answer);
      if (sentAfterClose) afterClose.push(answer.connection);
    }
  };
  const senders = Promise.all(Array.from({ length: 8 }, sender));
  while (answers.length < 50) await new Promise((r) => setImmediate(r));
  closing = true;
  await within(5000, 'close()', listener.close());
  await within(5000, 'senders', senders);
  agent.destroy();
  assert.ok(answers.every((a) => a.status === 200));
  assert.ok(afterClose.every((c) => c === 'close'), JSON.stringify(afterClose));
});

test('close(force): a request still running when force aborts is cut', async () => {
  let started!: () => void;
  const running = new Promise<void>((r) => (started = r));
  const app = new Hono().get('/hang', async () => {
    started();
    return new Promise<Response>(() => {});
  });
  const listener = await listen(app, '127.0.0.1', 0, 'test');
  const agent = new http.Agent({ keepAlive: true });
  const hanging = request(agent, listener.port, '/hang').then(
    () => 'answered',
    () => 'cut',
  );
  await running;
  const force = new AbortController();
  const closed = listener.close(force.signal);
  setTimeout(() => force.abort(), 100);
  await within(5000, 'close(force)', closed);
  assert.equal(await hanging, 'cut');
  agent.destroy();
});
