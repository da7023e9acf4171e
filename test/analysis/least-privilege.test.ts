// agent.least_privilege's parameters (who holds a tool action, protected classes, secrets withheld)
// and phishing resistance for everyone who authenticates (docs/analysis-semantics.md, "Least
// privilege on the console" and "Phishing resistance applies to everyone who authenticates").
import { describe, expect, it } from 'vitest';
import { toggleControl } from '../../analysis/index.ts';
import { analyseOne, attacker, deskWorkflow, examples, kbvStep } from './helpers.ts';

const lp = (params: string) => `  - control: agent.least_privilege
    params: { ${params} }
    enforcement: system`;

/** Intake and verification by tier 1, the reset by a tier-2 agent. */
const tieredDesk = (controls?: string) =>
  deskWorkflow({
    classes: ['standard_employee', 'privileged_admin'],
    controls,
    steps: `
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - control: proofing.ial2
        params: { method: verified_id_facecheck }
        enforcement: system
    next: tier2_reset
  - id: tier2_reset
    kind: execution
    actor: tier2
    action: password_reset
    delivery: requester_on_call
    next: done`,
  });

describe('who holds a tool action', () => {
  const insider = attacker(['insider_bribed_agent'], { channels: ['agent_console'] });

  it('keeps a front-line identity from the tier-2 reset when each action is held by the roles the workflow assigns', () => {
    const r = analyseOne(tieredDesk(lp('holders: assigned_roles, protected_classes: false, withholds_secrets: false')), insider);
    expect(r.outcome).toBe('blocked');
    expect(r.blockedAt.some((b) => b.step === 'tier2_reset' && b.controls.includes('agent.least_privilege'))).toBe(true);
  });

  it('does not stop the console path at a notification a tier-2 agent sends: no requester passes or fails it, so it runs as the workflow says', () => {
    const wf = deskWorkflow({
      controls: lp('holders: assigned_roles, protected_classes: false, withholds_secrets: false'),
      steps: `
  - id: verify
    kind: notification
    actor: tier2
    next: reset`,
    });
    const r = analyseOne(wf, insider);
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.blockedAt).toEqual([]);
    expect(r.classes.flatMap((c) => c.blocking)).not.toContain('agent.least_privilege');
  });

  it('makes a bribed agent one of the holders of every action when every agent holds every action', () => {
    const r = analyseOne(tieredDesk(lp('holders: every_agent, protected_classes: false, withholds_secrets: false')), insider);
    expect(r.outcome).toBe('takeover_undetected');
    // The weak parameter is the gap: least privilege at full strength closes the console path.
    expect(r.classes[0]!.blocking).toContain('agent.least_privilege');
    expect(r.classes[0]!.statuses['agent.least_privilege']).toBe('weak');
  });
});

describe('protected classes', () => {
  const wf = (protectedClasses: boolean) => tieredDesk(lp(`holders: every_agent, protected_classes: ${protectedClasses}, withholds_secrets: false`));
  const takenOver = (target: string) => attacker(['agent_account_taken_over'], { channels: ['agent_console'], target });

  it('stops an agent-console reset of a privileged target: the tool does not act on a protected class for a request no intake brought in', () => {
    const r = analyseOne(wf(true), takenOver('privileged_admin'));
    expect(r.outcome).toBe('blocked');
    expect(r.blockedAt).toEqual([expect.objectContaining({ step: 'tier2_reset', controls: ['agent.least_privilege'] })]);
  });

  it('leaves a console reset of a standard account, and a privileged one without the protection, open', () => {
    expect(analyseOne(wf(true), takenOver('standard_employee')).outcome).toBe('takeover_undetected');
    expect(analyseOne(wf(false), takenOver('privileged_admin')).outcome).toBe('takeover_undetected');
  });
});

describe('secrets withheld from the support tool', () => {
  const kbvDesk = (controls?: string) =>
    deskWorkflow({
      controls,
      steps: kbvStep(),
    });
  const insiderCaller = attacker(['insider_bribed_agent'], { channels: ['phone'] });

  it('lets an attacker with an agent identity answer security questions it read in the tool, when the tool shows them', () => {
    const v = examples(kbvDesk(), insiderCaller)[0]!.walked.find((s) => s.step === 'verify')!.verdicts[0]!;
    expect(v.verdict).toBe('defeated');
    expect(v.means.map((m) => m.rule)).toEqual(['proofing.knowledge.tool_lookup.insider_bribed_agent']);
  });

  it('stops that attack once the tool withholds secrets, whatever least privilege\'s other parameters', () => {
    const r = analyseOne(kbvDesk(lp('holders: every_agent, protected_classes: false, withholds_secrets: true')), insiderCaller);
    expect(r.outcome).toBe('blocked');
  });

  it('gives an attacker without an agent identity nothing to look up', () => {
    expect(analyseOne(kbvDesk(), attacker(['urgency_pressure'])).outcome).toBe('blocked');
  });
});

describe('phishing resistance applies to everyone who authenticates on the path', () => {
  const phished = attacker(['agent_account_compromised'], { channels: ['agent_console'] });
  const desk = () => deskWorkflow({ steps: `
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - control: proofing.ial2
        params: { method: kbv }
        enforcement: procedural
    next: reset` });

  it('makes a phished agent password useless when every user, agents included, holds phishing-resistant authenticators, as phishing-resistant agent MFA does', () => {
    expect(analyseOne(desk(), phished).outcome).toBe('takeover_undetected');
    const everyone = analyseOne(toggleControl(desk(), 'authn.phishing_resistant', true), phished);
    expect(everyone.outcome).toBe('blocked');
    expect(everyone.blockedAt[0]!.reason).toContain('phishing-resistant authentication');
    expect(analyseOne(toggleControl(desk(), 'agent.mfa', true), phished).outcome).toBe('blocked');
  });

  it('names both as closing the console path of a phished agent account', () => {
    const blocking = analyseOne(desk(), phished).classes[0]!.blocking;
    expect(blocking).toEqual(expect.arrayContaining(['agent.mfa', 'authn.phishing_resistant']));
  });

  it('takes the tool lookup away from a phished agent password too: it is no identity once agents authenticate phishing-resistantly', () => {
    const caller = attacker(['agent_account_compromised'], { channels: ['phone'] });
    const kbv = deskWorkflow({ steps: kbvStep() });
    expect(analyseOne(kbv, caller).outcome).toBe('takeover_undetected');
    expect(analyseOne(toggleControl(kbv, 'authn.phishing_resistant', true), caller).outcome).toBe('blocked');
  });

  it('keeps the holder\'s own factor phishing-resistant: a code the target would read out is no longer a factor', () => {
    const w = deskWorkflow({ steps: `
  - id: verify
    kind: step_up
    actor: idp
    controls:
      - control: step_up.verification
        params: { factor: sms_otp }
        enforcement: system
    next: reset` });
    const vishing = attacker(['victim_vishing']);
    expect(analyseOne(w, vishing).outcome).toBe('takeover_undetected');
    expect(analyseOne(toggleControl(w, 'authn.phishing_resistant', true), vishing).outcome).toBe('blocked');
  });
});
