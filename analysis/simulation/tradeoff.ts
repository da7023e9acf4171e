// The risk-versus-friction trade-off (issue 14, item 3): candidate control sets drawn from the
// controls of the exact engine's minimal sets, each applied to the workflow as the what-if machinery
// applies a set (applyControls: hardened, system-enforced) and simulated on the same desk. Risk is
// simulated takeovers per 1000 days; friction is the catalogue's expected minutes per legitimate
// request of the controls the set adds. Every candidate's replication i draws from the stream of
// (seed, i): common random numbers, so candidates differ by their controls rather than by luck, and a
// (candidate, replication) unit is the same whichever thread runs it. docs/analysis-semantics.md,
// "Risk-versus-friction trade-off", states the rules.
import { ACCOUNT_CLASSES, getControl, type Workflow } from '../../models/index.ts';
import { analyzeWorkflow } from '../analyze.ts';
import { frictionOf } from '../controlSets.ts';
import { applyControls } from '../counterfactual.ts';
import { runReplication, type ReplicationResult, type SimulationInput } from './desk.ts';
import { HostileDesk } from './hostile.ts';
import { estimate, summarise, type Estimate } from './stats.ts';

/** Default and largest number of candidate sets simulated. */
export const DEFAULT_MAX_CANDIDATES = 64;
export const MAX_CANDIDATES = 4096;
/** Risk target used when none is stated: takeovers per 1000 days, every class. */
export const DEFAULT_RISK_TARGET = 10;

/** Which control sets are simulated, and why not more. */
export interface TradeoffPlan {
  /** Controls that appear in some minimal set of the exact analysis (whole workflow or one class), sorted. */
  pool: string[];
  /** Candidate sets in evaluation order: none added, the minimal sets, then subsets of the pool by size. */
  candidates: string[][];
  /** The exact analysis's minimal sets (sorted controls). */
  minimalSets: string[][];
  /** 2^pool: every subset of the pool. */
  subsets: number;
  maxCandidates: number;
  truncated: boolean;
  notes: string[];
}

/** One simulated candidate. */
export interface TradeoffPoint {
  index: number;
  controls: string[];
  /**
   * Controls of the set that applying it places somewhere the workflow does not have them (a step it
   * attaches to, the workflow scope or an exception without one): the ones that cost friction. A
   * control already at every place it attaches is only made system-enforced at hardened strength.
   */
  added: string[];
  /** A minimal set of the exact analysis (it closes every closable takeover path in the worst case). */
  minimal: boolean;
  friction: { minutes: number; failShare: number; expectedMinutes: number };
  /** Takeovers (detected and undetected) per 1000 days: all classes, and per targeted class. */
  risk: Estimate;
  riskByClass: Record<string, Estimate>;
  legit: Record<string, { recoveryMedianMinutes: Estimate; failureRate: Estimate }>;
  /** Means over replications, per hour of the day (00 .. 23). */
  queueByHour: number[];
  takeoversByHour: number[];
}

/** The least-friction candidate whose risk for a class meets its target. */
export interface TradeoffChoice {
  accountClass: string;
  /** Takeovers per 1000 days of this class. */
  target: number;
  /** Index of the chosen candidate, or null when none meets the target. */
  candidate: number | null;
  reason: string;
}

/** What `resetpath simulate --tradeoff --format json` writes. */
export interface TradeoffReport {
  format: 'resetpath/tradeoff@1';
  workflow: { id: string; name: string };
  desk: { id: string; name: string };
  days: number;
  runs: number;
  seed: number;
  loadFactor: number;
  pool: string[];
  subsets: number;
  maxCandidates: number;
  truncated: boolean;
  notes: string[];
  classes: string[];
  points: TradeoffPoint[];
  /** Indices of the non-dominated points (friction against all-class risk), by friction. */
  frontier: number[];
  choices: TradeoffChoice[];
}

/** One (candidate, replication) result. */
export interface TradeoffUnitResult {
  candidate: number;
  result: ReplicationResult;
}

/** The candidate sets of a workflow: the exact analysis's minimal sets and the subsets of their controls, at most `maxCandidates`. */
export function tradeoffPlan(input: SimulationInput, maxCandidates = DEFAULT_MAX_CANDIDATES): TradeoffPlan {
  const desk = new HostileDesk(input.workflow, input.scenarios);
  const exact = analyzeWorkflow(input.workflow, desk.attacks.map((a) => a.scenario));
  const results = [exact.minimalSets, ...Object.values(exact.minimalSetsByClass)];
  const minimal: string[][] = [];
  for (const r of results) for (const s of r.sets) pushUnique(minimal, [...s.controls].sort());
  const pool = [...new Set(minimal.flat())].sort();
  const notes: string[] = [];
  if (results.some((r) => r.truncated)) notes.push('the exact analysis cut its minimal sets at their size bound or set limit: controls of larger sets are not in the pool');
  if (pool.length === 0) notes.push('the exact analysis found no takeover path a catalogue control closes: only the workflow as it is was simulated');
  const candidates: string[][] = [[]];
  for (const m of minimal) if (candidates.length < maxCandidates) pushUnique(candidates, m);
  for (let size = 1; size <= pool.length && candidates.length < maxCandidates; size++) {
    for (const combo of combinations(pool.length, size)) {
      if (candidates.length >= maxCandidates) break;
      pushUnique(candidates, combo.map((i) => pool[i]!));
    }
  }
  const subsets = 2 ** pool.length;
  const truncated = candidates.length < subsets;
  if (truncated) {
    const isMinimal = (c: string[]) => minimal.some((m) => m.join('\n') === c.join('\n'));
    const minimalIn = candidates.filter(isMinimal).length;
    const complete = largestCompleteSize(pool.length, candidates);
    const others = candidates.filter((c) => c.length > complete && !isMinimal(c)).length;
    const then =
      minimalIn < minimal.length
        ? `and ${minimalIn} of the ${minimal.length} minimal sets (in the exact analysis's order); no other subset`
        : `the ${minimal.length} minimal set(s), then ${complete > 0 ? `every subset of up to ${complete} control(s)${others ? ` and ${others} larger one(s)` : ''}` : `${others} subset(s) of one control`}, smallest first`;
    notes.push(`bound hit: the ${pool.length} controls of the minimal sets give ${subsets} candidate sets; ${candidates.length} were simulated (at most ${maxCandidates}): the workflow as it is, ${then}`);
  }
  return { pool, candidates, minimalSets: minimal, subsets, maxCandidates, truncated, notes };
}

/** Every k-subset of 0..n-1 as sorted index lists, in lexicographic order. */
export function* combinations(n: number, k: number): Generator<number[]> {
  if (k > n) return;
  const c = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    yield [...c];
    let i = k - 1;
    while (i >= 0 && c[i] === n - k + i) i--;
    if (i < 0) return;
    c[i]!++;
    for (let j = i + 1; j < k; j++) c[j] = c[j - 1]! + 1;
  }
}

function largestCompleteSize(n: number, candidates: readonly string[][]): number {
  let size = 0;
  while (size < n && candidates.filter((c) => c.length === size + 1).length === binomial(n, size + 1)) size++;
  return size;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

function pushUnique(list: string[][], set: string[]): void {
  const key = set.join('\n');
  if (!list.some((s) => s.join('\n') === key)) list.push(set);
}

/** The workflow with a candidate's controls applied (hardened, system-enforced), as the what-if applies them. */
export function candidateWorkflow(wf: Workflow, controls: readonly string[]): Workflow {
  return controls.length ? applyControls(wf, controls) : wf;
}

/**
 * Runs (candidate, replication) units in sequence: what one worker does with its share. Replication
 * i of every candidate is seeded from (seed, i) alone (common random numbers).
 */
export function runTradeoffUnits(input: SimulationInput, candidates: readonly string[][], seed: number, units: readonly { candidate: number; index: number }[], onDone?: (r: TradeoffUnitResult) => void): TradeoffUnitResult[] {
  const desks = new Map<number, { input: SimulationInput; desk: HostileDesk }>();
  return units.map(({ candidate, index }) => {
    let d = desks.get(candidate);
    if (!d) {
      const workflow = candidateWorkflow(input.workflow, candidates[candidate]!);
      desks.set(candidate, (d = { input: { ...input, workflow }, desk: new HostileDesk(workflow, input.scenarios) }));
    }
    const out = { candidate, result: runReplication(d.input, seed, index, d.desk) };
    onDone?.(out);
    return out;
  });
}

/** Every (candidate, replication) unit of a trade-off, candidate-major. */
export function tradeoffUnits(candidates: number, runs: number): { candidate: number; index: number }[] {
  const out: { candidate: number; index: number }[] = [];
  for (let c = 0; c < candidates; c++) for (let i = 0; i < runs; i++) out.push({ candidate: c, index: i });
  return out;
}

/** The ids of the controls a workflow already has, anywhere (steps, workflow scope, exceptions). */
/**
 * The share of the desk's legitimate requests that are for a privileged account class, over the
 * classes the workflow serves (those the simulation walks): a week's expected arrivals, weekdays and
 * weekend at its factor. A control only those requests pay weighs by it in a candidate's friction.
 */
export function privilegedShareOf(input: Pick<SimulationInput, 'workflow' | 'profile'>): number {
  let all = 0;
  let privileged = 0;
  for (const a of input.profile.arrivals) {
    if (!input.workflow.accountClasses.includes(a.accountClass)) continue;
    const week = a.hourly.reduce((s, x) => s + x, 0) * (5 + 2 * a.weekendFactor);
    all += week;
    if (ACCOUNT_CLASSES[a.accountClass].privileged) privileged += week;
  }
  return all > 0 ? privileged / all : 0;
}

/**
 * Whether applying control `id` (applyControls: at every place it attaches) puts it somewhere the
 * workflow does not have it. A control at one proofing step that also attaches to the execution step
 * is added there: the requester meets a check more, and pays its friction.
 */
export function placesNew(wf: Workflow, id: string): boolean {
  const a = getControl(id).attach;
  const lacks = (list: readonly { control: string }[]) => !list.some((c) => c.control === id);
  if (a.scope === 'workflow') return lacks(wf.controls);
  if (a.scope === 'exception') return wf.exceptions.some((e) => lacks(e.controls));
  return wf.stepOrder.some((sid) => {
    const st = wf.steps[sid];
    return st !== undefined && a.kinds.includes(st.kind) && lacks(st.controls);
  });
}

/** Indices of the non-dominated points (lower friction and lower risk are better), by friction; of equal points the first is kept. */
export function paretoFrontier(points: readonly { friction: number; risk: number }[]): number[] {
  const order = points.map((_, i) => i).sort((a, b) => points[a]!.friction - points[b]!.friction || points[a]!.risk - points[b]!.risk || a - b);
  const out: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  for (const i of order) {
    if (points[i]!.risk < best) {
      out.push(i);
      best = points[i]!.risk;
    }
  }
  return out;
}

/**
 * The least-friction candidate whose class risk meets the target: the upper end of its 95% interval
 * at or below the target (so a lucky mean does not pass). Ties go to the lower mean risk, then to the
 * earlier candidate.
 */
export function leastFrictionMeeting(points: readonly TradeoffPoint[], cls: string, target: number): TradeoffChoice {
  const risk = (p: TradeoffPoint) => p.riskByClass[cls] ?? { mean: 0, lo: 0, hi: 0, n: 0 };
  const meeting = points.filter((p) => risk(p).hi <= target);
  if (meeting.length === 0) {
    const lowest = [...points].sort((a, b) => risk(a).hi - risk(b).hi || a.index - b.index)[0];
    return {
      accountClass: cls,
      target,
      candidate: null,
      reason: lowest ? `no candidate meets ${target} per 1000 days; the lowest upper bound is ${round(risk(lowest).hi)} (${lowest.controls.join(' + ') || 'the workflow as it is'})` : 'no candidate was simulated',
    };
  }
  const best = meeting.sort((a, b) => a.friction.expectedMinutes - b.friction.expectedMinutes || risk(a).mean - risk(b).mean || a.index - b.index)[0]!;
  return {
    accountClass: cls,
    target,
    candidate: best.index,
    reason: `${best.controls.join(' + ') || 'the workflow as it is'}: ${round(risk(best).mean)} [${round(risk(best).lo)}, ${round(risk(best).hi)}] per 1000 days for ${round(best.friction.expectedMinutes)} expected minutes per legitimate request${risk(best).hi === 0 ? ' (no takeover of this class in any run: with few runs or days, that says little)' : ''}`,
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * The trade-off report from every unit's result (any order in; each candidate summarised in
 * replication order). `targets` gives takeovers per 1000 days per class; classes without one get
 * `defaultTarget`.
 */
export function tradeoffReport(input: SimulationInput, plan: TradeoffPlan, seed: number, runs: number, units: readonly TradeoffUnitResult[], targets: Readonly<Record<string, number>> = {}, defaultTarget = DEFAULT_RISK_TARGET): TradeoffReport {
  const desk = new HostileDesk(input.workflow, input.scenarios);
  const classes = [...new Set(desk.attacks.map((a) => a.scenario.target.accountClass as string))].sort();
  const minimalKeys = new Set(plan.minimalSets.map((m) => m.join('\n')));
  const privilegedShare = privilegedShareOf(input);
  const perDay = 1000 / input.days;
  const points: TradeoffPoint[] = plan.candidates.map((controls, k) => {
    const reps = units.filter((u) => u.candidate === k).map((u) => u.result).sort((a, b) => a.index - b.index);
    if (reps.length !== runs) throw new Error(`trade-off: candidate ${k} has ${reps.length} of ${runs} replications`);
    const added = controls.filter((c) => placesNew(input.workflow, c));
    const byClass = Object.fromEntries(classes.map((cls) => [cls, estimate(reps.map((r) => ((r.takeoversByClass[cls]?.detected ?? 0) + (r.takeoversByClass[cls]?.undetected ?? 0)) * perDay))]));
    const legitSummary = summarise(reps.map((r) => r.legit));
    const queue = summarise(reps.map((r) => r.queueByHour));
    const taken = summarise(reps.map((r) => r.takeoversByHour));
    return {
      index: k,
      controls,
      added,
      minimal: minimalKeys.has(controls.join('\n')),
      friction: frictionOf(added, privilegedShare),
      risk: estimate(reps.map((r) => Object.values(r.takeoversByClass).reduce((s, t) => s + t.detected + t.undetected, 0) * perDay)),
      riskByClass: byClass,
      legit: Object.fromEntries(Object.entries(legitSummary).map(([cls, l]) => [cls, { recoveryMedianMinutes: l.recoveryMedianMinutes, failureRate: l.failureRate }])),
      queueByHour: queue.map((e) => e.mean),
      takeoversByHour: taken.map((e) => e.mean),
    };
  });
  const frontier = paretoFrontier(points.map((p) => ({ friction: p.friction.expectedMinutes, risk: p.risk.mean })));
  const choices = classes.map((cls) => leastFrictionMeeting(points, cls, targets[cls] ?? defaultTarget));
  return {
    format: 'resetpath/tradeoff@1',
    workflow: { id: input.workflow.id, name: input.workflow.name },
    desk: { id: input.profile.id, name: input.profile.name },
    days: input.days,
    runs,
    seed,
    loadFactor: input.loadFactor ?? 1,
    pool: plan.pool,
    subsets: plan.subsets,
    maxCandidates: plan.maxCandidates,
    truncated: plan.truncated,
    notes: plan.notes,
    classes,
    points,
    frontier,
    choices,
  };
}

/** The whole trade-off in this thread. */
export function tradeoff(input: SimulationInput, runs: number, seed: number, options: { maxCandidates?: number; targets?: Readonly<Record<string, number>>; defaultTarget?: number } = {}): TradeoffReport {
  const plan = tradeoffPlan(input, options.maxCandidates);
  const units = runTradeoffUnits(input, plan.candidates, seed, tradeoffUnits(plan.candidates.length, runs));
  return tradeoffReport(input, plan, seed, runs, units, options.targets, options.defaultTarget);
}
