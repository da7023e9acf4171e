import { describe, expect, it, vi } from 'vitest';
import { toggleControl } from '../../analysis/index.ts';
import { generateWorkflow } from '../../bench/generate.ts';
import { CONTROLS, placementStats, type Workflow } from '../../models/index.ts';
import { computeGraphLayout, layoutChips, NODE_WIDTH, workflowEdges, wrapText } from '../../renderer/compute/computeGraphLayout.ts';
import { bundledWorkflow, bundledWorkflowIds } from './library.ts';

const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('workflow graph layout', () => {
  it('draws one box per step and one edge per next, on_fail and route transition', () => {
    const wf = bundledWorkflow('mfa-reenrollment-phone.weak');
    const layout = computeGraphLayout(wf);
    expect(layout.nodes.map((n) => n.id)).toEqual(wf.stepOrder);
    expect(layout.edges.map((e) => e.id).sort()).toEqual(
      [
        'intake>route>next',
        'route>push_check>route',
        'push_check>enrol>next',
        'push_check>callback_mobile>on_fail',
        'callback_mobile>enrol>next',
        'callback_mobile>knowledge_check>on_fail',
        'knowledge_check>enrol>next',
        'enrol>done>next',
      ].sort(),
    );
    expect(layout.edges.find((e) => e.kind === 'on_fail')!.label).toBe('on fail');
    expect(layout.edges.every((e) => e.d.startsWith('M'))).toBe(true);
  });

  it('never overlaps two step boxes, in any bundled workflow', () => {
    for (const id of bundledWorkflowIds()) {
      const { nodes, width, height } = computeGraphLayout(bundledWorkflow(id));
      for (let i = 0; i < nodes.length; i++) {
        for (let j = i + 1; j < nodes.length; j++) expect(overlaps(nodes[i]!, nodes[j]!), `${id}: ${nodes[i]!.id} / ${nodes[j]!.id}`).toBe(false);
        expect(nodes[i]!.x).toBeGreaterThanOrEqual(0);
        expect(nodes[i]!.x + nodes[i]!.width).toBeLessThanOrEqual(width + 1);
        expect(nodes[i]!.y + nodes[i]!.height).toBeLessThanOrEqual(height + 1);
      }
    }
  });

  it('keeps every control chip inside its step box', () => {
    for (const id of bundledWorkflowIds()) {
      for (const n of computeGraphLayout(bundledWorkflow(id)).nodes) {
        for (const c of n.chips) {
          expect(c.x + c.width, `${id}/${n.id}/${c.control}`).toBeLessThanOrEqual(NODE_WIDTH - 10);
          expect(c.y + 18).toBeLessThanOrEqual(n.height);
        }
      }
    }
  });

  it('marks procedural controls apart from system-enforced ones and names settings below hardened', () => {
    const wf = bundledWorkflow('standard-password-reset.weak');
    const verify = computeGraphLayout(wf).nodes.find((n) => n.id === 'verify')!;
    expect(verify.chips).toHaveLength(1);
    expect(verify.chips[0]).toMatchObject({ control: 'proofing.ial2', enforcement: 'procedural', belowHardened: ['method=kbv'] });
    expect(verify.chips[0]!.title).toContain('Procedural: an agent can skip it under pressure');
    const layout = computeGraphLayout(wf);
    expect(layout.workflowChips.map((c) => c.control)).toEqual(['agent.mfa']);
  });

  it('merges route entries to the same step into one labelled edge', () => {
    const wf = bundledWorkflow('standard-password-reset.weak');
    const routes = workflowEdges(wf).filter((e) => e.kind === 'route');
    expect(routes).toEqual([{ id: 'route>verify>route', from: 'route', to: 'verify', kind: 'route', label: 'employee, remote +3' }]);
  });

  it('wraps long step names onto at most three lines and ellipses the rest', () => {
    expect(wrapText('Reset password, read temporary password to caller', 28, 3)).toEqual(['Reset password, read', 'temporary password to caller']);
    const lines = wrapText('a '.repeat(60), 10, 3);
    expect(lines).toHaveLength(3);
    expect(lines[2]!.endsWith('…')).toBe(true);
    expect(wrapText('supercalifragilisticexpialidocious', 10, 3)[0]).toBe('supercali-');
  });

  it('flows chips onto a new row when the next one does not fit', () => {
    const wf = bundledWorkflow('standard-password-reset.hardened');
    const many = wf.stepOrder.flatMap((s) => wf.steps[s]!.controls);
    const { chips, bottom } = layoutChips(many, 200, 0, 0);
    expect(chips.length).toBeGreaterThan(3);
    for (const c of chips) expect(c.x + c.width).toBeLessThanOrEqual(200);
    expect(new Set(chips.map((c) => c.y)).size).toBeGreaterThan(1);
    expect(bottom).toBe(Math.max(...chips.map((c) => c.y)) + 18);
  });

  it('lays out a variant exactly as a fresh layout of it, whether or not its boxes kept their sizes', async () => {
    // Each variant is laid out after its workflow (so a placement of the same boxes may be reused)
    // and again by a fresh copy of the module that has placed nothing yet.
    const groups = ['mfa-reenrollment-phone.weak', 'executive-vip-reset.hardened', 'standard-password-reset.weak'].map((id) => {
      const wf = bundledWorkflow(id);
      const toggled = CONTROLS.flatMap((c) => [toggleControl(wf, c.id, true), toggleControl(wf, c.id, false)]).filter((w) => w !== wf);
      // A route sent to other classes: the same boxes, an edge labelled differently.
      const routing = wf.stepOrder.find((s) => wf.steps[s]!.kind === 'routing')!;
      const step = wf.steps[routing]!;
      const rerouted = { ...wf, steps: { ...wf.steps, [routing]: { ...step, routes: step.routes.map((r, i) => (i === 0 ? { ...r, classes: r.classes.includes('vendor') ? ['executive' as const] : ['vendor' as const] } : r)) } } };
      return { wf, variants: [...toggled, rerouted] };
    });
    let sameBoxes = 0;
    let grown = 0;
    for (const { wf, variants } of groups) {
      const base = computeGraphLayout(wf);
      for (const w of variants) {
        const reused = computeGraphLayout(w);
        vi.resetModules();
        const fresh = await import('../../models/graphLayout.ts');
        expect(reused).toEqual(fresh.computeGraphLayout(w));
        if (reused.nodes.every((n, j) => n.height === base.nodes[j]!.height)) sameBoxes++;
        else grown++;
      }
      // The rerouted variant's route label differs from the workflow's, on the same boxes.
      const rerouted = computeGraphLayout(variants.at(-1)!);
      expect(rerouted.nodes.map((n) => n.height)).toEqual(base.nodes.map((n) => n.height));
      expect(rerouted.edges.map((e) => e.label)).not.toEqual(base.edges.map((e) => e.label));
    }
    // Both kinds are covered: variants whose boxes kept their sizes and variants whose boxes grew.
    expect(sameBoxes).toBeGreaterThan(0);
    expect(grown).toBeGreaterThan(0);
  });

  it('re-places a graph whose boxes only changed height (controls toggled one after another) exactly as dagre places it afresh', async () => {
    // Every bundled workflow and two generated 60-step ones, with controls switched on and off in
    // turn (each variant placed from the one before it), each compared with a fresh copy of the
    // module that runs dagre.
    const controls = ['callback.number_on_file', 'approval.dual', 'notify.out_of_band', 'cooldown.delay', 'proofing.no_pii_kbv', 'sim_swap.signal'];
    const workflows: Workflow[] = [...bundledWorkflowIds().map(bundledWorkflow), generateWorkflow(60, 25, 42), generateWorkflow(60, 25, 7)];
    const before = placementStats().reflowed;
    for (const wf of workflows) {
      let w = wf;
      computeGraphLayout(w);
      for (const [i, c] of controls.entries()) {
        w = toggleControl(w, c, i % 3 !== 2);
        const placed = computeGraphLayout(w);
        vi.resetModules();
        const fresh = await import('../../models/graphLayout.ts');
        expect(placed, `${wf.id} after ${controls.slice(0, i + 1).join(', ')}`).toEqual(fresh.computeGraphLayout(w));
        expect(fresh.placementStats()).toEqual({ dagre: 1, reflowed: 0, reused: 0 });
      }
    }
    // Most variants were re-placed, not laid out by dagre again.
    expect(placementStats().reflowed - before).toBeGreaterThan(workflows.length * 2);
  });
});
