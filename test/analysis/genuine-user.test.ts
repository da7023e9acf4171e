// The genuine user acting for the attacker (docs/analysis-semantics.md): a real account holder who is
// talked through a grant by a fake help desk (by phone or chat) passes every check of the requester
// with their own evidence, so those checks are never a gap; what stops it is a restriction on what
// the holder can grant, or a factor that cannot be handed over.
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, toggleControl } from '../../analysis/index.ts';
import { CONTROLS, loadWorkflowOrThrow, type Workflow } from '../../models/index.ts';
import { analyseOne, attacker, deskWorkflow, examples } from './helpers.ts';
import { bundledScenarios, bundledWorkflow } from '../renderer/library.ts';

const REQUESTER_SIDE = CONTROLS.filter((c) => c.side === 'requester').map((c) => c.id);

/** A request the account holder opens: sign-in, a guarded grant step, and the grant. */
function holderWorkflow(opts: { signIn?: string; grantStep?: string; action?: string; extra?: string; controls?: string }): Workflow {
  return loadWorkflowOrThrow(
    `
resetpath: workflow/1
id: test.holder
name: Holder grant
account_classes: [standard_employee]
actors:
  - { id: holder, kind: account_holder, name: the employee }
  - { id: idp, kind: system, name: identity provider }
${opts.controls ? `controls:\n${opts.controls}` : ''}
start: intake
steps:
  - id: intake
    kind: intake
    channels: [self_service]
    actor: holder
    next: sign_in
  - id: sign_in
    kind: step_up
    name: The employee signs in
    actor: holder
    controls:
${opts.signIn ?? `      - control: step_up.verification
        params: { factor: sms_otp }
        enforcement: system`}
    next: grant_step
  - id: grant_step
    kind: approval
    name: The employee approves
    actor: holder
    controls:
${opts.grantStep ?? `      - control: consent.app_restriction
        params: { user_consent: any_app }
        enforcement: system`}
    next: grant
  - id: grant
    kind: execution
    name: Grant
    actor: idp
    action: ${opts.action ?? 'oauth_app_consent'}
    delivery: requesting_client
${opts.extra ?? ''}
    next: done
  - id: done
    kind: end
`,
    'inline-holder.yaml',
  );
}

const vishing = attacker(['victim_vishing'], { channels: ['self_service'] });
const chat = attacker(['support_impersonation_chat'], { channels: ['self_service'] });
const stranger = attacker(['osint_personal_data', 'sim_swap', 'victim_mailbox_control', 'voice_clone'], { channels: ['self_service'] });

describe('the genuine user acting for the attacker', () => {
  it('does a step of the account holder for an attacker only when the attacker directs the holder, by phone or by chat', () => {
    const w = holderWorkflow({});
    expect(analyseOne(w, vishing).outcome).toBe('takeover_undetected');
    expect(analyseOne(w, chat).outcome).toBe('takeover_undetected');
    const r = analyseOne(w, stranger);
    expect(r.outcome).toBe('blocked');
    expect(r.blockedAt).toEqual([expect.objectContaining({ step: 'intake', kind: 'holder', controls: [] })]);
  });

  it('lets a request run past a notification, logging or review step the holder performs: no requester passes or fails one, so it stops no one', () => {
    for (const kind of ['notification', 'logging', 'review']) {
      const w = deskWorkflow({
        actors: '  - { id: holder, kind: account_holder, name: the employee }',
        steps: `
  - id: verify
    kind: ${kind}
    actor: holder
    next: reset`,
      });
      const r = analyseOne(w, attacker(['osint_personal_data']));
      expect(r.outcome, kind).toBe('takeover_undetected');
      expect(r.blockedAt, kind).toEqual([]);
    }
  });

  it('lets the directed holder pass every check of the requester with their own evidence, and never names one in a gap, however weak', () => {
    // The sign-in is the holder's step; the grant is the system's, on a request the holder makes.
    const w = holderWorkflow({
      extra: `    controls:
      - control: proofing.ial2
        params: { method: kbv }
        enforcement: system`,
    });
    const r = analyseOne(w, chat);
    const path = examples(w, chat)[0]!.walked;
    const signIn = path.find((s) => s.step === 'sign_in')!.verdicts[0]!;
    expect(signIn).toMatchObject({ control: 'step_up.verification', verdict: 'satisfied' });
    expect(signIn.reason).toContain('genuine account holder performs this step');
    const grant = path.find((s) => s.step === 'grant')!.verdicts[0]!;
    expect(grant).toMatchObject({ control: 'proofing.ial2', verdict: 'satisfied' });
    expect(grant.reason).toContain('genuine account holder makes this request');
    for (const c of r.classes) {
      const named = [...c.blocking, ...c.detecting, ...c.joint.flatMap((j) => j.controls), ...c.contributing.map((x) => x.control)];
      expect(named.filter((id) => REQUESTER_SIDE.includes(id))).toEqual([]);
      expect(c.blocking).toEqual(['consent.app_restriction']);
      expect(c.statuses['consent.app_restriction']).toBe('weak');
    }
  });

  it('treats a dual approval of a request the holder makes as passed by the holder, who confirms it', () => {
    const w = holderWorkflow({
      grantStep: `      - control: consent.app_restriction
        params: { user_consent: any_app }
        enforcement: system
      - control: approval.dual
        enforcement: system`,
    });
    const v = examples(w, vishing)[0]!.walked.find((s) => s.step === 'grant_step')!.verdicts.find((x) => x.control === 'approval.dual')!;
    expect(v.verdict).toBe('satisfied');
    expect(analyseOne(w, vishing).classes.flatMap((c) => c.blocking)).not.toContain('approval.dual');
  });

  it('counts a phishing-resistant factor as no defence when the genuine holder signs in themselves', () => {
    const w = holderWorkflow({
      signIn: `      - control: step_up.verification
        params: { factor: fido2 }
        enforcement: system`,
      controls: `  - control: authn.phishing_resistant
    enforcement: system`,
    });
    expect(analyseOne(w, vishing).outcome).toBe('takeover_undetected');
  });

  it('stops the directed holder at the grant once only administrator-approved apps can be authorised', () => {
    const w = holderWorkflow({
      grantStep: `      - control: consent.app_restriction
        params: { user_consent: admin_approved_only }
        enforcement: system`,
    });
    const r = analyseOne(w, vishing);
    expect(r.outcome).toBe('blocked');
    expect(r.blockedAt).toEqual([expect.objectContaining({ step: 'grant_step', kind: 'controls', controls: ['consent.app_restriction'] })]);
  });

  it('applies a grant restriction only where the workflow makes that grant: remote-support rules never block an app consent, nor either a password reset', () => {
    const w = holderWorkflow({
      grantStep: `      - control: consent.app_restriction
        params: { user_consent: any_app }
        enforcement: system
      - control: remote_support.restricted
        params: { tools: sanctioned_tool_org_helpers_only }
        enforcement: system`,
    });
    const v = examples(w, chat)[0]!.walked.find((s) => s.step === 'grant_step')!.verdicts.find((x) => x.control === 'remote_support.restricted')!;
    expect(v).toMatchObject({ verdict: 'satisfied' });
    expect(v.reason).toContain('remote-support session with control grants only');
    const desk = deskWorkflow({ steps: `
  - id: verify
    kind: approval
    actor: tier1
    controls:
      - control: consent.app_restriction
        enforcement: system
    next: reset` });
    expect(analyseOne(desk, attacker([])).outcome).toBe('takeover_undetected');
  });

  it('lets the fake help desk in chat get a code or a number-matched push handed over, but not a phishing-resistant factor', () => {
    const step = (factor: string) => deskWorkflow({ steps: `
  - id: verify
    kind: step_up
    actor: idp
    controls:
      - control: step_up.verification
        params: { factor: ${factor} }
        enforcement: system
    next: reset` });
    const caller = attacker(['support_impersonation_chat']);
    for (const factor of ['sms_otp', 'push', 'push_number_matching', 'totp']) {
      const v = examples(step(factor), caller)[0]!.walked.find((s) => s.step === 'verify')!.verdicts[0]!;
      expect(v.means.map((m) => m.rule), factor).toEqual(['step_up.phishable.chat_impersonation']);
    }
    expect(analyseOne(step('fido2'), caller).outcome).toBe('blocked');
    const resistant = toggleControl(step('sms_otp'), 'authn.phishing_resistant', true);
    expect(analyseOne(resistant, caller).outcome).toBe('blocked');
  });

  it('does not count a notification to a user the fake help desk is chatting with as a detection', () => {
    const w = holderWorkflow({ extra: `    controls:
      - control: notify.out_of_band
        enforcement: system` });
    const r = analyseOne(w, chat);
    expect(r.outcome).toBe('takeover_undetected');
    const d = examples(w, chat)[0]!.outcome.detections.find((x) => x.control === 'notify.out_of_band')!;
    expect(d.detects).toBe(false);
    expect(d.reason).toMatch(/support_impersonation_chat.*at most a chance of detection/);
  });

  it('names missing warnings to users as reducing the likelihood where the holder acted for the attacker, never as blocking, and not once the workflow warns', () => {
    const w = holderWorkflow({});
    const [c] = analyseOne(w, vishing).classes;
    expect(c!.reducesLikelihood).toEqual([expect.objectContaining({ control: 'user.support_warning', status: 'absent' })]);
    expect(c!.blocking).not.toContain('user.support_warning');
    const warned = toggleControl(w, 'user.support_warning', true);
    expect(analyseOne(warned, vishing).classes[0]!.reducesLikelihood).toEqual([]);
    // A code handed over on the bundled self-service reset is the holder acting for the attacker too.
    const s06 = analyzeWorkflow(bundledWorkflow('self-service-sms-fallback.weak'), bundledScenarios().filter((s) => s.id === 's06-reverse-vishing')).scenarios[0]!;
    expect(s06.classes[0]!.reducesLikelihood.map((x) => x.control)).toContain('user.support_warning');
  });

  it('makes a holder\'s confirmation inside a desk request fall to an attacker who directs the holder, however strong the holder\'s factor, and hold against one who cannot', () => {
    // The caller is the attacker; the reset waits for the real user to confirm it with their passkey.
    const w = deskWorkflow({
      actors: '  - { id: holder, kind: account_holder, name: the employee }',
      steps: `
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - control: proofing.ial2
        params: { method: kbv }
        enforcement: system
    next: confirm
  - id: confirm
    kind: step_up
    name: The employee confirms the reset in the app
    actor: holder
    controls:
      - control: step_up.verification
        params: { factor: fido2 }
        enforcement: system
    next: reset`,
    });
    const osint = attacker(['osint_personal_data']);
    const r = analyseOne(w, osint);
    expect(r.outcome).toBe('blocked');
    expect(r.blockedAt).toEqual([expect.objectContaining({ step: 'confirm', kind: 'holder' })]);
    const both = attacker(['osint_personal_data', 'victim_vishing']);
    const taken = analyseOne(w, both);
    expect(taken.outcome).toBe('takeover_undetected');
    const path = examples(w, both)[0]!.walked;
    // The caller's own check is the attacker's to pass (OSINT); the holder's confirmation is genuine.
    expect(path.find((s) => s.step === 'verify')!.verdicts[0]!.verdict).toBe('defeated');
    expect(path.find((s) => s.step === 'confirm')!.verdicts[0]!.verdict).toBe('satisfied');
    // What closes it are checks of the caller, who is the attacker: a stronger proofing, or a
    // passkey step-up placed on the caller's own steps (the attacker holds no passkey of the holder).
    expect(taken.classes.flatMap((c) => c.blocking)).toEqual(expect.arrayContaining(['proofing.ial2', 'step_up.verification']));
  });
});
