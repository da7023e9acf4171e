// An attacker-held agent identity is seen by insider analytics (and a provider's incident report) only
// where it had to act: a guard of a passed step whose every means is an insider or agent-account
// deviation (docs/analysis-semantics.md, "Detection"). Where the attacker has another way past every
// guard, it takes it and leaves its identity out. Found by a property test: adding a bribed agent to
// an attacker that passed every check by other means made its path detected.
import { describe, expect, it } from 'vitest';
import { analyseOne, attacker, deskWorkflow } from './helpers.ts';
import { expectEngineMatchesOracle } from './agreement.ts';

const INSIDER = 'agent.insider_controls';

/**
 * A desk with insider analytics whose tier-1 agent runs one check (by default knowledge answers, by
 * procedure) and, optionally, more controls at the check and at the reset.
 */
const insiderDesk = (opts: { check?: string; more?: string; reset?: string } = {}) =>
  deskWorkflow({
    controls: `  - { control: ${INSIDER} }`,
    steps: `
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - ${opts.check ?? '{ control: proofing.ial2, params: { method: kbv }, enforcement: procedural }'}
${opts.more ?? ''}
    next: reset`,
    ...(opts.reset ? { resetControls: opts.reset } : {}),
  });
const desk = (more = '') => insiderDesk({ more });

describe('insider analytics see an attacker-held identity only where it had to act', () => {
  it('do not detect a caller who knows the answers from OSINT, though a bribed agent works at the desk: the agent need not act', () => {
    const r = analyseOne(desk(), attacker(['osint_personal_data', 'insider_bribed_agent']));
    expect(r.outcome).toBe('takeover_undetected');
    for (const c of r.classes) expect(c.examples[0]!.outcome.detections.find((d) => d.control === INSIDER)).toMatchObject({ detects: false });
  });

  it('detect the same reset when the bribed agent is the only way past the check', () => {
    const r = analyseOne(desk(), attacker(['insider_bribed_agent']));
    expect(r.outcome).toBe('takeover_detected');
    for (const c of r.classes) expect(c.detectedBy).toMatchObject({ control: INSIDER });
  });

  it('holding the agent never turns the OSINT caller\'s undetected path into a detected one', () => {
    const without = analyseOne(desk(), attacker(['osint_personal_data']));
    const withAgent = analyseOne(desk(), attacker(['osint_personal_data', 'insider_bribed_agent']));
    expect(withAgent.undetected >= without.undetected).toBe(true);
  });

  it('credit a control that takes the other means away with detecting the path: without the answers the agent has to act', () => {
    const r = analyseOne(desk(), attacker(['osint_personal_data', 'insider_bribed_agent']));
    for (const c of r.classes) {
      expect(c.detecting).toContain('proofing.no_pii_kbv');
      expect(c.examples[0]!.gaps.find((g) => g.control === 'proofing.no_pii_kbv')).toMatchObject({ effect: 'detects', effectReason: expect.stringContaining('agent behaviour analytics') });
    }
    // And with it placed, the path is detected by the analytics already there.
    const placed = analyseOne(desk('      - { control: proofing.no_pii_kbv, enforcement: system }'), attacker(['osint_personal_data', 'insider_bribed_agent']));
    expect(placed.outcome).toBe('takeover_detected');
  });

  it('see a lookup in the support tool: a PIN check passed only by the bribed agent viewing the PIN is the identity acting', () => {
    const pinDesk = insiderDesk({ check: '{ control: step_up.verification, params: { factor: account_pin }, enforcement: system }' });
    const r = analyseOne(pinDesk, attacker(['insider_bribed_agent']));
    expect(r.paths > 0n).toBe(true);
    for (const c of r.classes) {
      const v = c.examples[0]!.walked.find((w) => w.step === 'verify')!.verdicts.find((x) => x.control === 'step_up.verification')!;
      expect(v.means.map((m) => m.rule)).toEqual(['step_up.pin.agent_view']);
      expect(c.detectedBy).toMatchObject({ control: INSIDER });
    }
    expectEngineMatchesOracle(pinDesk, attacker(['insider_bribed_agent']));
  });

  it('leave an undetected outcome conditional on the unknowns the identity was left out through', () => {
    // The answers are looked up in the tool with the agent's identity (no unknown), or a pressured
    // agent skips the check, which works only if the check is not enforced by the system (unknown).
    const knowledgeCheck = (enforcement: string) => insiderDesk({ check: `{ control: proofing.ial2, params: { method: kbv }, enforcement: ${enforcement} }` });
    const who = attacker(['insider_bribed_agent', 'urgency_pressure']);
    const unknown = analyseOne(knowledgeCheck('unknown'), who);
    expect(unknown.outcome).toBe('takeover_undetected');
    for (const c of unknown.classes) expect(c.conditional).toEqual(['enforcement:verify/proofing.ial2']);
    // Known to be procedural, the pressured agent is a sure way past: undetected, depending on nothing.
    for (const c of analyseOne(knowledgeCheck('procedural'), who).classes) expect([c.outcome, c.conditional]).toEqual(['takeover_undetected', []]);
    // Enforced by the system, only the lookup is left: the identity acts, and the analytics see it.
    expect(analyseOne(knowledgeCheck('system'), who).outcome).toBe('takeover_detected');
    for (const e of ['unknown', 'procedural', 'system']) expectEngineMatchesOracle(knowledgeCheck(e), who);
  });

  it('see the agent leave a cooling-off out only where the cooling-off would hold: with a notification before it ends', () => {
    // The caller knows the answers; the reset waits 72 h unless the desk leaves the wait out.
    const cooling = (notify: boolean) =>
      insiderDesk({
        check: '{ control: proofing.ial2, params: { method: kbv }, enforcement: system }',
        reset: `      - { control: cooldown.delay, params: { hours: 72 }, enforcement: procedural }${notify ? '\n      - { control: notify.out_of_band, enforcement: system }' : ''}`,
      });
    const who = attacker(['osint_personal_data', 'insider_bribed_agent']);
    // No one is told: the wait holds nothing back, so the bribed agent need not leave it out.
    const insiderOn = (r: ReturnType<typeof analyseOne>) => r.classes.map((c) => c.examples[0]!.outcome.detections.find((d) => d.control === INSIDER)!.detects);
    const silent = analyseOne(cooling(false), who);
    expect(silent.outcome).toBe('takeover_undetected');
    expect(insiderOn(silent)).toEqual(silent.classes.map(() => false));
    // The user is told within 72 h: only the bribed agent leaving the wait out lets the reset through,
    // and the analytics see it (the notice itself comes first).
    const told = analyseOne(cooling(true), who);
    expect(told.paths > 0n).toBe(true);
    expect(insiderOn(told)).toEqual(told.classes.map(() => true));
    // Without the agent, the notified user stops the reset.
    expect(analyseOne(cooling(true), attacker(['osint_personal_data'])).outcome).toBe('blocked');
    // The same wait left out by a pressured agent needs no identity: the analytics see nothing.
    const pressured = analyseOne(cooling(true), attacker(['osint_personal_data', 'insider_bribed_agent', 'urgency_pressure']));
    expect(insiderOn(pressured)).toEqual(pressured.classes.map(() => false));
    for (const w of [cooling(false), cooling(true)]) expectEngineMatchesOracle(w, who);
  });

  it('agree with the brute-force enumerator in each case', () => {
    for (const caps of [['osint_personal_data', 'insider_bribed_agent'], ['insider_bribed_agent'], ['urgency_pressure', 'agent_account_compromised']]) expectEngineMatchesOracle(desk(), attacker(caps));
  });
});
