import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnvExpansionError, expandEnv } from './expand-env.ts';

const env = { PORT: '4317', HOST: 'collector', EMPTY: '' };

test('${env:VAR}, ${VAR} and ${env:VAR:-default} expand inside values', () => {
  assert.deepEqual(
    expandEnv(
      {
        endpoint: '${env:HOST}:${PORT}',
        fallback: '${env:MISSING:-localhost}:4318',
        unset: 'x${env:MISSING}y',
        empty: '${env:EMPTY:-dflt}',
        list: ['${HOST}', 'literal $$HOST'],
      },
      env,
    ),
    { endpoint: 'collector:4317', fallback: 'localhost:4318', unset: 'xy', empty: 'dflt', list: ['collector', 'literal $HOST'] },
  );
});

test('a value that is exactly one reference is read as a YAML scalar', () => {
  assert.deepEqual(expandEnv({ port: '${env:PORT}', enabled: '${env:ON:-true}' }, env), { port: 4317, enabled: true });
});

test("a variable's value may contain ${ and $$ does not hide another provider", () => {
  assert.deepEqual(expandEnv({ password: '${env:SECRET}' }, { SECRET: 'a${b}c' }), { password: 'a${b}c' });
  assert.throws(() => expandEnv({ x: '$$ ${file:/etc/x}' }, {}), EnvExpansionError);
});

test('other providers are refused with the path', () => {
  assert.throws(() => expandEnv({ exporters: { otlp: { endpoint: '${file:/etc/x}' } } }, env), (e: Error) => {
    assert.ok(e instanceof EnvExpansionError);
    assert.match(e.message, /^exporters\.otlp\.endpoint: unsupported reference/);
    return true;
  });
});
