// Placing a control hardened (a what-if toggle, a counterfactual of attribution, a control set
// applied) never weakens an instance already set beyond the catalogue's hardened values, and a value
// beyond them is not reported as below hardened (docs/analysis-semantics.md, "Hardened placement").
// Found by the property test over weakened workflow-wide controls: a tier-3 minimum for privileged
// resets was "hardened" to the catalogue's tier 2, and a tier-2 agent's reset opened.
import { describe, expect, it } from 'vitest';
import { placeControl, toggleControl, weakParams } from '../../analysis/index.ts';
import { belowHardened, CONTROLS, getControl, hardenedOver, loadWorkflowOrThrow, type ControlInstance } from '../../models/index.ts';
import { analyseOne, approvalAfterKbv, attacker } from './helpers.ts';

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

// The hardened value of an enum or boolean parameter has no number to compare: it must be at least as
// strong as every other value against every attacker, which the defeat rules decide. Found by reading
// them: an independent-contact approval once fell to a bribed agent in the support tool with a SIM swap
// and a cloned voice, whom the record-only approval it replaced was then credited with stopping.
describe('the hardened setting of a control is open to no attacker a weaker setting stops', () => {
  const recordOnlyDual = () => approvalAfterKbv('agent_record');

  it('hardening a record-only dual approval keeps the bribed agent with a SIM swap and a cloned voice out of the support tool, which the record let through', () => {
    const inTool = attacker(['insider_bribed_agent', 'sim_swap', 'voice_clone'], { channels: ['agent_console'] });
    const wf = recordOnlyDual();
    expect(analyseOne(wf, inTool).paths > 0n).toBe(true);
    const hardened = toggleControl(wf, 'approval.dual', true);
    expect(hardened.steps.approve!.controls[0]!.params.approver_evidence).toBe('independent_contact');
    expect(analyseOne(hardened, inTool).paths).toBe(0n);
  });

  it('still lets a caller with a SIM swap and a cloned voice past an independent-contact approval: the record and the call both deceive the approver', () => {
    const caller = attacker(['osint_personal_data', 'sim_swap', 'voice_clone']);
    expect(analyseOne(toggleControl(recordOnlyDual(), 'approval.dual', true), caller).paths > 0n).toBe(true);
  });

  it('holds for every catalogue control: each defeat rule of the hardened setting is matched, for every other setting of its enum and boolean parameters, by a rule that needs no more', () => {
    type Rule = (typeof CONTROLS)[number]['defeatedBy'][number];
    const within = (a: readonly unknown[] = [], b: readonly unknown[] = []) => a.every((x) => b.some((y) => JSON.stringify(y) === JSON.stringify(x)));
    // r2 applies wherever r does: no capability, attacker condition or exemption r lacks.
    const covers = (r2: Rule, r: Rule) =>
      within(r2.capabilities, r.capabilities) &&
      (!r2.attacker || r2.attacker === r.attacker) &&
      (!r2.identityFrom || r2.identityFrom === r.identityFrom) &&
      within(r2.unlessAtStep, r.unlessAtStep) &&
      within(r2.unlessInWorkflow, r.unlessInWorkflow) &&
      within(r2.unlessWorkflowParam, r.unlessWorkflowParam) &&
      within(r2.unlessAtStepWith, r.unlessAtStepWith) &&
      (!r2.contactAge || !!r.contactAge);
    const applies = (r: Rule, params: Record<string, unknown>) =>
      !r.when || Object.entries(r.when).every(([p, vs]) => !(p in params) || (Array.isArray(params[p]) ? (params[p] as unknown[]).some((x) => vs.includes(x as string)) : vs.includes(params[p] as string)));
    const open: string[] = [];
    for (const def of CONTROLS) {
      const hardened: Record<string, unknown> = Object.fromEntries(Object.entries(def.params).map(([p, spec]) => [p, spec.hardened]));
      let settings = [hardened];
      for (const [p, spec] of Object.entries(def.params)) {
        if (spec.type === 'boolean') settings = settings.flatMap((s) => [true, false].map((v) => ({ ...s, [p]: v })));
        if (spec.type === 'enum') settings = settings.flatMap((s) => spec.values.map((v) => ({ ...s, [p]: v })));
      }
      for (const r of def.defeatedBy.filter((x) => applies(x, hardened))) {
        for (const s of settings) if (!def.defeatedBy.some((r2) => applies(r2, s) && covers(r2, r))) open.push(`${def.id} ${JSON.stringify(s)}: ${r.id}`);
      }
    }
    expect(open).toEqual([]);
  });
});
