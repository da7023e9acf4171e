// Real incidents encoded by a reviewer from their public sources (test/fixtures/incidents/README.md):
// the engine must reproduce the takeover the sources describe, name the control the sources say was
// missing, and never credit a control the narrated facts show failing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, type ScenarioResult } from '../../analysis/index.ts';
import { loadWorkflowOrThrow } from '../../models/index.ts';
import { loadScenarioOrThrow } from '../../scenarios/index.ts';

const text = (name: string) => readFileSync(new URL(`../fixtures/incidents/${name}`, import.meta.url), 'utf8');
const analyse = (wf: string, sc: string): ScenarioResult =>
  analyzeWorkflow(loadWorkflowOrThrow(text(`${wf}.workflow.yaml`), `${wf}.workflow.yaml`), [loadScenarioOrThrow(text(`${sc}.scenario.yaml`), `${sc}.scenario.yaml`)]).scenarios[0]!;
const gapsOf = (r: ScenarioResult) => r.classes.flatMap((c) => c.examples[0]!.gaps);
const named = (r: ScenarioResult) => new Set(r.classes.flatMap((c) => [...c.blocking, ...c.detecting, ...c.contributing.map((x) => x.control), ...c.joint.flatMap((j) => j.controls)]));

describe('Clorox / Cognizant, 2023 (complaint allegations): a contracted verification the provider\'s agent did not perform', () => {
  const r = analyse('clorox-2023', 'clorox-2023');

  it('reproduces the undetected takeover though the contract binds the provider to the procedure, and the second stage', () => {
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.campaign?.stages.map((s) => s.outcome)).toEqual(['takeover_undetected', 'takeover_undetected']);
  });

  it('names the verification as not enforced and the never-sent confirmation email as not enforced, and credits the contract with nothing', () => {
    const status = (c: string) => [...new Set(gapsOf(r).filter((g) => g.control === c).map((g) => g.status))];
    expect(status('proofing.ial2')).toEqual(['not_enforced']);
    expect(status('notify.out_of_band')).toEqual(['not_enforced']);
    expect(named(r).has('vendor.contract_controls')).toBe(false);
    const skips = r.classes.flatMap((c) => c.examples[0]!.walked.flatMap((st) => st.verdicts.flatMap((v) => v.means.map((m) => m.rule))));
    expect(skips).toContain('deviation.outsourced_unmonitored');
  });
});

describe('Twitter, 2020 (NYDFS report): phished employees\' credentials used in the internal account tools', () => {
  it('reproduces the takeover from the support console, not conditional on what the requester check would have asked (no requester there)', () => {
    const r = analyse('twitter-2020', 'twitter-2020');
    expect(r.outcome).toBe('takeover_undetected');
    for (const c of r.classes) expect(c.conditional).toEqual([]);
    expect(named(r).has('agent.mfa')).toBe(true);
  });
});

describe('Microsoft IR Cyberattack Series 4 (Octo Tempest, 2023): a privileged user\'s MFA re-registered by the help desk', () => {
  it('reproduces the takeover of the privileged account, conditional on the verification the report does not describe', () => {
    const r = analyse('msft-octo-tempest-2023', 'msft-octo-tempest-2023');
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.classes.every((c) => c.conditional.length > 0)).toBe(true);
  });

  it('does not count a notice to the email on file as detection where the takeover gives the attacker that mailbox', () => {
    const r = analyse('msft-octo-tempest-2023.notify-own-mailbox', 'msft-octo-tempest-2023.standard-employee');
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.detected).toBe(0n);
  });
});

// Three more incidents encoded by a second reviewer (2026-12-08; test/fixtures/incidents/README.md).
const analyseWith = (wf: string, sc: string, others: string[]): ScenarioResult => {
  const load = (n: string) => loadWorkflowOrThrow(text(`${n}.workflow.yaml`), `${n}.workflow.yaml`);
  const workflows = new Map(others.map((n) => { const w = load(n); return [w.id, w] as const; }));
  return analyzeWorkflow(load(wf), [loadScenarioOrThrow(text(`${sc}.scenario.yaml`), `${sc}.scenario.yaml`)], { workflows }).scenarios[0]!;
};
const rulesOn = (r: ScenarioResult, control: string) =>
  r.classes.flatMap((c) => c.examples[0]!.walked.flatMap((st) => st.verdicts.filter((v) => v.control === control).flatMap((v) => v.means.map((m) => m.rule))));
const statusOf = (r: ScenarioResult, c: string) => [...new Set(gapsOf(r).filter((g) => g.control === c).map((g) => g.status))];

describe('SEC @SECGov on X, Jan 2024 (SEC statement, DOJ release): forged ID at a carrier store, then the password by text', () => {
  it('reproduces both takeovers, the SIM change giving the second stage sim_swap, undetected', () => {
    const r = analyseWith('sec-x-2024.carrier', 'sec-x-2024', ['sec-x-2024.x-recovery']);
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.campaign?.stages.map((s) => s.outcome)).toEqual(['takeover_undetected', 'takeover_undetected']);
    expect(r.campaign?.stages[1]?.derived?.map((d) => d.capability)).toEqual(['sim_swap']);
  });

  it('names the store\'s ID check as weak (looked at, not authenticated) where the forged ID passed it', () => {
    const r = analyseWith('sec-x-2024.carrier', 'sec-x-2024', ['sec-x-2024.x-recovery']);
    expect(rulesOn(r, 'proofing.ial2')).toEqual(['proofing.document.forged']);
    expect(statusOf(r, 'proofing.ial2')).toEqual(['weak']);
  });

  it('at X, names the texted code as weak against the SIM swap and a SIM-change signal as blocking', () => {
    const r = analyse('sec-x-2024.x-recovery', 'sec-x-2024.x-recovery');
    expect(r.outcome).toBe('takeover_undetected');
    expect(rulesOn(r, 'step_up.verification')).toEqual(['step_up.phone.sim_swap']);
    expect(statusOf(r, 'step_up.verification')).toEqual(['weak']);
    for (const c of r.classes) expect(c.blocking).toContain('sim_swap.signal');
  });

  // Discrepancies the review found (test/fixtures/incidents/README.md, "Second review"): the MFA that
  // X Support switched off with no end date is a standing exception over a step whose factor the
  // sources do not give (verification: unknown, no control listed). The engine did not name
  // exception.expiry on the path at all, and made the path CONDITIONAL on what that step checks,
  // though the standing exception waives whatever it checks (both fixed).
  it('names exception.expiry on the X path (the SEC\'s own remediation: MFA re-enabled) as contributing: it ends the waiver of the second factor, whose check is unknown', () => {
    const r = analyse('sec-x-2024.x-recovery', 'sec-x-2024.x-recovery');
    for (const c of r.classes) {
      expect(c.contributing.map((x) => x.control)).toContain('exception.expiry');
      const gap = c.examples[0]!.gaps.find((g) => g.control === 'exception.expiry')!;
      expect(gap.effectReason).toMatch(/ends the waiver of the step by "mfa_disabled_by_support", but what the step checks is unknown/);
    }
  });
  it('does not make the X path conditional on what a step checks when a standing exception waives that step', () => {
    const r = analyse('sec-x-2024.x-recovery', 'sec-x-2024.x-recovery');
    for (const c of r.classes) expect(c.conditional).toEqual([]);
  });
});

describe('Retool, Aug 2023 (Retool\'s post via reports): phished password, then a code read out to a fake IT caller', () => {
  const r = analyse('retool-2023', 'retool-2023');

  it('reproduces the undetected enrolment of the attacker\'s device, the authenticator code defeated by the vished employee', () => {
    expect(r.outcome).toBe('takeover_undetected');
    expect(rulesOn(r, 'step_up.verification')).toEqual(['step_up.phishable.vishing']);
    expect(statusOf(r, 'step_up.verification')).toEqual(['weak']);
  });

  it('names phishing-resistant authentication as blocking, and warnings to users (not desk training) as reducing likelihood', () => {
    for (const c of r.classes) {
      expect(c.blocking).toContain('authn.phishing_resistant');
      expect(c.reducesLikelihood.map((x) => x.control)).toEqual(['user.support_warning']);
    }
  });
});

describe('MGM Resorts, Sep 2023 (attackers\' claim as reported; Okta advisory): an Okta super admin\'s MFA reset by the help desk', () => {
  const r = analyse('mgm-2023', 'mgm-2023');

  it('reproduces the takeover of the privileged account, conditional on the verification no source describes', () => {
    expect(r.outcome).toBe('takeover_undetected');
    for (const c of r.classes) expect(c.conditional).toEqual(['verification:verify']);
  });

  it('names what Okta\'s advice asks of the desk: visual verification, an MFA challenge, line-manager approval, restricted admin resets, and detection of factor resets', () => {
    for (const c of r.classes) {
      for (const x of ['proofing.ial2', 'step_up.verification', 'approval.manager', 'privileged.separate_path']) expect(c.blocking).toContain(x);
      for (const x of ['detect.reset_anomaly', 'notify.out_of_band']) expect(c.detecting).toContain(x);
    }
  });
});

// Three more incidents encoded by a third reviewer, MGM again among them (test/fixtures/incidents/README.md, "Third review").
const residualControls = (r: ScenarioResult) => new Set(r.classes.flatMap((c) => c.reducesLikelihood.map((x) => x.control)));
const statusesOf = (r: ScenarioResult, control: string) => [...new Set(gapsOf(r).filter((g) => g.control === control).map((g) => g.status))];

describe('MGM Resorts, 2023, read by a third reviewer (vx-underground / ALPHV claims; Okta\'s wave): a help desk vished into resetting an administrator\'s MFA', () => {
  const r = analyse('mgm-2023-b', 'mgm-2023-b');

  it('reproduces the takeover of the privileged account, conditional on the verification no source describes', () => {
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.classes.every((c) => c.conditional.length > 0)).toBe(true);
  });

  it('names the checks Okta advises (stronger verification, an MFA challenge, manager approval), the reset-then-admin-console rule and the end-user notification', () => {
    for (const c of ['proofing.ial2', 'step_up.verification', 'approval.manager', 'detect.reset_anomaly', 'notify.out_of_band']) expect(named(r).has(c), c).toBe(true);
    expect(statusesOf(r, 'proofing.ial2')).toEqual(['absent']);
  });

  it('names agent training as reducing the likelihood: the agent accepted an impostor at a step whose checks are unknown', () => {
    expect(residualControls(r).has('training.helpdesk')).toBe(true);
  });
});

describe('Uber, 2022 (Uber\'s security update; the attacker\'s WhatsApp account): a bought password and an approve/deny push', () => {
  it('reproduces the takeover; names the push as weak and phishing-resistant authenticators as closing it', () => {
    const r = analyse('uber-2022', 'uber-2022');
    expect(r.outcome).toBe('takeover_undetected');
    expect(statusesOf(r, 'step_up.verification')).toEqual(['weak']);
    expect(named(r).has('authn.phishing_resistant')).toBe(true);
  });

  it('credits no notification where the attacker is messaging the user as IT, and names warnings to users', () => {
    const r = analyse('uber-2022', 'uber-2022');
    expect(named(r).has('notify.out_of_band')).toBe(false);
    expect(residualControls(r).has('user.support_warning')).toBe(true);
    expect(residualControls(r).has('training.helpdesk')).toBe(false);
  });

  it('on Uber\'s statement alone (no message posing as IT), a notification of the real user is named as detecting', () => {
    const r = analyse('uber-2022', 'uber-2022.uber-statement');
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.classes.some((c) => c.detecting.includes('notify.out_of_band'))).toBe(true);
    expect(residualControls(r).has('user.support_warning')).toBe(false);
  });
});

describe('Marks & Spencer, 2025 (chairman\'s evidence; press reports of the outsourced desk): an impersonated third-party user\'s password reset', () => {
  const r = analyse('mands-2025', 'mands-2025');

  it('reproduces the takeover at the provider\'s desk, conditional on the verification no source describes, and credits the absent contract with nothing', () => {
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.classes.every((c) => c.conditional.length > 0)).toBe(true);
    expect(named(r).has('vendor.contract_controls')).toBe(false);
  });

  it('names the help-desk checks NCSC asks to review and anomaly detection of the sign-in, and agent training as reducing the likelihood', () => {
    for (const c of ['proofing.ial2', 'callback.number_on_file', 'detect.reset_anomaly']) expect(named(r).has(c), c).toBe(true);
    expect(residualControls(r).has('training.helpdesk')).toBe(true);
  });
});

// Two more incidents encoded by a fourth reviewer (test/fixtures/incidents/README.md, "Fourth review").
describe('Cisco, May 2022 (Talos via reports): a synced password, vishing and push fatigue, then the attacker\'s own MFA devices', () => {
  const r = analyse('cisco-2022', 'cisco-2022');

  it('reproduces the takeover (new MFA devices enrolled), conditional only on the enrolment check no source describes', () => {
    expect(r.outcome).toBe('takeover_undetected');
    for (const c of r.classes) expect(c.conditional).toEqual(['verification:enrol_check']);
  });

  it('names the approve/deny push as weak, defeated both by the vishing calls and by the push flood', () => {
    expect([...new Set(rulesOn(r, 'step_up.verification'))].sort()).toEqual(['step_up.phishable.vishing', 'step_up.push.fatigue']);
    expect(statusOf(r, 'step_up.verification')).toEqual(['weak']);
  });

  it('names phishing-resistant authentication as blocking, new-device detection as detecting, and warnings to users as reducing likelihood', () => {
    for (const c of r.classes) {
      expect(c.blocking).toContain('authn.phishing_resistant');
      expect(c.detecting).toContain('detect.reset_anomaly');
      expect(c.reducesLikelihood.map((x) => x.control)).toEqual(['user.support_warning']);
    }
  });
});

describe('Okta / Sitel, Jan 2022 (Okta\'s statements): a contract support engineer\'s workstation controlled over RDP', () => {
  it('finds no takeover of a customer account: the reset link goes to the user\'s email on file (Okta: no password or MFA reset was performed)', () => {
    const r = analyse('okta-sitel-2022', 'okta-sitel-2022');
    expect(r.outcome).toBe('blocked');
    expect(r.classes).toEqual([]);
  });

  it('where the tool shows the agent the credential, credits no sign-in control against the hijacked workstation (the engineer\'s MFA held; the session was used anyway)', () => {
    const wf = loadWorkflowOrThrow(text('okta-sitel-2022.workflow.yaml'), 'okta-sitel-2022.workflow.yaml');
    const shown = { ...wf, steps: Object.fromEntries(Object.entries(wf.steps).map(([id, st]) => [id, st.kind === 'execution' ? { ...st, delivery: 'requester_on_call' as const } : st])) };
    const r = analyzeWorkflow(shown, [loadScenarioOrThrow(text('okta-sitel-2022.scenario.yaml'), 'okta-sitel-2022.scenario.yaml')]).scenarios[0]!;
    expect(r.outcome).toBe('takeover_undetected');
    for (const c of r.classes) {
      const closers = [...c.blocking, ...c.joint.flatMap((j) => j.controls)];
      expect(closers, c.id).not.toContain('agent.mfa');
      expect(closers, c.id).not.toContain('authn.phishing_resistant');
    }
  });
});
