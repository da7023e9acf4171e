import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, replayPath } from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';
import { analyseOne, attacker, deskWorkflow, examples, pathCount } from './helpers.ts';

const workflows = loadBundledWorkflows();
const scenarios = loadBundledScenarios();
const wf = (id: string) => workflows.find((w) => w.id === id)!;
const sc = (id: string) => scenarios.find((s) => s.id === id)!;

const callback = (params: string, enforcement = 'system') => `
  - id: verify
    kind: callback
    actor: tier1
    controls:
      - control: callback.number_on_file
        params: { ${params} }
        enforcement: ${enforcement}
    next: reset`;

describe('takeover and attribution on the bundled standard reset', () => {
  it('lets the OSINT vishing scenario take over the weak reset that accepts knowledge answers, naming identity proofing and call-back in the gap', () => {
    const a = analyzeWorkflow(wf('standard-password-reset.weak'), [sc('s01-osint-vishing')]);
    const r = a.scenarios[0]!;
    expect(r.outcome).toBe('takeover_undetected');
    const gaps = r.classes[0]!.examples[0]!.gaps;
    const proofing = gaps.find((g) => g.control === 'proofing.ial2')!;
    expect(proofing).toMatchObject({ effect: 'blocks', status: 'weak', owner: 'proofing_standards_owner' });
    expect(proofing.why).toContain('proofing.knowledge.osint');
    expect(gaps.find((g) => g.control === 'callback.number_on_file')).toMatchObject({ effect: 'blocks', status: 'absent' });
  });

  it('blocks the OSINT vishing scenario on the hardened reset at proofing or call-back', () => {
    const a = analyzeWorkflow(wf('standard-password-reset.hardened'), [sc('s01-osint-vishing')]);
    const r = a.scenarios[0]!;
    expect(r.outcome).toBe('blocked');
    expect(r.blockedAt.flatMap((b) => b.controls).some((c) => c === 'proofing.ial2' || c === 'callback.number_on_file')).toBe(true);
  });
});

describe('call-back to a number on file', () => {
  const simSwapper = attacker(['sim_swap', 'osint_personal_data']);

  it('does not stop a SIM swapper when the number called back is a mobile and no SIM-change check is made', () => {
    const w = deskWorkflow({ steps: callback('number_type: mobile, number_source: hris') });
    expect(pathCount(w, simSwapper)).toBe(1);
    const v = examples(w, simSwapper)[0]!.walked.find((s) => s.step === 'verify')!.verdicts[0]!;
    expect(v.verdict).toBe('defeated');
    expect(v.means.map((m) => m.rule)).toEqual(['callback.mobile.sim_swap']);
  });

  it('stops the SIM swapper once a SIM-change check sits on the call-back step', () => {
    const w = deskWorkflow({
      steps: `
  - id: verify
    kind: callback
    actor: tier1
    controls:
      - control: callback.number_on_file
        params: { number_type: mobile }
        enforcement: system
      - control: sim_swap.signal
    next: reset`,
    });
    expect(pathCount(w, simSwapper)).toBe(0);
  });

  it('is skipped under urgency pressure when it is only a procedure, and the gap names its enforcement', () => {
    const w = deskWorkflow({ steps: callback('number_type: desk_phone', 'procedural') });
    const a = analyzeWorkflow(w, [attacker(['osint_personal_data', 'urgency_pressure'])]);
    const path = a.scenarios[0]!.classes[0]!.examples[0]!;
    const gap = path.gaps.find((g) => g.control === 'callback.number_on_file')!;
    expect(gap).toMatchObject({ effect: 'blocks', status: 'not_enforced' });
    expect(gap.why).toContain('deviation.pressure');
  });

  it('holds under urgency pressure when the system enforces it', () => {
    const w = deskWorkflow({ steps: callback('number_type: desk_phone', 'system') });
    expect(pathCount(w, attacker(['osint_personal_data', 'urgency_pressure']))).toBe(0);
  });

  it('falls to caller-ID spoofing when it only trusts the inbound caller ID', () => {
    const w = deskWorkflow({ steps: callback('mode: inbound_caller_id') });
    expect(pathCount(w, attacker(['caller_id_spoofing']))).toBe(1);
    expect(pathCount(w, attacker(['osint_personal_data']))).toBe(0);
  });
});

describe('dual approval and separation of duties', () => {
  const dual = deskWorkflow({
    first: 'approve',
    steps: `
  - id: approve
    kind: approval
    actor: tier1
    controls:
      - control: approval.dual
        params: { separation_enforced: true }
        enforcement: system
    next: reset`,
  });

  it('does not stop an attacker holding two distinct agent identities', () => {
    expect(pathCount(dual, attacker(['multiple_agent_accounts'], { channels: ['agent_console'] }))).toBeGreaterThan(0);
  });

  it('stops a single bribed agent when the tool enforces distinct approvers', () => {
    expect(pathCount(dual, attacker(['insider_bribed_agent'], { channels: ['phone', 'agent_console'] }))).toBe(0);
  });

  it('falls to a single bribed agent when separation of duties is not enforced', () => {
    const weak = deskWorkflow({
      first: 'approve',
      steps: `
  - id: approve
    kind: approval
    actor: tier1
    controls:
      - control: approval.dual
        params: { separation_enforced: false }
        enforcement: system
    next: reset`,
    });
    const insider = attacker(['insider_bribed_agent'], { channels: ['agent_console'] });
    expect(pathCount(weak, insider)).toBeGreaterThan(0);
    expect(examples(weak, insider)[0]!.walked.find((w) => w.step === 'approve')!.verdicts[0]!.means[0]!.rule).toBe('approval.dual.self_approval.insider');
  });
});

describe('an agent account taken over through a reset (agent_account_taken_over)', () => {
  const mfa = '  - control: agent.mfa\n    params: { phishing_resistant: true }\n    enforcement: system';
  const questions = `
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - control: proofing.ial2
        params: { method: kbv }
        enforcement: system
    next: reset`;

  it('opens the agent console where phishing-resistant agent MFA stops a phished agent password, because the attacker re-enrolled the agent\'s factor', () => {
    const w = deskWorkflow({ controls: mfa, steps: questions });
    expect(pathCount(w, attacker(['agent_account_compromised'], { channels: ['agent_console'] }))).toBe(0);
    const r = analyseOne(w, attacker(['agent_account_taken_over'], { channels: ['agent_console'] }));
    expect(r.outcome).toBe('takeover_undetected');
    // From the console there is no requester: the questions are not applicable, agent MFA is no gap.
    expect(r.classes.flatMap((c) => c.blocking)).not.toContain('agent.mfa');
  });

  it('performs procedural steps as the agent (the agent-account deviation), like a compromised agent account', () => {
    const w = deskWorkflow({ steps: questions.replace('enforcement: system', 'enforcement: procedural') });
    const rule = (caps: string[]) => examples(w, attacker(caps))[0]?.walked.find((s) => s.step === 'verify')!.verdicts[0]!.means.map((m) => m.rule);
    expect(rule(['agent_account_taken_over'])).toEqual(['deviation.agent_account']);
    expect(rule(['agent_account_compromised'])).toEqual(['deviation.agent_account']);
  });

  it('approves its own reset where separation of duties is not enforced, agent MFA or not', () => {
    const selfApproval = deskWorkflow({
      controls: mfa,
      first: 'approve',
      steps: `
  - id: approve
    kind: approval
    actor: tier1
    controls:
      - control: approval.dual
        params: { separation_enforced: false }
        enforcement: system
    next: reset`,
    });
    const takenOver = attacker(['agent_account_taken_over'], { channels: ['agent_console'] });
    expect(examples(selfApproval, takenOver)[0]!.walked.find((s) => s.step === 'approve')!.verdicts[0]!.means[0]!.rule).toBe('approval.dual.self_approval.taken_over');
    const separated = deskWorkflow({ controls: mfa, first: 'approve', steps: `
  - id: approve
    kind: approval
    actor: tier1
    controls:
      - control: approval.dual
        params: { separation_enforced: true }
        enforcement: system
    next: reset` });
    expect(pathCount(separated, takenOver)).toBe(0);
  });

  it('is still confined by least privilege: a front-line account taken over does not perform a tier-2 step from the console', () => {
    const tier2Step = `
  - id: verify
    kind: approval
    actor: tier2
    next: reset`;
    const takenOver = attacker(['agent_account_taken_over'], { channels: ['agent_console'] });
    expect(pathCount(deskWorkflow({ steps: tier2Step }), takenOver)).toBe(1);
    expect(pathCount(deskWorkflow({ controls: '  - control: agent.least_privilege', steps: tier2Step }), takenOver)).toBe(0);
  });
});

describe('exceptions', () => {
  const withException = (expiry: boolean) =>
    deskWorkflow({
      steps: `
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - control: proofing.ial2
        params: { method: verified_id_facecheck }
        enforcement: system
    next: reset`,
      exceptions: `
  - id: vip_skip
    bypasses: [verify]
    granted_by: tier2
${expiry ? '    controls:\n      - control: exception.expiry\n        params: { hours: 8 }' : ''}`,
    });
  const user = attacker(['osint_personal_data'], { exceptions: ['use_standing'] });

  it('opens a path through a temporary exception left without expiry', () => {
    const a = analyzeWorkflow(withException(false), [user]);
    expect(a.scenarios[0]!.paths).toBe(1n);
    const p = a.scenarios[0]!.classes[0]!.examples;
    expect(p[0]!.exceptionsUsed).toEqual(['vip_skip']);
    expect(p[0]!.gaps.find((g) => g.control === 'exception.expiry')).toMatchObject({ effect: 'blocks', status: 'absent' });
  });

  it('closes that path once the exception expires', () => {
    expect(pathCount(withException(true), user)).toBe(0);
  });
});

describe('detection', () => {
  const kbv = `
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - control: proofing.ial2
        params: { method: kbv }
    next: reset`;
  const osint = attacker(['osint_personal_data']);

  it('never counts logging without review as detection', () => {
    const w = deskWorkflow({ steps: kbv, resetControls: '      - control: log.immutable' });
    const p = examples(w, osint)[0]!;
    expect(p.outcome.kind).toBe('takeover_undetected');
  });

  it('counts a full post-event review of an intact record as detection within its review time', () => {
    const w = deskWorkflow({
      steps: kbv,
      resetControls: '      - control: log.immutable',
      afterReset: `  - id: after
    kind: review
    actor: reviewer
    controls:
      - control: review.post_event
        params: { sample_rate: 1, within_hours: 48 }
    next: done`,
    });
    const p = examples(w, osint)[0]!;
    expect(p.outcome).toMatchObject({ kind: 'takeover_detected', detectedBy: { control: 'review.post_event', delayHours: 48 } });
  });

  it('does not count a review of a record the attacker can alter', () => {
    const w = deskWorkflow({
      steps: kbv,
      resetControls: '      - control: log.immutable\n        params: { store: ticket_notes }',
      afterReset: `  - id: after
    kind: review
    actor: reviewer
    controls:
      - control: review.post_event
    next: done`,
    });
    const p = examples(w, attacker(['osint_personal_data', 'log_tampering']))[0]!;
    expect(p.outcome.kind).toBe('takeover_undetected');
    expect(p.outcome.detections.find((d) => d.control === 'review.post_event')!.reason).toContain('can be altered');
  });

  it('does not count a notification sent only to addresses the attacker controls', () => {
    const w = deskWorkflow({
      steps: kbv,
      afterReset: `  - id: after
    kind: notification
    actor: idp
    controls:
      - control: notify.out_of_band
        params: { channels: [email_on_file] }
    next: done`,
    });
    expect(examples(w, attacker(['osint_personal_data', 'victim_mailbox_control']))[0]!.outcome.kind).toBe('takeover_undetected');
    expect(examples(w, osint)[0]!.outcome.kind).toBe('takeover_detected');
  });

  it('turns a notified takeover into a blocked one when the reset waits out a cooling-off period', () => {
    const w = deskWorkflow({
      steps: kbv,
      resetControls: '      - control: cooldown.delay\n        params: { hours: 24 }',
      afterReset: `  - id: after
    kind: notification
    actor: idp
    controls:
      - control: notify.out_of_band
    next: done`,
    });
    const r = analyseOne(w, osint);
    expect(r.paths).toBe(0n);
    expect(r.blockedAt.some((b) => b.kind === 'cooldown')).toBe(true);
  });
});

describe('delivery of the new credential', () => {
  const kbv = `
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - control: proofing.ial2
        params: { method: kbv }
    next: reset`;

  it('is no takeover when the reset link goes to the real user\'s mailbox', () => {
    const w = deskWorkflow({ steps: kbv, delivery: 'email_on_file' });
    const r = analyseOne(w, attacker(['osint_personal_data']));
    expect(r.paths).toBe(0n);
    expect(r.blockedAt.find((b) => b.kind === 'delivery')!.reason).toContain('real user');
  });

  it('is a takeover when the attacker also controls that mailbox', () => {
    const w = deskWorkflow({ steps: kbv, delivery: 'email_on_file' });
    expect(pathCount(w, attacker(['osint_personal_data', 'victim_mailbox_control']))).toBe(1);
  });
});

describe('replay', () => {
  it('gives a byte-identical trace for the same inputs', () => {
    const w = wf('standard-password-reset.weak');
    const s = sc('s01-osint-vishing');
    const p = examples(w, s)[0]!;
    const a = JSON.stringify(replayPath(w, s, p, { startedAt: '2026-01-01T09:00:00.000Z' }));
    const b = JSON.stringify(replayPath(w, s, p, { startedAt: '2026-01-01T09:00:00.000Z' }));
    expect(a).toBe(b);
  });

  it('drives the compiled machine along every example path of every class of the library to the same takeover', () => {
    let replayed = 0;
    for (const w of workflows) {
      for (const s of scenarios) {
        for (const p of examples(w, s)) {
          const t = replayPath(w, s, p);
          expect(t.outcome.kind).toBe(p.outcome.kind);
          expect(t.entries.at(-1)!.machineState).toBe(p.walked.at(-1)!.step);
          replayed++;
        }
      }
    }
    expect(replayed).toBeGreaterThan(20);
  });
});
