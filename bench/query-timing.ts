// Latency of one API query, repeated: `warmup` runs discarded (first touch of
// marks, parts and the page cache), then `runs` timed one after another, nothing
// else in flight. Every answer is checked by `check`, so a fast error or an empty
// answer cannot pass for a fast query.

export interface Timing {
  runs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export async function timeQuery(
  urlFor: (run: number) => string,
  check: (body: unknown, run: number) => string | undefined,
  options: { warmup: number; runs: number; label?: string },
): Promise<Timing> {
  const times: number[] = [];
  for (let run = 0; run < options.warmup + options.runs; run++) {
    const url = urlFor(run);
    const t0 = performance.now();
    const response = await fetch(url);
    const text = await response.text();
    const ms = performance.now() - t0;
    if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}: ${text.slice(0, 300)}`);
    const problem = check(JSON.parse(text), run);
    if (problem !== undefined) throw new Error(`${url}: ${problem}`);
    if (run >= options.warmup) times.push(ms);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!;
  const timing = { runs: times.length, p50Ms: round(pct(50)), p95Ms: round(pct(95)), maxMs: round(times.at(-1)!) };
  if (options.label !== undefined) process.stderr.write(`bench: ${options.label}: p50 ${timing.p50Ms} ms, p95 ${timing.p95Ms} ms\n`);
  return timing;
}

export function round(n: number): number {
  return Math.round(n * 10) / 10;
}
