// The attacker capabilities of issue 9 item 9 and the rules that use them (docs/analysis-semantics.md,
// "Stolen factors, sessions, documents and platform credentials", and "Takeover, delivery, blast
// radius" for the in-person hand-over): each is shown defeating what its rule says, and failing
// against what the rule says stops it.
import { describe, expect, it } from 'vitest';
import type { ExamplePath } from '../../analysis/index.ts';
import { loadWorkflowOrThrow, type Workflow } from '../../models/index.ts';
import { analyseOne, attacker, deskWorkflow, examples, kbvStep, pathCount } from './helpers.ts';

/** A desk whose only check is one step-up with this factor (system-enforced). */
const stepUp = (factor: string, controls?: string) =>
  deskWorkflow({
    ...(controls ? { controls } : {}),
    steps: `
  - id: verify
    kind: step_up
    actor: idp
    controls:
      - control: step_up.verification
        params: { factor: ${factor} }
    next: reset`,
  });

/** A desk whose only check is identity proofing with these parameters, and optionally liveness on the same step. */
const proofing = (params: string, extra = '', enforcement = 'system') =>
  deskWorkflow({
    steps: `
  - id: verify
    kind: proofing
    actor: tier1
    controls:
      - control: proofing.ial2
        params: { ${params} }
        enforcement: ${enforcement}
${extra}
    next: reset`,
  });

/** The rules by which the attacker passed `step` on a path. */
const rulesAt = (p: ExamplePath, step: string) => p.walked.find((s) => s.step === step)!.verdicts.flatMap((v) => v.means.map((m) => m.rule));

describe('a synced authenticator seed', () => {
  const seed = attacker(['synced_authenticator_seed']);

  it('passes a TOTP step-up: the attacker generates the current code from the synced seed', () => {
    const w = stepUp('totp');
    expect(pathCount(w, seed)).toBe(1);
    expect(rulesAt(examples(w, seed)[0]!, 'verify')).toEqual(['step_up.totp.synced_seed']);
  });

  it('passes no other factor (push, SMS, FIDO2), and no TOTP step-up once authenticators are phishing-resistant', () => {
    for (const f of ['push', 'sms_otp', 'fido2', 'push_number_matching']) expect(pathCount(stepUp(f), seed), f).toBe(0);
    expect(pathCount(stepUp('totp', '  - control: authn.phishing_resistant'), seed)).toBe(0);
  });

  it('names the step-up as weak in the gap of the TOTP desk', () => {
    const gap = examples(stepUp('totp'), seed)[0]!.gaps.find((g) => g.control === 'step_up.verification')!;
    expect(gap).toMatchObject({ effect: 'blocks', status: 'weak' });
  });
});

/** A ticket-portal desk with these intake controls, then `steps` (the first named "check", or straight to the reset). */
function portalDesk(intakeControls: string, steps = ''): Workflow {
  return loadWorkflowOrThrow(
    `
resetpath: workflow/1
id: portal.desk
name: Portal desk
account_classes: [standard_employee]
actors:
  - { id: tier1, kind: agent, tier: 1, name: tier-1 agent }
start: verify
steps:
  - id: verify
    kind: intake
    actor: tier1
    channels: [ticket_portal]
    controls:${intakeControls}
    next: ${steps ? 'check' : 'reset'}
${steps}
  - id: reset
    kind: execution
    actor: tier1
    action: password_reset
    delivery: ticket
    next: done
  - id: done
    kind: end
`,
    'portal-desk.yaml',
  );
}

describe('a stolen authenticated session', () => {
  const session = attacker(['stolen_session'], { channels: ['ticket_portal'] });

  it('passes a step-up that accepts the existing signed-in session, whatever the workflow\'s authenticators', () => {
    expect(pathCount(stepUp('sso_session'), session)).toBe(1);
    expect(pathCount(stepUp('sso_session', '  - control: authn.phishing_resistant'), session)).toBe(1);
    expect(rulesAt(examples(stepUp('sso_session'), session)[0]!, 'verify')).toEqual(['step_up.session.stolen']);
  });

  it('passes SSO-session requester authentication of a ticket without re-authentication, and not with a phishing-resistant one', () => {
    const desk = (reauth: string) => portalDesk(`
      - control: ticket.integrity
        params: { requester_authentication: sso_session, reauthentication: ${reauth} }`);
    expect(pathCount(desk('none'), session)).toBe(1);
    expect(rulesAt(examples(desk('none'), session)[0]!, 'verify')).toEqual(['ticket.sso_session.stolen']);
    expect(pathCount(desk('phishing_resistant'), session)).toBe(0);
  });

  it('does not make ticket fields writable: SSO-authenticated tickets protect them whatever the re-authentication', () => {
    const w = portalDesk(
      `
      - control: ticket.integrity
        params: { requester_authentication: sso_session, reauthentication: none }`,
      `
  - id: check
    kind: proofing
    actor: tier1
    controls:
      - control: proofing.ial2
        evidence: ticket_field
        enforcement: system
    next: reset`,
    );
    expect(pathCount(w, attacker(['queue_ticket_injection', 'stolen_session'], { channels: ['ticket_portal'] }))).toBe(0);
  });
});

describe('a leaked support-platform credential', () => {
  const leaked = attacker(['support_platform_credential_leaked'], { channels: ['agent_console'] });
  const kbvDesk = (controls: string) =>
    deskWorkflow({
      controls,
      steps: kbvStep(),
    });

  it('opens requests from the agent console as one agent identity: requester-side checks do not apply', () => {
    const r = analyseOne(kbvDesk('  - control: agent.mfa\n    params: { phishing_resistant: false }'), leaked);
    expect(r.outcome).toBe('takeover_undetected');
    const v = r.classes[0]!.examples[0]!.walked.find((s) => s.step === 'verify')!.verdicts[0]!;
    expect(v.verdict).toBe('not_applicable');
  });

  it('is not stopped by phishing-resistant agent MFA that exempts service accounts or API tokens, and is stopped when it covers both', () => {
    const exempt = kbvDesk('  - control: agent.mfa\n    params: { phishing_resistant: true, covers: [service_accounts] }');
    expect(pathCount(exempt, leaked)).toBe(1);
    const gap = examples(exempt, leaked)[0]!.gaps.find((g) => g.control === 'agent.mfa')!;
    expect(gap).toMatchObject({ effect: 'blocks', status: 'weak' });
    expect(pathCount(kbvDesk('  - control: agent.mfa\n    params: { phishing_resistant: true, covers: [service_accounts, api_tokens] }'), leaked)).toBe(0);
  });

  it('leaves a compromised agent password stopped by phishing-resistant agent MFA, whatever that MFA covers', () => {
    const exempt = kbvDesk('  - control: agent.mfa\n    params: { phishing_resistant: true, covers: [] }');
    expect(pathCount(exempt, attacker(['agent_account_compromised'], { channels: ['agent_console'] }))).toBe(0);
  });

  it('reads the account PIN from the support platform for a caller, unless least privilege withholds secrets', () => {
    const onPhone = attacker(['support_platform_credential_leaked'], { channels: ['phone'] });
    expect(pathCount(stepUp('account_pin'), onPhone)).toBe(1);
    expect(rulesAt(examples(stepUp('account_pin'), onPhone)[0]!, 'verify')).toEqual(['step_up.pin.agent_view']);
    expect(pathCount(stepUp('account_pin', '  - control: agent.least_privilege'), onPhone)).toBe(0);
    // Covered by agent MFA, the credential signs in nowhere, so it reads nothing.
    expect(pathCount(stepUp('account_pin', '  - control: agent.mfa'), onPhone)).toBe(0);
  });

  it('approves its own reset where dual approval does not enforce separation, and not where it does', () => {
    const dual = (sep: boolean) =>
      deskWorkflow({
        steps: `
  - id: verify
    kind: approval
    actor: tier1
    controls:
      - control: approval.dual
        params: { separation_enforced: ${sep} }
        enforcement: system
    next: reset`,
      });
    expect(pathCount(dual(false), leaked)).toBe(1);
    expect(rulesAt(examples(dual(false), leaked)[0]!, 'verify')).toEqual(['approval.dual.self_approval.platform_credential']);
    expect(pathCount(dual(true), leaked)).toBe(0);
  });
});

describe('MFA push fatigue', () => {
  const fatigue = attacker(['mfa_push_fatigue']);

  it('gets a plain approve/deny push approved', () => {
    expect(pathCount(stepUp('push'), fatigue)).toBe(1);
    expect(rulesAt(examples(stepUp('push'), fatigue)[0]!, 'verify')).toEqual(['step_up.push.fatigue']);
  });

  it('fails against number matching, one-time codes and phishing-resistant authenticators', () => {
    for (const f of ['push_number_matching', 'sms_otp', 'totp', 'fido2']) expect(pathCount(stepUp(f), fatigue), f).toBe(0);
    expect(pathCount(stepUp('push', '  - control: authn.phishing_resistant'), fatigue)).toBe(0);
  });
});

describe('a real-time OTP phishing relay', () => {
  const relay = attacker(['otp_relay_phishing']);

  it('relays SMS, voice and TOTP codes and number-matched pushes', () => {
    for (const f of ['sms_otp', 'voice_otp', 'totp', 'push', 'push_number_matching']) {
      expect(pathCount(stepUp(f), relay), f).toBe(1);
      expect(rulesAt(examples(stepUp(f), relay)[0]!, 'verify'), f).toEqual(['step_up.otp.relay']);
    }
  });

  it('never passes FIDO2 (bound to the genuine origin), nor an email link opened on the user\'s own device, nor anything once authenticators are phishing-resistant', () => {
    expect(pathCount(stepUp('fido2'), relay)).toBe(0);
    expect(pathCount(stepUp('email_link'), relay)).toBe(0);
    expect(pathCount(stepUp('totp', '  - control: authn.phishing_resistant'), relay)).toBe(0);
  });
});

describe('a forged physical identity document', () => {
  const forged = attacker(['forged_id_document']);

  it('beats an in-person, video or upload document check that only looks at the document', () => {
    for (const method of ['in_person', 'video_id', 'document_upload']) {
      const w = proofing(`method: ${method}, document_authentication: false`);
      expect(pathCount(w, forged), method).toBe(1);
      expect(rulesAt(examples(w, forged)[0]!, 'verify'), method).toEqual(['proofing.document.forged']);
    }
  });

  it('is refused where the document is authenticated, and by a Verified ID with Face Check', () => {
    expect(pathCount(proofing('method: in_person, document_authentication: true'), forged)).toBe(0);
    expect(pathCount(proofing('method: verified_id_facecheck, document_authentication: false'), forged)).toBe(0);
  });

  it('is not stopped by liveness, since the face presented is the one on the forged document', () => {
    expect(pathCount(proofing('method: document_upload, document_authentication: false', '      - control: deepfake.liveness'), forged)).toBe(1);
  });

  it('names the missing document authentication as a weak proofing parameter', () => {
    const gap = examples(proofing('method: in_person, document_authentication: false'), forged)[0]!.gaps.find((g) => g.control === 'proofing.ial2')!;
    expect(gap).toMatchObject({ effect: 'blocks', status: 'weak' });
  });

  it('differs from a stolen genuine document, which an in-person check refuses (the face does not match)', () => {
    expect(pathCount(proofing('method: in_person, document_authentication: false'), attacker(['stolen_id_document']))).toBe(0);
  });
});

describe('in-person hand-over at the counter', () => {
  const counter = (resetControls?: string) =>
    deskWorkflow({
      first: 'reset',
      steps: '',
      delivery: 'in_person',
      ...(resetControls ? { resetControls } : {}),
    });

  it('hands the credential to an impostor with a forged ID when the document is only looked at', () => {
    const forged = attacker(['forged_id_document']);
    expect(pathCount(counter(), forged)).toBe(1);
    expect(pathCount(counter(), attacker(['osint_personal_data']))).toBe(0);
  });

  it('refuses the forged ID where the hand-over step authenticates the document, and names that check as the gap otherwise', () => {
    const forged = attacker(['forged_id_document']);
    const checked = '      - control: proofing.ial2\n        params: { method: in_person, document_authentication: true }\n        enforcement: system';
    expect(pathCount(counter(checked), forged)).toBe(0);
    const looked = '      - control: proofing.ial2\n        params: { method: in_person, document_authentication: false }\n        enforcement: system';
    const r = analyseOne(counter(looked), forged);
    expect(r.outcome).toBe('takeover_undetected');
    expect(r.classes[0]!.examples[0]!.gaps.find((g) => g.control === 'proofing.ial2')).toMatchObject({ effect: 'blocks', status: 'weak' });
  });

  it('reaches the accomplice of a bribed agent who performs the hand-over', () => {
    expect(pathCount(counter(), attacker(['insider_bribed_agent']))).toBe(1);
  });
});

describe('camera injection against selfie liveness', () => {
  const liveness = (detects: string) => `      - control: deepfake.liveness\n        params: { detects: [${detects}] }`;

  it('lets a deepfake through a video check with liveness when the check does not detect an injected stream', () => {
    const w = proofing('method: video_id', liveness(''));
    expect(pathCount(w, attacker(['video_deepfake']))).toBe(0);
    const injector = attacker(['video_deepfake', 'camera_injection']);
    expect(pathCount(w, injector)).toBe(1);
    expect(rulesAt(examples(w, injector)[0]!, 'verify')).toEqual(['proofing.liveness.camera_injection']);
    expect(examples(w, injector)[0]!.gaps.find((g) => g.control === 'deepfake.liveness')).toMatchObject({ effect: 'blocks', status: 'weak' });
  });

  it('is stopped by liveness that detects an injected stream, and needs a deepfake to inject', () => {
    expect(pathCount(proofing('method: video_id', liveness('injected_stream')), attacker(['video_deepfake', 'camera_injection']))).toBe(0);
    expect(pathCount(proofing('method: video_id', liveness('')), attacker(['camera_injection']))).toBe(0);
  });
});

describe('caller-ID spoofing', () => {
  const spoofer = attacker(['caller_id_spoofing']);
  const callback = (mode: string) =>
    deskWorkflow({
      steps: `
  - id: verify
    kind: callback
    actor: tier1
    controls:
      - control: callback.number_on_file
        params: { mode: ${mode} }
        enforcement: system
    next: reset`,
    });

  it('passes a "call-back" that trusts the caller ID of the inbound call', () => {
    expect(pathCount(callback('inbound_caller_id'), spoofer)).toBe(1);
    expect(rulesAt(examples(callback('inbound_caller_id'), spoofer)[0]!, 'verify')).toEqual(['callback.inbound.spoofed']);
  });

  it('never passes an outbound call-back to the number on file', () => {
    expect(pathCount(callback('outbound_callback'), spoofer)).toBe(0);
  });
});

describe('an account PIN', () => {
  it('is not known from OSINT, a SIM swap or a pre-positioned contact', () => {
    for (const caps of [['osint_personal_data'], ['sim_swap'], ['contact_prepositioned']]) expect(pathCount(stepUp('account_pin'), attacker(caps)), caps[0]).toBe(0);
  });

  it('is read out by a vished account holder, whatever the workflow\'s authenticators', () => {
    const vishing = attacker(['victim_vishing']);
    expect(pathCount(stepUp('account_pin'), vishing)).toBe(1);
    expect(pathCount(stepUp('account_pin', '  - control: authn.phishing_resistant'), vishing)).toBe(1);
  });

  it('is read from the support tool by any attacker-held agent identity (a second account, a compromised one), unless agent MFA takes the identity away', () => {
    expect(pathCount(stepUp('account_pin'), attacker(['multiple_agent_accounts']))).toBe(1);
    expect(pathCount(stepUp('account_pin', '  - control: agent.mfa\n    params: { phishing_resistant: false }'), attacker(['agent_account_compromised']))).toBe(1);
    expect(pathCount(stepUp('account_pin', '  - control: agent.mfa'), attacker(['agent_account_compromised']))).toBe(0);
  });

  it('is read from the support tool by a bribed agent, unless least privilege withholds it', () => {
    const insider = attacker(['insider_bribed_agent']);
    expect(rulesAt(examples(stepUp('account_pin'), insider)[0]!, 'verify')).toEqual(['step_up.pin.agent_view']);
    expect(pathCount(stepUp('account_pin', '  - control: agent.least_privilege'), insider)).toBe(0);
  });
});
