import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InstrumentationScope } from '../../pdata/model.ts';
import { gauge, logRecord, numberPoint, resource, span, sum } from '../test-pdata.ts';
import { compileCondition, describeConditionError } from './compile.ts';
import type { LogContext, SpanContext } from './contexts.ts';
import { OttlEvalError } from './values.ts';

const scope: InstrumentationScope = { name: 'io.opentelemetry.http', version: '1.0', attributes: [], droppedAttributesCount: 0 };

function spanContext(name: string, attributes: Parameters<typeof span>[1] = {}, overrides: Parameters<typeof span>[2] = {}): SpanContext {
  return { resource: resource({ 'service.name': 'checkout' }), scope, span: span(name, attributes, overrides) };
}

function logContext(severityNumber: number, body: Parameters<typeof logRecord>[0] = 'hello'): LogContext {
  return { resource: resource({ 'service.name': 'noisy' }), scope, log: logRecord(body, { severityNumber }) };
}

const spanTrue = (condition: string, context: SpanContext): boolean => compileCondition(condition, 'span')(context);

test('comparisons on paths, literals and enums', () => {
  const health = spanContext('GET /health', { 'http.route': '/health', 'http.status_code': 200n, ratio: 0.5 });
  assert.equal(spanTrue('attributes["http.route"] == "/health"', health), true);
  assert.equal(spanTrue('attributes["http.route"] != "/health"', health), false);
  assert.equal(spanTrue('attributes["http.status_code"] >= 200 and attributes["http.status_code"] < 300', health), true);
  assert.equal(spanTrue('attributes["http.status_code"] == 200.0', health), true); // int vs float: numeric
  assert.equal(spanTrue('attributes["ratio"] < 1', health), true);
  assert.equal(spanTrue('name == "GET /health"', health), true);
  assert.equal(spanTrue('span.name == "GET /health"', health), true);
  assert.equal(spanTrue('kind == SPAN_KIND_SERVER', health), true);
  assert.equal(spanTrue('kind == 2', health), true);
  assert.equal(spanTrue('status.code == STATUS_CODE_UNSET', health), true);
  assert.equal(spanTrue('resource.attributes["service.name"] == "checkout"', health), true);
  assert.equal(spanTrue('instrumentation_scope.name == "io.opentelemetry.http"', health), true);
  assert.equal(spanTrue('scope.version == "1.0"', health), true);
  assert.equal(spanTrue('trace_id.string == "0af7651916cd43dd8448eb211c80319c"', health), true);
  assert.equal(spanTrue('trace_id == 0x0af7651916cd43dd8448eb211c80319c', health), true);
});

test('nil and mixed types follow OTTL: only != is true', () => {
  const context = spanContext('x', { count: 3n, flag: true });
  assert.equal(spanTrue('attributes["missing"] == nil', context), true);
  assert.equal(spanTrue('attributes["missing"] != nil', context), false);
  assert.equal(spanTrue('attributes["count"] != nil', context), true);
  assert.equal(spanTrue('attributes["missing"] == "x"', context), false);
  assert.equal(spanTrue('attributes["missing"] != "x"', context), true);
  assert.equal(spanTrue('attributes["missing"] < 5', context), false);
  assert.equal(spanTrue('attributes["count"] == "3"', context), false);
  assert.equal(spanTrue('attributes["count"] != "3"', context), true);
  assert.equal(spanTrue('attributes["count"] > "1"', context), false);
  assert.equal(spanTrue('attributes["flag"] == true', context), true);
  assert.equal(spanTrue('attributes["flag"] > false', context), true);
  assert.equal(spanTrue('"b" > "a"', context), true);
  assert.equal(spanTrue('nil == nil', context), true);
});

test('and, or, not and parentheses with OTTL precedence', () => {
  const context = spanContext('GET /users', { 'http.route': '/users' }, { kind: 3 });
  assert.equal(spanTrue('not name == "GET /users"', context), false);
  assert.equal(spanTrue('not (name == "a" or name == "b")', context), true);
  assert.equal(spanTrue('name == "a" or name == "GET /users" and kind == SPAN_KIND_CLIENT', context), true);
  assert.equal(spanTrue('(name == "a" or name == "GET /users") and kind == SPAN_KIND_SERVER', context), false);
  assert.equal(spanTrue('name == "a" or not kind == SPAN_KIND_SERVER', context), true);
  assert.equal(spanTrue('true', context), true);
  assert.equal(spanTrue('not false and true', context), true);
});

test('IsMatch and type checks', () => {
  const context = spanContext('GET', { 'url.path': '/readyz', code: 503n, nested: { type: 'kvlist', value: [] } });
  assert.equal(spanTrue('IsMatch(attributes["url.path"], "^/(health|readyz|livez)")', context), true);
  assert.equal(spanTrue('IsMatch(attributes["url.path"], "^/api")', context), false);
  assert.equal(spanTrue('IsMatch(attributes["missing"], ".*")', context), false);
  assert.equal(spanTrue('IsMatch(attributes["code"], "^5\\\\d\\\\d$")', context), true); // ints are matched as text
  assert.equal(spanTrue('IsMatch(name, "(?i)^get$")', context), true);
  assert.equal(spanTrue('IsMatch(name, "get") == false', context), true);
  assert.equal(spanTrue('IsString(attributes["url.path"]) and IsInt(attributes["code"])', context), true);
  assert.equal(spanTrue('IsMap(attributes["nested"]) and not IsList(attributes["nested"])', context), true);
  // -0 reads as "-0", as OTTL's StringLikeGetter formats it; map keys are data.
  const signed = spanContext('GET', { zero: -0, map: { type: 'kvlist', value: [{ key: '__proto__', value: { type: 'double', value: -0 } }] } });
  assert.equal(spanTrue('IsMatch(attributes["zero"], "^-0$")', signed), true);
  assert.equal(spanTrue('IsMatch(attributes["map"], "^[{]\\"__proto__\\":-0[}]$")', signed), true);
});

test('log context: severity enums, body and its keys', () => {
  const warn = compileCondition('severity_number < SEVERITY_NUMBER_WARN', 'log');
  assert.equal(warn(logContext(9)), true);
  assert.equal(warn(logContext(13)), false);
  assert.equal(warn(logContext(12)), true);
  assert.equal(compileCondition('severity_number >= SEVERITY_NUMBER_ERROR2', 'log')(logContext(18)), true);
  assert.equal(compileCondition('IsMatch(body, ".*password.*")', 'log')(logContext(9, 'my password is x')), true);
  assert.equal(compileCondition('log.severity_text == "INFO"', 'log')(logContext(9)), true);
  const structured = logContext(9, { type: 'kvlist', value: [{ key: 'event', value: { type: 'string', value: 'login' } }] });
  assert.equal(compileCondition('body["event"] == "login"', 'log')(structured), true);
  assert.equal(compileCondition('body["other"] == nil', 'log')(structured), true);
  assert.equal(compileCondition('resource.attributes["service.name"] == "noisy"', 'log')(logContext(1)), true);
});

test('metric and data point contexts', () => {
  const base = { resource: resource(), scope };
  const requests = sum('http.server.requests', [numberPoint(3n, { route: '/health' }), numberPoint(5n, { route: '/api' })]);
  assert.equal(compileCondition('name == "http.server.requests"', 'metric')({ ...base, metric: requests }), true);
  assert.equal(compileCondition('metric.type == METRIC_DATA_TYPE_SUM', 'metric')({ ...base, metric: requests }), true);
  assert.equal(
    compileCondition('aggregation_temporality == AGGREGATION_TEMPORALITY_CUMULATIVE and is_monotonic == true', 'metric')({
      ...base,
      metric: requests,
    }),
    true,
  );
  assert.equal(
    compileCondition('HasAttrOnDatapoint("route", "/health")', 'metric')({ ...base, metric: requests }),
    true,
  );
  assert.equal(compileCondition('HasAttrKeyOnDatapoint("nope")', 'metric')({ ...base, metric: requests }), false);
  const temperature = gauge('temperature', [numberPoint(21.5)]);
  const point = temperature.data!.dataPoints[0]!;
  assert.equal(
    compileCondition('metric.name == "temperature" and value_double > 20', 'datapoint')({ ...base, metric: temperature, point }),
    true,
  );
  assert.equal(
    compileCondition('metric.type == METRIC_DATA_TYPE_GAUGE', 'datapoint')({ ...base, metric: temperature, point }),
    true,
  );
});

test('evaluation errors are OttlEvalError', () => {
  const context = spanContext('x', { text: 'plain' });
  assert.throws(() => spanTrue('attributes["text"]["inner"] == "a"', context), OttlEvalError);
  assert.equal(spanTrue('attributes["missing"]["inner"] == nil', context), true);
});

test('unsupported syntax, paths, enums and functions are refused at compile time', () => {
  const refusal = (condition: string, kind: 'span' | 'log' | 'metric' = 'span'): string => {
    try {
      compileCondition(condition, kind);
    } catch (error) {
      return describeConditionError(error);
    }
    return 'accepted';
  };
  assert.equal(refusal('replace_all(attributes, "a", "b")'), 'unsupported function "replace_all" (at column 1)');
  assert.equal(refusal('Concat(["a"], "") == "a"'), 'list values are not supported (at column 8)');
  // RE2 has no lookarounds or backreferences; Go's syntax allows flags anywhere.
  assert.equal(refusal('IsMatch(name, "^(?=a)a(?!b)")'), 'IsMatch pattern: error parsing regexp: invalid or unsupported Perl syntax: `(?=` (at column 15)');
  assert.equal(refusal('IsMatch(name, "(a)\\\\1")'), 'IsMatch pattern: error parsing regexp: invalid escape sequence: `\\1` (at column 15)');
  assert.equal(refusal('IsMatch(name, "a(?i)b")'), 'accepted');
  assert.equal(refusal('IsMatch(name, "(a+)+$")'), 'accepted');
  assert.equal(refusal('cache["x"] == 1'), 'unsupported path "cache" (at column 1)');
  assert.equal(refusal('attributes["a"] == attributes[name]'), 'only string and integer literal keys are supported in paths (at column 31)');
  assert.equal(refusal('kind == SPAN_KIND_BOGUS'), 'unknown enum SPAN_KIND_BOGUS (at column 9)');
  assert.equal(refusal('severity_number < SEVERITY_NUMBER_WARN'), 'unsupported path "severity_number" (at column 1)');
  assert.equal(refusal('severity_number < SEVERITY_NUMBER_WARN', 'log'), 'accepted');
  assert.equal(refusal('duration > 1'), 'unsupported path "duration" (at column 1)');
  assert.equal(refusal('end_time_unix_nano > 1 + 2'), 'math expressions are not supported (at column 24)');
  assert.equal(refusal('name'), 'a condition must be a comparison, true, false or a function returning a boolean (at column 1)');
  assert.equal(refusal('name == "a" and'), 'expected a value but found the end of the condition (at column 16)');
  assert.equal(refusal('name == "unterminated'), 'unterminated string (at column 9)');
  assert.equal(refusal('name == "bad \\d escape"'), 'invalid escape \\d in string (write \\\\ for a backslash) (at column 14)');
  assert.equal(refusal('HasAttrOnDatapoint("a", "b")'), 'unsupported function "HasAttrOnDatapoint" in a span condition (at column 1)');
  assert.equal(refusal('HasAttrOnDatapoint("a", "b")', 'metric'), 'accepted');
  assert.equal(refusal('IsMatch(name)'), 'IsMatch takes 2 arguments, got 1 (at column 1)');
  assert.equal(refusal('IsMatch(name, attributes["p"])'), 'the pattern of IsMatch must be a string literal (at column 15)');
  assert.equal(refusal('name == "a" name'), 'unexpected "name" after the end of the condition (at column 13)');
});
