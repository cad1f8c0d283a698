import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { diagnose } from '../src/query/doctor/doctor.ts';
import { doctorDetachedSpansSql, doctorOrphansSql, doctorSpanStatsSql, doctorTraceShapeSql } from '../src/storage/doctor-spans-sql.ts';
import { doctorLogStatsSql, doctorMetricStatsSql, doctorResourceStatsSql } from '../src/storage/doctor-signals-sql.ts';
import { selectRows } from '../src/storage/read-query.ts';
import { openStoreWithInternals } from '../src/storage/store.ts';

// How long GET /api/v1/doctor's reads take over 1M (or SPANS=...) stored
// seed-shaped spans, all in the last hour: five-span payment traces of 10
// services generated in SQL (numbers()), some with planted problems (route-less
// filled paths, health spans, INTERNAL roots) so every statement has work.
// `node --import tsx bench/doctor-bench.ts`; prints and writes bench/results/doctor.json.

const spans = Number(process.env.SPANS ?? 1_000_000);
const runs = 5;
const dir = await mkdtemp(path.join(tmpdir(), 'tracehouse-doctor-bench-'));
const { store, internals } = await openStoreWithInternals({ dataDir: dir });
try {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const startNs = nowNs - 3_600_000_000_000n;
  const traces = Math.ceil(spans / 5);
  // Trace n: service n % 10, started at an even spread over the hour; span k of 5.
  await internals.connections.write.command({
    query: `INSERT INTO spans (Timestamp, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, Duration, StatusCode,
        AttributesString, AttributesInt, ServiceName, ResourceScopeId)
      SELECT
        fromUnixTimestamp64Nano(toInt64(${startNs}) + toInt64(intDiv(n, 5)) * intDiv(3600000000000, ${traces}) + k * 1000000) AS Timestamp,
        lower(hex(MD5(toString(intDiv(n, 5))))) AS TraceId,
        substring(lower(hex(MD5(toString(n)))), 1, 16) AS SpanId,
        if(k = 0, '', substring(lower(hex(MD5(toString(n - k)))), 1, 16)) AS ParentSpanId,
        multiIf(k = 0 AND svc = 3, concat('GET /items/', toString(intDiv(n, 5) % 5000)), k = 0 AND svc = 4 AND intDiv(n, 5) % 4 = 0, 'GET /health',
          k = 0, 'POST /payments', k = 1, 'payment.validate', k = 2, 'fraud.check', k = 3, 'INSERT payments', 'payment.charge') AS SpanName,
        multiIf(k = 0, 2, k = 3 OR k = 4, 3, 1) AS SpanKind,
        toInt64(multiIf(k = 0, 40000000, 3000000 + (n % 400) * 100000)) AS Duration,
        0 AS StatusCode,
        if(k = 0, map('http.request.method', 'POST', 'url.path', '/payments', 'http.route', if(svc = 3, '', '/payments')),
          map('payment.currency', ['EUR', 'USD', 'GBP'][1 + n % 3])) AS AttributesString,
        map('http.response.status_code', 200) AS AttributesInt,
        concat('payment-api-', toString(svc)) AS ServiceName,
        toUInt64(svc) AS ResourceScopeId
      FROM (SELECT number AS n, number % 5 AS k, intDiv(number, 5) % 10 AS svc FROM numbers(${traces * 5}))`,
  });
  await internals.connections.write.command({ query: 'OPTIMIZE TABLE spans FINAL' });
  const times: number[] = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const result = await diagnose(store.reader, undefined, { startNs, endNs: nowNs + 60_000_000_000n });
    times.push(performance.now() - t);
    findings = result.services.reduce((sum, s) => sum + s.findings.length, 0);
  }
  times.sort((a, b) => a - b);
  // Each statement alone, median of 3: where the time goes.
  const statements = { spanStats: doctorSpanStatsSql, traceShape: doctorTraceShapeSql, orphans: doctorOrphansSql, detached: doctorDetachedSpansSql, logs: doctorLogStatsSql, metrics: doctorMetricStatsSql, resources: doctorResourceStatsSql };
  const statementMs: Record<string, number> = {};
  for (const [name, build] of Object.entries(statements)) {
    const q = build({ startNs, endNs: nowNs + 60_000_000_000n });
    const each: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await selectRows(internals.connections.read, q.sql, q.params, undefined);
      each.push(performance.now() - t);
    }
    statementMs[name] = Math.round(each.sort((a, b) => a - b)[1]!);
  }
  const figures = {
    spans: traces * 5,
    runs,
    p50Ms: Math.round(times[Math.floor(runs / 2)]!),
    minMs: Math.round(times[0]!),
    maxMs: Math.round(times[runs - 1]!),
    findings,
    statementMs,
    loadAverage: loadavg()[0],
  };
  console.log(`doctor over ${figures.spans.toLocaleString()} spans, all services, last hour: p50 ${figures.p50Ms} ms (${figures.minMs}-${figures.maxMs} ms over ${runs} runs), load average ${figures.loadAverage?.toFixed(1)}`);
  console.log('per statement (ms, median of 3):', statementMs);
  const out = path.join(import.meta.dirname, 'results');
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'doctor.json'), `${JSON.stringify(figures, null, 2)}\n`);
} finally {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
