// The status a gap reports must point at the fix: "weak" means the control on the path was defeated
// through its parameters (harden them), "not enforced" that it was skipped as a procedure (enforce
// it), "misplaced" that it is on the path but the path goes around it (place it where it acts).
// The misplaced cases below were mislabelled before (see docs/analysis-semantics.md, Gap status, item 7).
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow } from '../../analysis/index.ts';
import { generateWorkflow } from '../../bench/generate.ts';
import { bundledScenarios } from '../renderer/library.ts';
import { attacker, deskWorkflow, kbvStep } from './helpers.ts';

/** A call-back to the mobile on file, from the directory: weak against a SIM swap. */
const MOBILE_CALLBACK = `
  - id: verify
    kind: callback
    actor: tier1
    controls:
      - control: callback.number_on_file
        params: { number_type: mobile, number_source: directory }
        enforcement: system
    next: reset`;

/** The gap entry of a control on the first example of each class (where the class's gap is explained). */
const gapOf = (a: ReturnType<typeof analyzeWorkflow>, control: string) => a.scenarios[0]!.classes.map((c) => c.examples[0]!.gaps.find((g) => g.control === control));

describe('gap status of a control present on the path', () => {
  it('is weak for a notification whose listed addresses are all controlled by the attacker (its channels list is a parameter like any other)', () => {
    const w = deskWorkflow({
      steps: kbvStep(),
      resetControls: `
      - control: notify.out_of_band
        params: { channels: [sms_on_file], recipients: all_registered }
        enforcement: system`,
    });
    const a = analyzeWorkflow(w, [attacker(['osint_personal_data', 'sim_swap'])], { minimalSets: false });
    expect(a.scenarios[0]!.outcome).toBe('takeover_undetected');
    const [gap] = gapOf(a, 'notify.out_of_band');
    expect(gap).toMatchObject({ effect: 'detects', status: 'weak' });
    expect(gap!.why).toContain('channels=sms_on_file');
  });

  it('is misplaced, not weak or not enforced, for a call-back that held and that the path goes around by its on_fail branch', () => {
    const steps = (enforcement: string, params: string) => `
  - id: verify
    kind: callback
    actor: tier1
    controls:
      - control: callback.number_on_file
        params: { ${params} }
        enforcement: ${enforcement}
    next: reset
    on_fail: questions${kbvStep('reset', 'questions')}`;
    const osint = attacker(['osint_personal_data']);
    // A weak-parameter call-back (mobile from the directory) that nonetheless held: hardening its
    // parameters would not close the path, which goes round it to the knowledge questions.
    const weakParams = analyzeWorkflow(deskWorkflow({ steps: steps('system', 'number_type: mobile, number_source: directory') }), [osint], { minimalSets: false });
    // A procedural call-back that held (no pressure): enforcing it would not close the path either.
    const procedural = analyzeWorkflow(deskWorkflow({ steps: steps('procedural', 'number_type: desk_phone, number_source: hris') }), [osint], { minimalSets: false });
    for (const a of [weakParams, procedural]) {
      const [gap] = gapOf(a, 'callback.number_on_file');
      // Placed (hardened) on the questions step, a call-back would still stop this path.
      expect(gap).toMatchObject({ effect: 'blocks', status: 'misplaced', actsAt: 'questions' });
      expect(gap!.why).toContain('on_fail');
    }
  });

  it('is misplaced on the path that goes around a call-back the attacker could have defeated, and weak on the path that defeats it', () => {
    // An attacker who can swap the SIM passes the weak call-back, but may also leave it unanswered and
    // answer the fallback questions: on that path hardening the call-back would not close anything
    // (the path goes round it either way), so its weak parameters are not that path's gap.
    const w = deskWorkflow({
      steps: `${MOBILE_CALLBACK}
    on_fail: questions${kbvStep('reset', 'questions')}`,
    });
    const a = analyzeWorkflow(w, [attacker(['sim_swap', 'osint_personal_data'])], { minimalSets: false });
    const byRoute = new Map(a.scenarios[0]!.classes.map((c) => [c.examples[0]!.walked.some((w) => w.step === 'questions') ? 'around' : 'through', c]));
    expect([...byRoute.keys()].sort()).toEqual(['around', 'through']);
    expect(byRoute.get('through')!.statuses['callback.number_on_file']).toBe('weak');
    expect(byRoute.get('around')!.statuses['callback.number_on_file']).toBe('misplaced');
    const gap = byRoute.get('around')!.examples[0]!.gaps.find((g) => g.control === 'callback.number_on_file');
    expect(gap).toMatchObject({ effect: 'blocks', status: 'misplaced', actsAt: 'questions' });
    expect(gap!.why).toContain('goes around by the step\'s on_fail branch (hardening it there would not close the path)');
  });

  it('is misplaced, not weak, for an approval with weak parameters on a step after the takeover: it cannot stop a reset already made', () => {
    const w = deskWorkflow({
      steps: kbvStep(),
      afterReset: `
  - id: after
    kind: approval
    actor: tier2
    controls:
      - control: approval.dual
        params: { separation_enforced: false, approver_evidence: agent_record }
        enforcement: system
    next: done`,
    });
    const a = analyzeWorkflow(w, [attacker(['osint_personal_data'])], { minimalSets: false });
    expect(a.scenarios[0]!.outcome).toBe('takeover_undetected');
    const [gap] = gapOf(a, 'approval.dual');
    // Placed hardened where it attaches before the takeover, a dual approval would stop the path.
    expect(gap).toMatchObject({ effect: 'blocks', status: 'misplaced' });
    expect(gap!.actsAt).not.toBe('after');
    expect(gap!.why).toBe('present at "after", after the takeover: it cannot stop a reset already made');
  });

  it('stays weak for the same call-back when the attacker defeats it through its parameters', () => {
    const w = deskWorkflow({
      steps: MOBILE_CALLBACK,
    });
    const a = analyzeWorkflow(w, [attacker(['sim_swap'])], { minimalSets: false });
    const [gap] = gapOf(a, 'callback.number_on_file');
    expect(gap).toMatchObject({ effect: 'blocks', status: 'weak' });
    expect(gap!.why).toContain('callback.mobile.sim_swap');
  });
});

describe('gap status of a modifier present at full strength away from the check it would harden', () => {
  it('is misplaced, and its explanation names the step where it is', () => {
    // The SIM-swap signal sits on the knowledge check, where no rule it stops applies; the call-back
    // to the mobile on file, which a SIM swap defeats, has none.
    const w = deskWorkflow({
      steps: `
  - id: verify
    kind: proofing
    name: Knowledge check
    actor: tier1
    controls:
      - control: sim_swap.signal
        enforcement: system
    next: cb
  - id: cb
    kind: callback
    actor: tier1
    controls:
      - control: callback.number_on_file
        params: { mode: outbound_callback, number_source: hris, number_type: mobile, min_contact_age_days: 30 }
        enforcement: system
    next: reset`,
    });
    const a = analyzeWorkflow(w, [attacker(['sim_swap'])], { minimalSets: false });
    expect(a.scenarios[0]!.outcome).toBe('takeover_undetected');
    const gaps = gapOf(a, 'sim_swap.signal').filter((g) => g !== undefined);
    expect(gaps.length).toBeGreaterThan(0);
    for (const g of gaps) {
      expect(g).toMatchObject({ effect: 'blocks', status: 'misplaced', actsAt: 'cb' });
      expect(g.why).toBe('present at full strength at "Knowledge check", but not where it would act on this path');
    }
  });
});

describe('gap status of a control on an exception the path does not use', () => {
  it('says which exception carries it and which one the path is let through by', () => {
    // Two exceptions waive the knowledge check; only one expires. The path uses the standing one, so
    // the expiry is present in the workflow but not where it would act on this path.
    const w = deskWorkflow({
      exceptions: `
  - { id: expiring, bypasses: [verify], controls: [{ control: exception.expiry }] }
  - { id: forever, bypasses: [verify] }`,
      steps: `
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - control: proofing.ial2
        params: { method: verified_id_facecheck, document_authentication: true }
        enforcement: system
    next: reset`,
    });
    const a = analyzeWorkflow(w, [attacker([])], { minimalSets: false });
    const gaps = gapOf(a, 'exception.expiry').filter((g) => g !== undefined);
    expect(gaps.length).toBeGreaterThan(0);
    for (const g of gaps) {
      expect(g.status).toBe('misplaced');
      expect(g.why).toBe('present on exception "expiring", not on "forever", which this path uses');
    }
  });
});

describe('the explanation of a status a control takes by its presence at a step the path goes around', () => {
  it('says the path leaves that step by its on_fail branch, where hardening or enforcing the control would not close it', () => {
    // A procedural SIM-swap signal on a step the path fails out of (on the 24-step generated
    // workflow against the composite AA23-320A scenario): its status on the path is read off that
    // presence, and the explanation must not leave the reader to enforce it there.
    const wf = generateWorkflow(24, 25, 42);
    const sc = bundledScenarios().find((s) => s.id === 's19-aa23-320a-composite')!;
    const classes = analyzeWorkflow(wf, [sc], { minimalSets: false }).scenarios[0]!.classes;
    let seen = 0;
    for (const c of classes) {
      const ex = c.examples[0]!;
      for (const g of ex.gaps) {
        const m = /^present \((.+)\) only at (.+), which this path goes around by the step's on_fail branch: hardening or enforcing it there would not close the path$/.exec(g.why);
        if (!m) continue;
        seen++;
        const steps = [...m[2]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!);
        const upToTakeover = ex.walked.slice(0, ex.walked.findIndex((w) => w.via === 'pass' && w.step === ex.takeoverStep) + 1);
        for (const s of steps) {
          expect(upToTakeover.some((w) => w.step === s && w.via === 'fail'), `${c.id} ${g.control} at ${s}`).toBe(true);
          expect(upToTakeover.some((w) => w.step === s && w.via === 'pass'), `${c.id} ${g.control} at ${s}`).toBe(false);
        }
      }
    }
    expect(seen).toBeGreaterThan(0);
  });
});
