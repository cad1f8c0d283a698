import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startInProcess } from '../helpers/tracehouse.ts';
import type { RunningTracehouse } from '../helpers/tracehouse.ts';
import { lokiGet } from './loki-client.ts';

// Bad LogQL and bad parameters: a 400 whose plain-text body (as Loki's) names what
// is wrong, and the server keeps answering.

let th: RunningTracehouse;
before(async () => {
  th = await startInProcess();
});
after(async () => {
  await th?.stop();
});

const S = 1_000_000_000n;
const nowNs = BigInt(Date.now()) * 1_000_000n;

async function refused(path: string, params: Record<string, string>, pattern: RegExp): Promise<void> {
  const answer = await lokiGet(th.apiUrl, path, params);
  assert.equal(answer.status, 400, `${JSON.stringify(params)}: ${answer.text}`);
  assert.match(answer.text, pattern);
}

const rangeQuery = (query: string, extra: Record<string, string> = {}) => ({
  expect: (pattern: RegExp) => refused('/loki/api/v1/query_range', { query, ...extra }, pattern),
});

const badQueries: Array<[string, RegExp]> = [
  ['', /empty/],
  ['{service_name="x"', /parse error at line 1, col \d+/],
  ['service_name="x"', /parse error/],
  ['{service_name=~".*"}', /at least one regexp or equality matcher that does not have an empty-compatible value/],
  ['{service_name=~"(a"}', /invalid regex "\(a".*missing closing \)/],
  ['{service_name="x"} |~ "a(?=b)"', /invalid regex "a\(\?=b\)"/],
  ['{service_name="x"} |= "a\\q"', /invalid escape \\q/],
  ['{service_name="x"} | pattern "<ip> <_>"', /unsupported LogQL: the pattern parser/],
  ['{service_name="x"} | regexp "(?P<a>.)"', /unsupported LogQL: the regexp parser/],
  ['{service_name="x"} | unpack', /unsupported LogQL: the unpack parser/],
  ['{service_name="x"} | label_format a=b', /unsupported LogQL: \| label_format/],
  ['{service_name="x"} | drop a="b"', /unsupported LogQL: \| drop with a matcher \(a="b"\)/],
  ['{service_name="x"} | keep a, b=~"c"', /unsupported LogQL: \| keep with a matcher/],
  ['{service_name="x"} | decolorize', /unsupported LogQL: \| decolorize/],
  ['{service_name="x"} | logfmt --strict', /unsupported LogQL: logfmt flags/],
  ['{service_name="x"} | duration > 5ms', /unsupported LogQL: duration label filter/],
  ['{service_name="x"} | size > 1KB', /unsupported LogQL: bytes label filter/],
  ['{service_name="x"} | line_format "{{if .a}}x{{end}}"', /unsupported LogQL: line_format action \{\{if \.a\}\}/],
  ['{service_name="x"} | line_format `{{ printf "%s" .a }}`', /unsupported LogQL: line_format action \{\{ printf "%s" \.a \}\}/],
  ['{service_name="x"} | line_format "{{ .a | title }}"', /unsupported LogQL: line_format function title/],
  ['{service_name="x"} | line_format "{{ __timestamp__ }}"', /unsupported LogQL: line_format action \{\{ __timestamp__ \}\}/],
  ['{service_name="x"} | line_format "{{ .a "', /line_format: template .* has an unclosed action/],
  ['quantile_over_time(0.9, {service_name="x"} | unwrap latency [5m])', /unsupported LogQL: quantile_over_time\(\)/],
  ['sum_over_time({service_name="x"} | unwrap latency [5m])', /unsupported LogQL: sum_over_time\(\)/],
  ['count_over_time({service_name="x"}[5m] offset 1h)', /unsupported LogQL: offset/],
  ['absent_over_time({service_name="x"}[5m])', /unsupported LogQL: absent_over_time\(\)/],
  ['stddev(count_over_time({service_name="x"}[5m]))', /unsupported LogQL: stddev\(\)/],
  ['sort(count_over_time({service_name="x"}[5m]))', /unsupported LogQL: sort\(\)/],
  ['count_over_time({service_name="x"}[5m]) > 1', /unsupported LogQL: the binary operator >/],
  ['count_over_time({service_name="x"}[5m]) and count_over_time({service_name="y"}[5m])', /unsupported LogQL: the binary operator and/],
  ['sum(count_over_time({service_name="x"}[5m])) / on (a) sum(count_over_time({service_name="y"}[5m]))', /unsupported LogQL: binary operator modifier on/],
  ['label_replace(count_over_time({service_name="x"}[5m]), "a", "$1", "b", "(.*)")', /unsupported LogQL: label_replace\(\)/],
  ['topk(0, count_over_time({service_name="x"}[5m]))', /topk\(\) needs a positive integer/],
];

for (const [query, pattern] of badQueries) {
  test(`400 for ${JSON.stringify(query)}`, async () => {
    await rangeQuery(query).expect(pattern);
  });
}

const start = String(nowNs - 3600n * S);
const end = String(nowNs);

test('bad parameters are 400s naming the parameter', async () => {
  const q = '{service_name="x"}';
  await rangeQuery(q, { start: 'yesterday' }).expect(/invalid start: cannot parse "yesterday"/);
  await rangeQuery(q, { end: '2026-13-45T00:00:00Z' }).expect(/invalid end/);
  await rangeQuery(q, { start: end, end: start }).expect(/invalid end: the end timestamp must not be before the start/);
  await rangeQuery(q, { limit: 'ten' }).expect(/invalid limit/);
  await rangeQuery(q, { limit: '0' }).expect(/limit must be a positive value/);
  await rangeQuery(q, { limit: '6000' }).expect(/max entries limit per query exceeded, limit > max_entries_limit \(6000 > 5000\)/);
  await rangeQuery(q, { direction: 'sideways' }).expect(/invalid direction "sideways"/);
  await rangeQuery(q, { since: 'forever' }).expect(/invalid since/);
  const metric = 'count_over_time({service_name="x"}[1m])';
  await rangeQuery(metric, { start, end, step: '0' }).expect(/zero or negative query resolution step/);
  await rangeQuery(metric, { start, end, step: 'often' }).expect(/invalid step/);
  await rangeQuery(metric, { start, end, step: '100ms' }).expect(/exceeded maximum resolution of 11000 points per timeseries/);
});

test('the other endpoints refuse bad input with 400s', async () => {
  await refused('/loki/api/v1/query', { query: '{service_name="x"}' }, /log queries are not supported as an instant query type/);
  await refused('/loki/api/v1/query', { query: 'vector(1)', time: 'noon' }, /invalid time/);
  await refused('/loki/api/v1/series', {}, /at least one match\[\] selector is required/);
  await refused('/loki/api/v1/series', { 'match[]': '{service_name="x"} |= "a"' }, /invalid match\[\].*must be a stream selector/);
  await refused('/loki/api/v1/labels', { query: '{service_name=' }, /parse error/);
  await refused('/loki/api/v1/label/service_name/values', { query: 'rate({a="b"}[1m])' }, /invalid query/);
  await refused('/loki/api/v1/index/stats', {}, /a stream selector is required/);
  await refused('/loki/api/v1/index/stats', { query: 'rate({a="b"}[1m])' }, /index\/stats takes a log query/);
});

test('after every refusal the API still answers', async () => {
  const answer = await lokiGet(th.apiUrl, '/loki/api/v1/query_range', { query: '{service_name="x"}', start, end });
  assert.equal(answer.status, 200, answer.text);
  assert.deepEqual(answer.body.data.result, []);
  const health = await lokiGet(th.apiUrl, '/loki/api/v1/query', { query: 'vector(1)+vector(1)' });
  assert.equal(health.body.data.result[0].value[1], '2');
});
