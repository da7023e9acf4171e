// An agent's signed-in session or workstation in the attacker's hands (agent_session_hijacked): one
// agent identity that no sign-in factor stops (docs/analysis-semantics.md, "Attacker").
import { describe, expect, it } from 'vitest';
import { analyseOne, attacker, deskWorkflow, kbvStep } from './helpers.ts';

const MFA = '  - { control: agent.mfa, params: { phishing_resistant: true }, enforcement: system }';
const console_ = (caps: string[]) => attacker(caps, { channels: ['agent_console'] });

describe('a hijacked agent session', () => {
  it('opens a request from the support console where phishing-resistant agent MFA makes a stolen agent password useless', () => {
    const wf = deskWorkflow({ steps: kbvStep(), controls: MFA });
    expect(analyseOne(wf, console_(['agent_account_compromised'])).outcome).toBe('blocked');
    const r = analyseOne(wf, console_(['agent_session_hijacked']));
    expect(r.outcome).toBe('takeover_undetected');
    for (const c of r.classes) {
      const closers = [...c.blocking, ...c.joint.flatMap((j) => j.controls)];
      expect(closers, c.id).not.toContain('agent.mfa');
      expect(closers, c.id).not.toContain('authn.phishing_resistant');
    }
  });

  it('approves its own reset where separation of duties is not enforced, agent MFA notwithstanding, and an enforced separation stops it', () => {
    const approval = (separation: boolean) =>
      deskWorkflow({
        controls: MFA,
        steps: `
  - id: approve
    kind: approval
    actor: tier1
    controls:
      - { control: approval.dual, params: { separation_enforced: ${separation}, approver_evidence: independent_contact }, enforcement: system }
    next: reset`,
        first: 'approve',
      });
    const rules = (sep: boolean) => analyseOne(approval(sep), console_(['agent_session_hijacked'])).classes.flatMap((c) => c.examples[0]!.walked.flatMap((w) => w.verdicts.flatMap((v) => v.means.map((m) => m.rule))));
    expect(rules(false)).toContain('approval.dual.self_approval.hijacked_session');
    expect(analyseOne(approval(true), console_(['agent_session_hijacked'])).outcome).toBe('blocked');
  });

  it('can rewrite a record kept in ticket notes, so a review reads an intact record only from an immutable log', () => {
    const wf = deskWorkflow({ steps: kbvStep(), controls: MFA, resetControls: '      - { control: review.post_event, enforcement: system }' });
    const r = analyseOne(wf, console_(['agent_session_hijacked']));
    expect(r.outcome).toBe('takeover_undetected');
    for (const c of r.classes) expect(c.detecting, c.id).toContain('log.immutable');
  });
});
