// Minimal control sets: the smallest sets of catalogue controls that close every takeover path,
// found as minimal hitting sets of the path classes' kill families (a class is hit when the set holds
// one of the single controls or joint combinations that close it), each verified by an exact count:
// with the set applied, no takeover path that some set of up to three controls can close survives.
import { ESCALATION_MINUTES, getControl } from '../models/index.ts';
import { channelOpenFor } from './channels.ts';
import { addCount, type PathClass } from './classes.ts';
import { controlSetKey, passOpen, waiverTag, type Counterfactuals } from './counterfactuals.ts';
import type { AttackContext, Prepared } from '../scenarios/index.ts';
import { JoinTable, type Attributor } from './labels.ts';
import { joinSummary, moveKey, passSummary, rootSummary, summaryKey, takesOver, topologicalOrder, visitSummary, type GNode, type StateGraph, type Summary } from './stateGraph.ts';

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
const moveMemo = new WeakMap<Prepared, WeakMap<AttackContext, Map<string, Partial<Summary>>>>();

type OpenMove = { open: boolean; agent: Partial<Summary> };
/**
 * Whether a move stays open (and whether an agent identity acted), by what it reads: the workflow-wide
 * part and the attacker (by the session cache's ids), the step's shape and the rest of its state's
 * key. One table per session: a what-if re-analysis verifies its sets against counterfactuals that are
 * new objects but mostly the same content. Its ids are the cache's, so it goes when the cache starts again.
 */
class OpenMoves {
  size = 0;
  private readonly rows = new Map<string, Map<number, Map<string, OpenMove>>>();
  /** The moves of one workflow-wide part and attacker, by shape id and rest key. */
  of(envCtx: string): Map<number, Map<string, OpenMove>> {
    let r = this.rows.get(envCtx);
    if (!r) this.rows.set(envCtx, (r = new Map()));
    return r;
  }
}
const OPEN_MOVES_SIZE = 400_000;

/**
 * Summaries interned by content, with their joins memoised: a counterfactual count then compares
 * summaries by identity and makes no object or key string per state and move. Summaries are a small
 * domain (a few candidates and flags), shared by every count.
 */
class SummaryJoins {
  private readonly byKey = new Map<string, { s: Summary; id: number }>();
  private readonly idOf = new Map<Summary, number>();
  private readonly byId: Summary[] = [];
  private readonly addIds = new Map<Partial<Summary>, number>();
  // (summary id, move id) -> id of the joined summary: integer keys in a typed table (a Map keyed by
  // their product, past 2^30, made a heap number per lookup).
  private readonly joins = new JoinTable();
  private readonly agentAdds = new Map<Partial<Summary>, Partial<Summary>[]>();

  /** Summaries, moves and joins held. */
  get size(): number {
    return this.byKey.size + this.addIds.size + this.joins.size;
  }

  /** The interned summary equal to `s`. */
  canon(s: Summary): Summary {
    const known = this.idOf.get(s);
    if (known !== undefined) return s;
    const k = summaryKey(s);
    let hit = this.byKey.get(k);
    if (!hit) {
      this.byKey.set(k, (hit = { s, id: this.byKey.size }));
      this.byId.push(s);
    }
    this.idOf.set(s, hit.id);
    return hit.s;
  }

  /** What a move adds when an attacker-held agent identity acted passing the step (one object per visit and flags). */
  withAgent(visited: Partial<Summary>, usedAgent: boolean, usedProviderAgent: boolean): Partial<Summary> {
    let row = this.agentAdds.get(visited);
    if (!row) this.agentAdds.set(visited, (row = []));
    const i = (usedAgent ? 1 : 0) + (usedProviderAgent ? 2 : 0);
    return (row[i] ??= { ...visited, usedAgent: usedAgent || !!visited.usedAgent, usedProviderAgent: usedProviderAgent || !!visited.usedProviderAgent });
  }

  /** The interned join of an interned summary and what a move adds. */
  join(s: Summary, add: Partial<Summary>): Summary {
    let a = this.addIds.get(add);
    if (a === undefined) this.addIds.set(add, (a = this.addIds.size));
    const id = this.idOf.get(s)!;
    const hit = this.joins.get(id, a);
    if (hit >= 0) return this.byId[hit]!;
    const out = this.canon(joinSummary(s, add));
    this.joins.set(id, a, this.idOf.get(out)!);
    return out;
  }
}
/** Summaries, moves and joins a session's table may hold before it is started again. */
const SUMMARY_JOINS_SIZE = 500_000;

/** What a move adds when no agent identity acted passing its step. */
const NO_AGENT: Partial<Summary> = Object.freeze({});
// Per state of the graph being counted: its first detection summary and how many paths share it,
// and any other summaries (module scratch, grown as graphs need up to SCRATCH_KEPT states).
let scratchFirst: (Summary | null)[] = [];
let scratchFirstCount: (number | bigint)[] = [];
let scratchMore: ({ s: Summary; count: number | bigint }[] | undefined)[] = [];
const SCRATCH_KEPT = 65_536;

function countSurvivors(sg: ScenarioGraph, cfs: Counterfactuals, controls: readonly string[]): bigint {
  const g = sg.graph;
  const cf = cfs.of(controls);
  const prep = cf.prep;
  const ctx = cfs.ctx(cf, g.scenario);
  // What a step adds and whether its move stays open depend on the counterfactual workflow and the
  // attacker only (not on the scenario graph): shared by every graph and set verified against them.
  let memo = moveMemo.get(prep);
  if (!memo) moveMemo.set(prep, (memo = new WeakMap()));
  let visits = memo.get(ctx);
  if (!visits) memo.set(ctx, (visits = new Map()));
  const cache = cfs.cache;
  // The session's table and this workflow-wide part's and attacker's rows in it, under the cache's generation.
  const openMovesNow = () => {
    const table = cache.shared('openMoves', () => new OpenMoves(), (t) => t.size > OPEN_MOVES_SIZE);
    return { generation: cache.generation, table, rows: table.of(`${cache.envId(prep)},${cache.ctxId(ctx)}`) };
  };
  let opens = openMovesNow();
  // Summaries and their joins are values (joinSummary reads nothing else), and the visits they join
  // are the session cache's objects: one table per session, so a what-if re-analysis finds them.
  const joins = cfs.cache.shared('summaryJoins', () => new SummaryJoins(), (j) => j.size > SUMMARY_JOINS_SIZE);
  const visit = (stepId: string) => {
    let v = visits.get(stepId);
    if (!v) visits.set(stepId, (v = cfs.cache.visit(prep, ctx, stepId, visitSummary)));
    return v;
  };
  const rest = restKeys(g);
  // Asked once per state (for its first pass move): the state's other moves reuse the answer.
  const passIn = (n: GNode): OpenMove => {
    let r: OpenMove | undefined;
    // Whether a move stays open, and whether an agent identity acted, read the step's content (not
    // its id or name: analysis/cache.ts, shapeSig), the channel and the exceptions that waive it: one
    // evaluation per kind of step, not per step.
    // A start again of the cache (in an evaluation below) renumbers its ids: the table is made again.
    if (opens.generation !== cache.generation) opens = openMovesNow();
    const shape = cache.shapeId(prep, n.step);
    let row = opens.rows.get(shape);
    if (!row) opens.rows.set(shape, (row = new Map()));
    r = row.get(rest[n.id]!);
    if (!r) {
      const p = passOpen(cache, prep, ctx, n.step, n.channel, n.exceptions);
      r = { open: p.open, agent: p.open ? passSummary(prep, n.step, p.ev.verdicts) : {} };
      // Kept only if the evaluation did not start the cache again (the row's ids would be stale).
      if (opens.generation === cache.generation) {
        row.set(rest[n.id]!, r);
        opens.table.size++;
      }
    }
    return r;
  };
  // Per state: the counterfactual's detection summaries, with the number of paths that share each.
  // Most states have one: it is kept in two flat arrays, any others in a short list (summaries are
  // interned by SummaryJoins, so equal summaries are the same object).
  // The arrays are the module's scratch, reused by every count (counts never nest) and cleared here;
  // a graph of more than SCRATCH_KEPT states gets arrays of its own (the module keeps no large ones).
  const size = g.nodes.length;
  let first = scratchFirst;
  let firstCount = scratchFirstCount;
  let more = scratchMore;
  if (size > SCRATCH_KEPT) {
    first = new Array(size).fill(null);
    firstCount = new Array(size).fill(0);
    more = [];
  } else if (first.length < size) {
    const cap = Math.min(SCRATCH_KEPT, Math.max(size, 2 * first.length, 256));
    first = scratchFirst = new Array(cap).fill(null);
    firstCount = scratchFirstCount = new Array(cap).fill(0);
    more = scratchMore = new Array(cap).fill(undefined);
  } else {
    first.fill(null, 0, size);
    more.fill(undefined, 0, size);
  }
  const put = (id: number, s: Summary, count: number | bigint) => {
    const f = first[id];
    if (!f) {
      first[id] = s;
      firstCount[id] = count;
      return;
    }
    if (f === s) {
      firstCount[id] = addCount(firstCount[id]!, count);
      return;
    }
    const m = more[id];
    if (!m) {
      more[id] = [{ s, count }];
      return;
    }
    for (const x of m) {
      if (x.s === s) {
        x.count = addCount(x.count, count);
        return;
      }
    }
    m.push({ s, count });
  };
  for (const r of g.roots) {
    const n = g.nodes[r]!;
    if (channelOpenFor(prep, ctx, n.channel).open) put(r, joins.join(joins.canon(rootSummary(prep, ctx, n.channel)), visit(n.step)), 1);
  }
  let left: number | bigint = 0;
  for (const id of topologicalOrder(g)) {
    const f = first[id];
    if (!f) continue;
    const fc = firstCount[id]!;
    const m = more[id];
    const n = g.nodes[id]!;
    if (n.end) {
      if (takesOver(prep, ctx, n.takeover!, f, cfs.cache)) left = addCount(left, fc);
      if (m) for (const x of m) if (takesOver(prep, ctx, n.takeover!, x.s, cfs.cache)) left = addCount(left, x.count);
    } else {
      let r: OpenMove | undefined;
      for (const eid of n.out) {
        const e = g.edges[eid]!;
        let agent: Partial<Summary> = NO_AGENT;
        if (e.pre && e.via === 'pass') {
          r ??= passIn(n);
          if (!r.open) continue;
          agent = r.agent;
        }
        // What the move adds: the agent identity that acted passing the step (flags only), then the
        // visit of the next step; one join of both is the same as joining one after the other.
        const visited = visit(g.nodes[e.to]!.step);
        const add = agent.usedAgent || agent.usedProviderAgent ? joins.withAgent(visited, !!agent.usedAgent, !!agent.usedProviderAgent) : visited;
        put(e.to, joins.join(f, add), fc);
        if (m) for (const x of m) put(e.to, joins.join(x.s, add), x.count);
      }
    }
    first[id] = null;
    more[id] = undefined;
  }
  return BigInt(left);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
