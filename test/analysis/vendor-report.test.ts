// Issue 9, item 6: the outsourced-desk contract's third clause, the provider's duty to report an
// incident involving its agents' identities within a time (docs/analysis-semantics.md, "Desk
// operators" and "Detection"). The report detects a takeover on which an attacker-held identity acted
// as a provider's agent, after incident_report_hours, subject to the attacker's time to objective.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ClassResult, type ScenarioResult } from '../../analysis/index.ts';
import { loadBundledScenarios } from '../../backend/index.ts';
import { loadWorkflowOrThrow, type Workflow } from '../../models/index.ts';
import { AGENT_CAPABILITIES, type DetectionVerdict, type Scenario } from '../../scenarios/index.ts';
import { analyseOne, attacker, deskWorkflow } from './helpers.ts';
import { expectEngineMatchesOracle } from './agreement.ts';

const scenarios = loadBundledScenarios();
const sc = (id: string) => scenarios.find((s) => s.id === id)!;
const CONTRACT = 'vendor.contract_controls';

const WEAK_DESK = readFileSync(new URL('../../models/library/outsourced-service-desk.weak.yaml', import.meta.url), 'utf8');

/** The weak outsourced desk with a contract (given as an inline params map) and optionally phishing-resistant agent MFA. */
function weakDeskWith(params: string | null, opts: { phishingResistantAgentMfa?: boolean } = {}): Workflow {
  const edit = (text: string, from: string, to: string) => {
    if (!text.includes(from)) throw new Error(`the weak outsourced desk no longer has "${from}"`);
    return text.replace(from, to);
  };
  let text = WEAK_DESK;
  if (opts.phishingResistantAgentMfa) text = edit(text, 'params: { phishing_resistant: false }', 'params: { phishing_resistant: true }');
  if (params !== null) text = edit(text, 'controls:\n  - control: agent.mfa', `controls:\n  - control: ${CONTRACT}\n    params: ${params}\n    enforcement: system\n  - control: agent.mfa`);
  return loadWorkflowOrThrow(text, 'outsourced-variant.yaml');
}

/** The contract with the script clause off. */
const OPEN_CONTRACT = '{ script_enforces_standard: false, reports_incidents: true, incident_report_hours: 24 }';
/**
 * The contract with the script clause on. It binds no agent's hand: the weak desk still skips its
 * procedural checks for anyone, so only the bribed agent's console request needs the identity to act.
 */
const SCRIPTED = (hours = 24) => `{ script_enforces_standard: true, reports_incidents: true, incident_report_hours: ${hours} }`;

/** The classes of requests the attacker-held identity opened from the provider's console. */
const consoleClasses = (r: ScenarioResult) => r.classes.filter((c) => c.examples[0]!.channel === 'agent_console');

const withObjective = (s: Scenario, hours: number): Scenario => ({ ...s, attacker: { ...s.attacker, timeToObjectiveHours: hours } });

/** The contract's detection verdict on every class's first example. */
const reportVerdicts = (r: ScenarioResult): DetectionVerdict[] =>
  r.classes.map((c) => {
    const o = c.examples[0]!.outcome;
    return o.detections.find((d) => d.control === CONTRACT)!;
  });

const gapOf = (c: ClassResult, control: string) => c.examples[0]!.gaps.find((g) => g.control === control);

/**
 * The engine's classes equal the brute-force enumerator's (test/analysis/oracle.ts): counts, outcome,
 * detecting control and delay, blocking, detecting and contributing controls, statuses and unknowns.
 * joint combinations included (least privilege with agent MFA on a console path at a desk of another
 * operator closes a path only together: a pair of identity controls the joint search tries).
 */
const expectOracleAgrees = expectEngineMatchesOracle;

describe('the provider\'s incident report detects a takeover on which an attacker-held provider identity acted', () => {
  it('detects a bribed provider agent\'s request from the console after incident_report_hours (24 h), whatever the script clause says; not the accomplice\'s call to the desk, whose agents skip their procedural checks for anyone (no identity acted)', () => {
    for (const contract of [SCRIPTED(), OPEN_CONTRACT]) {
      const r = analyseOne(weakDeskWith(contract), sc('s09-bribed-insider-agent'));
      const byChannel = new Map(r.classes.map((c) => [c.examples[0]!.channel, c]));
      expect([...byChannel.keys()].sort()).toEqual(['agent_console', 'phone']);
      expect(byChannel.get('agent_console')!.detectedBy).toEqual({ control: CONTRACT, delayHours: 24 });
      expect(byChannel.get('agent_console')!.examples[0]!.outcome.detections.find((d) => d.control === CONTRACT)).toMatchObject({ detects: true, delayHours: 24, reason: expect.stringContaining('the provider reports the incident') });
      const phone = byChannel.get('phone')!;
      expect(phone.outcome).toBe('takeover_undetected');
      expect(phone.examples[0]!.outcome.detections.find((d) => d.control === CONTRACT)).toMatchObject({ detects: false, reason: expect.stringContaining('no provider agent identity acted') });
      // Placing the contract hardened changes nothing there: it does not make the desk perform its checks.
      expect(phone.detecting).not.toContain(CONTRACT);
      expectOracleAgrees(weakDeskWith(contract), sc('s09-bribed-insider-agent'));
    }
  });

  it('detects a compromised provider agent account that opens the request from the provider\'s console', () => {
    const r = analyseOne(weakDeskWith(OPEN_CONTRACT), sc('s07-compromised-agent-account'));
    expect(r.outcome).toBe('takeover_detected');
    for (const c of r.classes) expect(c.detectedBy).toEqual({ control: CONTRACT, delayHours: 24 });
  });

  it('takes incident_report_hours as its delay', () => {
    const r = analyseOne(weakDeskWith(SCRIPTED(72)), sc('s09-bribed-insider-agent'));
    expect(consoleClasses(r).length).toBeGreaterThan(0);
    for (const c of consoleClasses(r)) expect(c.detectedBy).toEqual({ control: CONTRACT, delayHours: 72 });
  });

  it('a report later than the attacker\'s objective does not count: the path is undetected and the verdict is kept as late, naming both times', () => {
    const r = analyseOne(weakDeskWith(SCRIPTED()), withObjective(sc('s09-bribed-insider-agent'), 2));
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.detected).toBe(0n);
    expect(consoleClasses(r).length).toBeGreaterThan(0);
    for (const v of reportVerdicts({ ...r, classes: consoleClasses(r) })) {
      expect(v).toMatchObject({ detects: false, late: true });
      expect(v.reason).toContain('but only after 24 h: later than the attacker\'s objective (2 h)');
    }
  });

  it('a contract without the clause (reports_incidents false) detects nothing, and says why', () => {
    const r = analyseOne(weakDeskWith('{ script_enforces_standard: false, reports_incidents: false }'), sc('s09-bribed-insider-agent'));
    expect(r.outcome).toBe('takeover_undetected');
    for (const v of reportVerdicts(r)) expect(v).toMatchObject({ detects: false, reason: 'the contract does not oblige the provider to report incidents involving its agents' });
  });

  it('a provider agent deceived or pressured by a caller is no incident the provider knows of: a pressure-only path on the same desk is not detected by it', () => {
    const r = analyseOne(weakDeskWith(OPEN_CONTRACT), attacker(['urgency_pressure'], { channels: ['phone'] }));
    expect(r.outcome).toBe('takeover_undetected');
    for (const v of reportVerdicts(r)) expect(v).toMatchObject({ detects: false, reason: expect.stringContaining('no provider agent identity acted') });
    for (const c of r.classes) expect(c.detecting).not.toContain(CONTRACT);
    // Nor the outsourced desk's own scenario: osint answers and urgency at an unmonitored provider.
    const s10 = analyseOne(weakDeskWith(OPEN_CONTRACT), sc('s10-outsourced-desk'));
    expect(s10.outcome).toBe('takeover_undetected');
    for (const c of s10.classes) expect(c.detecting).not.toContain(CONTRACT);
  });

  it('an in-house desk is never detected by it: the organisation\'s own agents are no provider\'s', () => {
    const inHouse = deskWorkflow({
      controls: `  - { control: ${CONTRACT}, params: { script_enforces_standard: false, reports_incidents: true } }`,
      steps: `
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - { control: proofing.ial2, params: { method: pii }, enforcement: procedural }
    next: reset`,
    });
    const r = analyseOne(inHouse, attacker(['insider_bribed_agent'], { channels: ['phone', 'agent_console'] }));
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.classes.map((c) => c.examples[0]!.channel).sort()).toEqual(['agent_console', 'phone']);
    for (const v of reportVerdicts(r)) expect(v.detects).toBe(false);
    for (const c of r.classes) expect(c.detecting).not.toContain(CONTRACT);
  });

  it('a desk whose operator is unknown is taken as the organisation\'s own (no report), and the outcome is conditional on its operator while the report would come in time', () => {
    // The desk of unknown operator takes requests at its intake; the bribed agent opens one from its console.
    const unknownDesk = (contract: string) =>
      loadWorkflowOrThrow(
        `resetpath: workflow/1
id: unknown.desk
name: Desk of unknown operator
account_classes: [standard_employee]
actors:
  - { id: desk, kind: agent, tier: 1, operator: unknown, name: desk of unknown operator }
controls:
  - { control: ${CONTRACT}, params: ${contract} }
start: intake
steps:
  - id: intake
    kind: intake
    channels: [phone]
    actor: desk
    next: verify
  - id: verify
    kind: proofing
    actor: desk
    controls:
      - { control: proofing.ial2, params: { method: pii }, enforcement: procedural }
    next: reset
  - id: reset
    kind: execution
    actor: desk
    action: password_reset
    delivery: requester_on_call
    next: done
  - id: done
    kind: end
`,
        'unknown-desk.yaml',
      );
    const who = attacker(['insider_bribed_agent'], { channels: ['agent_console'] });
    const r = analyseOne(unknownDesk('{ reports_incidents: true }'), who);
    expect(r.outcome).toBe('takeover_undetected');
    for (const v of reportVerdicts(r)) expect(v.detects).toBe(false);
    for (const c of r.classes) expect(c.conditional).toEqual(['operator:desk']);
    for (const c of analyseOne(unknownDesk('{ reports_incidents: false }'), who).classes) expect(c.conditional).toEqual([]);
    for (const c of analyseOne(unknownDesk('{ reports_incidents: true }'), withObjective(who, 2)).classes) expect(c.conditional).toEqual([]);
  });

  it('a bribed agent at a desk of unknown operator that a pressured honest agent there lets through anyway need not act: no report could come from any operator, and nothing depends on it for the outcome', () => {
    const desk = deskWorkflow({
      actors: '  - { id: desk, kind: agent, tier: 1, operator: unknown, name: desk of unknown operator }',
      controls: `  - { control: ${CONTRACT}, params: { reports_incidents: true } }`,
      steps: `
  - id: verify
    kind: proofing
    actor: desk
    controls:
      - { control: proofing.ial2, params: { method: pii }, enforcement: procedural }
    next: reset`,
    });
    const r = analyseOne(desk, attacker(['insider_bribed_agent', 'urgency_pressure'], { channels: ['phone'] }));
    expect(r.outcome).toBe('takeover_undetected');
    for (const c of r.classes) expect(c.conditional).toEqual([]);
    // With the bribed agent alone, its acting as the desk is what passes the check: that depends on the operator.
    for (const c of analyseOne(desk, attacker(['insider_bribed_agent'], { channels: ['phone'] })).classes) expect(c.conditional).toEqual(['operator:desk']);
  });

  it('a contract that leaves the provider\'s sessions unsecured still detects a stolen provider password through its report; securing them closes the path instead', () => {
    const unsecured = weakDeskWith('{ secures_provider_sessions: false, reports_incidents: true }', { phishingResistantAgentMfa: true });
    const r = analyseOne(unsecured, sc('s07-compromised-agent-account'));
    expect(r.outcome).toBe('takeover_detected');
    for (const c of r.classes) {
      expect(c.detectedBy).toEqual({ control: CONTRACT, delayHours: 24 });
      expect(c.blocking).toContain(CONTRACT);
    }
  });
});

describe('the missing clause is a detection gap on the provider-identity paths', () => {
  it('is no gap where placing the contract takes the identity away: a stolen provider password that only the provider\'s unsecured sessions let through is gone, and the pressured desk\'s path goes on with no identity acting', () => {
    const who = attacker(['agent_account_compromised', 'urgency_pressure'], { channels: ['phone'] });
    // Phishing-resistant agent MFA, no contract: the password works only from the provider's sessions.
    const providerOnly = analyseOne(weakDeskWith(null, { phishingResistantAgentMfa: true }), who);
    expect(providerOnly.outcome).toBe('takeover_undetected');
    for (const c of providerOnly.classes) {
      expect(c.detecting).not.toContain(CONTRACT);
      expect(c.contributing.map((x) => x.control)).toContain(CONTRACT);
    }
    // With agent MFA that a phished password passes, the contract leaves the identity, but the desk's
    // agents skip their procedural check for the caller all the same (a contract does not make them
    // perform it): the identity need not act on a phone request, and no report comes.
    const phished = attacker(['agent_account_compromised'], { channels: ['phone'] });
    for (const c of analyseOne(weakDeskWith(null), phished).classes) expect(c.detecting).not.toContain(CONTRACT);
    // A pressured agent skips the check for the caller as well: the identity need not act, and no report comes.
    for (const c of analyseOne(weakDeskWith(null), who).classes) expect(c.detecting).not.toContain(CONTRACT);
    expectOracleAgrees(weakDeskWith(null, { phishingResistantAgentMfa: true }), who);
    expectOracleAgrees(weakDeskWith(null), who);
    expectOracleAgrees(weakDeskWith(null), phished);
  });

  it('on the weak outsourced desk (no contract) against a bribed provider agent, the contract detects every class of the agent\'s console requests, status absent, within 24 h, and none of the accomplice\'s calls', () => {
    const r = analyseOne(weakDeskWith(null), sc('s09-bribed-insider-agent'));
    expect(r.outcome).toBe('takeover_undetected');
    for (const c of r.classes.filter((x) => !consoleClasses(r).includes(x))) expect(c.detecting).not.toContain(CONTRACT);
    expect(consoleClasses(r).length).toBeGreaterThan(0);
    for (const c of consoleClasses(r)) {
      expect(c.detecting).toContain(CONTRACT);
      expect(c.statuses[CONTRACT]).toBe('absent');
      const g = gapOf(c, CONTRACT)!;
      expect(g).toMatchObject({ effect: 'detects', status: 'absent', detectionDelayHours: 24 });
      expect(g.effectReason).toContain('the provider reports the incident');
    }
  });

  it('a contract present without the clause is a weak detecting control', () => {
    const r = analyseOne(weakDeskWith('{ script_enforces_standard: false, reports_incidents: false }'), sc('s09-bribed-insider-agent'));
    expect(consoleClasses(r).length).toBeGreaterThan(0);
    for (const c of consoleClasses(r)) {
      expect(c.detecting).toContain(CONTRACT);
      expect(c.statuses[CONTRACT]).toBe('weak');
    }
  });

  it('is no gap when the report would come after the attacker\'s objective', () => {
    const r = analyseOne(weakDeskWith(null), withObjective(sc('s09-bribed-insider-agent'), 2));
    for (const c of r.classes) expect(c.detecting).not.toContain(CONTRACT);
  });

  it('the bundled hardened desks state the clause explicitly', () => {
    for (const id of ['outsourced-service-desk.hardened', 'customer-account-recovery.hardened']) {
      const text = readFileSync(new URL(`../../models/library/${id}.yaml`, import.meta.url), 'utf8');
      expect(text, id).toMatch(/reports_incidents: true, incident_report_hours: 24/);
    }
  });
});

describe('the engine agrees with the brute-force enumerator on the report', () => {
  const OPERATORS = ['in_house', 'outsourced', 'unknown', 'platform_support'] as const;
  const DESKS = ['d0', 'd1', 'd2', 'sys'];
  const GUARDS: [string, string][] = [
    ['proofing', '{ control: proofing.ial2, params: { method: pii }, enforcement: procedural }'],
    ['proofing', '{ control: proofing.ial2, params: { method: pii }, enforcement: system }'],
    ['approval', '{ control: approval.dual, enforcement: procedural }'],
    ['proofing', ''],
  ];
  /**
   * Small desks of random operators: an intake, two or three verifying steps and a reset, each by a
   * random desk, with procedural or system checks, a notice or a log with a review sometimes, and a
   * contract with random clauses (or none), agent MFA phishing-resistant or not, least privilege or not.
   */
  const deskArb = fc
    .record({
      ops: fc.tuple(fc.constantFrom(...OPERATORS), fc.constantFrom(...OPERATORS), fc.constantFrom(...OPERATORS)),
      intake: fc.constantFrom('d0', 'd1', 'd2'),
      steps: fc.array(fc.record({ actor: fc.constantFrom(...DESKS), guard: fc.constantFrom(...GUARDS), onFail: fc.boolean() }), { minLength: 2, maxLength: 3 }),
      resetActor: fc.constantFrom('d0', 'd1', 'd2'),
      resetGuard: fc.constantFrom('', '{ control: approval.dual, enforcement: procedural }'),
      extra: fc.constantFrom('', '', 'notify', 'review'),
      contract: fc.option(fc.record({ script: fc.boolean(), sessions: fc.boolean(), reports: fc.boolean(), hours: fc.constantFrom(1, 24, 720), enforcement: fc.constantFrom('system', 'procedural') }), { nil: null }),
      agentMfa: fc.boolean(),
      leastPrivilege: fc.boolean(),
      insiderControls: fc.boolean(),
    })
    .map((r) => {
      const ids = r.steps.map((_, i) => `v${i}`);
      const after = r.extra === 'notify' ? 'notify' : r.extra === 'review' ? 'review' : 'done';
      const resetControls = [...(r.resetGuard ? [r.resetGuard] : []), ...(r.extra === 'review' ? ['{ control: log.immutable, enforcement: procedural }'] : [])];
      const wfControls = [
        `  - { control: agent.mfa, params: { phishing_resistant: ${r.agentMfa} } }`,
        ...(r.leastPrivilege ? ['  - { control: agent.least_privilege }'] : []),
        ...(r.insiderControls ? ['  - { control: agent.insider_controls }'] : []),
        ...(r.contract ? [`  - { control: ${CONTRACT}, params: { script_enforces_standard: ${r.contract.script}, secures_provider_sessions: ${r.contract.sessions}, reports_incidents: ${r.contract.reports}, incident_report_hours: ${r.contract.hours} }, enforcement: ${r.contract.enforcement} }`] : []),
      ];
      const yaml = `resetpath: workflow/1
id: random-desks
name: Random desks
account_classes: [standard_employee]
actors:
  - { id: d0, kind: agent, tier: 1, operator: ${r.ops[0]} }
  - { id: d1, kind: agent, tier: 1, operator: ${r.ops[1]} }
  - { id: d2, kind: agent, tier: 2, operator: ${r.ops[2]} }
  - { id: sys, kind: system }
  - { id: reviewer, kind: reviewer }
controls:
${wfControls.join('\n')}
start: intake
steps:
  - { id: intake, kind: intake, actor: ${r.intake}, channels: [phone], next: ${ids[0]} }
${r.steps.map((st, i) => `  - id: ${ids[i]}
    kind: ${st.guard[0]}
    actor: ${st.actor}
${st.guard[1] ? `    controls:\n      - ${st.guard[1]}\n` : ''}    next: ${ids[i + 1] ?? 'reset'}
${st.onFail ? `    on_fail: ${ids[i + 1] ?? 'reset'}\n` : ''}`).join('')}  - id: reset
    kind: execution
    actor: ${r.resetActor}
    action: password_reset
    delivery: requester_on_call
${resetControls.length ? `    controls:\n${resetControls.map((c) => `      - ${c}\n`).join('')}` : ''}    next: ${after}
${r.extra === 'notify' ? `  - { id: notify, kind: notification, actor: sys, controls: [{ control: notify.out_of_band }], next: done }\n` : ''}${r.extra === 'review' ? '  - { id: review, kind: review, actor: reviewer, controls: [{ control: review.post_event, params: { sample_rate: 1 } }], next: done }\n' : ''}  - { id: done, kind: end }
`;
      return loadWorkflowOrThrow(yaml, 'random-desks.yaml');
    });
  const attackerArb = fc
    .record({
      caps: fc.subarray(['insider_bribed_agent', 'agent_account_compromised', 'multiple_agent_accounts', 'support_platform_credential_leaked', 'urgency_pressure', 'osint_personal_data'], { minLength: 1, maxLength: 3 }),
      console: fc.boolean(),
      objective: fc.constantFrom(null, 2, 24, 48),
    })
    .map((a) => {
      const agent = a.caps.some((c) => AGENT_CAPABILITIES.includes(c as (typeof AGENT_CAPABILITIES)[number]));
      const s = attacker(a.caps, { channels: agent && a.console ? ['phone', 'agent_console'] : ['phone'] });
      return a.objective === null ? s : withObjective(s, a.objective);
    });

  it('counts, outcomes, detecting, blocking and contributing controls, statuses and unknowns equal the oracle\'s on random desks with a contract', () => {
    fc.assert(
      fc.property(deskArb, attackerArb, (wf, s) => expectOracleAgrees(wf, s)),
      { numRuns: process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 100, seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : 20260909 },
    );
    // Every run lists and re-walks its paths in each counterfactual; slow on a loaded machine.
  }, 180_000);
});
