// A system-enforced check can be present and still be passed: a known bypass, or a weaker fallback
// the requester can force. The gap then names the flaw, with the check as the control to fix, never
// the check's absence (docs/analysis-semantics.md, "Flawed checks").
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, buildAnalysisReport } from '../../analysis/index.ts';
import { loadWorkflowText } from '../../models/index.ts';
import { replay } from '../../scenarios/index.ts';
import { bundledScenarios, bundledWorkflow } from '../renderer/library.ts';
import { attacker, deskWorkflow } from './helpers.ts';

const pushWithFallback = (flaw: string, exceptions?: string) =>
  deskWorkflow({
    first: 'push',
    ...(exceptions ? { exceptions } : {}),
    steps: `
  - id: push
    kind: step_up
    actor: idp
    controls:
      - control: step_up.verification
        params: { factor: push }
        enforcement: system
${flaw}
    next: reset`,
  });
const SMS_FALLBACK = `        flaw:
          kind: forceable_fallback
          description: an unanswered push falls back to an SMS code to the phone on file
          capabilities: [sim_swap]`;

describe('flawed checks', () => {
  it('lets an attacker with the capabilities the flaw needs through a system-enforced check, and no one else', () => {
    const wf = pushWithFallback(SMS_FALLBACK);
    const swapper = analyzeWorkflow(wf, [attacker(['sim_swap'])]).scenarios[0]!;
    expect(swapper.outcome).toBe('takeover_undetected');
    expect(analyzeWorkflow(wf, [attacker(['osint_personal_data'])]).scenarios[0]!.outcome).toBe('blocked');
    // Without the flaw, the push holds against the SIM swapper.
    expect(analyzeWorkflow(pushWithFallback(''), [attacker(['sim_swap'])]).scenarios[0]!.outcome).toBe('blocked');
  });

  it('names the flawed check as the control that would block, with the status "flawed" and the flaw in the explanation', () => {
    const c = analyzeWorkflow(pushWithFallback(SMS_FALLBACK), [attacker(['sim_swap'])]).scenarios[0]!.classes[0]!;
    expect(c.blocking).toContain('step_up.verification');
    expect(c.statuses['step_up.verification']).toBe('flawed');
    const gap = c.examples[0]!.gaps.find((g) => g.control === 'step_up.verification')!;
    expect(gap).toMatchObject({ effect: 'blocks', status: 'flawed' });
    expect(gap.why).toMatch(/a fallback the requester can force: an unanswered push falls back to an SMS code .*\[flaw\.forceable_fallback\]/);
  });

  it('says, where an exception also waives a flawed check, that revoking the waiver alone would leave the path open through the flaw', () => {
    // Waived ranks above flawed, so the status names the waiver; the flaw is a second way past the
    // same check that the explanation must not hide (a probe found fixes that closed nothing).
    const wf = pushWithFallback(SMS_FALLBACK, '  - { id: vip, bypasses: [push] }');
    const c = analyzeWorkflow(wf, [attacker(['sim_swap'])]).scenarios[0]!.classes[0]!;
    expect(c.statuses['step_up.verification']).toBe('waived');
    const gap = c.examples[0]!.gaps.find((g) => g.control === 'step_up.verification')!;
    expect(gap.why).toMatch(/exception "vip" waives the checks of this step; this path also gets past it at ".+": .*unanswered push falls back to an SMS code.*\[flaw\.forceable_fallback\], which that fix alone would leave open/);
  });

  it('uses a flaw that needs no capability against any requester', () => {
    const wf = pushWithFallback(`        flaw: { kind: known_bypass, description: the enrolment API accepts a password-only session }`);
    expect(analyzeWorkflow(wf, [attacker(['osint_personal_data'])]).scenarios[0]!.outcome).toBe('takeover_undetected');
  });

  it('shows the flaw in the replayed trace as the rule that passed the check', () => {
    const wf = bundledWorkflow('mfa-reenrollment-phone.weak');
    const sc = bundledScenarios().find((s) => s.id === 's04-sim-swap-sspr')!;
    const cls = analyzeWorkflow(wf, [sc]).scenarios[0]!.classes.find((c) => c.statuses['step_up.verification'] === 'flawed')!;
    const ex = cls.examples[0]!;
    const trace = replay(wf, sc, { channel: ex.channel, claimedClass: ex.claimedClass, standingExceptions: ex.standingExceptions, steps: ex.walked.map((w) => ({ step: w.step, via: w.via })) });
    const push = trace.entries.find((e) => e.step === 'push_check')!;
    expect(push.verdicts.find((v) => v.control === 'step_up.verification')).toMatchObject({ verdict: 'defeated', means: [expect.objectContaining({ rule: 'flaw.forceable_fallback' })] });
    expect(trace.outcome.kind).toBe('takeover_undetected');
  });

  it('publishes the status in the report', () => {
    const report = buildAnalysisReport([analyzeWorkflow(bundledWorkflow('mfa-reenrollment-phone.weak'), bundledScenarios())]).workflows[0]!;
    const s04 = report.scenarios.find((s) => s.scenario === 's04-sim-swap-sspr')!;
    expect(s04.classes.some((c) => c.statuses['step_up.verification'] === 'flawed')).toBe(true);
  });

  it('refuses a flaw on a control that is not a check that can hold, naming where', () => {
    const r = loadWorkflowText(
      `resetpath: workflow/1
id: bad
name: Bad
account_classes: [standard_employee]
actors: [{ id: tier1, kind: agent }]
start: intake
steps:
  - { id: intake, kind: intake, actor: tier1, channels: [phone], next: verify }
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - control: proofing.no_pii_kbv
        flaw: { kind: known_bypass, description: x }
    next: reset
  - { id: reset, kind: execution, actor: tier1, action: password_reset, next: done }
  - { id: done, kind: end }
`,
      'bad.yaml',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([expect.stringMatching(/^steps\[1\]\.controls\[0\]\.flaw: only a check that can hold \(a guard\) has a flaw to bypass; "proofing\.no_pii_kbv" is a modifier$/)]);
  });
});
