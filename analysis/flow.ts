// The flow order of a workflow's step graph: which transitions go forward and which loop back.
// A loop back is a transition to a step that is still open on a depth-first walk from the start
// (next, then on_fail, then routes, in file order); every other transition goes forward, and the
// forward transitions alone form no cycle. Taking a loop back costs the attacker one retry, which is
// what makes the analysis state graph finite and acyclic (docs/analysis-semantics.md, "Paths").
import type { Workflow } from '../models/index.ts';

export interface Flow {
  /** "from>to" for every transition that loops back. */
  readonly back: ReadonlySet<string>;
  /** "from>to" for every transition that lies on a cycle of the step graph (it can be walked twice by one path). */
  readonly cyclic: ReadonlySet<string>;
  /** Steps reachable from the start. */
  readonly reachable: ReadonlySet<string>;
}

/** The step ids a step can go to, in the order the walk (and the analysis) tries them. */
export function successors(wf: Workflow, id: string): string[] {
  const s = wf.steps[id]!;
  const out: string[] = [];
  const add = (t: string | undefined) => {
    if (t !== undefined && !out.includes(t)) out.push(t);
  };
  add(s.next);
  add(s.onFail);
  for (const r of s.routes) add(r.to);
  return out;
}

const cache = new WeakMap<Workflow, Flow>();

/** Computes (once per workflow object) the loop-back and cyclic transitions; iterative, any length. */
export function flowOf(wf: Workflow): Flow {
  const hit = cache.get(wf);
  if (hit) return hit;
  const back = new Set<string>();
  const reachable = new Set<string>([wf.start]);
  const onStack = new Set<string>([wf.start]);
  const stack: { id: string; succ: string[]; i: number }[] = [{ id: wf.start, succ: successors(wf, wf.start), i: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.i >= top.succ.length) {
      onStack.delete(top.id);
      stack.pop();
      continue;
    }
    const to = top.succ[top.i++]!;
    if (onStack.has(to)) back.add(`${top.id}>${to}`);
    else if (!reachable.has(to)) {
      reachable.add(to);
      onStack.add(to);
      stack.push({ id: to, succ: successors(wf, to), i: 0 });
    }
  }
  const comp = components(wf, reachable);
  const cyclic = new Set<string>();
  for (const id of reachable) for (const to of successors(wf, id)) if (comp.get(id) === comp.get(to)) cyclic.add(`${id}>${to}`);
  const flow: Flow = { back, cyclic, reachable };
  cache.set(wf, flow);
  return flow;
}

/** Strongly connected components (Kosaraju, iterative): step id -> component number. */
function components(wf: Workflow, nodes: ReadonlySet<string>): Map<string, number> {
  const order: string[] = [];
  const seen = new Set<string>();
  for (const start of nodes) {
    if (seen.has(start)) continue;
    seen.add(start);
    const stack: { id: string; succ: string[]; i: number }[] = [{ id: start, succ: successors(wf, start), i: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.i >= top.succ.length) {
        order.push(top.id);
        stack.pop();
        continue;
      }
      const to = top.succ[top.i++]!;
      if (!seen.has(to) && nodes.has(to)) {
        seen.add(to);
        stack.push({ id: to, succ: successors(wf, to), i: 0 });
      }
    }
  }
  const preds = new Map<string, string[]>();
  for (const id of nodes) for (const to of successors(wf, id)) if (nodes.has(to)) (preds.get(to) ?? preds.set(to, []).get(to)!).push(id);
  const comp = new Map<string, number>();
  let n = 0;
  for (let i = order.length - 1; i >= 0; i--) {
    const root = order[i]!;
    if (comp.has(root)) continue;
    const stack = [root];
    comp.set(root, n);
    while (stack.length > 0) {
      const id = stack.pop()!;
      for (const p of preds.get(id) ?? []) {
        if (!comp.has(p)) {
          comp.set(p, n);
          stack.push(p);
        }
      }
    }
    n++;
  }
  return comp;
}

/** A routing step on a cycle of routing steps only (the compiled machine's eventless transitions never settle there), or null. */
export function routingLoop(wf: Workflow): string | null {
  const routing = (id: string) => wf.steps[id]?.kind === 'routing';
  for (const start of wf.stepOrder) {
    if (!routing(start)) continue;
    const seen = new Set<string>();
    const stack = wf.steps[start]!.routes.map((r) => r.to);
    while (stack.length) {
      const id = stack.pop()!;
      if (id === start) return start;
      if (seen.has(id) || !routing(id)) continue;
      seen.add(id);
      stack.push(...wf.steps[id]!.routes.map((r) => r.to));
    }
  }
  return null;
}
