import assert from 'node:assert/strict';

// Requests to the Loki API and checks of the shapes Grafana's Loki data source
// parses (Loki docs, "Loki HTTP API": query_range streams/matrix, query vector).

export interface StreamResult {
  stream: Record<string, string>;
  values: Array<[string, string] | [string, string, { structuredMetadata?: Record<string, string>; parsed?: Record<string, string> }]>;
}
export interface MatrixResult {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}
export interface VectorResult {
  metric: Record<string, string>;
  value: [number, string];
}

export interface LokiAnswer {
  status: number;
  text: string;
  body: any;
}

export async function lokiGet(apiUrl: string, path: string, params: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<LokiAnswer> {
  const url = new URL(`${apiUrl}${path}`);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url, { headers });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, text, body };
}

const isLabelSet = (x: unknown) => typeof x === 'object' && x !== null && Object.values(x).every((v) => typeof v === 'string');

export function assertStreams(answer: LokiAnswer): StreamResult[] {
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.body.status, 'success');
  assert.equal(answer.body.data.resultType, 'streams');
  assert.equal(typeof answer.body.data.stats?.summary, 'object');
  for (const s of answer.body.data.result as StreamResult[]) {
    assert.ok(isLabelSet(s.stream), JSON.stringify(s.stream));
    for (const v of s.values) {
      assert.match(v[0], /^\d{19}$/);
      assert.equal(typeof v[1], 'string');
      if (v.length === 3) assert.equal(typeof v[2], 'object');
    }
  }
  return answer.body.data.result as StreamResult[];
}

export function assertMatrix(answer: LokiAnswer): MatrixResult[] {
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.body.status, 'success');
  assert.equal(answer.body.data.resultType, 'matrix');
  for (const s of answer.body.data.result as MatrixResult[]) {
    assert.ok(isLabelSet(s.metric));
    for (const [t, v] of s.values) {
      assert.equal(typeof t, 'number');
      assert.equal(typeof v, 'string');
    }
  }
  return answer.body.data.result as MatrixResult[];
}

export function assertVector(answer: LokiAnswer): VectorResult[] {
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.body.status, 'success');
  assert.equal(answer.body.data.resultType, 'vector');
  for (const s of answer.body.data.result as VectorResult[]) {
    assert.ok(isLabelSet(s.metric));
    assert.equal(typeof s.value[0], 'number');
    assert.equal(typeof s.value[1], 'string');
  }
  return answer.body.data.result as VectorResult[];
}

export const lineCount = (streams: StreamResult[]) => streams.reduce((n, s) => n + s.values.length, 0);
/** Every entry, newest or oldest first as the streams came, flattened and re-sorted by time. */
export const entries = (streams: StreamResult[]) => streams.flatMap((s) => s.values.map((v) => ({ stream: s.stream, ts: BigInt(v[0]), line: v[1], extra: v[2] })));
