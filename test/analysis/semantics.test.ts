import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, applyControls, replayPath, type ExamplePath, type ScenarioResult } from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';
import { CONTROLS, loadWorkflowOrThrow, type Workflow } from '../../models/index.ts';
import { evaluateStep, loadScenarioOrThrow, prepareWorkflow, scenarioContext, type Scenario } from '../../scenarios/index.ts';
import { bundledScenarios, bundledWorkflow } from '../renderer/library.ts';
import { analyseOne, approvalAfterKbv, attacker, deskWorkflow, examples, kbvStep, pathCount } from './helpers.ts';

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
    // Either identity also reads the security answers in the tool, which shows them (no least
    // privilege withholding secrets): a defeat besides the deviation.
    expect(rule(['agent_account_taken_over'])).toEqual(['proofing.knowledge.tool_lookup.agent_account_taken_over', 'deviation.agent_account']);
    expect(rule(['agent_account_compromised'])).toEqual(['proofing.knowledge.tool_lookup.agent_account_compromised', 'deviation.agent_account']);
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
      classes: ['standard_employee', 'developer'],
      steps: kbv,
      afterReset: `  - id: after
    kind: notification
    actor: idp
    controls:
      - control: notify.out_of_band
        params: { channels: [email_on_file] }
    next: done`,
    });
    // A developer's takeover gives no mailbox: the email on file is the attacker's only with the capability.
    expect(examples(w, attacker(['osint_personal_data', 'victim_mailbox_control'], { target: 'developer' }))[0]!.outcome.kind).toBe('takeover_undetected');
    expect(examples(w, attacker(['osint_personal_data'], { target: 'developer' }))[0]!.outcome.kind).toBe('takeover_detected');
    // A standard employee's takeover gives the attacker the very mailbox the notice goes to.
    expect(examples(w, osint)[0]!.outcome.kind).toBe('takeover_undetected');
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

/** An intake on the phone, then a desk routing by the caller's claim to the given steps, then `steps`, then done. */
function routedByClaim(to: { standard: string; privileged: string }, steps: string): Workflow {
  return loadWorkflowOrThrow(
    `resetpath: workflow/1
id: test.routed-by-claim
name: Routed by the caller's claim
account_classes: [standard_employee, privileged_admin]
actors:
  - { id: tier1, kind: agent, tier: 1 }
start: intake
steps:
  - { id: intake, kind: intake, actor: tier1, channels: [phone], next: route }
  - id: route
    kind: routing
    basis: caller_claim
    routes:
      - { classes: [standard_employee], to: ${to.standard} }
      - { classes: [privileged_admin], to: ${to.privileged} }${steps}
  - { id: done, kind: end }
`,
    'routed.yaml',
  );
}

describe('loops back', () => {
  /** A reset whose next step leads back to the check before it. */
  const resetLoopingBack = loadWorkflowOrThrow(
    `resetpath: workflow/1
id: test.reset-loops-back
name: Reset that loops back
account_classes: [standard_employee]
actors:
  - { id: tier1, kind: agent, tier: 1 }
start: intake
steps:
  - { id: intake, kind: intake, actor: tier1, channels: [phone], next: verify }
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - { control: proofing.ial2, params: { method: kbv } }
    next: reset
  - { id: reset, kind: execution, actor: tier1, action: password_reset, delivery: requester_on_call, next: verify }
  - { id: done, kind: end }
`,
    'reset-loops-back.yaml',
  );

  it('counts a takeover whose reset step leads back to an earlier step, ending the path there at no cost of a retry', () => {
    for (const retries of [0, 2]) {
      const s = scenario({ capabilities: ['osint_personal_data'] });
      s.strategy.retries = retries;
      const r = analyseOne(resetLoopingBack, s);
      expect(r.paths, `with ${retries} retries`).toBe(1n);
      const [p] = r.classes.flatMap((c) => c.examples);
      expect(p!.walked.map((x) => `${x.step}:${x.via}`)).toEqual(['intake:pass', 'verify:pass', 'reset:pass', 'verify:end']);
      expect(replayPath(resetLoopingBack, s, p!).outcome.kind).toBe('takeover_undetected');
    }
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

  it('drives the machine past a check after the takeover: the reset is done, so the check gates nothing, and the trace says so', () => {
    const w = deskWorkflow({
      first: 'reset',
      steps: '',
      afterReset: `
  - id: after
    kind: approval
    actor: tier2
    controls:
      - { control: approval.dual, params: { separation_enforced: true }, enforcement: system }
    next: done`,
    });
    const s = attacker(['osint_personal_data']);
    const [p] = examples(w, s);
    expect(p!.walked.map((x) => `${x.step}:${x.via}`)).toEqual(['intake:pass', 'reset:pass', 'after:pass', 'done:end']);
    const t = replayPath(w, s, p!);
    expect(t.outcome.kind).toBe(p!.outcome.kind);
    expect(t.entries.at(-1)!.machineState).toBe('done');
    const after = t.entries.find((e) => e.step === 'after')!;
    expect(after.verdicts.find((v) => v.control === 'approval.dual')!.verdict).toBe('unmet');
    expect(after.evidence.join(' ')).toContain('after the takeover, so approval.dual no longer gates anything');
  });

  it('replays a caller who, trying again, claims another class: the machine is told the new claim and routes by it', () => {
    const w = routedByClaim(
      { standard: 'verify', privileged: 'reset' },
      `
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }
    next: reset
    on_fail: route
  - { id: reset, kind: execution, actor: tier1, action: password_reset, delivery: requester_on_call, next: done }`,
    );
    const s = loadScenarioOrThrow(
      `resetpath: scenario/1
id: test-reclaim
name: Claims again
attacker: { name: test, capabilities: [osint_personal_data] }
target: { account_class: standard_employee }
strategy: { channels: [phone], claims: [standard_employee, privileged_admin], retries: 1, exceptions: [], moves: [{ move: contact }] }
`,
      'reclaim-scenario.yaml',
    );
    const all = analyseOne(w, s).classes.flatMap((c) => c.examples);
    const again = all.find((p) => p.walked.filter((x) => x.step === 'route').length === 2)!;
    expect(again.walked.map((x) => `${x.step}:${x.via}`)).toEqual(['intake:pass', 'route:route', 'verify:fail', 'route:route', 'reset:pass', 'done:end']);
    const t = replayPath(w, s, again);
    expect(t.outcome.kind).toBe('takeover_undetected');
    expect(t.entries.at(-1)!.machineState).toBe('done');
    for (const p of all) expect(replayPath(w, s, p).outcome.kind).toBe(p.outcome.kind);
  });

  it('routes a request through routing steps that follow one another by one claim: a second desk in a row cannot be told another class', () => {
    const desks = (between: string) =>
      routedByClaim(
        { standard: between ? 'note' : 'route2', privileged: 'done' },
        `${between}
  - id: route2
    kind: routing
    basis: caller_claim
    routes:
      - { classes: [standard_employee], to: verify }
      - { classes: [privileged_admin], to: reset }
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - { control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }
    next: reset
  - { id: reset, kind: execution, actor: tier1, action: password_reset, delivery: requester_on_call, next: done }`,
      );
    const s = loadScenarioOrThrow(
      `resetpath: scenario/1
id: test-two-stories
name: Two stories
attacker: { name: test, capabilities: [osint_personal_data] }
target: { account_class: standard_employee }
strategy: { channels: [phone], claims: [standard_employee, privileged_admin], retries: 0, exceptions: [], moves: [{ move: contact }] }
`,
      'two-stories.yaml',
    );
    // Claimed standard, the request meets the face check; claimed privileged, it is closed at once.
    expect(analyseOne(desks(''), s).paths).toBe(0n);
    // With a step between the two desks the caller is asked again, and may claim the other class there.
    const asked = desks(`
  - { id: note, kind: logging, actor: tier1, next: route2 }`);
    const r = analyseOne(asked, s);
    expect(r.paths).toBe(1n);
    const [p] = r.classes.flatMap((c) => c.examples);
    expect(p!.walked.map((x) => `${x.step}:${x.via}`)).toEqual(['intake:pass', 'route:route', 'note:pass', 'route2:route', 'reset:pass', 'done:end']);
    const t = replayPath(asked, s, p!);
    expect(t.outcome.kind).toBe('takeover_undetected');
    expect(t.entries.at(-1)!.machineState).toBe('done');
  });

  it('replays a path that a loop back after the takeover ends at a routing step: the machine routes on past it', () => {
    const w = routedByClaim({ standard: 'reset', privileged: 'done' }, `
  - { id: reset, kind: execution, actor: tier1, action: password_reset, delivery: requester_on_call, next: route }`);
    const s = attacker(['osint_personal_data']);
    const [p] = examples(w, s);
    expect(p!.walked.at(-1)).toMatchObject({ step: 'route', via: 'end' });
    const t = replayPath(w, s, p!);
    expect(t.outcome.kind).toBe('takeover_undetected');
    expect(t.entries.at(-1)!.machineState).toBe('reset');
  });
});

// ---- Issue 9: verdicts a practitioner would sign (docs/analysis-semantics.md) --------------------
// Each test states one rule of the semantics as a specification, against the bundled library as the
// renderer loads it, or against a small workflow written for the point it makes.

const library = bundledScenarios();
const lib = (id: string): Scenario => library.find((s) => s.id === id)!;

/** A scenario written inline, with the fields the attacker helper does not take (claims, timing). */
function scenario(o: { capabilities: string[]; target?: string; claims?: string[]; channels?: string[]; exceptions?: string[]; contactChangedDaysAgo?: number; timeToObjectiveHours?: number }): Scenario {
  const yaml = `
resetpath: scenario/1
id: issue9-attacker
name: Issue 9 attacker
attacker:
  name: test
  capabilities: [${o.capabilities.join(', ')}]
${o.contactChangedDaysAgo !== undefined ? `  contact_changed_days_ago: ${o.contactChangedDaysAgo}` : ''}
${o.timeToObjectiveHours !== undefined ? `  time_to_objective_hours: ${o.timeToObjectiveHours}` : ''}
target:
  account_class: ${o.target ?? 'standard_employee'}
strategy:
  channels: [${(o.channels ?? ['phone']).join(', ')}]
${o.claims ? `  claims: [${o.claims.join(', ')}]` : ''}
  retries: 2
  exceptions: [${(o.exceptions ?? []).join(', ')}]
  moves:
    - move: contact
`;
  return loadScenarioOrThrow(yaml, 'issue9-scenario.yaml');
}

const allExamples = (r: ScenarioResult): ExamplePath[] => r.classes.flatMap((c) => c.examples);
const verdictAt = (p: ExamplePath, step: string, control: string) => p.walked.find((w) => w.step === step && w.via === 'pass')?.verdicts.find((v) => v.control === control);
const rulesOf = (v: { means: { rule: string }[] } | undefined) => (v ? v.means.map((m) => m.rule) : []);
const REQUESTER_SIDE = new Set(CONTROLS.filter((c) => c.side === 'requester').map((c) => c.id));

describe('issue 9: the bundled library, as a help-desk security lead would read it', () => {
  it('the weak executive reset falls to the deepfake caller and nothing detects it: the voice clone beats voice recognition and the spoofed number beats the caller-ID check, besides the standing VIP exception', () => {
    const r = analyseOne(bundledWorkflow('executive-vip-reset.weak'), lib('s03-deepfake-verification'));
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.paths > 0n).toBe(true);
    expect(r.detected).toBe(0n);
    expect(r.undetected).toBe(r.paths);
    const p = allExamples(r)[0]!;
    expect(p.outcome.kind).toBe('takeover_undetected');
    expect(rulesOf(verdictAt(p, 'vip_verify', 'proofing.ial2'))).toEqual(expect.arrayContaining(['exception.waiver', 'proofing.voice.clone']));
    expect(rulesOf(verdictAt(p, 'vip_callback', 'callback.number_on_file'))).toEqual(expect.arrayContaining(['exception.waiver', 'callback.inbound.spoofed']));
  });

  it('the weak privileged-admin recovery falls to contact pre-positioning: the replayed call-back rings the number the attacker put on file', () => {
    const w = bundledWorkflow('privileged-admin-recovery.weak');
    const s = lib('s18-contact-prepositioning');
    const r = analyseOne(w, s);
    expect(r.paths > 0n).toBe(true);
    expect(r.outcome).toBe('takeover_undetected');
    const p = allExamples(r).find((x) => x.walked.some((st) => st.step === 'callback' && st.via === 'pass'))!;
    expect(p).toBeDefined();
    const trace = replayPath(w, s, p);
    expect(trace.outcome.kind).toBe('takeover_undetected');
    const callback = trace.entries.find((e) => e.step === 'callback')!;
    expect(callback.result).toBe('passed');
    const v = callback.verdicts.find((x) => x.control === 'callback.number_on_file')!;
    expect(v.verdict).toBe('defeated');
    expect(v.means.map((m) => m.rule)).toContain('callback.contact.prepositioned');
    expect(callback.evidence.join(' ')).toContain('contact_prepositioned');
  });

  it('on the weak self-service workflow the SMS notice of a reset to a pre-positioned number detects nothing, and says why', () => {
    const r = analyseOne(bundledWorkflow('self-service-sms-fallback.weak'), lib('s18-contact-prepositioning'));
    expect(r.paths > 0n).toBe(true);
    expect(r.detected).toBe(0n);
    const notices = allExamples(r).flatMap((p) => p.outcome.detections.filter((d) => d.control === 'notify.out_of_band'));
    expect(notices.length).toBeGreaterThan(0);
    for (const d of notices) {
      expect(d.detects).toBe(false);
      expect(d.reason).toContain('sms_on_file is the contact the attacker put on file');
    }
    // The fix the gap names: the same notice with a minimum contact age would reach the previous number.
    const cls = r.classes.find((c) => c.examples.some((p) => p.outcome.detections.some((d) => d.control === 'notify.out_of_band')))!;
    expect(cls.detecting).toContain('notify.out_of_band');
    expect(cls.statuses['notify.out_of_band']).toBe('weak');
    const gap = cls.examples[0]!.gaps.find((g) => g.control === 'notify.out_of_band')!;
    expect(gap).toMatchObject({ effect: 'detects', status: 'weak' });
    expect(gap.why).toContain('min_contact_age_days');
  });

  it('says, when it credits a notice to a contact the attacker changed recently, that its previous value is notified too', () => {
    // S18 changed the target's mobile and recovery email four days before; the hardened notice notifies
    // the previous value of a contact changed within its window, which is why it detects.
    const r = analyseOne(bundledWorkflow('standard-password-reset.weak'), lib('s18-contact-prepositioning'));
    const texts = JSON.stringify(r.classes.map((c) => ({ examples: c.examples }))).match(/the real user is notified on [^"]*/g) ?? [];
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) if (/email_on_file|sms_on_file/.test(t)) expect(t).toContain('4 days before, within the notification');
  });

  it('says a weak check holds only because another control lifts what defeats it: the SMS code against a SIM swapper, with phishing-resistant authenticators in the workflow', () => {
    const w = applyControls(bundledWorkflow('self-service-sms-fallback.weak'), ['authn.phishing_resistant']);
    const s = lib('s04-sim-swap-sspr');
    const prep = prepareWorkflow(w);
    const v = evaluateStep(prep, scenarioContext(prep, s), 'sms_code', 'self_service', []).verdicts.find((x) => x.control === 'step_up.verification')!;
    expect(v.verdict).toBe('unmet');
    expect(v.reason).toContain('holds because other controls lift what would defeat it here: sim_swap');
    expect(v.reason).toContain('is lifted by authn.phishing_resistant in the workflow');
    expect(v.reason).not.toContain('no capability defeats it');
    // Without the modifier the same code falls to the SIM swap.
    const plain = prepareWorkflow(bundledWorkflow('self-service-sms-fallback.weak'));
    expect(evaluateStep(plain, scenarioContext(plain, s), 'sms_code', 'self_service', []).verdicts.find((x) => x.control === 'step_up.verification')!.verdict).toBe('defeated');
  });

  it('reverse vishing on the weak self-service workflow is not counted as detected: the vished user expects the notice', () => {
    const r = analyseOne(bundledWorkflow('self-service-sms-fallback.weak'), lib('s06-reverse-vishing'));
    expect(r.paths > 0n).toBe(true);
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.detected).toBe(0n);
    expect(r.classes.every((c) => c.outcome === 'takeover_undetected')).toBe(true);
    const notices = allExamples(r).flatMap((p) => p.outcome.detections.filter((d) => d.control === 'notify.out_of_band'));
    expect(notices.length).toBeGreaterThan(0);
    for (const d of notices) {
      expect(d.detects).toBe(false);
      expect(d.reason).toContain('at most a chance of detection');
    }
  });

  it('ticket integrity with signed-in requesters refuses a reset an agent opens in the console for nobody; one that trusts a sender address, or is a procedure an insider skips, does not', () => {
    const desk = (params: string, enforcement = 'system') =>
      deskWorkflow({ first: 'reset', steps: '', intakeControls: `      - { control: ticket.integrity, params: { ${params} }, enforcement: ${enforcement} }\n` });
    const inTool = attacker(['agent_account_compromised'], { channels: ['agent_console'] });
    const hardened = analyseOne(desk('requester_authentication: sso_session, reauthentication: phishing_resistant'), inTool);
    expect(hardened.paths).toBe(0n);
    expect(hardened.blockedAt.map((b) => [b.step, b.kind, b.controls])).toEqual([['intake', 'controls', ['ticket.integrity']]]);
    // Trusting the sender of a ticket: an agent opens one on a user's behalf, naming them.
    const bySender = analyseOne(desk('requester_authentication: email_sender'), inTool);
    expect(bySender.paths > 0n).toBe(true);
    for (const p of allExamples(bySender)) expect(rulesOf(verdictAt(p, 'intake', 'ticket.integrity'))).toContain('ticket.console.on_behalf');
    expect(bySender.classes.every((c) => c.statuses['ticket.integrity'] === 'weak')).toBe(true);
    // A procedure: the insider at the intake skips it.
    const insider = attacker(['insider_bribed_agent'], { channels: ['agent_console'] });
    expect(analyseOne(desk('requester_authentication: sso_session', 'procedural'), insider).paths > 0n).toBe(true);
    expect(analyseOne(desk('requester_authentication: sso_session'), insider).paths).toBe(0n);
  });

  it('a path driven by a compromised agent account in the console names no check of a requester as blocking but ticket integrity, and those checks replay as not applicable', () => {
    const w = bundledWorkflow('standard-password-reset.weak');
    const s = lib('s07-compromised-agent-account');
    const r = analyseOne(w, s);
    expect(r.paths > 0n).toBe(true);
    // Ticket integrity is about the request itself: under it the tool acts only on a request its
    // requester made from their own signed-in session, which a console request for nobody is not
    // (domain reference S07: "reset requires an authenticated request object").
    const checks = new Set([...REQUESTER_SIDE].filter((x) => x !== 'ticket.integrity'));
    for (const c of r.classes) {
      expect(c.blocking.filter((x) => checks.has(x)), c.id).toEqual([]);
      expect(c.joint.flatMap((j) => j.controls).filter((x) => checks.has(x)), c.id).toEqual([]);
      expect(c.blocking, c.id).toContain('ticket.integrity');
      for (const p of c.examples) {
        expect(p.channel).toBe('agent_console');
        expect(p.gaps.filter((g) => (g.effect === 'blocks' || g.effect === 'blocks_jointly') && checks.has(g.control)).map((g) => g.control)).toEqual([]);
      }
    }
    // The agent-side controls are the candidates.
    expect(r.classes.some((c) => c.blocking.includes('agent.mfa'))).toBe(true);
    let requesterGuards = 0;
    for (const p of allExamples(r)) {
      for (const e of replayPath(w, s, p).entries) {
        for (const v of e.verdicts) {
          if (!checks.has(v.control)) continue;
          expect(v.verdict, `${e.step}: ${v.control}`).toBe('not_applicable');
          requesterGuards++;
        }
      }
    }
    expect(requesterGuards).toBeGreaterThan(0);
  });

  it('the weak outsourced desk against the outsourced-desk scenario: the provider skips its procedural check, and no contract control is named for it (a contract binds no agent\'s hand); the check itself is to be enforced', () => {
    const r = analyseOne(bundledWorkflow('outsourced-service-desk.weak'), lib('s10-outsourced-desk'));
    expect(r.paths > 0n).toBe(true);
    const skipped = r.classes.filter((c) => c.examples[0]!.walked.some((st) => st.verdicts.some((v) => v.means.some((m) => m.rule === 'deviation.outsourced_unmonitored'))));
    expect(skipped.length).toBeGreaterThan(0);
    for (const cls of skipped) {
      expect(cls.contributing.map((x) => x.control)).not.toContain('vendor.contract_controls');
      expect(cls.blocking).not.toContain('vendor.contract_controls');
    }
    const p = skipped[0]!.examples[0]!;
    const reason = p.walked.flatMap((st) => st.verdicts.flatMap((v) => v.means)).find((m) => m.rule === 'deviation.outsourced_unmonitored')!.reason;
    expect(reason).toMatch(/by procedure, which a contract does not make them do; only the provider's tooling enforcing it \(system\) would/);
  });
});

describe('issue 9: approvers are not oracles', () => {
  const blockedAtApproval = (r: ScenarioResult) => r.blockedAt.some((b) => b.step === 'approve' && b.kind === 'controls' && b.controls.includes('approval.dual'));

  it('a dual approval on the agent\'s record does not stop the OSINT caller: the record reports the checks the impostor already got past', () => {
    const r = analyseOne(approvalAfterKbv('agent_record'), lib('s01-osint-vishing'));
    expect(r.paths > 0n).toBe(true);
    for (const p of allExamples(r)) expect(rulesOf(verdictAt(p, 'approve', 'approval.dual'))).toEqual(['approval.dual.record_only']);
  });

  it('the same record-only dual approval, separation enforced in the tool, does not stop a single bribed agent working in the support tool: the colleague approves on the record the agent wrote', () => {
    const s09 = lib('s09-bribed-insider-agent');
    const inTool: Scenario = { ...s09, strategy: { ...s09.strategy, channels: ['agent_console'] } };
    const r = analyseOne(approvalAfterKbv('agent_record'), inTool);
    expect(r.paths > 0n).toBe(true);
    for (const p of allExamples(r)) expect(rulesOf(verdictAt(p, 'approve', 'approval.dual'))).toContain('approval.dual.record_only');
    // Its independent evidence is what a dual approval has against the inside: the approver reaches
    // the holder, who asked for nothing.
    expect(analyseOne(approvalAfterKbv('independent_contact'), inTool).paths).toBe(0n);
  });

  it('a caller working with a bribed agent gets past the same approval by phone: the agent leaks the knowledge answers, an honest agent records the checks as passed, and the approver reviews that record', () => {
    const r = analyseOne(approvalAfterKbv('agent_record'), lib('s09-bribed-insider-agent'));
    expect(r.paths > 0n).toBe(true);
    const byPhone = allExamples(r).filter((p) => p.channel === 'phone');
    expect(byPhone.length).toBeGreaterThan(0);
    for (const p of byPhone) expect(rulesOf(verdictAt(p, 'approve', 'approval.dual'))).toContain('approval.dual.record_only');
  });

  it('a dual approval on the agent\'s record stops no attacker who holds an agent identity in the support tool, whatever gives it; on independent contact it stops each', () => {
    // (A manager's approval confirms a requester: in the support tool there is none, so it is not
    // applicable there, on either evidence.)
    for (const capability of ['insider_bribed_agent', 'agent_account_compromised', 'multiple_agent_accounts']) {
      const inTool = attacker([capability], { channels: ['agent_console'] });
      const r = analyseOne(approvalAfterKbv('agent_record'), inTool);
      expect(r.paths > 0n, capability).toBe(true);
      const rules = allExamples(r).flatMap((p) => rulesOf(verdictAt(p, 'approve', 'approval.dual')));
      expect(rules, capability).toContain('approval.dual.record_only');
      if (capability !== 'multiple_agent_accounts') {
        expect(analyseOne(approvalAfterKbv('independent_contact'), inTool).paths, `${capability} against independent contact`).toBe(0n);
      }
    }
  });

  it('a dual approval on independent contact with the account holder stops the OSINT caller', () => {
    const r = analyseOne(approvalAfterKbv('independent_contact'), lib('s01-osint-vishing'));
    expect(r.paths).toBe(0n);
    expect(blockedAtApproval(r), JSON.stringify(r.blockedAt)).toBe(true);
  });
});

describe('issue 9: detectors under attack', () => {
  const reviewedReset = deskWorkflow({
    steps: kbvStep(),
    resetControls: '      - control: log.immutable',
    afterReset: `  - id: after
    kind: review
    actor: reviewer
    controls:
      - control: review.post_event
    next: done`,
  });

  it('a detector slower than the attacker\'s time to objective is reported late and the takeover counts as undetected; the faster anomaly rule is what the gap names', () => {
    const r = analyseOne(reviewedReset, scenario({ capabilities: ['osint_personal_data'], timeToObjectiveHours: 2 }));
    expect(r.paths > 0n).toBe(true);
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.detected).toBe(0n);
    const review = allExamples(r)[0]!.outcome.detections.find((d) => d.control === 'review.post_event')!;
    expect(review).toMatchObject({ detects: false, late: true, delayHours: 24 });
    expect(review.reason).toContain('later than the attacker\'s objective (2 h)');
    expect(r.classes[0]!.detecting).toContain('detect.reset_anomaly');
    expect(r.classes[0]!.detecting).not.toContain('review.post_event');
  });

  it('the same detector detects an attacker that takes longer than its delay to reach its objective', () => {
    const r = analyseOne(reviewedReset, scenario({ capabilities: ['osint_personal_data'], timeToObjectiveHours: 48 }));
    expect(r.outcome).toBe('takeover_detected');
    expect(r.detected).toBe(r.paths);
    expect(r.classes[0]!.detectedBy).toEqual({ control: 'review.post_event', delayHours: 24 });
  });

  // A detector left to a procedure is judged by its enforcement before its lateness: not performed
  // says more than late, and with the cooling-off the hardened notification blocks whatever the
  // attacker's speed.
  it('a procedural notification the pressured agent never sent is "not enforced", not "insufficient", where with a cooling-off it would block whatever the attacker\'s speed', () => {
    const w = deskWorkflow({
      steps: kbvStep(),
      resetControls: '      - control: cooldown.delay\n        enforcement: system',
      afterReset: `  - id: after
    kind: notification
    actor: tier1
    controls:
      - control: notify.out_of_band
        enforcement: procedural
    next: done`,
    });
    const r = analyseOne(w, scenario({ capabilities: ['osint_personal_data', 'urgency_pressure'], timeToObjectiveHours: 2 }));
    expect(r.paths > 0n).toBe(true);
    const gap = r.classes[0]!.examples[0]!.gaps.find((g) => g.control === 'notify.out_of_band')!;
    expect(gap.effect).toBe('blocks');
    expect(gap.status).toBe('not_enforced');
  });
});

describe('issue 9: standing exceptions are properties of the workflow', () => {
  const vipDesk = (opts: { appliesTo: string; expiry?: boolean }): Workflow =>
    loadWorkflowOrThrow(
      `
resetpath: workflow/1
id: issue9.vip-desk
name: VIP desk with a standing exception
account_classes: [standard_employee, executive]
actors:
  - { id: tier1, kind: agent, tier: 1 }
  - { id: vip_desk, kind: agent, tier: 2 }
  - { id: desk_manager, kind: manager }
exceptions:
  - id: vip_skip
    bypasses: [vip_verify]
    applies_to: [${opts.appliesTo}]
    granted_by: desk_manager
${opts.expiry ? '    controls:\n      - control: exception.expiry\n        params: { hours: 8 }' : ''}
start: intake
steps:
  - { id: intake, kind: intake, actor: tier1, channels: [phone], next: route }
  - id: route
    kind: routing
    basis: caller_claim
    routes:
      - { classes: [standard_employee], to: std_verify }
      - { classes: [executive], to: vip_verify }
  - id: std_verify
    kind: proofing
    actor: tier1
    controls: [{ control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }]
    next: reset
  - id: vip_verify
    kind: proofing
    actor: vip_desk
    controls: [{ control: proofing.ial2, params: { method: verified_id_facecheck }, enforcement: system }]
    next: reset
  - { id: reset, kind: execution, actor: tier1, action: password_reset, delivery: requester_on_call, next: done }
  - { id: done, kind: end }
`,
      'issue9-vip-desk.yaml',
    );
  const noExceptionStrategy = { capabilities: ['osint_personal_data'], exceptions: [] as string[] };

  it('a standing exception for executives, without expiry, waives the check for an executive target whose strategy never asks for exceptions', () => {
    const w = vipDesk({ appliesTo: 'executive' });
    const s = scenario({ ...noExceptionStrategy, target: 'executive', claims: ['executive'] });
    const r = analyseOne(w, s);
    expect(r.paths > 0n).toBe(true);
    const p = allExamples(r)[0]!;
    expect(p.exceptionsUsed).toEqual(['vip_skip']);
    expect(verdictAt(p, 'vip_verify', 'proofing.ial2')?.verdict).toBe('waived');
    expect(p.gaps.find((g) => g.control === 'exception.expiry')).toMatchObject({ effect: 'blocks', status: 'absent' });
    expect(replayPath(w, s, p).outcome.kind).toBe(p.outcome.kind);
  });

  it('it applies to any attacker who claims the executive class at a desk that routes by the caller\'s claim', () => {
    const r = analyseOne(vipDesk({ appliesTo: 'executive' }), scenario({ ...noExceptionStrategy, target: 'standard_employee', claims: ['executive'] }));
    expect(r.paths > 0n).toBe(true);
    const p = allExamples(r)[0]!;
    expect(p.claimedClass).toBe('executive');
    expect(p.exceptionsUsed).toEqual(['vip_skip']);
  });

  it('it does not apply to a class it was not granted for, nor once it expires', () => {
    expect(pathCount(vipDesk({ appliesTo: 'executive' }), scenario({ ...noExceptionStrategy, target: 'standard_employee', claims: ['standard_employee'] }))).toBe(0);
    expect(pathCount(vipDesk({ appliesTo: 'standard_employee' }), scenario({ ...noExceptionStrategy, target: 'executive', claims: ['executive'] }))).toBe(0);
    expect(pathCount(vipDesk({ appliesTo: 'executive', expiry: true }), scenario({ ...noExceptionStrategy, target: 'executive', claims: ['executive'] }))).toBe(0);
  });

  // Replay applies the standing exceptions a claim brings at a caller-claim routing step, as the
  // analysis does, so the counted path replays to the same takeover.
  it('the replayed example of a claimed executive reaches the same takeover through the workflow machine', () => {
    const w = vipDesk({ appliesTo: 'executive' });
    const s = scenario({ ...noExceptionStrategy, target: 'standard_employee', claims: ['executive'] });
    const p = allExamples(analyseOne(w, s))[0]!;
    expect(replayPath(w, s, p).outcome.kind).toBe(p.outcome.kind);
  });
});

describe('issue 9: contact changes bind authenticators', () => {
  const callbackTo = (minAge: number): Workflow =>
    deskWorkflow({
      steps: `
  - id: verify
    kind: callback
    actor: tier1
    controls:
      - control: callback.number_on_file
        params: { mode: outbound_callback, number_source: hris, number_type: mobile, min_contact_age_days: ${minAge} }
        enforcement: system
    next: reset`,
    });
  const prepositioned = (days: number) => scenario({ capabilities: ['contact_prepositioned'], contactChangedDaysAgo: days });

  it('a number changed fewer days ago than the call-back\'s minimum contact age is not trusted: the call-back holds', () => {
    const r = analyseOne(callbackTo(30), prepositioned(4));
    expect(r.paths).toBe(0n);
    expect(r.blockedAt.some((b) => b.step === 'verify' && b.controls.includes('callback.number_on_file')), JSON.stringify(r.blockedAt)).toBe(true);
  });

  it('a number changed at least that many days ago is trusted: the call-back rings the attacker', () => {
    for (const days of [30, 45]) {
      const r = analyseOne(callbackTo(30), prepositioned(days));
      expect(r.paths > 0n, `${days} days`).toBe(true);
      for (const p of allExamples(r)) expect(rulesOf(verdictAt(p, 'verify', 'callback.number_on_file'))).toEqual(['callback.contact.prepositioned']);
    }
  });
});
