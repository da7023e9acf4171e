// Replays what an analysis found through the workflow machine: an example takeover path, or the
// attempt that got furthest before it was stopped.
import type { Workflow } from '../models/index.ts';
import { replay, type ReplayOptions, type ReplayTrace, type Scenario } from '../scenarios/index.ts';
import type { ExamplePath } from './examples.ts';
import { prefixOf, type StateGraph } from './stateGraph.ts';

/** Replays one example takeover path through the compiled machine. */
export function replayPath(wf: Workflow, scenario: Scenario, path: ExamplePath, options: ReplayOptions = {}): ReplayTrace {
  return replay(
    wf,
    scenario,
    { channel: path.channel, claimedClass: path.claimedClass, standingExceptions: path.standingExceptions, steps: path.walked.map((w) => ({ step: w.step, via: w.via })) },
    options,
  );
}

/** Replays the longest attempt that was stopped (null when no attempt got past the channel). */
export function replayFurthestBlocked(g: StateGraph, options: ReplayOptions = {}): ReplayTrace | null {
  let best: { steps: { step: string; via: 'pass' | 'fail' | 'route' | 'end' }[]; node: number } | null = null;
  for (const b of g.blocks) {
    if (b.at < 0) continue;
    const prefix = prefixOf(g, b.at).map((e) => ({ step: g.nodes[e.from]!.step, via: e.via }));
    const steps = b.last ? [...prefix, b.last] : prefix;
    if (!best || steps.length > best.steps.length) best = { steps, node: b.at };
  }
  if (!best) return null;
  const n = g.nodes[best.node]!;
  let root = n;
  while (root.parent >= 0) root = g.nodes[g.edges[root.parent]!.from]!;
  return replay(
    g.prep.wf,
    g.scenario,
    { channel: n.channel, claimedClass: n.claim, standingExceptions: root.exceptions.filter((x) => x.how === 'standing').map((x) => x.id), steps: best.steps },
    options,
  );
}
