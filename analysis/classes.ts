// Path classes by dynamic programming over the state graph: for every state, the labels of the
// takeover paths that continue from it, each with its exact number of paths (BigInt) and its three
// shortest continuations. At the roots this gives every class of takeover paths of the scenario,
// counted exactly and with example paths, without listing the paths.
import { JoinTable, statusName, type Attributor, type GapStatus, type Label, type LabelStore } from './labels.ts';
import { AnalysisLimitError, LIMITS, stepPath } from './limits.ts';
import { topologicalOrder, type GEdge, type StateGraph } from './stateGraph.ts';

/**
 * The labels of the takeover paths from one state, each with its exact number of paths (a safe
 * integer while it fits, exact BigInt beyond) and its three shortest continuations, in parallel
 * arrays (a state's cells are a few arrays, not one object per label). A
 * continuation is packed into one number, ((length x 2^20 + the move's position among the state's
 * moves) x 4 + its rank in the child's list), so comparing keys orders examples by length, then
 * move order, then rank — deterministically. `keys` holds three keys per label (NONE: no such
 * continuation); `kids` where each goes on: the index of its label at the next state (-1: the path
 * ends here). A state whose only move changes no label (the move's label is already part of every
 * label after it) shares the arrays of the state it leads to: `hops` is how many such moves lead to
 * the state that owns the cells, whose lengths are `hops` shorter.
 */
interface NodeCells {
  labels: Label[];
  counts: (number | bigint)[];
  keys: ArrayLike<number>;
  kids: ArrayLike<number>;
  hops: number;
  /** The label list's number in this DP run (cells that share a list share it). */
  list: number;
}

/** Cells with more than this many key slots are kept in typed arrays. */
const TYPED_FROM = 48;

const ORDER = 2 ** 20;
const NONE = Number.POSITIVE_INFINITY;
if (LIMITS.examplesPerClass !== 3) throw new Error('the path-class DP keeps exactly three examples per class');

/** Marks of the states being built: unique over every DP run, as labels are shared between scenarios. */
let stamps = 0;

const keyOf = (len: number, order: number, rank: number) => (len * ORDER + order) * 4 + rank;
const lenOf = (key: number) => Math.floor(key / (ORDER * 4));
const orderOf = (key: number) => Math.floor(key / 4) % ORDER;

/** Adds two counts exactly: safe integers while the sum is one, BigInt beyond. */
export function addCount(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const s = a + b;
    if (s <= Number.MAX_SAFE_INTEGER) return s;
  }
  return BigInt(a) + BigInt(b);
}

// The cells of the state being built, in scratch arrays grown as needed and copied out once built.
let scratchKeys = new Float64Array(3 * 256);
let scratchKids = new Int32Array(3 * 256);

function scratchFor(labels: number): void {
  if (3 * labels <= scratchKeys.length) return;
  const keys = new Float64Array(Math.max(3 * labels, 2 * scratchKeys.length));
  keys.set(scratchKeys);
  const kids = new Int32Array(keys.length);
  kids.set(scratchKids);
  scratchKeys = keys;
  scratchKids = kids;
}

/** Keeps the three smallest keys at scratch cell `c` (an equal key goes after the one already kept: first come, first kept). */
function insertBest(c: number, key: number, child: number): void {
  const ks = scratchKeys;
  const cs = scratchKids;
  const b = 3 * c;
  if (key < ks[b]!) {
    ks[b + 2] = ks[b + 1]!;
    cs[b + 2] = cs[b + 1]!;
    ks[b + 1] = ks[b]!;
    cs[b + 1] = cs[b]!;
    ks[b] = key;
    cs[b] = child;
  } else if (key < ks[b + 1]!) {
    ks[b + 2] = ks[b + 1]!;
    cs[b + 2] = cs[b + 1]!;
    ks[b + 1] = key;
    cs[b + 1] = child;
  } else if (key < ks[b + 2]!) {
    ks[b + 2] = key;
    cs[b + 2] = child;
  }
}

const bestKey = (at: NodeCells, i: number, r: number) => at.keys[3 * i + r]!;
const bestChild = (at: NodeCells, i: number, r: number) => at.kids[3 * i + r]!;
const bestCount = (at: NodeCells, i: number) => (at.keys[3 * i] === NONE ? 0 : at.keys[3 * i + 1] === NONE ? 1 : at.keys[3 * i + 2] === NONE ? 2 : 3);

/** A path class of one scenario: the paths with the same outcome, blocking and detecting controls and statuses. */
export interface PathClass {
  outcome: 'takeover_detected' | 'takeover_undetected';
  detectedBy: { control: string; delayHours: number } | null;
  /** Controls that close every path of the class on their own (sorted). */
  blocking: string[];
  /** Controls that turn the class's undetected takeovers into detected ones. */
  detecting: string[];
  /** Status of each blocking and detecting control on these paths. */
  statuses: Record<string, GapStatus>;
  /**
   * The unknowns of the workflow these paths' takeover or outcome depends on, resolved in the
   * attacker's favour (empty: the finding holds whatever the unknowns are).
   */
  conditional: string[];
  /** Minimal combinations of two or three controls that close paths of the class together, with how many they close. */
  joint: { controls: string[]; paths: bigint }[];
  /** Controls that take a means away on paths of the class without closing them, with on how many. */
  contributing: { control: string; paths: bigint }[];
  /** Exact paths of the class on which a control belongs to some joint combination. */
  inJoint: Record<string, bigint>;
  /** Paths of the class that no set of up to three controls closes. */
  unclosable: bigint;
  count: bigint;
  /** Up to three example paths, shortest first: the moves from a root to the takeover end, with the path's full label. */
  examples: { root: number; edges: number[]; label: Label }[];
}

export interface ScenarioClasses {
  classes: PathClass[];
  /** The distinct kill families of the takeover paths, with how many paths have each (what control sets must hit). */
  families: { kills: readonly (readonly string[])[]; count: bigint }[];
  total: bigint;
  /** Exact number of takeover paths through each workflow transition ("from>to>kind"). */
  transitions: Map<string, bigint>;
}

const K = LIMITS.examplesPerClass;

let absorbedScratch = new JoinTable();
const ABSORBED_KEPT = 65_536;

/** Computes the classes, counts, examples and transition counts of one scenario's state graph. */
export function pathClasses(att: Attributor): ScenarioClasses {
  const g = att.g;
  const store = att.store;
  const order = topologicalOrder(g);
  const cells: (NodeCells | null)[] = new Array(g.nodes.length).fill(null);
  // Plain counts of takeover completions from each state (for the transition overlay).
  const completions: (number | bigint)[] = new Array(g.nodes.length).fill(0);
  // Label cells kept so far (shared cells count once), against LIMITS.labelCellsPerScenario.
  let kept = 0;
  // Label lists numbered in this run, and which move labels every label of a list holds (absorbedByAll):
  // a table the module reuses (runs never nest), emptied here, let go once it has grown large.
  let lists = 0;
  if (absorbedScratch.capacity > ABSORBED_KEPT) absorbedScratch = new JoinTable();
  const absorbed = absorbedScratch;
  absorbed.clear();

  for (let oi = order.length - 1; oi >= 0; oi--) {
    const id = order[oi]!;
    const n = g.nodes[id]!;
    // A label's cell at this state is found through the label's scratch slot (marked with the state's
    // id), so building a state allocates no map.
    const stamp = ++stamps;
    const labels: Label[] = [];
    if (n.end) {
      const l = att.endLabel(n);
      labels.push(l);
      cells[id] = { labels, counts: [1], keys: [0, NONE, NONE], kids: [-1, -1, -1], hops: 0, list: lists++ };
      completions[id] = 1;
      continue;
    } else if (sharesSuccessor(att, cells, n.out, absorbed)) {
      // One move that changes no label: the same labels and cells, one move longer.
      const to = g.edges[n.out[0]!]!.to;
      const child = cells[to]!;
      completions[id] = completions[to]!;
      cells[id] = { labels: child.labels, counts: child.counts, keys: child.keys, kids: child.kids, hops: child.hops + 1, list: child.list };
      continue;
    }
    const counts: (number | bigint)[] = [];
    let total: number | bigint = 0;
    for (let pos = 0; pos < n.out.length; pos++) {
      const e = g.edges[n.out[pos]!]!;
      const child = cells[e.to];
      if (!child) continue;
      total = addCount(total, completions[e.to]!);
      const el = att.edgeLabel(e);
      // A move whose label every label after it already holds changes none of them: no join needed.
      const plain = el === store.empty || absorbedByAll(store, el, child, absorbed);
      const cl = child.labels;
      const cn = child.counts;
      const ck = child.keys;
      const hops = child.hops + 1;
      for (let i = 0; i < cl.length; i++) {
        const l = plain ? cl[i]! : store.join(el, cl[i]!);
        let c: number;
        if (l.mark === stamp) c = l.slot as number;
        else {
          c = labels.length;
          l.mark = stamp;
          l.slot = c;
          labels.push(l);
          counts.push(0);
          scratchFor(c + 1);
          scratchKeys[3 * c] = scratchKeys[3 * c + 1] = scratchKeys[3 * c + 2] = NONE;
          scratchKids[3 * c] = scratchKids[3 * c + 1] = scratchKids[3 * c + 2] = -1;
        }
        counts[c] = addCount(counts[c]!, cn[i]!);
        for (let r = 0; r < K; r++) {
          const k = ck[3 * i + r]!;
          if (k === NONE) break;
          insertBest(c, keyOf(lenOf(k) + hops, pos, r), i);
        }
      }
    }
    completions[id] = total;
    kept += labels.length;
    if (kept > LIMITS.labelCellsPerScenario) {
      throw new AnalysisLimitError(
        g.prep.wf,
        stepPath(g.prep.wf, n.step),
        `workflow "${g.prep.wf.id}" has too many distinct kinds of takeover path against scenario "${g.scenario.id}": more than ${LIMITS.labelCellsPerScenario.toLocaleString('en-US')} kept over its states (reached at step "${n.step}")`,
      );
    }
    if (labels.length > LIMITS.classesPerState) {
      throw new AnalysisLimitError(
        g.prep.wf,
        stepPath(g.prep.wf, n.step),
        `workflow "${g.prep.wf.id}" has too many distinct kinds of takeover path against scenario "${g.scenario.id}": more than ${LIMITS.classesPerState.toLocaleString('en-US')} meet at step "${n.step}"`,
      );
    }
    if (labels.length === 0) {
      cells[id] = null;
      continue;
    }
    // Copied out of the scratch arrays: into plain arrays when small (cheaper to make), into typed
    // arrays when large (one allocation, kept outside the young generation the collector copies).
    const slots = 3 * labels.length;
    let keys: readonly number[] | Float64Array;
    let kids: readonly number[] | Int32Array;
    if (slots > TYPED_FROM) {
      keys = scratchKeys.slice(0, slots);
      kids = scratchKids.slice(0, slots);
    } else {
      const k: number[] = [];
      const c: number[] = [];
      for (let j = 0; j < slots; j++) {
        k.push(scratchKeys[j]!);
        c.push(scratchKids[j]!);
      }
      keys = k;
      kids = c;
    }
    cells[id] = { labels, counts, keys, kids, hops: 0, list: lists++ };
  }

  // Classes at the roots: the root's own label joined on, then grouped by what a class reports.
  // Counts are summed as safe integers while they fit (addCount), and made BigInt once per class.
  type Count = number | bigint;
  type Acc = Omit<PathClass, 'examples' | 'joint' | 'contributing' | 'inJoint' | 'count' | 'unclosable'> & {
    count: Count;
    unclosable: Count;
    inJoint: Map<string, Count>;
    joint: Map<string, Count>;
    contributing: Map<string, Count>;
    cands: { len: number; rootIdx: number; rank: number; root: number; label: Label; full: Label }[];
  };
  const byKey = new Map<string, Acc>();
  // By the kills component's id in the store: equal ids, equal kills.
  const families = new Map<number, { kills: readonly (readonly string[])[]; count: Count }>();
  const jointOf = jointParts(store);
  g.roots.forEach((root, rootIdx) => {
    const cell = cells[root];
    if (!cell) return;
    const rl = att.rootLabel(g.nodes[root]!);
    for (let i = 0; i < cell.labels.length; i++) {
      const l = cell.labels[i]!;
      const n = cell.counts[i]!;
      const full = att.finalize(store.join(rl, l));
      const cls = project(store, full);
      let hit = byKey.get(cls.key);
      if (!hit) {
        // The projection is shared by every class of the same label: each class gets its own lists.
        const v = cls.value;
        // Written out field by field (a spread into a literal that adds fields is V8's slow path).
        byKey.set(cls.key, (hit = { outcome: v.outcome, detectedBy: v.detectedBy, blocking: [...v.blocking], detecting: [...v.detecting], statuses: { ...v.statuses }, conditional: [...v.conditional], count: 0, unclosable: 0, joint: new Map(), inJoint: new Map(), contributing: new Map(), cands: [] }));
      }
      hit.count = addCount(hit.count, n);
      const fam = families.get(full.pk);
      if (fam) fam.count = addCount(fam.count, n);
      else families.set(full.pk, { kills: full.kills, count: n });
      if (full.kills.length === 0) hit.unclosable = addCount(hit.unclosable, n);
      const jp = jointOf(full);
      for (const k of jp.joint) hit.joint.set(k, addCount(hit.joint.get(k) ?? 0, n));
      for (const x of jp.members) hit.inJoint.set(x, addCount(hit.inJoint.get(x) ?? 0, n));
      for (const x of full.contrib) if (!cls.value.blocking.includes(x)) hit.contributing.set(x, addCount(hit.contributing.get(x) ?? 0, n));
      for (let rank = 0; rank < bestCount(cell, i); rank++) hit.cands.push({ len: lenOf(bestKey(cell, i, rank)) + cell.hops, rootIdx, rank, root, label: l, full });
    }
  });
  if (byKey.size > LIMITS.classesPerScenario) {
    throw new AnalysisLimitError(g.prep.wf, '', `workflow "${g.prep.wf.id}" has more than ${LIMITS.classesPerScenario.toLocaleString('en-US')} kinds of takeover path against scenario "${g.scenario.id}"`);
  }
  const byCount = <T>(m: Map<string, Count>, f: (k: string, n: bigint) => T) =>
    [...m]
      .map(([k, n]) => [k, BigInt(n)] as const)
      .sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : a[0] < b[0] ? -1 : 1))
      .map(([k, n]) => f(k, n));
  const classes: PathClass[] = [];
  for (const c of byKey.values()) {
    c.cands.sort((a, b) => a.len - b.len || a.rootIdx - b.rootIdx || a.rank - b.rank);
    const examples = c.cands.slice(0, K).map((cand) => ({ root: cand.root, edges: walkBest(g, cells, cand.root, cand.label, cand.rank), label: cand.full }));
    classes.push({
      outcome: c.outcome,
      detectedBy: c.detectedBy,
      blocking: c.blocking,
      detecting: c.detecting,
      statuses: c.statuses,
      conditional: c.conditional,
      count: BigInt(c.count),
      unclosable: BigInt(c.unclosable),
      inJoint: Object.fromEntries([...c.inJoint].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, n]) => [k, BigInt(n)])),
      joint: byCount(c.joint, (k, paths) => ({ controls: k.split('+'), paths })),
      contributing: byCount(c.contributing, (control, paths) => ({ control, paths })),
      examples,
    });
  }
  classes.sort(classOrder);

  const transitions = transitionCounts(g, order, completions);
  const total = classes.reduce((s, c) => s + c.count, 0n);
  return { classes, families: [...families.values()].map((f) => ({ kills: f.kills, count: BigInt(f.count) })), total, transitions };
}

/** A label's joint combinations (as "a+b" keys) and the controls in any of them, kept per kills component of a store. */
const jointMemo = new WeakMap<LabelStore, Map<number, { joint: string[]; members: string[] }>>();
function jointParts(store: LabelStore): (l: Label) => { joint: string[]; members: string[] } {
  let memo = jointMemo.get(store);
  if (!memo) jointMemo.set(store, (memo = new Map()));
  const m = memo;
  return (l) => {
    let p = m.get(l.pk);
    if (!p) {
      const sets = l.kills.filter((k) => k.length > 1);
      m.set(l.pk, (p = { joint: sets.map((k) => k.join('+')), members: [...new Set(sets.flat())] }));
    }
    return p;
  };
}

/** Classes in reading order: undetected before detected, the most paths first, then by controls. */
function classOrder(a: PathClass, b: PathClass): number {
  const ua = a.outcome === 'takeover_undetected' ? 0 : 1;
  const ub = b.outcome === 'takeover_undetected' ? 0 : 1;
  return (
    ua - ub ||
    (a.count > b.count ? -1 : a.count < b.count ? 1 : 0) ||
    a.examples[0]!.edges.length - b.examples[0]!.edges.length ||
    (a.blocking.join() < b.blocking.join() ? -1 : a.blocking.join() > b.blocking.join() ? 1 : 0) ||
    (a.detecting.join() < b.detecting.join() ? -1 : a.detecting.join() > b.detecting.join() ? 1 : 0)
  );
}

/** What a class is keyed by, for a path's full (finalised) label: paths with equal keys are in one class. */
export function classKeyOf(store: LabelStore, full: Label): string {
  return project(store, full).key;
}

type Projection = { key: string; value: Pick<PathClass, 'outcome' | 'detectedBy' | 'blocking' | 'detecting' | 'statuses' | 'conditional'> };
const projections = new WeakMap<Label, Projection>();

/** Of the components a class reads (kills, detecting, end, unknowns): the blocking and detecting controls, and the controls whose status it reports. */
interface ProjectionBase {
  blocking: string[];
  detecting: string[];
  reported: string[];
}
/** Per label store (component ids are a store's): bases by component ids, projections by component ids and reported statuses. */
const projectionMemo = new WeakMap<LabelStore, { bases: Map<string, ProjectionBase>; byParts: Map<string, Projection> }>();

/**
 * What a class is keyed by (a function of the label alone; labels are interned and never change, so it
 * is kept per label). Many labels differ only in what a class does not read (contributing controls,
 * statuses of controls that neither block nor detect): they share one projection object.
 */
function project(store: LabelStore, l: Label): Projection {
  let p = projections.get(l);
  if (p) return p;
  let memo = projectionMemo.get(store);
  if (!memo) projectionMemo.set(store, (memo = { bases: new Map(), byParts: new Map() }));
  const parts = `${l.pk},${l.pd},${l.pe},${l.pu}`;
  let base = memo.bases.get(parts);
  if (!base) {
    const blocking = l.kills.filter((k) => k.length === 1).map((k) => k[0]!).sort();
    const detecting = [...l.detects].filter((c) => !blocking.includes(c));
    memo.bases.set(parts, (base = { blocking, detecting, reported: [...blocking, ...detecting].sort() }));
  }
  let codes = '';
  for (const c of base.reported) codes += String.fromCharCode(48 + l.statusCode(c));
  const k = `${parts}|${codes}`;
  p = memo.byParts.get(k);
  if (!p) memo.byParts.set(k, (p = projectLabel(l, base)));
  projections.set(l, p);
  return p;
}

/** What a class is keyed by: outcome, blocking and detecting controls, their statuses, and the unknowns it depends on. */
function projectLabel(l: Label, base: ProjectionBase): Projection {
  const statuses: Record<string, GapStatus> = {};
  for (const c of base.reported) statuses[c] = statusName(l.statusCode(c));
  const end = l.end!;
  const value = { outcome: end.kind, detectedBy: end.detectedBy, blocking: base.blocking, detecting: base.detecting, statuses, conditional: [...l.conds] };
  return { key: JSON.stringify(value), value };
}

/** The edges of the rank-th shortest path of a label from a state. */
function walkBest(g: StateGraph, cells: (NodeCells | null)[], from: number, label: Label, rank: number): number[] {
  const out: number[] = [];
  let node = from;
  let at = cells[node]!;
  let idx = at.labels.indexOf(label);
  let r = rank;
  for (;;) {
    // States that share their successor's cells: their one move, to the state that owns the cells.
    while (at.hops > 0) {
      const edge = g.nodes[node]!.out[0]!;
      out.push(edge);
      node = g.edges[edge]!.to;
      at = cells[node]!;
    }
    const child = bestChild(at, idx, r);
    if (child < 0) break;
    const key = bestKey(at, idx, r);
    const edge = g.nodes[node]!.out[orderOf(key)]!;
    out.push(edge);
    node = g.edges[edge]!.to;
    at = cells[node]!;
    idx = child;
    r = key % 4;
  }
  return out;
}

/**
 * Whether a state can share its successor's cells: it has one move, takeover paths continue after it,
 * and the move's label is already part of every label there (so it changes none of them).
 */
function sharesSuccessor(att: Attributor, cells: readonly (NodeCells | null)[], out: readonly number[], absorbed: JoinTable): boolean {
  if (out.length !== 1) return false;
  const e = att.g.edges[out[0]!]!;
  const child = cells[e.to];
  if (!child) return false;
  const el = att.edgeLabel(e);
  if (el === att.store.empty) return true;
  return absorbedByAll(att.store, el, child, absorbed);
}

/**
 * Whether every label of a state's list already holds a move's label (joining it changes none), by
 * the components' small memos (LabelStore.absorbs). States sharing cells share their list, so the
 * answer is kept per list and move label (in the run's table `absorbed`: list number, label id ->
 * 1 or 0): a chain of like steps checks its list once.
 */
function absorbedByAll(store: LabelStore, el: Label, cells: NodeCells, absorbed: JoinTable): boolean {
  const hit = absorbed.get(cells.list, el.id);
  if (hit >= 0) return hit === 1;
  let all = true;
  for (const l of cells.labels) {
    if (!store.absorbs(el, l)) {
      all = false;
      break;
    }
  }
  absorbed.set(cells.list, el.id, all ? 1 : 0);
  return all;
}

/**
 * Exact number of takeover paths through each workflow transition. A transition that is on no loop
 * of the step graph is walked at most once per path, so its count is the sum over its moves of
 * (paths into the move's start) x (takeover completions after it); a transition on a loop is counted
 * as all paths minus those that avoid it.
 */
function transitionCounts(g: StateGraph, order: number[], completions: readonly (number | bigint)[]): Map<string, bigint> {
  // Counts are safe integers while they fit (addCount, mulCount), exact BigInt beyond: a graph's
  // counts are mostly small, and a BigInt per state and move is an allocation each.
  const into: (number | bigint)[] = new Array(g.nodes.length).fill(0);
  for (const r of g.roots) into[r] = 1;
  for (const id of order) {
    const c = into[id]!;
    if (c === 0) continue;
    for (const eid of g.nodes[id]!.out) {
      const to = g.edges[eid]!.to;
      into[to] = addCount(into[to]!, c);
    }
  }
  const sums = new Map<string, number | bigint>();
  const loops = new Set<string>();
  // Whether a transition is on a loop, once per transition (its name is one string per graph), not per move.
  const onLoop = new Map<string, boolean>();
  for (const e of g.edges) {
    let cyclic = onLoop.get(e.transition);
    if (cyclic === undefined) onLoop.set(e.transition, (cyclic = g.flow.cyclic.has(transitionPair(e))));
    if (cyclic) {
      loops.add(e.transition);
      continue;
    }
    const a = into[e.from]!;
    const b = completions[e.to]!;
    if (a === 0 || b === 0) continue;
    sums.set(e.transition, addCount(sums.get(e.transition) ?? 0, mulCount(a, b)));
  }
  const out = new Map<string, bigint>();
  for (const [t, n] of sums) out.set(t, BigInt(n));
  if (loops.size === 0) return out;
  const total = g.roots.reduce((s, r) => s + BigInt(completions[r]!), 0n);
  for (const t of loops) {
    const avoid: bigint[] = new Array(g.nodes.length).fill(0n);
    for (let oi = order.length - 1; oi >= 0; oi--) {
      const id = order[oi]!;
      const n = g.nodes[id]!;
      if (n.end) {
        avoid[id] = 1n;
        continue;
      }
      let s = 0n;
      for (const eid of n.out) {
        const e = g.edges[eid]!;
        if (e.transition !== t) s += avoid[e.to]!;
      }
      avoid[id] = s;
    }
    const n = total - g.roots.reduce((s, r) => s + avoid[r]!, 0n);
    if (n > 0n) out.set(t, n);
  }
  return out;
}

/** Multiplies two counts exactly: a safe integer while the product is one, BigInt beyond. */
function mulCount(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const p = a * b;
    if (p <= Number.MAX_SAFE_INTEGER) return p;
  }
  return BigInt(a) * BigInt(b);
}

const transitionPair = (e: GEdge) => e.transition.slice(0, e.transition.lastIndexOf('>'));
