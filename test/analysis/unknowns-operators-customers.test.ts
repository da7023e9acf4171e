// Issue 9, item 9 (customer classes, desk operators, unknowns) and item 6 (the outsourced-desk
// contract's script clause), as specified in docs/analysis-semantics.md: "Unknowns", "Desk
// operators", "Customer accounts", and "Attacker" (deviations).
import { describe, expect, it } from 'vitest';
import { AnalysisCache, analysisReportSchema, analyzeWorkflow, buildAnalysisReport, type ScenarioResult } from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';
import { isPrivilegedClass, loadWorkflowOrThrow, loadWorkflowText, type Workflow } from '../../models/index.ts';
import { attackContext, evaluateStep, prepareWorkflow } from '../../scenarios/index.ts';
import { gapRows } from '../../renderer/compute/computeResults.ts';
import { analyseOne, attacker, deskWorkflow } from './helpers.ts';

const workflows = loadBundledWorkflows();
const scenarios = loadBundledScenarios();
const wf = (id: string) => workflows.find((w) => w.id === id)!;
const sc = (id: string) => scenarios.find((s) => s.id === id)!;
const byId = new Map(workflows.map((w) => [w.id, w]));
const run = (w: string, s: string): ScenarioResult => analyzeWorkflow(wf(w), [sc(s)], { minimalSets: false, workflows: byId }).scenarios[0]!;
const NOTICE = 'enforcement:change_email/notify.out_of_band';

describe('unknowns are taken as the attacker would have them, and what depends on them is conditional', () => {
  it('a request on a channel the intake accepts only as "unknown" opens, and every path so opened is conditional on that channel', () => {
    const r = run('customer-account-recovery.weak', 's27-forged-id-web-form');
    expect(r.paths > 0n).toBe(true);
    for (const c of r.classes) expect(c.conditional).toContain('channel:ticket_portal');
    // Without the unknown channel the web form is refused.
    const listed = loadWorkflowOrThrow(JSON.stringify(toFile(wf('customer-account-recovery.weak'), { channels: ['chat', 'email', 'phone'] })), 'x.json');
    expect(analyzeWorkflow(listed, [sc('s27-forged-id-web-form')], { minimalSets: false }).scenarios[0]!.outcome).toBe('blocked');
  });

  it('a listed channel needs no unknown: by phone the carrier SIM-change campaign\'s first stage on the customer desk depends on no channel, by walk-in it depends on the unknown channel', () => {
    const r = run('customer-account-recovery.weak', 's28-carrier-sim-change-campaign');
    const byChannel = (ch: string) => r.classes.filter((c) => c.examples[0]!.channel === ch);
    expect(byChannel('phone').length).toBeGreaterThan(0);
    expect(byChannel('walk_in').length).toBeGreaterThan(0);
    for (const c of byChannel('phone')) {
      expect(c.conditional).toContain(NOTICE);
      expect(c.conditional.some((u) => u.startsWith('channel:'))).toBe(false);
    }
    for (const c of byChannel('walk_in')) expect(c.conditional).toEqual(expect.arrayContaining(['channel:walk_in', NOTICE]));
  });

  it('a notification of unknown enforcement on a deviating desk is taken as not sent, and the undetected outcome is conditional on it', () => {
    const r = run('customer-account-recovery.weak', 's28-carrier-sim-change-campaign');
    expect(r.outcome).toBe('takeover_undetected');
    const notice = r.classes[0]!.examples[0]!.outcome.detections.find((d) => d.control === 'notify.out_of_band');
    expect(notice?.detects).toBe(false);
    // Declared as system-enforced, the same notice detects every path: the unknown decided the outcome.
    const known = loadWorkflowOrThrow(JSON.stringify(toFile(wf('customer-account-recovery.weak'), { noticeEnforcement: 'system' })), 'x.json');
    const k = analyzeWorkflow(known, [sc('s28-carrier-sim-change-campaign')], { minimalSets: false, workflows: byId }).scenarios[0]!;
    expect(k.outcome).toBe('takeover_detected');
    expect(k.classes.every((c) => !c.conditional.includes(NOTICE))).toBe(true);
  });

  it('a detector slower than the attacker\'s objective does not make a path conditional: performed or not, it would come too late', () => {
    const r = run('customer-account-recovery.weak', 's26-high-value-customer-recovery');
    expect(r.classes.every((c) => !c.conditional.includes(NOTICE))).toBe(true);
  });

  it('passing a step whose verification is unknown is conditional on it; paths that avoid the step are not', () => {
    const r = run('customer-account-recovery.weak', 's26-high-value-customer-recovery');
    const through = r.classes.filter((c) => c.examples.some((e) => e.walked.some((m) => m.step === 'escalate' && m.via === 'pass')));
    expect(through.length).toBeGreaterThan(0);
    for (const c of through) expect(c.conditional).toContain('verification:escalate');
    expect(r.classes.some((c) => c.conditional.length === 0)).toBe(true);
  });

  it('an unknown enforcement is evaluated as procedural: a pressured desk skips the check, and the skip is conditional on the enforcement', () => {
    const w = deskWorkflow({
      steps: `
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - control: proofing.ial2
        enforcement: unknown
    next: reset`,
    });
    expect(w.steps.verify!.controls[0]).toMatchObject({ enforcement: 'procedural', enforcementUnknown: true });
    const r = analyseOne(w, attacker(['urgency_pressure']));
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.classes.every((c) => c.conditional.includes('enforcement:verify/proofing.ial2'))).toBe(true);
    // A means that needs no unknown passes the check anyway: nothing is conditional then.
    const kbv = deskWorkflow({
      steps: `
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - control: proofing.ial2
        params: { method: kbv }
        enforcement: unknown
    next: reset`,
    });
    expect(analyseOne(kbv, attacker(['urgency_pressure', 'osint_personal_data'])).classes.every((c) => c.conditional.length === 0)).toBe(true);
  });

  it('never credits a control of unknown enforcement with holding against a deviating desk', () => {
    const w = deskWorkflow({
      steps: `
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - control: proofing.ial2
        enforcement: unknown
    next: reset`,
    });
    expect(analyseOne(w, attacker(['authority_pressure'])).outcome).not.toBe('blocked');
    expect(analyseOne(w, attacker([])).outcome).toBe('blocked');
  });

  it('marks conditional classes in the report (class.conditional with the unknowns in words, gap.conditional), which stays valid against the @2 schema', () => {
    const a = analyzeWorkflow(wf('customer-account-recovery.weak'), [sc('s27-forged-id-web-form')], { minimalSets: false });
    const doc = analysisReportSchema.parse(JSON.parse(JSON.stringify(buildAnalysisReport([a]))));
    const cls = doc.workflows[0]!.scenarios[0]!.classes[0]!;
    expect(cls.conditional?.on).toContain('channel:ticket_portal');
    expect(cls.conditional?.why).toContain('the intake accepts ticket_portal only as an unknown channel');
    expect(cls.gaps.every((g) => g.conditional === true)).toBe(true);
    expect(gapRows(doc.workflows[0]!, cls, new Map()).every((g) => g.conditional)).toBe(true);
    // A finding that depends on no unknown carries no mark.
    const plain = analysisReportSchema.parse(JSON.parse(JSON.stringify(buildAnalysisReport([analyzeWorkflow(wf('carrier-sim-change.weak'), [sc('s26-high-value-customer-recovery')], { minimalSets: false })]))));
    for (const c of plain.workflows[0]!.scenarios[0]!.classes) {
      expect(c.conditional).toBeUndefined();
      expect(c.gaps.every((g) => g.conditional === undefined)).toBe(true);
    }
  });

  it('refuses "verification: unknown" on a step that verifies nobody, naming the step', () => {
    const r = loadWorkflowText(
      `resetpath: workflow/1
id: x
name: x
account_classes: [customer]
actors: [{ id: a, kind: agent }]
start: intake
steps:
  - { id: intake, kind: intake, actor: a, verification: unknown, next: done }
  - { id: done, kind: end }
`,
      'x.yaml',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.message).toMatch(/only a step that verifies the requester .* \("intake" is a intake step\)/);
  });
});

describe('desk operators', () => {
  it('loads "outsourced: true" as operator outsourced, unchanged', () => {
    const desk = wf('outsourced-service-desk.weak').actors.bpo_frontline!;
    expect(desk).toMatchObject({ operator: 'outsourced', outsourced: true });
    expect(wf('standard-password-reset.weak').actors.tier1).toMatchObject({ operator: 'in_house', outsourced: false });
  });

  it('refuses an actor whose outsourced flag contradicts its operator, and an operator on an actor that is not a desk', () => {
    const file = (actor: string) => `resetpath: workflow/1
id: x
name: x
account_classes: [customer]
actors: [${actor}]
start: intake
steps:
  - { id: intake, kind: intake, actor: a, next: done }
  - { id: done, kind: end }
`;
    const a = loadWorkflowText(file('{ id: a, kind: agent, outsourced: true, operator: carrier }'), 'x.yaml');
    expect(!a.ok && a.issues[0]!.message).toBe('outsourced: true contradicts operator: carrier; give only operator');
    const b = loadWorkflowText(file('{ id: a, kind: system, operator: platform_support }'), 'x.yaml');
    expect(!b.ok && b.issues[0]!.message).toBe('only a desk (kind: agent) has an operator; "a" is a system');
  });

  const reviewStep = (contract: string) => {
    const w = wf('customer-account-recovery.weak');
    const p = prepareWorkflow(contract ? loadWorkflowOrThrow(JSON.stringify(toFile(w, { contract })), 'x.json') : w);
    return (caps: string[]) => evaluateStep(p, attackContext(p, caps as never, 'customer'), 'idv_manual', 'chat', []).verdicts[0]!.means.map((m) => m.rule);
  };

  it('a platform\'s support team acts outside the organisation\'s controls: its procedural check is left out, whatever a contract\'s script clause says', () => {
    expect(reviewStep('')([])).toEqual(['deviation.platform_support']);
    expect(reviewStep('{ control: vendor.contract_controls }')([])).toEqual(['deviation.platform_support']);
    expect(reviewStep('{ control: vendor.contract_controls, params: { script_enforces_standard: false } }')([])).toEqual(['deviation.platform_support']);
  });

  it('no agent identity of the organisation acts as a platform\'s support team (a bribed agent cannot perform its step)', () => {
    expect(reviewStep('{ control: vendor.contract_controls }')(['insider_bribed_agent'])).toEqual(['deviation.platform_support']);
  });

  it('a desk whose operator is unknown is taken as a provider that does not follow the organisation\'s procedure, and the skip is conditional on the operator', () => {
    const w = wf('customer-account-recovery.weak');
    const unknownDesk = loadWorkflowOrThrow(JSON.stringify(toFile(w, { accountQuestionsActor: 'escalations' })), 'x.json');
    const p = prepareWorkflow(unknownDesk);
    const v = evaluateStep(p, attackContext(p, [], 'customer'), 'account_questions', 'chat', []).verdicts[0]!;
    expect(v.means).toEqual([expect.objectContaining({ rule: 'deviation.operator_unknown', unknowns: ['operator:escalations'] })]);
  });

  it('a step done from the support tool under least privilege at a desk of unknown operator is conditional on the operator: were it a platform\'s support, the step would be left undone', () => {
    const desk = (operator: string) =>
      deskWorkflow({
        actors: `  - { id: vendor, kind: agent, tier: 1, name: vendor desk, operator: ${operator} }`,
        controls: '  - control: agent.least_privilege',
        first: 'reset',
        steps: '',
      });
    const leaked = attacker(['support_platform_credential_leaked'], { channels: ['agent_console'] });
    const onVendor = (w: Workflow) => {
      w.steps['reset']!.actor = 'vendor';
      return w;
    };
    const unknown = analyseOne(onVendor(desk('unknown')), leaked);
    expect(unknown.paths > 0n).toBe(true);
    for (const c of unknown.classes) expect(c.conditional).toContain('operator:vendor');
    expect(analyseOne(onVendor(desk('platform_support')), leaked).outcome).toBe('blocked');
    // The organisation's own desk: the same paths, and nothing unknown about them.
    const own = analyseOne(onVendor(desk('in_house')), leaked);
    expect(own.paths).toBe(unknown.paths);
    for (const c of own.classes) expect(c.conditional).toEqual([]);
  });

  it('a credential handed over at a counter of unknown operator by the bribed agent is conditional on the operator', () => {
    const counter = (operator: string) => {
      const w = deskWorkflow({ actors: `  - { id: counter, kind: agent, tier: 1, name: service counter, operator: ${operator} }`, first: 'reset', steps: '', delivery: 'in_person' });
      w.steps['reset']!.actor = 'counter';
      return w;
    };
    const bribed = attacker(['insider_bribed_agent']);
    const unknown = analyseOne(counter('unknown'), bribed);
    expect(unknown.paths > 0n).toBe(true);
    for (const c of unknown.classes) expect(c.conditional).toContain('operator:counter');
    expect(analyseOne(counter('platform_support'), bribed).outcome).toBe('blocked');
  });

  it('a notification of unknown enforcement that a cooling-off waits for makes the takeover conditional on it, even when it would come too late to count as detection', () => {
    const desk = (enforcement: string) =>
      deskWorkflow({
        first: 'reset',
        steps: '',
        resetControls: `      - { control: cooldown.delay, params: { hours: 24 }, enforcement: system }
      - { control: notify.out_of_band, params: { channels: [sms_on_file] }, enforcement: ${enforcement} }`,
      });
    const sc = attacker(['urgency_pressure']);
    // The notice takes 4 h; the attacker's objective is 2 h away, the cooling-off 24 h.
    const hurried = { ...sc, attacker: { ...sc.attacker, timeToObjectiveHours: 2 } };
    const unknown = analyseOne(desk('unknown'), hurried);
    expect(unknown.paths > 0n).toBe(true);
    for (const c of unknown.classes) expect(c.conditional).toContain('enforcement:reset/notify.out_of_band');
    expect(analyseOne(desk('system'), hurried).outcome).toBe('blocked');
  });

  it('a session cache tells apart two workflows that differ only in a cooling-off on another step than the notification', () => {
    const desk = (cooling: boolean) =>
      deskWorkflow({
        first: 'notice',
        steps: `
  - id: notice
    kind: notification
    actor: tier1
    controls:
      - { control: notify.out_of_band, params: { channels: [sms_on_file] }, enforcement: unknown }
    next: reset`,
        ...(cooling ? { resetControls: '      - { control: cooldown.delay, params: { hours: 24 }, enforcement: system }' } : {}),
      });
    const sc = attacker(['urgency_pressure']);
    const hurried = { ...sc, attacker: { ...sc.attacker, timeToObjectiveHours: 2 } };
    const cache = new AnalysisCache();
    const run = (w: Workflow, c?: AnalysisCache) => analyzeWorkflow(w, [hurried], { minimalSets: false, ...(c ? { cache: c } : {}) }).scenarios[0]!.classes.map((x) => x.conditional);
    expect(run(desk(false), cache)).toEqual([[]]);
    expect(run(desk(true), cache)).toEqual([['enforcement:notice/notify.out_of_band']]);
    expect(run(desk(true))).toEqual([['enforcement:notice/notify.out_of_band']]);
  });

  it('a notification or review of unknown enforcement that, performed, would still do nothing is no condition: a notice to a mailbox the attacker holds, a review of a sample', () => {
    const desk = (resetControls: string) => deskWorkflow({ first: 'reset', steps: '', resetControls });
    const notice = (channel: string) => `      - { control: notify.out_of_band, params: { channels: [${channel}] }, enforcement: unknown }`;
    const pressured = attacker(['urgency_pressure', 'victim_mailbox_control']);
    const conditions = (w: Workflow) => analyseOne(w, pressured).classes.flatMap((c) => c.conditional);
    // To the mailbox the attacker controls, the notice reaches the attacker whether sent or not.
    expect(conditions(desk(notice('email_on_file')))).toEqual([]);
    // By text message, sent, it reaches the user: the undetected outcome depends on it.
    expect(conditions(desk(notice('sms_on_file')))).toContain('enforcement:reset/notify.out_of_band');
    // A review that samples a tenth of resets detects none for sure, done or not; one that reviews
    // every reset against an intact record would detect it.
    const reviewed = (rate: number) =>
      deskWorkflow({
        first: 'reset',
        steps: '',
        resetControls: '      - { control: log.immutable, enforcement: system }',
        afterReset: `
  - id: after
    kind: review
    actor: tier1
    controls:
      - { control: review.post_event, params: { sample_rate: ${rate} }, enforcement: unknown }
    next: done`,
      });
    expect(conditions(reviewed(0.1))).toEqual([]);
    expect(conditions(reviewed(1))).toContain('enforcement:after/review.post_event');
  });

  it('a detector of unknown enforcement is a condition only where it could detect first: not on a path other rules detect sooner, not a log no review reads in time', () => {
    const sc = attacker(['urgency_pressure']);
    const notice = '      - { control: notify.out_of_band, params: { channels: [sms_on_file] }, enforcement: unknown }';
    const conditions = (w: Workflow) => analyseOne(w, sc).classes.map((c) => [c.outcome, c.conditional]);
    // Undetected without it: the notice (4 h) decides the outcome.
    expect(conditions(deskWorkflow({ first: 'reset', steps: '', resetControls: notice }))).toEqual([['takeover_undetected', ['enforcement:reset/notify.out_of_band']]]);
    // Anomaly rules detect within an hour whatever the desk does: the notice could not come first.
    const anomaly = deskWorkflow({ first: 'reset', steps: '', resetControls: notice, controls: '  - { control: detect.reset_anomaly, params: { response_hours: 1 } }' });
    expect(conditions(anomaly)).toEqual([['takeover_detected', []]]);
    // Rules that take longer than the notice: it could detect first, so the detected outcome depends on it.
    const slow = deskWorkflow({ first: 'reset', steps: '', resetControls: notice, controls: '  - { control: detect.reset_anomaly, params: { response_hours: 24 } }' });
    expect(conditions(slow)).toEqual([['takeover_detected', ['enforcement:reset/notify.out_of_band']]]);
    // A record is read by a post-event review, which can sit on the reset it reviews. Against a caller
    // who cannot alter the reset's ticket, the ticket is an intact record whether the log is kept or
    // not: its enforcement changes nothing.
    const logged = deskWorkflow({ first: 'reset', steps: '', resetControls: '      - { control: log.immutable, enforcement: unknown }' });
    expect(conditions(logged)).toEqual([['takeover_undetected', []]]);
    // Against one who can (log tampering), only the kept log is intact: a review placed there would
    // detect the path, so the undetected outcome depends on the log's enforcement.
    const tamperer = attacker(['urgency_pressure', 'log_tampering']);
    expect(analyseOne(logged, tamperer).classes.map((c) => [c.outcome, c.conditional])).toEqual([['takeover_undetected', ['enforcement:reset/log.immutable']]]);
    // Against one done within 2 h no review (24 h at the soonest placed) reads it in time: kept or not, it changes nothing.
    const quick = { ...tamperer, attacker: { ...tamperer.attacker, timeToObjectiveHours: 2 } };
    expect(analyseOne(logged, quick).classes.map((c) => [c.outcome, c.conditional])).toEqual([['takeover_undetected', []]]);
  });

  it('names the unknown enforcement of a workflow-scope guard once, as the file declares it, whatever step it guards', () => {
    const w = deskWorkflow({
      classes: ['privileged_admin'],
      controls: '  - control: privileged.separate_path\n    enforcement: unknown',
      first: 'reset',
      steps: '',
    });
    const r = analyseOne(w, attacker(['urgency_pressure'], { target: 'privileged_admin' }));
    const unknowns = new Set(r.classes.flatMap((c) => c.conditional).filter((u) => u.startsWith('enforcement:')));
    expect([...unknowns]).toEqual(['enforcement:workflow/privileged.separate_path']);
  });

  it('the outsourced desk skips its procedural checks whatever the contract\'s script clause says (a contract binds no agent\'s hand): the same paths with the clause or without, and no contract named on them', () => {
    const w = wf('outsourced-service-desk.weak');
    const withClause = (script: boolean) => loadWorkflowOrThrow(JSON.stringify(toFile(w, { contract: `{ control: vendor.contract_controls, params: { script_enforces_standard: ${script} } }` })), 'x.json');
    const [on, off] = [true, false].map((script) => analyzeWorkflow(withClause(script), [sc('s10-outsourced-desk')], { minimalSets: false }).scenarios[0]!);
    expect(on!.paths).toBe(off!.paths);
    expect(on!.paths > 0n).toBe(true);
    for (const r of [on!, off!]) {
      expect(r.classes.some((c) => c.examples[0]!.walked.some((st) => st.verdicts.some((v) => v.means.some((m) => m.rule === 'deviation.outsourced_unmonitored'))))).toBe(true);
      expect(r.classes.flatMap((c) => [...c.blocking, ...c.contributing.map((x) => x.control)])).not.toContain('vendor.contract_controls');
    }
  });

  it('a stolen provider agent password is stopped by phishing-resistant agent MFA only together with a contract that secures the provider\'s sessions and devices', () => {
    const r = run('outsourced-service-desk.weak', 's07-compromised-agent-account');
    expect(r.outcome).toBe('takeover_undetected');
    for (const c of r.classes) {
      expect(c.blocking).not.toContain('agent.mfa');
      expect(c.joint.map((j) => j.controls.join('+'))).toContain('agent.mfa+vendor.contract_controls');
    }
    const variant = (contract: string) =>
      analyzeWorkflow(loadWorkflowOrThrow(JSON.stringify(toFile(wf('outsourced-service-desk.weak'), { phishingResistantAgentMfa: true, contract })), 'x.json'), [sc('s07-compromised-agent-account')], { minimalSets: false }).scenarios[0]!.outcome;
    // The path stays open; the contract's incident-report clause (hardened, so present) detects it.
    expect(variant('{ control: vendor.contract_controls, params: { secures_provider_sessions: false } }')).toBe('takeover_detected');
    expect(variant('{ control: vendor.contract_controls, params: { secures_provider_sessions: false, reports_incidents: false } }')).toBe('takeover_undetected');
    expect(variant('{ control: vendor.contract_controls, params: { secures_provider_sessions: true } }')).toBe('blocked');
    // On the organisation's own desk, agent MFA alone stops the stolen password.
    expect(run('standard-password-reset.weak', 's07-compromised-agent-account').classes.some((c) => c.blocking.includes('agent.mfa'))).toBe(true);
  });

  it('a SIM change by a carrier\'s desk gives the next campaign stage sim_swap, and the texted code of the customer desk then reaches the attacker', () => {
    const r = run('carrier-sim-change.weak', 's28-carrier-sim-change-campaign');
    const stage2 = r.campaign!.stages[1]!;
    expect(stage2.gained).toContain('sim_swap');
    expect(stage2.derived).toEqual([{ capability: 'sim_swap', reason: expect.stringContaining('performed by the carrier\'s desk') }]);
    // The same campaign begun at the customer desk takes over without any SIM change: no sim_swap. Its
    // takeover changes the email on file, so the next stage holds that contact instead (Campaigns).
    const other = run('customer-account-recovery.weak', 's28-carrier-sim-change-campaign').campaign!.stages[1]!;
    expect(other.gained).not.toContain('sim_swap');
    expect(other.derived).toEqual([{ capability: 'contact_prepositioned', reason: expect.stringContaining('a change of the contact on file') }]);
    // Within its own stage the SIM change is the takeover: stage 1 holds no sim_swap.
    expect(sc('s28-carrier-sim-change-campaign').attacker.capabilities).not.toContain('sim_swap');
  });
});

describe('customer accounts', () => {
  it('a high-value customer is privileged: a separate path with a tier-2 executor closes the weak customer desk against it', () => {
    expect(isPrivilegedClass('high_value_customer')).toBe(true);
    expect(isPrivilegedClass('customer')).toBe(false);
    const r = run('customer-account-recovery.weak', 's26-high-value-customer-recovery');
    expect(r.classes.every((c) => c.blocking.includes('privileged.separate_path'))).toBe(true);
    // An ordinary customer is not privileged: the same control closes nothing for it.
    const ord = run('customer-account-recovery.weak', 's27-forged-id-web-form');
    expect(ord.classes.some((c) => c.blocking.includes('privileged.separate_path'))).toBe(false);
  });

  it('routes a high-value customer by the record to the stronger path on the hardened desk, where the leaked record gets nowhere', () => {
    expect(run('customer-account-recovery.hardened', 's26-high-value-customer-recovery').outcome).toBe('blocked');
  });

  const managerDesk = (cls: string) =>
    deskWorkflow({
      classes: [cls],
      steps: `
  - id: verify
    kind: approval
    actor: tier1
    controls:
      - control: approval.manager
        enforcement: system
    next: reset`,
      resetControls: `
      - control: notify.out_of_band
        params: { channels: [manager_email] }
        enforcement: system`,
    });

  it('a customer has no manager: a manager\'s approval does not apply to a customer\'s request and never blocks it', () => {
    expect(analyseOne(managerDesk('standard_employee'), attacker([])).outcome).toBe('blocked');
    const r = analyseOne(managerDesk('customer'), attacker([], { target: 'customer' }));
    expect(r.outcome).not.toBe('blocked');
    const v = r.classes[0]!.examples[0]!.walked.find((w) => w.step === 'verify')!.verdicts[0]!;
    expect(v).toMatchObject({ control: 'approval.manager', verdict: 'not_applicable' });
  });

  it('a notice to "the manager" of a customer reaches nobody and detects nothing', () => {
    const r = analyseOne(managerDesk('customer'), attacker([], { target: 'customer' }));
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.classes[0]!.examples[0]!.outcome.detections.find((d) => d.control === 'notify.out_of_band')!.reason).toContain('a customer has no manager');
  });
});

/** A bundled workflow back as a file object, with a change (for variants of the bundled desks). */
function toFile(w: Workflow, change: { channels?: string[]; noticeEnforcement?: string; contract?: string; accountQuestionsActor?: string; phishingResistantAgentMfa?: boolean }): unknown {
  const inst = (c: Workflow['controls'][number]) => ({ control: c.control, params: c.params, enforcement: c.enforcementUnknown ? 'unknown' : c.enforcement, ...(c.evidence === 'ticket_field' ? { evidence: c.evidence } : {}) });
  const controls = w.controls.map((c) => (c.control === 'agent.mfa' && change.phishingResistantAgentMfa ? { ...inst(c), params: { phishing_resistant: true } } : inst(c)));
  if (change.contract) controls.push(parseInline(change.contract));
  return {
    resetpath: 'workflow/1',
    id: w.id,
    name: w.name,
    account_classes: w.accountClasses,
    actors: Object.values(w.actors).map((a) => ({ id: a.id, kind: a.kind, name: a.name, ...(a.kind === 'agent' ? { tier: a.tier, operator: a.operator } : {}) })),
    controls,
    start: w.start,
    steps: w.stepOrder.map((id) => {
      const s = w.steps[id]!;
      return {
        id,
        kind: s.kind,
        ...(s.actor ? { actor: id === 'account_questions' && change.accountQuestionsActor ? change.accountQuestionsActor : s.actor } : {}),
        ...(s.kind === 'intake' ? { channels: change.channels ?? s.channels } : {}),
        ...(s.verificationUnknown ? { verification: 'unknown' } : {}),
        controls: s.controls.map((c) => (c.control === 'notify.out_of_band' && change.noticeEnforcement ? { ...inst(c), enforcement: change.noticeEnforcement } : inst(c))),
        ...(s.next ? { next: s.next } : {}),
        ...(s.onFail ? { on_fail: s.onFail } : {}),
        ...(s.kind === 'routing' ? { basis: s.basis, routes: s.routes } : {}),
        ...(s.action ? { action: s.action, delivery: s.delivery } : {}),
      };
    }),
  };
}

function parseInline(flow: string): { control: string; params: Record<string, boolean>; enforcement: string } {
  const control = /control: ([a-z_.]+)/.exec(flow)![1]!;
  const params: Record<string, boolean> = {};
  for (const m of flow.matchAll(/(script_enforces_standard|secures_provider_sessions|reports_incidents): (true|false)/g)) params[m[1]!] = m[2] === 'true';
  return { control, params, enforcement: 'procedural' };
}

describe('a standing exception over a step whose checks are unknown', () => {
  const wf = (expiry: boolean) =>
    deskWorkflow({
      exceptions: `\n  - { id: forever, bypasses: [verify]${expiry ? ', controls: [{ control: exception.expiry }]' : ''} }`,
      steps: `
  - id: verify
    kind: step_up
    actor: tier1
    verification: unknown
    next: reset`,
    });

  it('waives what the step checks, so the path is not conditional on it, and an expiry is named as taking the waiver away', () => {
    const r = analyseOne(wf(false), attacker([]));
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.classes.length).toBeGreaterThan(0);
    for (const c of r.classes) {
      expect(c.conditional, c.id).toEqual([]);
      expect(c.contributing.map((x) => x.control), c.id).toContain('exception.expiry');
      // Its gap is its strongest effect: together with a check placed at the step, it closes the path.
      expect(c.examples[0]!.gaps.find((g) => g.control === 'exception.expiry')).toMatchObject({ effect: 'blocks_jointly' });
    }
  });

  it('with the expiry in place, names no expiry, and every path depends on the step\'s unknown check', () => {
    const r = analyseOne(wf(true), attacker([]));
    expect(r.outcome).toBe('takeover_undetected');
    for (const c of r.classes) {
      expect(c.contributing.map((x) => x.control), c.id).not.toContain('exception.expiry');
      expect(c.conditional, c.id).toEqual(['verification:verify']);
    }
  });
});
