// Minimal control sets: the smallest sets of catalogue controls that close every takeover path,
// found as minimal hitting sets of the path classes' kill families (a class is hit when the set holds
// one of the single controls or joint combinations that close it), each verified by an exact count:
// with the set applied, no takeover path that some set of up to three controls can close survives.
import { ESCALATION_MINUTES, getControl } from '../models/index.ts';
import { channelOpenFor } from './channels.ts';
import { addCount, type PathClass } from './classes.ts';
import { controlSetKey, passOpen, waiverTag, type Counterfactuals } from './counterfactuals.ts';
import type { AttackContext, Prepared } from '../scenarios/index.ts';
import type { Attributor } from './labels.ts';
import { moveKey, takesOverNotified, topologicalOrder, visitSummary, type GNode, type StateGraph } from './stateGraph.ts';

export interface ControlSet {
  controls: string[];
  frictionMinutes: number;
  legitFailShare: number;
  /** Expected minutes added per legitimate request, counting escalations of those who fail. */
  expectedMinutes: number;
  /** True once an exact count with the set applied found no closable takeover path left. */
  verified: boolean;
}

export interface MinimalSetsResult {
  /** Takeover paths some set of up to three controls closes (decimal string when large). */
  closablePaths: bigint;
  /** Takeover paths no set of up to three catalogue controls closes: they are reported, not hit. */
  unclosablePaths: bigint;
  sets: ControlSet[];
  sizeBound: number;
  /** True when the size bound or the set limit cut the enumeration. */
  truncated: boolean;
  /** Why sets are missing or incomplete, in words (empty when complete). */
  notes: string[];
  leastFriction: ControlSet | null;
  /** The control that closes the most takeover paths on its own. */
  highestLeverage: { control: string; paths: bigint } | null;
}

/**
 * Summed friction of a set of controls: minutes added, the combined share of legitimate requests
 * that fail or escalate, and the expected minutes per request when each escalation costs
 * ESCALATION_MINUTES.
 */
/** Minutes as people read them: whole minutes from 10 up, one decimal below (the estimates are not finer). */
export function minutesText(minutes: number): string {
  if (minutes >= 10) return String(Math.round(minutes));
  return String(Math.round(minutes * 10) / 10);
}

export function frictionOf(controls: readonly string[], privilegedShare = 1): { minutes: number; failShare: number; expectedMinutes: number } {
  let minutes = 0;
  let pass = 1;
  for (const id of controls) {
    const f = getControl(id).friction;
    // A control only privileged requests pay (a separate path for them) weighs by their share of
    // requests, when it is known (the desk simulation's mix); without one, as if every request paid.
    const w = f.privilegedOnly ? privilegedShare : 1;
    minutes += w * f.minutesAdded;
    pass *= 1 - w * f.legitFailShare;
  }
  const failShare = 1 - pass;
  return { minutes, failShare, expectedMinutes: round(minutes + failShare * ESCALATION_MINUTES) };
}

export interface ScenarioGraph {
  graph: StateGraph;
  att: Attributor;
  /** The distinct kill families of the scenario's takeover paths, with their path counts. */
  families: readonly { kills: readonly (readonly string[])[]; count: bigint }[];
  classes: readonly PathClass[];
}

/**
 * All minimal hitting sets of the classes' kill families up to `sizeBound` controls, sorted by
 * friction (at most `maxSets`), each verified by an exact count on the scenario graphs.
 */
export function minimalControlSets(scenarios: readonly ScenarioGraph[], cfs: Counterfactuals, sizeBound = 4, maxSets = 60): MinimalSetsResult {
  const all = scenarios.flatMap((s) => s.families);
  const closable = all.filter((f) => f.kills.length > 0);
  const closablePaths = closable.reduce((s, f) => s + f.count, 0n);
  const unclosablePaths = all.filter((f) => f.kills.length === 0).reduce((s, f) => s + f.count, 0n);
  const notes: string[] = [];
  if (unclosablePaths > 0n) notes.push(`${unclosablePaths} takeover path${unclosablePaths === 1n ? '' : 's'} cannot be closed by adding up to three catalogue controls; the sets close every other path`);
  const family = dedupe(closable.map((f) => f.kills));
  const found: string[][] = [];
  const seen = new Set<string>();
  let truncated = false;
  // Branch on the unhit class with the fewest ways to close it: every hitting set holds one of them.
  const search = (chosen: string[]) => {
    if (found.length >= maxSets * 4) {
      truncated = true;
      return;
    }
    let pick: (readonly (readonly string[])[]) | null = null;
    for (const f of family) if (!f.some((m) => m.every((c) => chosen.includes(c))) && (!pick || f.length < pick.length)) pick = f;
    if (!pick) {
      const key = [...chosen].sort().join(',');
      if (!seen.has(key)) {
        seen.add(key);
        found.push([...chosen].sort());
      }
      return;
    }
    for (const m of pick) {
      const next = [...new Set([...chosen, ...m])];
      if (next.length > sizeBound) {
        truncated = true;
        continue;
      }
      search(next);
    }
  };
  if (family.length > 0) search([]);
  const minimal = found.filter((s) => !found.some((t) => t.length < s.length && t.every((c) => s.includes(c))));
  let sets: ControlSet[] = minimal
    .map((controls) => {
      const f = frictionOf(controls);
      return { controls, frictionMinutes: f.minutes, legitFailShare: round(f.failShare), expectedMinutes: f.expectedMinutes, verified: false };
    })
    .sort((a, b) => a.expectedMinutes - b.expectedMinutes || a.frictionMinutes - b.frictionMinutes || a.controls.length - b.controls.length || a.controls.join().localeCompare(b.controls.join()));
  if (sets.length > maxSets) {
    truncated = true;
    sets = sets.slice(0, maxSets);
  }
  // Verified by an exact count: with the set applied, the takeover paths left are exactly those of
  // the families it does not hit (paths no set of up to three controls closes), so none it should close survives.
  for (const s of sets) {
    s.verified = scenarios.every((sg) => {
      if (sg.families.length === 0) return true;
      const expected = sg.families.filter((f) => !f.kills.some((m) => m.every((c) => s.controls.includes(c)))).reduce((n, f) => n + f.count, 0n);
      return survivors(sg, cfs, s.controls) === expected;
    });
  }
  const failed = sets.filter((s) => !s.verified);
  if (failed.length > 0) notes.push(`${failed.length} candidate set${failed.length === 1 ? '' : 's'} failed verification and ${failed.length === 1 ? 'is' : 'are'} not offered as a fix`);
  sets = sets.filter((s) => s.verified);
  if (truncated) notes.push(`the search stopped at sets of ${sizeBound} controls${sets.length >= maxSets ? ` or ${maxSets} sets` : ''}: larger sets were not looked for`);
  if (family.length > 0 && sets.length === 0 && !truncated) notes.push('no verified set of catalogue controls closes every closable path');
  const blocks = new Map<string, bigint>();
  for (const c of scenarios.flatMap((s) => s.classes)) for (const b of c.blocking) blocks.set(b, (blocks.get(b) ?? 0n) + c.count);
  const leverage = [...blocks].sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0) || frictionOf([a[0]]).expectedMinutes - frictionOf([b[0]]).expectedMinutes || a[0].localeCompare(b[0]))[0];
  return {
    closablePaths,
    unclosablePaths,
    sets,
    sizeBound,
    truncated,
    notes,
    leastFriction: sets[0] ?? null,
    highestLeverage: leverage ? { control: leverage[0], paths: leverage[1] } : null,
  };
}

function dedupe(family: readonly (readonly (readonly string[])[])[]): (readonly (readonly string[])[])[] {
  return [...new Map(family.map((f) => [f.map((m) => m.join('+')).join('|'), f])).values()];
}

/**
 * Counts the takeover paths left with `controls` applied, exactly: the original graph's moves
 * re-evaluated in the counterfactual (same route: same steps, branches, channel and claim; only the
 * exceptions still in force and the detection summary may differ).
 */
export function survivors(sg: ScenarioGraph, cfs: Counterfactuals, controls: readonly string[]): bigint {
  // The workflow's sets and each account class's sets verify many of the same sets on the same
  // graphs: each (graph, set) is counted once. A graph is never changed once built, and its entry
  // goes with it.
  let memo = survivorMemo.get(sg.graph);
  if (!memo) survivorMemo.set(sg.graph, (memo = new Map()));
  const key = controlSetKey(controls);
  let n = memo.get(key);
  if (n === undefined) memo.set(key, (n = countSurvivors(sg, cfs, controls)));
  return n;
}

const survivorMemo = new WeakMap<StateGraph, Map<string, bigint>>();
/**
 * Per state of a graph, the rest of what its pass move's verdict reads besides the step's content:
 * channel, exceptions and which of them waive the step. Placing controls never changes which steps
 * an exception waives, so the graph's own workflow gives the tag for every counterfactual.
 */
const restKeyMemo = new WeakMap<StateGraph, string[]>();
function restKeys(g: StateGraph): string[] {
  let keys = restKeyMemo.get(g);
  if (!keys) restKeyMemo.set(g, (keys = g.nodes.map((n) => `${moveKey(n).slice(n.step.length + 1)}|${waiverTag(g.prep, n)}`)));
  return keys;
}
/**
 * What a count reads of a step's visit (visitSummary) in a counterfactual: a path's detection summary
 * decides whether its takeover goes through only by the notifications on it (takesOverNotified: a
 * cooling-off lets a notified user stop the reset), so a count carries two bits per path, not the
 * summary: NOTIFY_ENROLL (a notification that fires for a takeover enrolling the attacker's device)
 * and NOTIFY_OTHER (one that fires for any other takeover). Per counterfactual workflow and attacker,
 * by the step's place in the workflow (-1: not read yet).
 */
const NOTIFY_ENROLL = 1;
const NOTIFY_OTHER = 2;
const visitBitsMemo = new WeakMap<Prepared, WeakMap<AttackContext, { order: readonly string[]; bits: Int8Array; through: Int8Array }>>();

/** Each step's place in a workflow's step order (kept per order list). */
const placeMemo = new WeakMap<readonly string[], Map<string, number>>();
function placesIn(order: readonly string[]): Map<string, number> {
  let at = placeMemo.get(order);
  if (!at) placeMemo.set(order, (at = new Map(order.map((s, i) => [s, i] as const))));
  return at;
}

/** Per graph, each state's step by its place in the workflow's step order. */
const stepIndexMemo = new WeakMap<StateGraph, Int32Array>();
function stepIndexes(g: StateGraph): Int32Array {
  let ix = stepIndexMemo.get(g);
  if (!ix) {
    const at = placesIn(g.prep.wf.stepOrder);
    ix = Int32Array.from(g.nodes, (n) => at.get(n.step)!);
    stepIndexMemo.set(g, ix);
  }
  return ix;
}

/**
 * Whether a move stays open, by what it reads: the workflow-wide part and the attacker (by the
 * session cache's ids), the step's shape and the rest of its state's key. One table per session: a
 * what-if re-analysis verifies its sets against counterfactuals that are new objects but mostly the
 * same content. Its ids are the cache's, so it goes when the cache starts again.
 */
class OpenMoves {
  size = 0;
  private readonly rows = new Map<string, Map<number, Map<string, boolean>>>();
  /** The moves of one workflow-wide part and attacker, by shape id and rest key. */
  of(envCtx: string): Map<number, Map<string, boolean>> {
    let r = this.rows.get(envCtx);
    if (!r) this.rows.set(envCtx, (r = new Map()));
    return r;
  }
}
const OPEN_MOVES_SIZE = 400_000;

// Per state of the graph being counted, the number of paths into it by their notification bits (four
// slots a state): the module's scratch, reused by every count (counts never nest), grown as graphs
// need up to SCRATCH_KEPT states; a larger graph gets an array of its own.
let scratch: (number | bigint)[] = [];
const SCRATCH_KEPT = 65_536;

function countSurvivors(sg: ScenarioGraph, cfs: Counterfactuals, controls: readonly string[]): bigint {
  const g = sg.graph;
  const cf = cfs.of(controls);
  const prep = cf.prep;
  const ctx = cfs.ctx(cf, g.scenario);
  const cache = cfs.cache;
  // What a step's visit adds depends on the counterfactual workflow and the attacker only (not on the
  // scenario graph): shared by every graph and set verified against them.
  const order = g.prep.wf.stepOrder;
  let byCtx = visitBitsMemo.get(prep);
  if (!byCtx) visitBitsMemo.set(prep, (byCtx = new WeakMap()));
  let memo = byCtx.get(ctx);
  if (!memo || memo.order !== order) byCtx.set(ctx, (memo = { order, bits: new Int8Array(order.length).fill(-1), through: new Int8Array(4 * order.length).fill(-1) }));
  const bits = memo.bits;
  // Whether a takeover at a step goes through with each combination of the bits (-1: not asked yet),
  // by the step's place: it too depends on the counterfactual workflow and the attacker only.
  const through = memo.through;
  const stepAt = stepIndexes(g);
  const places = placesIn(order);
  const visitBits = (node: number): number => {
    const i = stepAt[node]!;
    let b = bits[i]!;
    if (b < 0) {
      const v = cache.visit(prep, ctx, order[i]!, visitSummary);
      bits[i] = b = (v.notifyIfEnroll ? NOTIFY_ENROLL : 0) | (v.notifyOtherwise ? NOTIFY_OTHER : 0);
    }
    return b;
  };
  // The session's table and this workflow-wide part's and attacker's rows in it, under the cache's generation.
  const openMovesNow = () => {
    const table = cache.shared('openMoves', () => new OpenMoves(), (t) => t.size > OPEN_MOVES_SIZE);
    return { generation: cache.generation, table, rows: table.of(`${cache.envId(prep)},${cache.ctxId(ctx)}`) };
  };
  let opens = openMovesNow();
  const rest = restKeys(g);
  // Asked once per state (for its first pass move): the state's other moves reuse the answer.
  const passIn = (n: GNode): boolean => {
    // Whether a move stays open reads the step's content (not its id or name: analysis/cache.ts,
    // shapeSig), the channel and the exceptions that waive it: one evaluation per kind of step, not per step.
    // A start again of the cache (in an evaluation below) renumbers its ids: the table is made again.
    if (opens.generation !== cache.generation) opens = openMovesNow();
    const shape = cache.shapeId(prep, n.step);
    let row = opens.rows.get(shape);
    if (!row) opens.rows.set(shape, (row = new Map()));
    let open = row.get(rest[n.id]!);
    if (open === undefined) {
      open = passOpen(cache, prep, ctx, n.step, n.channel, n.exceptions).open;
      // Kept only if the evaluation did not start the cache again (the row's ids would be stale).
      if (opens.generation === cache.generation) {
        row.set(rest[n.id]!, open);
        opens.table.size++;
      }
    }
    return open;
  };
  const size = g.nodes.length;
  let paths = scratch;
  if (size > SCRATCH_KEPT) paths = new Array(4 * size).fill(0);
  else if (paths.length < 4 * size) paths = scratch = new Array(4 * Math.min(SCRATCH_KEPT, Math.max(size, 2 * (paths.length / 4), 256))).fill(0);
  else paths.fill(0, 0, 4 * size);
  for (const r of g.roots) {
    const n = g.nodes[r]!;
    // A request starts with no notification on its path (rootSummary), then visits its first step.
    if (channelOpenFor(prep, ctx, n.channel).open) {
      const at = 4 * r + visitBits(r);
      paths[at] = addCount(paths[at]!, 1);
    }
  }
  let left: number | bigint = 0;
  for (const id of topologicalOrder(g)) {
    const base = 4 * id;
    if (paths[base] === 0 && paths[base + 1] === 0 && paths[base + 2] === 0 && paths[base + 3] === 0) continue;
    const n = g.nodes[id]!;
    if (n.end) {
      const row = 4 * places.get(n.takeover!)!;
      for (let b = 0; b < 4; b++) {
        const c = paths[base + b]!;
        if (c === 0) continue;
        if (through[row + b]! < 0) through[row + b] = takesOverNotified(prep, ctx, n.takeover!, (b & NOTIFY_ENROLL) !== 0, (b & NOTIFY_OTHER) !== 0, cache) ? 1 : 0;
        if (through[row + b] === 1) left = addCount(left, c);
      }
    } else {
      let open: boolean | undefined;
      for (const eid of n.out) {
        const e = g.edges[eid]!;
        if (e.pre && e.via === 'pass' && !(open ??= passIn(n))) continue;
        const add = visitBits(e.to);
        for (let b = 0; b < 4; b++) {
          const c = paths[base + b]!;
          if (c === 0) continue;
          const at = 4 * e.to + (b | add);
          paths[at] = addCount(paths[at]!, c);
        }
      }
    }
    paths[base] = paths[base + 1] = paths[base + 2] = paths[base + 3] = 0;
  }
  return BigInt(left);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
