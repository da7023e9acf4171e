// Monte Carlo summaries: every number of a replication becomes its mean over the replications with
// a 95% confidence interval (Student's t on the replication means). Replications are summarised in
// index order, so the result does not depend on which thread computed which replication.

/** A mean over replications with its 95% confidence interval; n counts the replications where the value exists. */
export interface Estimate {
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

/** Two-sided 95% critical values of Student's t for 1..30 degrees of freedom; 1.96 beyond. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** The 95% t critical value for `df` degrees of freedom. */
export function t95(df: number): number {
  return df < 1 ? Number.NaN : (T95[df - 1] ?? 1.96);
}

/** Mean and 95% CI of non-negative values (one per replication); with one value the interval is the value itself. */
export function estimate(values: readonly number[]): Estimate {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, lo: Number.NaN, hi: Number.NaN, n: 0 };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n === 1) return { mean, lo: mean, hi: mean, n };
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  const half = t95(n - 1) * Math.sqrt(ss / (n - 1) / n);
  // Every simulated measure is a count, a rate or a duration: an interval below zero is cut at zero.
  return { mean, lo: Math.max(0, mean - half), hi: mean + half, n };
}

/** The shape of a replication with every number replaced by its estimate (nulls are left out of n). */
export type SimulationSummary<T> = T extends number ? Estimate : T extends number | null ? Estimate : T extends readonly (infer U)[] ? SimulationSummary<U>[] : T extends object ? { [K in keyof T]: SimulationSummary<T[K]> } : never;

/** Summarises replications of one shape, key by key (keys missing from some replications count as absent there). */
export function summarise<T>(reps: readonly T[]): SimulationSummary<T> {
  return walk(reps as readonly unknown[]) as SimulationSummary<T>;
}

/** Measures that are shares of something (0 to 1): their interval is cut at 1 as it is at 0. */
const SHARE = /(Rate|^utilisation|^withinTarget)$/;

function walk(xs: readonly unknown[], key = ''): unknown {
  const present = xs.filter((x) => x !== null && x !== undefined);
  const first = present[0];
  if (first === undefined || typeof first === 'number') {
    const e = estimate(present as number[]);
    return SHARE.test(key) && e.hi > 1 ? { ...e, hi: 1 } : e;
  }
  if (Array.isArray(first)) {
    const len = Math.max(...present.map((x) => (x as unknown[]).length));
    return Array.from({ length: len }, (_, i) => walk(present.map((x) => (x as unknown[])[i]), key));
  }
  if (typeof first === 'object') {
    const keys: string[] = [];
    for (const x of present) for (const k of Object.keys(x as object)) if (!keys.includes(k)) keys.push(k);
    return Object.fromEntries(keys.map((k) => [k, walk(present.map((x) => (x as Record<string, unknown>)[k]), k)]));
  }
  return first;
}
