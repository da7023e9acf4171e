// Minimal control sets: the smallest sets of catalogue controls that block every takeover path,
// enumerated as minimal hitting sets of the paths' blocking sets and verified by re-exploration.
import { ESCALATION_MINUTES, getControl } from '../models/index.ts';

export interface ControlSet {
  controls: string[];
  frictionMinutes: number;
  legitFailShare: number;
  /** Expected minutes added per legitimate request, counting escalations of those who fail. */
  expectedMinutes: number;
  /** Set by the caller once the set, applied to the workflow, left zero takeover paths. */
  verified: boolean | null;
}

export interface MinimalSetsResult {
  /** Paths considered (takeover paths with a non-empty blocking set). */
  closablePaths: number;
  /** Paths no single control blocks: they need two or more changes together. */
  unclosablePaths: string[];
  sets: ControlSet[];
  sizeBound: number;
  /** True when the size bound or the set limit cut the enumeration. */
  truncated: boolean;
  leastFriction: ControlSet | null;
  highestLeverage: { control: string; paths: number } | null;
}

/**
 * Summed friction of a set of controls: minutes added, the combined share of legitimate requests
 * that fail or escalate, and the expected minutes per request when each escalation costs
 * ESCALATION_MINUTES.
 */
export function frictionOf(controls: readonly string[]): { minutes: number; failShare: number; expectedMinutes: number } {
  let minutes = 0;
  let pass = 1;
  for (const id of controls) {
    const f = getControl(id).friction;
    minutes += f.minutesAdded;
    pass *= 1 - f.legitFailShare;
  }
  const failShare = 1 - pass;
  return { minutes, failShare, expectedMinutes: round(minutes + failShare * ESCALATION_MINUTES) };
}

/**
 * All minimal hitting sets of `blocking` (path id → blocking controls) up to `sizeBound` controls,
 * sorted by friction; at most `maxSets` are returned.
 */
export function minimalControlSets(blocking: ReadonlyMap<string, readonly string[]>, sizeBound = 4, maxSets = 100): MinimalSetsResult {
  const unclosable = [...blocking].filter(([, b]) => b.length === 0).map(([id]) => id);
  const family = dedupeFamily([...blocking.values()].filter((b) => b.length > 0).map((b) => [...new Set(b)].sort()));
  const found: string[][] = [];
  let truncated = false;
  const seen = new Set<string>();
  const search = (chosen: string[]) => {
    if (found.length >= maxSets * 4) {
      truncated = true;
      return;
    }
    const unhit = family.filter((s) => !s.some((c) => chosen.includes(c)));
    if (unhit.length === 0) {
      const key = [...chosen].sort().join(',');
      if (!seen.has(key)) {
        seen.add(key);
        found.push([...chosen].sort());
      }
      return;
    }
    if (chosen.length >= sizeBound) {
      truncated = true;
      return;
    }
    // Branch on the smallest unhit set: every hitting set contains one of its members.
    const pick = unhit.reduce((a, b) => (b.length < a.length ? b : a));
    for (const c of pick) search([...chosen, c]);
  };
  if (family.length > 0) search([]);
  const minimal = found.filter((s) => !found.some((t) => t.length < s.length && t.every((c) => s.includes(c))));
  const sets: ControlSet[] = minimal
    .map((controls) => {
      const f = frictionOf(controls);
      return { controls, frictionMinutes: f.minutes, legitFailShare: round(f.failShare), expectedMinutes: f.expectedMinutes, verified: null };
    })
    .sort((a, b) => a.expectedMinutes - b.expectedMinutes || a.frictionMinutes - b.frictionMinutes || a.controls.length - b.controls.length || a.controls.join().localeCompare(b.controls.join()));
  if (sets.length > maxSets) truncated = true;
  const counts = new Map<string, number>();
  for (const b of blocking.values()) for (const c of new Set(b)) counts.set(c, (counts.get(c) ?? 0) + 1);
  const leverage = [...counts].sort((a, b) => b[1] - a[1] || frictionOf([a[0]]).expectedMinutes - frictionOf([b[0]]).expectedMinutes || a[0].localeCompare(b[0]))[0];
  const kept = sets.slice(0, maxSets);
  return {
    closablePaths: family.length === 0 ? 0 : [...blocking.values()].filter((b) => b.length > 0).length,
    unclosablePaths: unclosable,
    sets: kept,
    sizeBound,
    truncated,
    leastFriction: kept[0] ?? null,
    highestLeverage: leverage ? { control: leverage[0], paths: leverage[1] } : null,
  };
}

/** Drops duplicate sets and supersets (a superset is hit whenever its subset is). */
function dedupeFamily(family: string[][]): string[][] {
  const uniq = [...new Map(family.map((s) => [s.join(','), s])).values()].sort((a, b) => a.length - b.length);
  return uniq.filter((s, i) => !uniq.slice(0, i).some((t) => t.length < s.length && t.every((c) => s.includes(c))));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
