// The simulation's random numbers: a small seeded generator (SplitMix32 to seed, xoshiro128** to
// draw), so a replication is fixed by (seed, index) alone and never by the thread it runs on.
// Pure: no Math.random; the caller passes the seed.

/** One SplitMix32 step: a well-mixed 32-bit value from a counter (used to seed and to derive streams). */
function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A seeded stream of uniform and derived draws. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  // A flag beside a plain number (not number | null): the field stays an unboxed double, so a
  // normal draw allocates nothing.
  private hasSpare = false;
  private spare = 0;

  /** The stream of replication `index` under `seed`: independent of how replications are split over workers. */
  constructor(seed: number, index = 0) {
    let x = splitmix32((seed >>> 0) ^ Math.imul(index + 1, 0x27d4eb2d));
    x = splitmix32(x ^ (seed / 0x100000000) >>> 0);
    this.s0 = x = splitmix32(x);
    this.s1 = x = splitmix32(x);
    this.s2 = x = splitmix32(x);
    this.s3 = splitmix32(x) | 1; // never all zero
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextU32(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 0x100000000;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && (p >= 1 || this.next() < p);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller, the second value kept for the next call). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    return this.normalPair();
  }

  /** Draws a Box–Muller pair: keeps the second as the spare, returns the first (kept apart so normal() stays small enough to inline). */
  private normalPair(): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    this.hasSpare = true;
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape sigma (sigma 0: the median itself). */
  lognormal(median: number, sigma: number): number {
    return sigma <= 0 ? median : median * Math.exp(sigma * this.normal());
  }

  /** Poisson count with mean lambda (Knuth below 30, a rounded normal above: arrival counts per hour). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda < 30) {
      const l = Math.exp(-lambda);
      let k = 0;
      let p = 1;
      do {
        k++;
        p *= this.next();
      } while (p > l);
      return k - 1;
    }
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
