// An unknown makes a path conditional only where resolving it the other way could change the path
// (docs/analysis-semantics.md, "Unknowns"). What a step checks beyond its listed controls
// (`verification: unknown`) is such an unknown only where a check that can stand at that step would
// apply to the path: on a request the attacker opens from the agent console no requester is checked,
// and a genuine holder the attacker directs passes every check of the requester. A reviewer found
// agent-console paths marked CONDITIONAL on what a proofing step checks of a requester.
import { describe, expect, it } from 'vitest';
import { loadWorkflowOrThrow, type Workflow } from '../../models/index.ts';
import { expectEngineMatchesOracle } from './agreement.ts';
import { analyseOne, attacker, deskWorkflow } from './helpers.ts';

/** The desk with one step of the given kind whose checks are not known, performed by the tier-1 agent. */
const unknownStep = (kind: string, controls = '') =>
  deskWorkflow({
    steps: `
  - id: verify
    kind: ${kind}
    actor: tier1
    verification: unknown
${controls ? `    controls:\n${controls}\n` : ''}    next: reset`,
  });

/** A compromised agent account: it calls the desk as an impostor or opens the request in the support tool. */
const agentAccount = attacker(['agent_account_compromised', 'osint_personal_data'], { channels: ['phone', 'agent_console'] });

/** The classes of an analysis by the channel of their first example. */
const byChannel = (w: Workflow, sc = agentAccount) => {
  const out = new Map<string, string[][]>();
  for (const c of analyseOne(w, sc).classes) {
    const ch = c.examples[0]!.channel;
    out.set(ch, [...(out.get(ch) ?? []), c.conditional]);
  }
  return out;
};

describe('an unknown about what a step checks', () => {
  it('makes no path opened from the agent console conditional at a proofing, step-up or call-back step: no requester is checked there, whatever the step checks', () => {
    for (const kind of ['proofing', 'step_up', 'callback']) {
      const r = byChannel(unknownStep(kind));
      expect(r.get('agent_console'), kind).toEqual([[]]);
      // The impostor on the phone is a requester an unlisted check might stop: that path stays conditional.
      expect(r.get('phone'), kind).toEqual([['verification:verify']]);
    }
  });

  it('makes no console path conditional either when the step lists checks of the requester besides (they are not applicable there)', () => {
    const w = unknownStep(
      'proofing',
      `      - control: proofing.ial2
        params: { method: kbv }
        enforcement: system`,
    );
    const r = byChannel(w);
    expect(r.get('agent_console')).toEqual([[]]);
    expect(r.get('phone')).toEqual([['verification:verify']]);
  });

  it('still makes a console path conditional at an approval step: a dual approval, which applies in the support tool, may be what it checks', () => {
    const r = byChannel(unknownStep('approval'));
    expect(r.get('agent_console')).toEqual([['verification:verify']]);
    // Such a check, placed there, would indeed stop the console path of a single agent identity.
    const dual = unknownStep(
      'approval',
      `      - control: approval.dual
        enforcement: system`,
    );
    expect(byChannel(dual).get('agent_console')).toBeUndefined();
  });

  it('makes no path conditional where the attacker directs the genuine holder, who passes every check of the requester with their own evidence', () => {
    const holder = (kind: string, action = 'password_reset') =>
      loadWorkflowOrThrow(
        `resetpath: workflow/1
id: test.holder-unknown
name: The holder signs in to a step of unknown checks, then resets
account_classes: [standard_employee]
actors:
  - { id: holder, kind: account_holder, name: the employee }
  - { id: idp, kind: system, name: identity provider }
start: intake
steps:
  - { id: intake, kind: intake, channels: [self_service], actor: holder, next: verify }
  - { id: verify, kind: ${kind}, name: Unknown checks, actor: idp, verification: unknown, next: grant }
  - { id: grant, kind: execution, name: Grant, actor: idp, action: ${action}, delivery: requesting_client, next: done }
  - { id: done, kind: end }
`,
        'holder-unknown.yaml',
      );
    const vishing = attacker(['victim_vishing'], { channels: ['self_service'] });
    for (const kind of ['proofing', 'step_up', 'callback', 'approval']) {
      const r = analyseOne(holder(kind), vishing);
      expect(r.paths > 0n, kind).toBe(true);
      for (const c of r.classes) expect(c.conditional, kind).toEqual([]);
    }
    // A restriction of the grant the workflow makes applies to whoever asks: an approval step's
    // unknown may be one, so the path through it stays conditional.
    for (const c of analyseOne(holder('approval', 'oauth_app_consent'), vishing).classes) expect(c.conditional).toEqual(['verification:verify']);
  });

  it('agrees with the oracle, which states the rule on its own', () => {
    for (const kind of ['proofing', 'step_up', 'callback', 'approval']) {
      expectEngineMatchesOracle(unknownStep(kind), agentAccount);
      expectEngineMatchesOracle(unknownStep(kind), attacker(['insider_bribed_agent'], { channels: ['phone', 'agent_console'] }));
    }
  });
});
