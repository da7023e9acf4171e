// Campaigns (docs/analysis-semantics.md, "Campaigns"): a takeover followed by further takeovers that
// use what the one before gave. Each rule of the section has a test here: a stage is reached only after
// a takeover, its attacker holds everything held before plus its gains, a password is not a factor,
// an unavailable workflow is reported and never dropped, the chain's count is the exact product of the
// stages' counts and its blast radius the union of the stages that took over.
import { describe, expect, it } from 'vitest';
import { analysisReportSchema, analyzeWorkflow, buildAnalysisReport, campaignWorkflowIds, type CampaignResult } from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';
import { loadWorkflowOrThrow, type Workflow } from '../../models/index.ts';
import { loadScenarioOrThrow, loadScenarioText, type Scenario } from '../../scenarios/index.ts';
import { branchingWorkflowText } from '../renderer/library.ts';

const bundled = loadBundledWorkflows();
const wf = (id: string) => bundled.find((w) => w.id === id)!;

/** A phone desk that verifies by knowledge questions (system-enforced) and hands over `action`. */
function desk(opts: { id?: string; action?: string; delivery?: string; controls?: string[] } = {}): Workflow {
  return loadWorkflowOrThrow(
    `
resetpath: workflow/1
id: ${opts.id ?? 'campaign.desk'}
name: Campaign test desk
account_classes: [standard_employee, support_agent, privileged_admin]
actors:
  - { id: tier1, kind: agent, tier: 1, name: tier-1 agent }
${opts.controls?.length ? `controls:\n${opts.controls.map((c) => `  - ${c}`).join('\n')}` : ''}
start: intake
steps:
  - id: intake
    kind: intake
    channels: [phone]
    actor: tier1
    next: verify
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - control: proofing.ial2
        params: { method: kbv }
        enforcement: system
    next: reset
  - id: reset
    kind: execution
    actor: tier1
    action: ${opts.action ?? 'password_reset'}
    delivery: ${opts.delivery ?? 'requester_on_call'}
    next: done
  - id: done
    kind: end
`,
    'campaign-desk.yaml',
  );
}

const AGENT_MFA = 'control: agent.mfa\n    params: { phishing_resistant: true }\n    enforcement: system';

/** An impostor who answers knowledge questions from OSINT takes over a help-desk agent, then uses the account from the console. */
function agentThenAdmin(stages: string): Scenario {
  return loadScenarioOrThrow(
    `
resetpath: scenario/1
id: campaign-test
name: Agent, then admin
attacker:
  name: impostor
  capabilities: [osint_personal_data]
target:
  account_class: support_agent
strategy:
  channels: [phone]
  moves:
    - move: contact
then:
${stages}
`,
    'campaign-test.yaml',
  );
}

const consoleStage = (workflow?: string, gains = 'agent_account_taken_over') => `
  - name: Reset an admin from the agent's console
    gains: [${gains}]
${workflow ? `    workflow: ${workflow}\n` : ''}    target:
      account_class: privileged_admin
    strategy:
      channels: [agent_console]
      moves:
        - move: contact`;

function campaignOf(w: Workflow, sc: Scenario, workflows?: ReadonlyMap<string, Workflow>): CampaignResult {
  const r = analyzeWorkflow(w, [sc], { minimalSets: false, ...(workflows ? { workflows } : {}) }).scenarios[0]!;
  expect(r.campaign, 'a scenario with then: gets a campaign').toBeDefined();
  return r.campaign!;
}

describe('the bundled campaign S20 (a help-desk agent, then an administrator)', () => {
  const s20 = loadBundledScenarios().find((s) => s.id === 's20-agent-then-admin-campaign')!;

  it('a two-account campaign (agent account, then an administrator) shows both takeovers and the blast radius', () => {
    const a = analyzeWorkflow(wf('mfa-reenrollment-phone.weak'), [s20], { minimalSets: false });
    const c = a.scenarios[0]!.campaign!;
    // Stage 1: the impostor has the desk re-enrol the agent's MFA (urgency skips the call-back, OSINT
    // answers the fallback questions). Stage 2: from the agent's console, the admin's MFA.
    expect(c.stages.map((s) => [s.stage, s.targetClass, s.privileged, s.workflow, s.outcome, s.paths, s.gained])).toEqual([
      [1, 'support_agent', true, 'mfa-reenrollment-phone.weak', 'takeover_undetected', 2n, []],
      [2, 'privileged_admin', true, 'mfa-reenrollment-phone.weak', 'takeover_undetected', 3n, ['agent_account_taken_over']],
    ]);
    expect(c.stages[1]!.downgraded).toBeUndefined();
    // From the console there is no requester: what closes stage 2 is on the agent side, and agent MFA
    // is not among it (the attacker holds the agent's re-enrolled factor). Least privilege is, through
    // its protected classes: the tool would not act on an admin for a request no intake brought in;
    // so is ticket integrity, under which it acts only on a request its requester made.
    expect(c.stages[1]!.blocking).toEqual(['agent.least_privilege', 'approval.dual', 'privileged.separate_path', 'ticket.integrity']);
    expect(c.chainPaths).toBe(6n);
    expect(c.outcome).toBe('takeover_undetected');
    expect(c.blastRadius).toEqual(['support_console', 'other_users_credentials', 'customer_records', 'persistent_second_factor', 'admin_console', 'identity_provider_configuration']);
    const doc = analysisReportSchema.parse(buildAnalysisReport([a]));
    expect(doc.workflows[0]!.scenarios[0]!.campaign).toMatchObject({ chainPaths: 6, outcome: 'takeover_undetected', stages: [{ stage: 1, paths: 2 }, { stage: 2, paths: 3 }] });
  });

  it('is stopped at stage 1 by the hardened re-enrolment, which refers agents like admins, so stage 2 is never reached', () => {
    const c = analyzeWorkflow(wf('mfa-reenrollment-phone.hardened'), [s20], { minimalSets: false }).scenarios[0]!.campaign!;
    expect(c.stages.map((s) => s.outcome)).toEqual(['blocked', 'not_analysed']);
    expect(c.stages[0]!.reason).toMatch(/referred to privileged-admin recovery/);
    expect(c.stages[1]!.reason).toBe('not reached: stage 1 ends without a takeover (blocked)');
  });

  it('on the weak standard reset, gains only the agent\'s password (a reset hands over no factor) and says so', () => {
    const c = analyzeWorkflow(wf('standard-password-reset.weak'), [s20], { minimalSets: false }).scenarios[0]!.campaign!;
    expect(c.stages[1]).toMatchObject({ gained: ['agent_account_compromised'], outcome: 'takeover_undetected' });
    expect(c.stages[1]!.downgraded![0]!.from).toBe('agent_account_taken_over');
    // Here agent MFA would have closed stage 2: the attacker holds a password only.
    expect(c.stages[1]!.blocking).toContain('agent.mfa');
  });
});

describe('a stage is reached only after a takeover', () => {
  it('analyses stage 2 with everything stage 1 gave when stage 1 takes over', () => {
    const c = campaignOf(desk({ action: 'mfa_device_enrollment', delivery: 'requester_enrolls_device' }), agentThenAdmin(consoleStage()));
    expect(c.stages.map((s) => [s.stage, s.targetClass, s.outcome, s.paths])).toEqual([
      [1, 'support_agent', 'takeover_undetected', 1n],
      [2, 'privileged_admin', 'takeover_undetected', 1n],
    ]);
    expect(c.stages[1]!.gained).toEqual(['agent_account_taken_over']);
    expect(c.outcome).toBe('takeover_undetected');
  });

  it('does not reach stage 2 when stage 1 is blocked, and says so', () => {
    const hardened = wf('mfa-reenrollment-phone.hardened');
    const c = campaignOf(hardened, agentThenAdmin(consoleStage()));
    expect(c.stages[0]).toMatchObject({ stage: 1, outcome: 'blocked', paths: 0n });
    expect(c.stages[1]).toMatchObject({ stage: 2, outcome: 'not_analysed', paths: 0n, reason: 'not reached: stage 1 ends without a takeover (blocked)' });
    expect(c).toMatchObject({ outcome: 'blocked', chainPaths: 0n, blastRadius: [] });
  });

  it('does not reach stage 2 when the workflow does not serve stage 1\'s target', () => {
    const c = campaignOf(wf('privileged-admin-recovery.weak'), agentThenAdmin(consoleStage()));
    expect(c.stages.map((s) => s.outcome)).toEqual(['not_applicable', 'not_analysed']);
    expect(c.stages[1]!.reason).toMatch(/^not reached: stage 1 does not apply/);
    expect(c.outcome).toBe('not_applicable');
  });
});

describe('a password is not a factor: the downgrade of a gained agent account', () => {
  it('blocks stage 2 when stage 1 only reset the agent\'s password and agent MFA is in force, naming the reason', () => {
    const c = campaignOf(desk({ controls: [AGENT_MFA] }), agentThenAdmin(consoleStage()));
    expect(c.stages[0]!.outcome).toBe('takeover_undetected');
    const s2 = c.stages[1]!;
    expect(s2.gained).toEqual(['agent_account_compromised']);
    expect(s2.downgraded).toEqual([{ from: 'agent_account_taken_over', to: 'agent_account_compromised', reason: expect.stringMatching(/^stage 1's takeovers hand over a password only \(password reset; .*agent MFA that resists phishing would still stop it$/) }]);
    expect(s2.outcome).toBe('blocked');
    expect(s2.reason).toBe('the compromised agent password is useless: agents sign in with phishing-resistant authentication');
    expect(c).toMatchObject({ outcome: 'blocked', chainPaths: 0n });
  });

  it('keeps the taken-over account, factor included, when stage 1 re-enrolled the agent\'s MFA: agent MFA does not stop it', () => {
    const c = campaignOf(desk({ action: 'mfa_device_enrollment', delivery: 'requester_enrolls_device', controls: [AGENT_MFA] }), agentThenAdmin(consoleStage()));
    expect(c.stages[1]).toMatchObject({ gained: ['agent_account_taken_over'], outcome: 'takeover_undetected' });
    expect(c.stages[1]!.downgraded).toBeUndefined();
    expect(c.stages[1]!.blocking).not.toContain('agent.mfa');
  });

  it('treats an account unlock like a password reset, and a temporary access pass like an enrolled factor', () => {
    expect(campaignOf(desk({ action: 'account_unlock', controls: [AGENT_MFA] }), agentThenAdmin(consoleStage())).stages[1]!.outcome).toBe('blocked');
    expect(campaignOf(desk({ action: 'temporary_access_pass', controls: [AGENT_MFA] }), agentThenAdmin(consoleStage())).stages[1]!.outcome).toBe('takeover_undetected');
  });

  it('still lets a downgraded account through where agents sign in without phishing-resistant MFA, and names agent MFA as the fix', () => {
    const c = campaignOf(desk({ controls: ['control: agent.mfa\n    params: { phishing_resistant: false }\n    enforcement: system'] }), agentThenAdmin(consoleStage()));
    expect(c.stages[1]).toMatchObject({ gained: ['agent_account_compromised'], outcome: 'takeover_undetected' });
    expect(c.stages[1]!.downgraded).toHaveLength(1);
    expect(c.stages[1]!.blocking).toContain('agent.mfa');
  });
});

describe('another workflow', () => {
  it('reports a stage whose workflow is not available as not analysed, with the reason, and never drops it', () => {
    const sc = agentThenAdmin(`${consoleStage('no-such-workflow')}\n${consoleStage(undefined, 'victim_mailbox_control')}`);
    const c = campaignOf(desk({ action: 'mfa_device_enrollment', delivery: 'requester_enrolls_device' }), sc);
    expect(c.stages).toHaveLength(3);
    expect(c.stages[1]).toMatchObject({ stage: 2, workflow: 'no-such-workflow', outcome: 'not_analysed', gained: ['agent_account_taken_over'], paths: 0n });
    expect(c.stages[1]!.reason).toBe('workflow "no-such-workflow" is not available to the analysis (no bundled or workspace workflow with this id was given), so this stage is not analysed');
    expect(c.stages[2]).toMatchObject({ stage: 3, outcome: 'not_analysed', reason: 'not reached: stage 2 was not analysed' });
    expect(c).toMatchObject({ outcome: 'not_analysed', chainPaths: 0n });
  });

  it('goes through the workflow a stage names when the analysis is given it', () => {
    const sc = agentThenAdmin(consoleStage('privileged-admin-recovery.weak'));
    expect(campaignWorkflowIds([sc])).toEqual(['privileged-admin-recovery.weak']);
    const start = desk({ action: 'mfa_device_enrollment', delivery: 'requester_enrolls_device' });
    const c = campaignOf(start, sc, new Map([['privileged-admin-recovery.weak', wf('privileged-admin-recovery.weak')]]));
    expect(c.stages[1]).toMatchObject({ workflow: 'privileged-admin-recovery.weak', outcome: 'takeover_undetected' });
    // From the console no requester exists: the admin path's questions and call-back are not applicable.
    expect(c.stages[1]!.blocking).toEqual(expect.arrayContaining(['approval.dual', 'privileged.separate_path']));
    expect(c.stages[1]!.blocking).not.toContain('callback.number_on_file');
  });
});

describe('counts and blast radius', () => {
  it('multiplies the stages\' exact counts past 2^53, and writes the product as a decimal string', () => {
    const w = loadWorkflowOrThrow(branchingWorkflowText(24), 'branching-24.yaml');
    const sc = loadScenarioOrThrow(
      `
resetpath: scenario/1
id: twice
name: The same desk twice
attacker: { name: caller, capabilities: [osint_personal_data] }
target: { account_class: standard_employee }
strategy: { channels: [phone], retries: 2, moves: [{ move: contact }] }
then:
  - name: A second employee
    gains: [victim_mailbox_control]
    target: { account_class: standard_employee }
    strategy: { channels: [phone], retries: 2, moves: [{ move: contact }] }
`,
      'twice.yaml',
    );
    const a = analyzeWorkflow(w, [sc], { attribute: false });
    const one = 2n ** 24n + 2n ** 48n + 2n ** 72n;
    expect(a.scenarios[0]!.campaign!.stages.map((s) => s.paths)).toEqual([one, one]);
    expect(a.scenarios[0]!.campaign!.chainPaths).toBe(one * one);
    const doc = analysisReportSchema.parse(JSON.parse(JSON.stringify(buildAnalysisReport([a]))));
    expect(doc.workflows[0]!.scenarios[0]!.campaign!.chainPaths).toBe((one * one).toString());
    // The workflow's own figures count the scenario's own paths only.
    expect(a.totals.paths).toBe(one);
  });

  it('unions the blast radii of the stages that take over, in stage order', () => {
    const c = campaignOf(desk({ action: 'mfa_device_enrollment', delivery: 'requester_enrolls_device' }), agentThenAdmin(consoleStage()));
    expect(c.stages[0]!.blastRadius).toEqual(['support_console', 'other_users_credentials', 'customer_records', 'persistent_second_factor']);
    expect(c.blastRadius).toEqual(['support_console', 'other_users_credentials', 'customer_records', 'persistent_second_factor', 'admin_console', 'identity_provider_configuration']);
  });

  it('leaves scenarios without then: as they were, and reports without a campaign still parse', () => {
    const sc = loadScenarioOrThrow('resetpath: scenario/1\nid: single\nname: Single\nattacker: { name: c, capabilities: [osint_personal_data] }\ntarget: { account_class: standard_employee }\nstrategy: { channels: [phone], moves: [{ move: contact }] }\n', 'single.yaml');
    expect(sc.then).toBeUndefined();
    const r = analyzeWorkflow(desk(), [sc], { minimalSets: false });
    expect(r.scenarios[0]!.campaign).toBeUndefined();
    const doc = buildAnalysisReport([r]);
    expect('campaign' in doc.workflows[0]!.scenarios[0]!).toBe(false);
    expect(analysisReportSchema.safeParse(doc).success).toBe(true);
  });
});

describe('the then: list in scenario files', () => {
  const base = (then: string) => `resetpath: scenario/1
id: located
name: Located errors
attacker:
  name: impostor
  capabilities: [osint_personal_data]
target:
  account_class: support_agent
strategy:
  channels: [phone]
  moves:
    - move: contact
then:
${then}`;

  const issues = (then: string) => {
    const r = loadScenarioText(base(then), 'located.yaml');
    expect(r.ok).toBe(false);
    return r.ok ? [] : r.issues.map((i) => ({ path: i.path, line: i.line, message: i.message }));
  };

  it('locates an unknown gained capability and an unknown target class by stage and index', () => {
    const found = issues(`  - name: Next
    gains: [agent_account_taken_over, telepathy]
    target: { account_class: intern }
    strategy: { channels: [agent_console], moves: [{ move: contact }] }`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'then[0].gains[1]', line: 15, message: expect.stringMatching(/^unknown attacker capability "telepathy"/) }),
        expect.objectContaining({ path: 'then[0].target.account_class', line: 16, message: expect.stringMatching(/^unknown account class "intern"/) }),
      ]),
    );
  });

  it('checks each stage\'s strategy against what the attacker holds by then, and refuses a gain already held', () => {
    const found = issues(`  - name: Mailbox
    gains: [victim_mailbox_control]
    target: { account_class: privileged_admin }
    strategy: { channels: [agent_console], moves: [{ move: contact }] }
  - name: Again
    gains: [osint_personal_data]
    target: { account_class: privileged_admin }
    strategy: { channels: [phone], moves: [{ move: contact, channel: chat }] }`);
    expect(found).toEqual([
      expect.objectContaining({ path: 'then[0].strategy.channels[0]', message: expect.stringMatching(/^channel "agent_console" needs an agent identity/) }),
      expect.objectContaining({ path: 'then[1].gains[0]', message: 'capability "osint_personal_data" is already held at this stage (from the attacker\'s capabilities or an earlier stage)' }),
      expect.objectContaining({ path: 'then[1].strategy.moves[0].channel', message: 'channel "chat" is not among then[1].strategy.channels' }),
    ]);
  });

  it('needs at least one gain, at most three stages, and a workflow id that can exist', () => {
    expect(issues(`  - name: Nothing gained
    gains: []
    workflow: Not An Id
    target: { account_class: privileged_admin }
    strategy: { channels: [phone], moves: [{ move: contact }] }`).map((i) => i.path)).toEqual(['then[0].gains', 'then[0].workflow']);
    const stage = `  - name: S
    gains: [agent_account_taken_over]
    target: { account_class: privileged_admin }
    strategy: { channels: [phone], moves: [{ move: contact }] }`;
    expect(issues([stage, stage.replace('agent_account_taken_over', 'sim_swap'), stage.replace('agent_account_taken_over', 'voice_clone'), stage.replace('agent_account_taken_over', 'log_tampering')].join('\n')).map((i) => i.path)).toEqual(['then']);
  });
});

describe('time between the requests of a campaign', () => {
  // Stage 1 asks the desk to change the contact on file (a takeover of the recovery channel); stage 2,
  // days later, resets the password through a portal that texts a code to the number on file and
  // trusts it only once it is 30 days old (step_up.verification's min_contact_age_days, hardened).
  const portal = loadWorkflowOrThrow(
    `
resetpath: workflow/1
id: campaign.portal
name: Portal that texts a code to the number on file
account_classes: [standard_employee]
actors:
  - { id: portal, kind: system, name: portal }
start: intake
steps:
  - id: intake
    kind: intake
    channels: [self_service]
    actor: portal
    next: code
  - id: code
    kind: step_up
    actor: portal
    controls:
      - control: step_up.verification
        params: { factor: sms_otp, min_contact_age_days: 30 }
        enforcement: system
    next: reset
  - id: reset
    kind: execution
    actor: portal
    action: password_reset
    delivery: requester_on_call
    next: done
  - id: done
    kind: end
`,
    'campaign-portal.yaml',
  );
  const changeDesk = desk({ id: 'campaign.contact-desk', action: 'recovery_channel_change' });
  const prepositioning = (afterDays: number | null) =>
    loadScenarioOrThrow(
      `
resetpath: scenario/1
id: campaign-time
name: Change the contact, reset later
attacker:
  name: patient impostor
  capabilities: [osint_personal_data]
target:
  account_class: standard_employee
strategy:
  channels: [phone]
  moves:
    - move: contact
then:
  - name: Reset by the texted code, later
    workflow: campaign.portal
${afterDays === null ? '' : `    after_days: ${afterDays}\n`}    target: { account_class: standard_employee }
    strategy: { channels: [self_service], moves: [{ move: contact }] }
`,
      'campaign-time.yaml',
    );
  const workflows = new Map([[portal.id, portal]]);

  it('gives the next stage the contact a takeover changed, derived and named, as old as the days between the two requests', () => {
    const c = campaignOf(changeDesk, prepositioning(35), workflows);
    expect(c.stages[1]).toMatchObject({ afterDays: 35, contactAgeDays: 35, outcome: 'takeover_undetected' });
    expect(c.stages[1]!.derived?.map((d) => d.capability)).toEqual(['contact_prepositioned']);
    expect(c.stages[1]!.derived![0]!.reason).toMatch(/a change of the contact on file/);
  });

  it('does not let a contact changed fewer days before than the check requires answer the code: the second request is stopped', () => {
    const c = campaignOf(changeDesk, prepositioning(7), workflows);
    expect(c.stages[1]).toMatchObject({ afterDays: 7, contactAgeDays: 7, outcome: 'blocked' });
    expect(c.outcome).toBe('blocked');
  });

  it('keeps the campaign\'s own contact age when the scenario does not say how many days passed', () => {
    const c = campaignOf(changeDesk, prepositioning(null), workflows);
    expect(c.stages[1]!.afterDays).toBeUndefined();
    // No contact_changed_days_ago on the campaign: the default of a week, under the 30 days required.
    expect(c.stages[1]!.outcome).toBe('blocked');
  });

  // The contact-change desk with anomaly rules that flag every reset within an hour.
  const watchedDesk = desk({ id: 'campaign.watched-desk', action: 'recovery_channel_change', controls: ['control: detect.reset_anomaly\n    params: { response_hours: 1 }\n    enforcement: system'] });

  it('does not reach the next stage when every takeover of the stage before is detected before the next request, and says why', () => {
    const c = campaignOf(watchedDesk, prepositioning(35), workflows);
    expect(c.stages[0]!.outcome).toBe('takeover_detected');
    expect(c.stages[1]).toMatchObject({ outcome: 'not_analysed', afterDays: 35, paths: 0n });
    expect(c.stages[1]!.reason).toMatch(/every takeover of stage 1 is detected, the slowest within 1 h, before this stage's request 35 days later/);
    expect(c.outcome).toBe('takeover_detected');
    expect(c.chainPaths).toBe(0n);
  });

  it('still reaches the next stage when its request comes before the detection (same day), or when the scenario does not say when it comes', () => {
    const sameDay = campaignOf(watchedDesk, prepositioning(0), workflows);
    expect(sameDay.stages[1]!.outcome).not.toBe('not_analysed');
    const untimed = campaignOf(watchedDesk, prepositioning(null), workflows);
    expect(untimed.stages[1]!.outcome).not.toBe('not_analysed');
  });

  it('still reaches the next stage when some takeover of the stage before goes undetected: the attacker takes that one', () => {
    const c = campaignOf(changeDesk, prepositioning(35), workflows);
    expect(c.stages[0]!.outcome).toBe('takeover_undetected');
    expect(c.stages[1]!.outcome).toBe('takeover_undetected');
  });

  it('refuses a negative or fractional number of days, naming the stage', () => {
    const bad = (v: string) =>
      loadScenarioText(
        `resetpath: scenario/1\nid: t\nname: t\nattacker: { name: a, capabilities: [osint_personal_data] }\ntarget: { account_class: standard_employee }\nstrategy: { channels: [phone], moves: [{ move: contact }] }\nthen:\n  - name: s\n    after_days: ${v}\n    target: { account_class: standard_employee }\n    strategy: { channels: [self_service], moves: [{ move: contact }] }\n`,
        't.yaml',
      );
    for (const v of ['-1', '2.5']) {
      const r = bad(v);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.issues.map((i) => i.path)).toEqual(['then[0].after_days']);
    }
  });
});
