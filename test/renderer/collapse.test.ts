// Long linear runs of a workflow collapsed into one box each, with the takeover counts kept exact.
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, buildAnalysisReport } from '../../analysis/index.ts';
import { collapseLayout, linearRuns, runPaths } from '../../renderer/compute/computeCollapse.ts';
import { computeGraphLayout } from '../../renderer/compute/computeGraphLayout.ts';
import { computeOverlay, overlayOnLayout } from '../../renderer/compute/computeOverlay.ts';
import { stepCrossings } from '../../renderer/compute/computeStepList.ts';
import { bundledScenarios, bundledWorkflow, chainWorkflow } from './library.ts';

const e = (from: string, to: string) => ({ from, to });
const order = ['a', 'b', 'c', 'd', 'e', 'f'];

describe('linearRuns', () => {
  it('finds a chain of one-way-in, one-way-out steps as one run', () => {
    expect(linearRuns(order, [e('a', 'b'), e('b', 'c'), e('c', 'd'), e('d', 'e'), e('e', 'f')], 'a')).toEqual([{ id: 'run:a', steps: order }]);
  });

  it('lets a run be entered from many places and branch at its end, but not in its middle', () => {
    // x and y both lead to a; c branches to d and f.
    const edges = [e('x', 'a'), e('y', 'a'), e('a', 'b'), e('b', 'c'), e('c', 'd'), e('c', 'f'), e('d', 'e'), e('e', 'f')];
    expect(linearRuns(['x', 'y', ...order], edges, 'x')).toEqual([{ id: 'run:a', steps: ['a', 'b', 'c'] }]);
  });

  it('ends a run before a step that more than one step leads to', () => {
    const edges = [e('a', 'b'), e('b', 'c'), e('c', 'd'), e('x', 'd'), e('d', 'e'), e('e', 'f')];
    expect(linearRuns([...order, 'x'], edges, 'a').map((r) => r.steps)).toEqual([['a', 'b', 'c'], ['d', 'e', 'f']]);
  });

  it('leaves runs shorter than three steps drawn as they are', () => {
    expect(linearRuns(['a', 'b', 'c'], [e('a', 'b'), e('b', 'c'), e('a', 'c')], 'a')).toEqual([]);
    expect(linearRuns(['a', 'b'], [e('a', 'b')], 'a')).toEqual([]);
  });

  it('keeps the steps it is given open (the selected path’s takeover step), splitting the runs around them', () => {
    const edges = [e('a', 'b'), e('b', 'c'), e('c', 'd'), e('d', 'e'), e('e', 'f')];
    expect(linearRuns(order, edges, 'a', new Set(['d']), 2).map((r) => r.steps)).toEqual([['a', 'b', 'c'], ['e', 'f']]);
  });

  it('never puts the start step inside a run, so every run is entered through its first step', () => {
    const edges = [e('z', 'a'), e('a', 'b'), e('b', 'c'), e('c', 'd')];
    expect(linearRuns(['z', 'a', 'b', 'c', 'd'], edges, 'b').map((r) => r.steps)).toEqual([['b', 'c', 'd']]);
  });

  it('never collapses a chain that closes on itself', () => {
    expect(linearRuns(['a', 'b', 'c'], [e('a', 'b'), e('b', 'c'), e('c', 'a')], 'x')).toEqual([]);
  });

  it('treats two transitions between the same steps (next and on_fail) as a branch', () => {
    expect(linearRuns(['a', 'b', 'c', 'd'], [e('a', 'b'), e('b', 'c'), e('b', 'c'), e('c', 'd')], 'a')).toEqual([]);
  });
});

describe('collapseLayout', () => {
  const wf = chainWorkflow(60, 25);
  const layout = computeGraphLayout(wf);
  const runs = linearRuns(wf.stepOrder, layout.edges, wf.start);

  it('finds the chain’s runs between its branches', () => {
    expect(runs.map((r) => [r.steps[0], r.steps.at(-1), r.steps.length])).toEqual([
      ['intake', 'check_25', 26],
      ['check_26', 'check_50', 25],
      ['check_51', 'done', 12],
    ]);
  });

  it('draws each run as one box and every other step as before, shorter than the full graph', () => {
    const c = collapseLayout(layout, runs);
    expect(c.nodes.map((n) => n.id)).toEqual(['fallback_25', 'fallback_50']);
    expect(c.runs.map((r) => r.label)).toEqual(['26 steps: intake … Knowledge check 25', '25 steps: Knowledge check 26 … Knowledge check 50', '12 steps: Knowledge check 51 … done']);
    expect(c.height).toBeLessThan(layout.height / 5);
    expect(c.runOf.get('check_30')).toBe('run:check_26');
  });

  it('keeps every transition into and out of a run, with its id, and drops those inside', () => {
    const c = collapseLayout(layout, runs);
    expect(c.edges.map((x) => x.id).sort()).toEqual(
      ['check_25>check_26>next', 'check_25>fallback_25>on_fail', 'fallback_25>check_26>next', 'check_50>check_51>next', 'check_50>fallback_50>on_fail', 'fallback_50>check_51>next'].sort(),
    );
  });

  it('never overlaps two boxes', () => {
    const c = collapseLayout(layout, runs);
    const all = [...c.nodes, ...c.runs];
    for (const a of all)
      for (const b of all) if (a !== b) expect(a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height).toBe(false);
  });
});

describe('takeover counts on collapsed runs', () => {
  const scenarios = bundledScenarios().filter((s) => s.id < 's21');

  it('gives a run the exact number of paths crossing it, and keeps each drawn transition’s own count', () => {
    const wf = chainWorkflow(12, 5);
    const layout = computeGraphLayout(wf);
    const report = buildAnalysisReport([analyzeWorkflow(wf, scenarios)]).workflows[0]!;
    const overlay = computeOverlay(layout, report.transitions, null);
    const crossings = stepCrossings(layout, overlay);
    const runs = linearRuns(wf.stepOrder, layout.edges, wf.start);
    expect(runs.length).toBeGreaterThan(0);
    const total = BigInt(String(report.totals.paths));
    expect(total).toBeGreaterThan(0n);
    // Every takeover path walks the first run (it holds the start step): its total is all of them.
    expect(runPaths(runs[0]!, crossings).total).toBe(total);
    const c = collapseLayout(layout, runs);
    const moved = overlayOnLayout(overlay, c, c.runs);
    for (const edge of c.edges) expect(moved.edges.get(edge.id)!.count).toBe(overlay.edges.get(edge.id)!.count);
  });

  it('reports a run whose paths thin out inside it by its first and last step, never a lower bound', () => {
    const run = { id: 'run:a', steps: ['a', 'b', 'c'] };
    expect(runPaths(run, new Map([['a', 9n], ['b', 9n], ['c', 4n]]))).toEqual({ total: 9n, last: 4n, uniform: false });
    expect(runPaths(run, new Map([['a', 3n], ['b', 3n], ['c', 3n]]))).toEqual({ total: 3n, last: 3n, uniform: true });
  });

  it('collapses only the opening run of a workflow that branches at its third step', () => {
    const wf = bundledWorkflow('mfa-reenrollment-phone.weak');
    const layout = computeGraphLayout(wf);
    expect(linearRuns(wf.stepOrder, layout.edges, wf.start)).toEqual([{ id: 'run:intake', steps: ['intake', 'route', 'push_check'] }]);
  });
});
