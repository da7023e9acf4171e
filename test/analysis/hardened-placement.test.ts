// Placing a control hardened (a what-if toggle, a counterfactual of attribution, a control set
// applied) never weakens an instance already set beyond the catalogue's hardened values, and a value
// beyond them is not reported as below hardened (docs/analysis-semantics.md, "Hardened placement").
// Found by the property test over weakened workflow-wide controls: a tier-3 minimum for privileged
// resets was "hardened" to the catalogue's tier 2, and a tier-2 agent's reset opened.
import { describe, expect, it } from 'vitest';
import { placeControl, toggleControl, weakParams } from '../../analysis/index.ts';
import { belowHardened, CONTROLS, getControl, hardenedOver, loadWorkflowOrThrow, type ControlInstance } from '../../models/index.ts';
import { analyseOne, attacker } from './helpers.ts';

/** A privileged account's reset by an agent of the given tier, with the privileged path's minimum tier set as given. */
const tierDesk = (minTier: number, executorTier = 2) =>
  loadWorkflowOrThrow(
    `resetpath: workflow/1
id: tier.desk
name: Tier desk
account_classes: [privileged_admin]
actors:
  - { id: agent, kind: agent, tier: ${executorTier}, name: agent }
controls:
  - control: privileged.separate_path
    params: { min_executor_tier: ${minTier} }
    enforcement: system
start: intake
steps:
  - id: intake
    kind: intake
    channels: [phone]
    actor: agent
    next: reset
  - id: reset
    kind: execution
    actor: agent
    action: password_reset
    delivery: requester_on_call
    next: done
  - id: done
    kind: end
`,
    'tier-desk.yaml',
  );

const inst = (wf: ReturnType<typeof tierDesk>, control: string): ControlInstance => wf.controls.find((c) => c.control === control)!;

describe('placing a control hardened where it is already set', () => {
  const caller = attacker([], { target: 'privileged_admin' });

  it('keeps a tier-3 minimum for privileged resets at tier 3, so the tier-2 reset stays closed', () => {
    const wf = tierDesk(3);
    expect(analyseOne(wf, caller).outcome).toBe('blocked');
    const hardened = placeControl(wf, 'privileged.separate_path');
    expect(inst(hardened, 'privileged.separate_path').params.min_executor_tier).toBe(3);
    expect(analyseOne(hardened, caller).outcome).toBe('blocked');
    // The what-if toggle is the same placement.
    expect(analyseOne(toggleControl(wf, 'privileged.separate_path', true), caller).outcome).toBe('blocked');
  });

  it('raises a minimum set below the hardened tier to it, which closes the tier-1 reset it let through', () => {
    const wf = tierDesk(1, 1);
    expect(analyseOne(wf, caller).outcome).not.toBe('blocked');
    const hardened = placeControl(wf, 'privileged.separate_path');
    expect(inst(hardened, 'privileged.separate_path').params.min_executor_tier).toBe(2);
    expect(analyseOne(hardened, caller).outcome).toBe('blocked');
  });

  it('takes the stronger of the value set and the hardened one for every number parameter, by its direction', () => {
    for (const def of CONTROLS) {
      for (const [name, spec] of Object.entries(def.params)) {
        if (spec.type !== 'number') continue;
        const stronger = spec.stronger === 'higher' ? spec.max : spec.min;
        const weaker = spec.stronger === 'higher' ? spec.min : spec.max;
        expect(hardenedOver(spec, stronger), `${def.id}.${name}`).toBe(stronger);
        expect(hardenedOver(spec, weaker), `${def.id}.${name}`).toBe(spec.hardened);
        expect(hardenedOver(spec, undefined), `${def.id}.${name}`).toBe(spec.hardened);
        expect([belowHardened(spec, stronger), belowHardened(spec, spec.hardened), belowHardened(spec, weaker)], `${def.id}.${name}`).toEqual([false, false, weaker !== spec.hardened]);
      }
    }
  });

  it('keeps the entries a list sets besides the hardened ones, and adds the hardened ones it lacks', () => {
    const spec = getControl('notify.out_of_band').params.channels!;
    expect(hardenedOver(spec, ['app_push', 'postal'])).toEqual(spec.type === 'enum[]' ? spec.values.filter((v) => [...spec.hardened, 'app_push', 'postal'].includes(v)) : null);
    expect(belowHardened(spec, spec.type === 'enum[]' ? [...spec.hardened, 'postal'] : [])).toBe(false);
    expect(belowHardened(spec, ['postal'])).toBe(true);
  });

  it('reports a value beyond the hardened one as not weak, and one short of it as weak', () => {
    const def = getControl('privileged.separate_path');
    expect(weakParams(def, inst(tierDesk(3), 'privileged.separate_path'))).toEqual([]);
    expect(weakParams(def, { ...inst(tierDesk(3), 'privileged.separate_path'), params: { min_executor_tier: 1 } })).toEqual(['min_executor_tier']);
  });

  it('places every catalogue control at its hardened values where none is set beyond them', () => {
    const wf = tierDesk(2);
    for (const def of CONTROLS) {
      const placed = placeControl(wf, def.id);
      for (const c of [...placed.controls, ...placed.stepOrder.flatMap((s) => placed.steps[s]!.controls)].filter((x) => x.control === def.id)) {
        for (const [name, spec] of Object.entries(def.params)) expect(c.params[name], `${def.id}.${name}`).toEqual(spec.hardened);
      }
    }
  });
});
