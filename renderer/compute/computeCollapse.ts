// Long linear runs of a workflow collapsed into one box, so a 200-step workflow reads as its
// branches and merges. The rule (also in the README):
//  - a link a -> b is linear when a has exactly one transition out (to b) and b exactly one in (from
//    a), b is not the start step, and neither a nor b is kept open;
//  - a run is a maximal chain of steps joined by linear links: its first step may be entered from
//    many places and its last step may branch, every step inside has one way in and one way out;
//  - only runs of at least `minLength` (3) steps are collapsed; the step where the selected path's
//    takeover happens is kept open (the workbench passes it in `keep`), so the moment that matters
//    stays drawn with its verdicts; the rest of the selected path may be collapsed: its box is drawn
//    on the path, with the path's step numbers it holds;
//  - a chain that closes on itself (every step one way in and one way out) is never collapsed.
// The collapsed box keeps every transition into and out of the run, with its own exact count; the
// transitions inside the run are hidden and the box says how many takeover paths cross its steps.
import { placeGraph, type GraphEdge, type GraphLayout, type GraphNode, NODE_WIDTH } from './computeGraphLayout.ts';

export interface LinearRun {
  /** "run:<first step id>", stable while the run keeps its first step. */
  id: string;
  /** The run's steps, in the order the transitions walk them. */
  steps: string[];
}

/** The maximal linear runs of at least `minLength` steps (see the rule above), in step order of their first step. */
export function linearRuns(stepOrder: readonly string[], edges: readonly { from: string; to: string }[], start: string | null, keep: ReadonlySet<string> = new Set(), minLength = 3): LinearRun[] {
  const outs = new Map<string, string[]>();
  const ins = new Map<string, string[]>();
  for (const e of edges) {
    outs.set(e.from, [...(outs.get(e.from) ?? []), e.to]);
    ins.set(e.to, [...(ins.get(e.to) ?? []), e.from]);
  }
  /** The step a linear link leads to from `a`, or null. */
  const linearNext = (a: string): string | null => {
    const o = outs.get(a);
    if (!o || o.length !== 1) return null;
    const b = o[0]!;
    if (b === a || b === start || keep.has(a) || keep.has(b) || ins.get(b)?.length !== 1) return null;
    return b;
  };
  const hasLinearPrev = new Set<string>();
  for (const a of stepOrder) {
    const b = linearNext(a);
    if (b) hasLinearPrev.add(b);
  }
  const runs: LinearRun[] = [];
  for (const head of stepOrder) {
    if (hasLinearPrev.has(head) || keep.has(head)) continue;
    const steps = [head];
    for (let b = linearNext(head); b !== null; b = linearNext(b)) steps.push(b);
    if (steps.length >= minLength) runs.push({ id: `run:${head}`, steps });
  }
  return runs;
}

/** A collapsed run as the graph draws it. */
export interface RunBox {
  id: string;
  steps: string[];
  firstName: string;
  lastName: string;
  /** "12 steps: Verify the caller … Reset the password" */
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A layout with some runs collapsed: `nodes` are the steps still drawn, `runs` the boxes standing for the others. */
export interface CollapsedLayout extends GraphLayout {
  runs: RunBox[];
  /** Step id -> the run box that holds it, for every collapsed step. */
  runOf: Map<string, string>;
}

export const RUN_BOX_HEIGHT = 78;

/** Cuts a name to `max` characters with an ellipsis, for the one line a run box gives it. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The layout with each run replaced by one box: steps keep their sizes and are placed again with
 * the same placement as the full layout; transitions into a run end on its box and transitions out
 * of it start there, keeping their ids (and so their counts); transitions inside a run are dropped.
 */
export function collapseLayout(layout: GraphLayout, runs: readonly LinearRun[]): CollapsedLayout {
  const runOf = new Map<string, string>();
  for (const r of runs) for (const s of r.steps) runOf.set(s, r.id);
  const nodeById = new Map(layout.nodes.map((n) => [n.id, n]));
  const kept = layout.nodes.filter((n) => !runOf.has(n.id));
  const boxes = [...kept.map((n) => ({ id: n.id, width: n.width, height: n.height })), ...runs.map((r) => ({ id: r.id, width: NODE_WIDTH, height: RUN_BOX_HEIGHT }))];
  const at = (s: string) => runOf.get(s) ?? s;
  const outer = layout.edges.filter((e) => !(runOf.has(e.from) && runOf.get(e.from) === runOf.get(e.to) && isInside(runs, runOf.get(e.from)!, e.from, e.to)));
  const placed = placeGraph(
    boxes,
    outer.map((e) => ({ id: e.id, from: at(e.from), to: at(e.to), kind: e.kind, label: e.label })),
  );
  // Placed edges join boxes; they keep the transition's own ends, so overlays and the step list still read them.
  const edges: GraphEdge[] = placed.edges.map((p, i) => ({ ...p, from: outer[i]!.from, to: outer[i]!.to }));
  const nodes: GraphNode[] = kept.map((n) => ({ ...n, ...placed.positions.get(n.id)! }));
  const runBoxes: RunBox[] = runs.map((r) => {
    const firstName = nodeById.get(r.steps[0]!)?.fullName ?? r.steps[0]!;
    const lastName = nodeById.get(r.steps.at(-1)!)?.fullName ?? r.steps.at(-1)!;
    return {
      id: r.id,
      steps: r.steps,
      firstName: clip(firstName, 28),
      lastName: clip(lastName, 26),
      label: `${r.steps.length} steps: ${firstName} … ${lastName}`,
      ...placed.positions.get(r.id)!,
      width: NODE_WIDTH,
      height: RUN_BOX_HEIGHT,
    };
  });
  return { width: placed.width, height: placed.height, nodes, edges, workflowChips: layout.workflowChips, runs: runBoxes, runOf };
}

/** The transition joins two consecutive steps of one run (the link the box hides). */
function isInside(runs: readonly LinearRun[], runId: string, from: string, to: string): boolean {
  const r = runs.find((x) => x.id === runId)!;
  const i = r.steps.indexOf(from);
  return i >= 0 && r.steps[i + 1] === to;
}

/** Takeover paths crossing a run's steps, from each step's own count (as the step list counts them). */
export interface RunPaths {
  /** Paths crossing the first step: every path that crosses the run crosses it (the run is entered there only). */
  total: bigint;
  /** Paths crossing the last step (fewer when some end inside the run). */
  last: bigint;
  /** The same count at every step of the run. */
  uniform: boolean;
}

/**
 * The exact takeover-path counts of a run. Its steps are entered only through its first step (the
 * start step never sits inside a run), so the paths crossing the first step are all the paths
 * crossing the run: the total, never a lower bound.
 */
export function runPaths(run: LinearRun, crossings: ReadonlyMap<string, bigint>): RunPaths {
  const counts = run.steps.map((s) => crossings.get(s) ?? 0n);
  const total = counts.reduce((m, c) => (c > m ? c : m), 0n);
  return { total, last: counts.at(-1)!, uniform: counts.every((c) => c === counts[0]) };
}
