// The windows a search reads, newest first (trace-reader.ts, tempo-reader.ts):
// the last 1, 4, 16, 64, 256 and 1,024 minutes of its range, then the rest. A
// search stops once it has enough traces, so a common value costs the newest
// bucket or two of the sort key (10 minutes, migration 005), and a rare one a
// handful of queries (as Tempo searches its newest blocks first).

const MINUTE_NS = 60_000_000_000n;
const BACK_NS = [1n, 4n, 16n, 64n, 256n, 1024n].map((m) => m * MINUTE_NS);

export interface Window {
  startNs: bigint;
  endNs: bigint;
}

/** [startNs, endNs) windows covering [startNs, endNs) backwards from its end, without overlap. */
export function* newestFirstWindows(startNs: bigint, endNs: bigint): Generator<Window> {
  let windowEndNs = endNs;
  for (const back of [...BACK_NS, undefined]) {
    if (windowEndNs <= startNs) return;
    const windowStartNs = back === undefined || endNs - back < startNs ? startNs : endNs - back;
    yield { startNs: windowStartNs, endNs: windowEndNs };
    windowEndNs = windowStartNs;
  }
}
