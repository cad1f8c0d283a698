import { randomBytes } from 'node:crypto';
import { emptySpan } from '../src/pdata/defaults.ts';
import type { KeyValue, Span, TracesData } from '../src/pdata/model.ts';

// One trace of many spans, for the trace view figures (bench/trace-tree-bench.ts,
// and the UI benchmark): a 4-ary tree (depth ~8 at 100,000 spans) over three
// services, children splitting their parent's time with some overlap, a few
// seed-shaped attributes a span, an exception event on every 100th span.
// Returned as batches of `batchSpans` so the writer takes it as an SDK would send it.

const services = ['payment-api', 'ledger', 'fraud-check'];
const names = ['payment.charge', 'SELECT accounts', 'POST /ledger/entries', 'fraud.score', 'cache.get', 'http.client'];
const str = (key: string, value: string): KeyValue => ({ key, value: { type: 'string', value } });
const int = (key: string, value: number): KeyValue => ({ key, value: { type: 'int', value: BigInt(value) } });

export function bigTrace(spanCount: number, startNs: bigint, batchSpans = 10_000): { traceId: string; batches: TracesData[] } {
  const traceId = randomBytes(16).toString('hex');
  const ids = Array.from({ length: spanCount }, () => randomBytes(8).toString('hex'));
  const start = new Float64Array(spanCount);
  const end = new Float64Array(spanCount);
  start[0] = 0;
  end[0] = 10_000_000_000; // 10 s root
  const perService: Span[][] = services.map(() => []);
  for (let i = 0; i < spanCount; i++) {
    if (i > 0) {
      const parent = Math.floor((i - 1) / 4);
      const k = (i - 1) % 4;
      const slot = (end[parent]! - start[parent]!) / 4;
      start[i] = start[parent]! + k * slot + slot * 0.05;
      // Every third child overlaps the next one a little.
      end[i] = Math.min(end[parent]!, start[i]! + slot * (k % 3 === 0 ? 1.1 : 0.85));
    }
    const s = startNs + BigInt(Math.round(start[i]!));
    const e = startNs + BigInt(Math.round(end[i]!));
    const service = i === 0 ? 0 : (i % 7) % services.length;
    const failed = i % 100 === 99;
    perService[service]!.push({
      ...emptySpan(),
      traceId,
      spanId: ids[i]!,
      parentSpanId: i === 0 ? '' : ids[Math.floor((i - 1) / 4)]!,
      flags: 1,
      name: i === 0 ? 'POST /payments' : names[i % names.length]!,
      kind: i === 0 ? 2 : 1,
      startTimeUnixNano: s,
      endTimeUnixNano: e,
      attributes: [str('payment.currency', i % 2 === 0 ? 'EUR' : 'USD'), int('payment.items', i % 5), str('code.function', `step_${i % 50}`)],
      events: failed
        ? [{ timeUnixNano: e, name: 'exception', droppedAttributesCount: 0,
            attributes: [str('exception.type', 'Timeout'), str('exception.message', 'upstream timed out'), str('exception.stacktrace', 'Timeout: upstream timed out\n    at call (client.js:12:3)')] }]
        : [],
      status: { code: failed ? 2 : 0, message: failed ? 'timeout' : '' },
    });
  }
  const batches: TracesData[] = [];
  services.forEach((name, si) => {
    const spans = perService[si]!;
    for (let b = 0; b < spans.length; b += batchSpans) {
      batches.push({
        resourceSpans: [{
          resource: { attributes: [str('service.name', name)], droppedAttributesCount: 0 },
          scopeSpans: [{ scope: { name: 'bench', version: '1.0.0', attributes: [], droppedAttributesCount: 0 }, spans: spans.slice(b, b + batchSpans), schemaUrl: '' }],
          schemaUrl: '',
        }],
      });
    }
  });
  return { traceId, batches };
}
