// The graph as a list for screen readers: every step with its kind, name, actor and controls, where
// it leads, and how many of the drawn takeover paths cross it (from the exact per-transition counts).
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, buildAnalysisReport, formatCount } from '../../analysis/index.ts';
import { computeGraphLayout } from '../../renderer/compute/computeGraphLayout.ts';
import { computeOverlay } from '../../renderer/compute/computeOverlay.ts';
import { stepItems } from '../../renderer/compute/computeStepList.ts';
import { branchingWorkflow, bundledScenarios, bundledWorkflow } from './library.ts';

const scenarios = bundledScenarios().filter((s) => s.id < 's21');
const reportOf = (wf: ReturnType<typeof bundledWorkflow>) => buildAnalysisReport([analyzeWorkflow(wf, scenarios)]).workflows[0]!;

describe('stepItems', () => {
  const wf = bundledWorkflow('standard-password-reset.weak');
  const layout = computeGraphLayout(wf);

  it('lists every step in the graph order with its kind, name, actor, controls and exits, and no counts before an analysis', () => {
    const items = stepItems(layout, null, false);
    expect(items.map((i) => i.id)).toEqual(layout.nodes.map((n) => n.id));
    const verify = items.find((i) => i.id === 'verify')!;
    expect(verify.heading).toMatch(/^Identity proofing step 3: /);
    expect(verify.actor).toBeTruthy();
    expect(verify.controls.some((c) => c.startsWith('proofing.ial2 (procedural'))).toBe(true);
    expect(verify.leadsTo).toMatch(/^next: /);
    expect(verify.paths).toBeNull();
    expect(items[0]!.heading).toMatch(/\(start\)/);
    expect(items.find((i) => i.id === 'done')!.leadsTo).toBe('ends the workflow');
  });

  it('counts the takeover paths crossing each step from the edge counts: every path of the weak reset crosses verification', () => {
    const report = reportOf(wf);
    const all = `${formatCount(BigInt(String(report.totals.paths)))} takeover paths cross this step`;
    const overlay = computeOverlay(layout, report.transitions, null);
    const items = stepItems(layout, overlay, true);
    expect(items.find((i) => i.id === 'verify')!.paths).toBe(all);
    // The first step has nothing entering it: the paths leaving it are counted.
    expect(items[0]!.paths).toBe(all);
    // With S09's paths alone (2, through verification), the words follow the count.
    const s09 = computeOverlay(layout, buildAnalysisReport([analyzeWorkflow(wf, scenarios.filter((s) => s.id === 's09-bribed-insider-agent'))]).workflows[0]!.transitions, null);
    expect(stepItems(layout, s09, true).find((i) => i.id === 'verify')!.paths).toBe('2 takeover paths cross this step');
  });

  it('writes counts past 2^53 exactly', () => {
    const big = branchingWorkflow(24);
    const l = computeGraphLayout(big);
    const o = computeOverlay(l, reportOf(big).transitions, null);
    const gate = stepItems(l, o, true).find((i) => i.id === 'gate')!;
    expect(gate.paths).toMatch(/^[\d,]{20,}.* takeover paths cross this step$/);
  });
});
