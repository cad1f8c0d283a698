import type { StoredExponentialSum, StoredPoint } from '../../storage/metric-series-api.ts';

// An OTLP exponential histogram as a Prometheus native histogram (float
// counts, as PromQL's FloatHistogram). OTLP bucket index i covers
// (base^i, base^(i+1)] with base = 2^(2^-scale); Prometheus's index i covers
// (base^(i-1), base^i], so Prometheus index = OTLP index + 1 (the Collector's
// prometheusremotewrite translator does the same). Prometheus schemas stop at 8:
// a finer OTLP scale is reduced to 8 by merging buckets.

export const MAX_SCHEMA = 8;

export class NativeHistogram {
  constructor(
    readonly schema: number,
    readonly zeroThreshold: number,
    readonly zeroCount: number,
    readonly count: number,
    readonly sum: number,
    /** Prometheus bucket index -> count. */
    readonly positive: ReadonlyMap<number, number>,
    readonly negative: ReadonlyMap<number, number>,
  ) {}

  static fromExponential(p: StoredPoint): NativeHistogram {
    const pos = new Map<number, number>();
    const neg = new Map<number, number>();
    p.positiveCounts.forEach((c, k) => c !== 0 && pos.set(p.positiveOffset + k + 1, c));
    p.negativeCounts.forEach((c, k) => c !== 0 && neg.set(p.negativeOffset + k + 1, c));
    const h = new NativeHistogram(p.scale, p.zeroThreshold, p.zeroCount, p.count, p.sum ?? 0, pos, neg);
    return p.scale > MAX_SCHEMA ? h.reduceTo(MAX_SCHEMA) : h;
  }

  /** Summed points of one scale (StoredExponentialSum: OTLP indexes), reduced to MAX_SCHEMA like fromExponential. */
  static fromExponentialSum(b: StoredExponentialSum): NativeHistogram {
    const map = (pairs: ReadonlyArray<[number, number]>) => new Map(pairs.filter(([, c]) => c !== 0).map(([i, c]) => [i + 1, c] as const));
    const h = new NativeHistogram(b.scale, b.zeroThreshold, b.zeroCount, b.count, b.sum, map(b.positive), map(b.negative));
    return b.scale > MAX_SCHEMA ? h.reduceTo(MAX_SCHEMA) : h;
  }

  /** The same observations at a coarser schema (merging 2^delta buckets into one). */
  reduceTo(schema: number): NativeHistogram {
    if (schema >= this.schema) return this;
    const div = 2 ** (this.schema - schema);
    const merge = (m: ReadonlyMap<number, number>) => {
      const out = new Map<number, number>();
      for (const [i, c] of m) {
        const j = Math.floor((i - 1) / div) + 1;
        out.set(j, (out.get(j) ?? 0) + c);
      }
      return out;
    };
    return new NativeHistogram(schema, this.zeroThreshold, this.zeroCount, this.count, this.sum, merge(this.positive), merge(this.negative));
  }

  add(o: NativeHistogram, sign = 1): NativeHistogram {
    const schema = Math.min(this.schema, o.schema);
    const a = this.reduceTo(schema);
    const b = o.reduceTo(schema);
    const combine = (x: ReadonlyMap<number, number>, y: ReadonlyMap<number, number>) => {
      const out = new Map(x);
      for (const [i, c] of y) out.set(i, (out.get(i) ?? 0) + sign * c);
      return out;
    };
    return new NativeHistogram(
      schema,
      Math.max(a.zeroThreshold, b.zeroThreshold),
      a.zeroCount + sign * b.zeroCount,
      a.count + sign * b.count,
      a.sum + sign * b.sum,
      combine(a.positive, b.positive),
      combine(a.negative, b.negative),
    );
  }

  sub(o: NativeHistogram): NativeHistogram {
    return this.add(o, -1);
  }

  scale(f: number): NativeHistogram {
    const mul = (m: ReadonlyMap<number, number>) => new Map([...m].map(([i, c]) => [i, c * f] as const));
    return new NativeHistogram(this.schema, this.zeroThreshold, this.zeroCount * f, this.count * f, this.sum * f, mul(this.positive), mul(this.negative));
  }

  /** A counter reset between this (earlier) and `next`: the count, or any bucket, went down. */
  resetBefore(next: NativeHistogram): boolean {
    if (next.count < this.count || next.zeroCount < this.zeroCount || next.schema > this.schema) return true;
    const b = this.reduceTo(Math.min(this.schema, next.schema));
    const a = next.reduceTo(b.schema);
    for (const [i, c] of b.positive) if ((a.positive.get(i) ?? 0) < c) return true;
    for (const [i, c] of b.negative) if ((a.negative.get(i) ?? 0) < c) return true;
    return false;
  }

  /** Upper bound of bucket index i (Prometheus's getBound): base^i. */
  bound(i: number): number {
    return 2 ** (i * 2 ** -this.schema);
  }

  /** Buckets from the lowest value up: negative, zero, positive (Prometheus's AllBucketIterator). */
  buckets(): Array<{ lower: number; upper: number; count: number }> {
    const out: Array<{ lower: number; upper: number; count: number }> = [];
    for (const i of [...this.negative.keys()].sort((x, y) => y - x)) {
      out.push({ lower: -this.bound(i), upper: -this.bound(i - 1), count: this.negative.get(i)! });
    }
    if (this.zeroCount > 0) out.push({ lower: -this.zeroThreshold, upper: this.zeroThreshold, count: this.zeroCount });
    for (const i of [...this.positive.keys()].sort((x, y) => x - y)) {
      out.push({ lower: this.bound(i - 1), upper: this.bound(i), count: this.positive.get(i)! });
    }
    return out;
  }

  /** Prometheus's histogramQuantile (promql/quantile.go) over this histogram. */
  quantile(q: number): number {
    if (q < 0) return Number.NEGATIVE_INFINITY;
    if (q > 1) return Number.POSITIVE_INFINITY;
    if (this.count === 0 || Number.isNaN(q)) return Number.NaN;
    const rank0 = q * this.count;
    let count = 0;
    let bucket = { lower: 0, upper: 0, count: 0 };
    for (const b of this.buckets()) {
      bucket = { ...b };
      count += b.count;
      if (count >= rank0) break;
    }
    if (bucket.lower < 0 && bucket.upper > 0) {
      if (this.negative.size === 0 && this.positive.size > 0) bucket.lower = 0;
      else if (this.positive.size === 0 && this.negative.size > 0) bucket.upper = 0;
    }
    if (count > this.count) count = this.count;
    if (count < rank0) return bucket.upper;
    const rank = rank0 - (count - bucket.count);
    return bucket.lower + (bucket.upper - bucket.lower) * (rank / bucket.count);
  }

  toJson(): { count: string; sum: string; buckets: Array<[number, string, string, string]> } {
    // Prometheus's JSON for native histograms: boundary rule 0 = open left,
    // closed right (positive), 1 = closed left (negative), 3 = closed both (zero).
    const rule = (b: { lower: number; upper: number }) => (b.lower < 0 && b.upper > 0 ? 3 : b.upper <= 0 ? 1 : 0);
    return {
      count: String(this.count),
      sum: String(this.sum),
      buckets: this.buckets().map((b) => [rule(b), String(b.lower), String(b.upper), String(b.count)]),
    };
  }
}
