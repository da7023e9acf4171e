// Path classes by dynamic programming over the state graph: for every state, the labels of the
// takeover paths that continue from it, each with its exact number of paths (BigInt) and its three
// shortest continuations. At the roots this gives every class of takeover paths of the scenario,
// counted exactly and with example paths, without listing the paths.
import { statusName, type Attributor, type GapStatus, type Label } from './labels.ts';
import { AnalysisLimitError, LIMITS, stepPath } from './limits.ts';
import { topologicalOrder, type GEdge, type StateGraph } from './stateGraph.ts';

/** One of the k shortest continuations of a label at a state. */
interface Best {
  len: number;
  /** The edge taken (-1: the path ends here). */
  edge: number;
  child: Label | null;
  rank: number;
}

interface Cell {
  count: bigint;
  best: Best[];
}

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

/** Keeps the K best continuations by (length, move order at the state, rank): shortest-first, deterministic examples. */
function insertBest(list: Best[], len: number, order: number, edge: number, child: Label | null, rank: number, orderOf: (b: Best) => number): void {
  let i = list.length;
  while (i > 0) {
    const a = list[i - 1]!;
    if (a.len < len) break;
    if (a.len === len) {
      const ao = orderOf(a);
      if (ao < order || (ao === order && a.rank <= rank)) break;
    }
    i--;
  }
  if (i >= K) return;
  list.splice(i, 0, { len, edge, child, rank });
  if (list.length > K) list.pop();
}

/** Computes the classes, counts, examples and transition counts of one scenario's state graph. */
export function pathClasses(att: Attributor): ScenarioClasses {
  const g = att.g;
  const store = att.store;
  const order = topologicalOrder(g);
  const cells: (Map<Label, Cell> | null)[] = new Array(g.nodes.length).fill(null);
  const edgeRank = new Map<number, number>();
  for (const n of g.nodes) n.out.forEach((eid, i) => edgeRank.set(eid, i));
  const rankOf = (b: Best) => edgeRank.get(b.edge) ?? 0;
  // Plain counts of takeover completions from each state (for the transition overlay).
  const completions: bigint[] = new Array(g.nodes.length).fill(0n);

  for (let oi = order.length - 1; oi >= 0; oi--) {
    const id = order[oi]!;
    const n = g.nodes[id]!;
    const map = new Map<Label, Cell>();
    if (n.end) {
      map.set(att.endLabel(n), { count: 1n, best: [{ len: 0, edge: -1, child: null, rank: 0 }] });
      completions[id] = 1n;
    } else {
      let total = 0n;
      for (const eid of n.out) {
        const e = g.edges[eid]!;
        const child = cells[e.to];
        if (!child || child.size === 0) continue;
        total += completions[e.to]!;
        const el = att.edgeLabel(e);
        const order = edgeRank.get(eid)!;
        for (const [cl, cell] of child) {
          const l = store.join(el, cl);
          let c = map.get(l);
          if (!c) map.set(l, (c = { count: 0n, best: [] }));
          c.count += cell.count;
          for (let rank = 0; rank < cell.best.length; rank++) insertBest(c.best, cell.best[rank]!.len + 1, order, eid, cl, rank, rankOf);
        }
      }
      completions[id] = total;
      if (map.size > LIMITS.classesPerState) {
        throw new AnalysisLimitError(
          g.prep.wf,
          stepPath(g.prep.wf, n.step),
          `workflow "${g.prep.wf.id}" has too many distinct kinds of takeover path against scenario "${g.scenario.id}": more than ${LIMITS.classesPerState.toLocaleString('en-US')} meet at step "${n.step}"`,
        );
      }
    }
    cells[id] = map.size > 0 ? map : null;
  }

  // Classes at the roots: the root's own label joined on, then grouped by what a class reports.
  type Acc = Omit<PathClass, 'examples' | 'joint' | 'contributing' | 'inJoint'> & {
    inJoint: Map<string, bigint>;
    joint: Map<string, bigint>;
    contributing: Map<string, bigint>;
    cands: { len: number; rootIdx: number; rank: number; root: number; label: Label; full: Label }[];
  };
  const byKey = new Map<string, Acc>();
  const families = new Map<string, { kills: readonly (readonly string[])[]; count: bigint }>();
  g.roots.forEach((root, rootIdx) => {
    const cell = cells[root];
    if (!cell) return;
    const rl = att.rootLabel(g.nodes[root]!);
    for (const [l, c] of cell) {
      const full = att.finalize(store.join(rl, l));
      const cls = project(full);
      let hit = byKey.get(cls.key);
      if (!hit) byKey.set(cls.key, (hit = { ...cls.value, count: 0n, unclosable: 0n, joint: new Map(), inJoint: new Map(), contributing: new Map(), cands: [] }));
      hit.count += c.count;
      const fk = full.kills.map((k) => k.join('+')).join('|');
      const fam = families.get(fk);
      if (fam) fam.count += c.count;
      else families.set(fk, { kills: full.kills, count: c.count });
      if (full.kills.length === 0) hit.unclosable += c.count;
      for (const k of full.kills) if (k.length > 1) hit.joint.set(k.join('+'), (hit.joint.get(k.join('+')) ?? 0n) + c.count);
      for (const x of new Set(full.kills.filter((k) => k.length > 1).flat())) hit.inJoint.set(x, (hit.inJoint.get(x) ?? 0n) + c.count);
      for (const x of full.contrib) if (!cls.value.blocking.includes(x)) hit.contributing.set(x, (hit.contributing.get(x) ?? 0n) + c.count);
      c.best.forEach((b, rank) => hit!.cands.push({ len: b.len, rootIdx, rank, root, label: l, full }));
    }
  });
  if (byKey.size > LIMITS.classesPerScenario) {
    throw new AnalysisLimitError(g.prep.wf, '', `workflow "${g.prep.wf.id}" has more than ${LIMITS.classesPerScenario.toLocaleString('en-US')} kinds of takeover path against scenario "${g.scenario.id}"`);
  }
  const byCount = <T>(m: Map<string, bigint>, f: (k: string, n: bigint) => T) =>
    [...m].sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : a[0] < b[0] ? -1 : 1)).map(([k, n]) => f(k, n));
  const classes: PathClass[] = [];
  for (const c of byKey.values()) {
    c.cands.sort((a, b) => a.len - b.len || a.rootIdx - b.rootIdx || a.rank - b.rank);
    const examples = c.cands.slice(0, K).map((cand) => ({ root: cand.root, edges: walkBest(g, cells, cand.root, cand.label, cand.rank), label: cand.full }));
    const { cands: _c, joint, contributing, inJoint, ...rest } = c;
    classes.push({
      ...rest,
      inJoint: Object.fromEntries([...inJoint].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
      joint: byCount(joint, (k, paths) => ({ controls: k.split('+'), paths })),
      contributing: byCount(contributing, (control, paths) => ({ control, paths })),
      examples,
    });
  }
  classes.sort(classOrder);

  const transitions = transitionCounts(g, order, completions);
  const total = classes.reduce((s, c) => s + c.count, 0n);
  return { classes, families: [...families.values()], total, transitions };
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

/** What a class is keyed by: outcome, blocking and detecting controls, and their statuses. */
function project(l: Label): { key: string; value: Pick<PathClass, 'outcome' | 'detectedBy' | 'blocking' | 'detecting' | 'statuses'> } {
  const blocking = l.kills.filter((k) => k.length === 1).map((k) => k[0]!).sort();
  const detecting = [...l.detects].filter((c) => !blocking.includes(c));
  const statuses: Record<string, GapStatus> = {};
  for (const c of [...blocking, ...detecting].sort()) statuses[c] = statusName(l.status.get(c) ?? 0);
  const end = l.end!;
  const value = { outcome: end.kind, detectedBy: end.detectedBy, blocking, detecting, statuses };
  return { key: JSON.stringify(value), value };
}

/** The edges of the rank-th shortest path of a label from a state. */
function walkBest(g: StateGraph, cells: (Map<Label, Cell> | null)[], from: number, label: Label, rank: number): number[] {
  const out: number[] = [];
  let node = from;
  let l: Label | null = label;
  let r = rank;
  while (l) {
    const b: Best = cells[node]!.get(l)!.best[r]!;
    if (b.edge < 0) break;
    out.push(b.edge);
    node = g.edges[b.edge]!.to;
    l = b.child;
    r = b.rank;
  }
  return out;
}

/**
 * Exact number of takeover paths through each workflow transition. A transition that is on no loop
 * of the step graph is walked at most once per path, so its count is the sum over its moves of
 * (paths into the move's start) x (takeover completions after it); a transition on a loop is counted
 * as all paths minus those that avoid it.
 */
function transitionCounts(g: StateGraph, order: number[], completions: bigint[]): Map<string, bigint> {
  const into: bigint[] = new Array(g.nodes.length).fill(0n);
  for (const r of g.roots) into[r] = 1n;
  for (const id of order) {
    const c = into[id]!;
    if (c === 0n) continue;
    for (const eid of g.nodes[id]!.out) into[g.edges[eid]!.to]! += c;
  }
  const out = new Map<string, bigint>();
  const loops = new Set<string>();
  for (const e of g.edges) {
    const t = transitionPair(e);
    if (g.flow.cyclic.has(t)) {
      loops.add(e.transition);
      continue;
    }
    const n = into[e.from]! * completions[e.to]!;
    if (n > 0n) out.set(e.transition, (out.get(e.transition) ?? 0n) + n);
  }
  const total = g.roots.reduce((s, r) => s + completions[r]!, 0n);
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

const transitionPair = (e: GEdge) => e.transition.slice(0, e.transition.lastIndexOf('>'));
