// Expected outcomes for the capability scenarios of issue 9 item 9 (S21-S25) on every bundled weak
// workflow, the whole row of the walk-in service point (weak), and what each hardened workflow must
// block. Written from the workflow files, the scenarios' capabilities and channels, the defeat rules
// in models/catalogue/controls.ts and docs/analysis-semantics.md ("Stolen factors, sessions,
// documents and platform credentials"; "Takeover, delivery, blast radius" for the counter), before
// the engine was run on them. Shorthand as in expected-outcomes.test.ts; besides: "seed" =
// step_up.totp.synced_seed, "relay" = step_up.otp.relay, "fatigue" = step_up.push.fatigue, "PIN read"
// = step_up.pin.agent_view, "forged" = proofing.document.forged, "leaked identity" = the agent
// identity a leaked support-platform credential gives where agent MFA does not cover service
// accounts and API tokens.
import { channel, detected, NOT_SERVED, notDelivered, stoppedAt, undetected, type HardenedExpectations, type WeakMatrix } from './cells.ts';

const NEW = ['s21-synced-authenticator-seed', 's22-stolen-session-portal', 's23-leaked-support-platform-credential', 's24-push-fatigue-otp-relay', 's25-forged-id-at-the-counter'];

/** Every new scenario targets a standard employee, so workflows that do not serve that class serve none of them. */
const notServed = (cls: string) => Object.fromEntries(NEW.map((s) => [s, NOT_SERVED(cls)]));

export const CAPS_WEAK: WeakMatrix = {
  'executive-vip-reset.weak': {
    's21-synced-authenticator-seed': undetected([['proofing.ial2', 'weak']], 'no step-up asks for a code: the personal data it also holds answers the pii questions at std_verify'),
    's22-stolen-session-portal': channel('the desk takes phone and email, not the portal'),
    's23-leaked-support-platform-credential': undetected([['agent.mfa', 'weak'], ['approval.dual', 'absent']], 'agent MFA is not phishing-resistant, so the leaked credential is an agent identity: from the console proofing is not applicable; agent MFA in force or dual control of the reset would stop it'),
    's24-push-fatigue-otp-relay': stoppedAt('std_verify', 'proofing.ial2', 'no push or code to relay here, and no personal data for the pii questions'),
    's25-forged-id-at-the-counter': stoppedAt('std_verify', 'proofing.ial2', 'walk-in is not a channel; by phone the pii questions are no document or video check, so neither the forged card nor the deepfake helps'),
  },
  'mfa-reenrollment-phone.weak': {
    's21-synced-authenticator-seed': undetected([['proofing.ial2', 'weak']], 'the seed is no push approval; after the push and the call-back (which rings the real user) the personal data passes the pii fallback, as in S05'),
    's22-stolen-session-portal': channel('phone only'),
    's23-leaked-support-platform-credential': undetected([['agent.mfa', 'weak'], ['approval.dual', 'absent']], 'the leaked identity opens the request at the console, where push, call-back and questions are not applicable'),
    's24-push-fatigue-otp-relay': undetected([['step_up.verification', 'weak'], ['authn.phishing_resistant', 'absent']], 'the approve/deny push falls to fatigue (and to the relay); the only notice goes to the new device'),
    's25-forged-id-at-the-counter': stoppedAt('knowledge_check', 'proofing.ial2', 'by phone: push and call-back reach the real user and the pii questions are no document check'),
  },
  'outsourced-service-desk.weak': {
    's21-synced-authenticator-seed': undetected([['proofing.ial2', 'weak']], 'the personal data passes the pii check (which the unmonitored provider may also skip)'),
    's22-stolen-session-portal': channel('phone, chat and email; no portal'),
    's23-leaked-support-platform-credential': undetected([['agent.mfa', 'weak'], ['agent.least_privilege', 'absent']], 'as S07: the leaked identity works the request at the console; least privilege would keep it from the tier-2 reset'),
    's24-push-fatigue-otp-relay': undetected([['proofing.ial2', 'not_enforced']], 'revised: no factor to phish, but the provider\'s agents skip the procedural pii check for anyone; a contract does not make them ask it (no contract control is named), only the check enforced in the provider\'s tooling would, and it holds'),
    's25-forged-id-at-the-counter': undetected([['proofing.ial2', 'not_enforced']], 'as S24: the provider skips the check, so no document is needed'),
  },
  'privileged-admin-recovery.weak': {
    's21-synced-authenticator-seed': stoppedAt('callback', 'callback.number_on_file', 'the personal data passes the kbv questions, but the outbound call-back reaches the real user'),
    's22-stolen-session-portal': channel('phone and chat only'),
    's23-leaked-support-platform-credential': undetected([['agent.mfa', 'weak'], ['approval.dual', 'absent']], 'as S07: questions and call-back are not applicable at the console'),
    's24-push-fatigue-otp-relay': stoppedAt('verify', 'proofing.ial2', 'no factor is asked; the kbv questions hold without personal data'),
    's25-forged-id-at-the-counter': stoppedAt('verify', 'proofing.ial2', 'by phone the kbv questions are no document check'),
  },
  'self-service-sms-fallback.weak': {
    's21-synced-authenticator-seed': channel('phone only; the workflow accepts self_service only'),
    's22-stolen-session-portal': channel('the ticket portal is not this self-service portal\'s channel'),
    's23-leaked-support-platform-credential': channel('the intake is the portal (a system), so the console cannot open a request; phone is not accepted'),
    's24-push-fatigue-otp-relay': detected('notify.out_of_band', [['step_up.verification', 'weak'], ['authn.phishing_resistant', 'absent']], 'the relay passes the SMS code; the reset confirmation goes by SMS to the real user, who is not being talked to and repudiates it (4 h)'),
    's25-forged-id-at-the-counter': channel('walk-in and phone; the workflow accepts self_service only'),
  },
  'service-account-key-reset.weak': notServed('standard_employee'),
  'shared-mailbox-reset.weak': notServed('standard_employee'),
  'standard-password-reset.weak': {
    's21-synced-authenticator-seed': undetected([['proofing.ial2', 'weak']], 'no code is asked; the personal data answers the kbv questions'),
    's22-stolen-session-portal': channel('phone only'),
    's23-leaked-support-platform-credential': undetected([['agent.mfa', 'weak'], ['approval.dual', 'absent']], 'as S07, the leaked identity at the console'),
    's24-push-fatigue-otp-relay': stoppedAt('verify', 'proofing.ial2', 'no factor is asked; the kbv questions hold without personal data'),
    's25-forged-id-at-the-counter': stoppedAt('verify', 'proofing.ial2', 'by phone the kbv questions are no document check'),
  },
  'vendor-account-unlock.weak': notServed('standard_employee'),
  // Classes: standard, remote, developer; portal (SSO session, no re-authentication), phone or walk-in;
  // claim routing; TOTP -> on_fail signed-in session -> on_fail desk PIN (system; the tool shows it)
  // -> on_fail counter: photo ID looked at (procedural, counter agent) -> printed password handed over
  // in person. Agent MFA is phishing-resistant but exempts service accounts and API tokens. No detector.
  'walk-in-service-point.weak': {
    's01-osint-vishing': stoppedAt('counter_id', 'proofing.ial2', 'personal data answers no code, session or PIN, and the counter checks the document in person with no deviation'),
    's02-executive-pressure': NOT_SERVED('executive'),
    's03-deepfake-verification': NOT_SERVED('executive'),
    's04-sim-swap-sspr': stoppedAt('counter_id', 'proofing.ial2', 'self_service is not accepted; by phone a SIM swap gives no TOTP code, session or PIN, and the counter holds'),
    's05-my-phone-broke': stoppedAt('counter_id', 'proofing.ial2', 'as S01'),
    's06-reverse-vishing': channel('S06 only uses self_service'),
    's07-compromised-agent-account': channel('agents sign in with security keys (agent MFA in force), so the phished agent password opens no console'),
    's08-ticket-queue-injection': stoppedAt('intake', 'ticket.integrity', 'the portal takes only SSO-authenticated requests; an injected ticket has no session, and email is not a channel'),
    's09-bribed-insider-agent': undetected([['step_up.verification', 'weak'], ['approval.dual', 'absent']], 'the bribed agent reads the desk PIN for its caller (no least privilege), skips the counter check and hands the printout to the accomplice, or works the request at the console; dual control of the executions would stop a single agent'),
    's09b-two-agent-identities': undetected([['step_up.verification', 'weak'], ['agent.insider_controls', 'absent']], 'a controlled identity reads the desk PIN for the caller, or works the request at the console; insider analytics would detect the console reset'),
    's10-outsourced-desk': notDelivered('handover', 'under urgency the counter agent skips the procedural ID check, but the printout is handed to whoever stands at the counter with the target\'s ID, which the caller does not have'),
    's11-nhi-api-key-via-support': NOT_SERVED('service_account'),
    's12-exception-never-expires': NOT_SERVED('executive'),
    's13-log-tampering': channel('as S07'),
    's14-shared-mailbox': NOT_SERVED('shared_mailbox'),
    's15-vendor-unlock': NOT_SERVED('vendor'),
    's16-privileged-mfa-reset-idp-takeover': NOT_SERVED('privileged_admin'),
    's17-self-service-weak-recovery': channel('S17 only uses self_service'),
    's18-contact-prepositioning': stoppedAt('counter_id', 'proofing.ial2', 'a pre-positioned contact reaches no code here (TOTP, session, PIN), and the counter holds'),
    's19-aa23-320a-composite': NOT_SERVED('privileged_admin'),
    's20-agent-then-admin-campaign': NOT_SERVED('support_agent'),
    's21-synced-authenticator-seed': undetected([['step_up.verification', 'weak'], ['authn.phishing_resistant', 'absent']], 'the synced seed gives the current TOTP code and the caller enrols a new authenticator'),
    's22-stolen-session-portal': undetected([['ticket.integrity', 'weak'], ['step_up.verification', 'weak']], 'the stolen session is the portal\'s requester authentication (no re-authentication) and, without the app, the "signed-in browser" confirmation'),
    's23-leaked-support-platform-credential': undetected([['agent.mfa', 'weak'], ['step_up.verification', 'weak'], ['approval.dual', 'absent']], 'agent MFA exempts integration credentials, so the leaked identity works the request at the console or reads the desk PIN for its call; MFA covering them, or dual control, stops both'),
    's24-push-fatigue-otp-relay': undetected([['step_up.verification', 'weak'], ['authn.phishing_resistant', 'absent']], 'the relay passes the TOTP code as it is typed'),
    's25-forged-id-at-the-counter': undetected([['proofing.ial2', 'weak']], 'no code, session or PIN, so the counter: the forged card is looked at, not authenticated, and the printout is handed to its bearer'),
  },
};

const BLOCKED_NEW = [...NEW];

export const CAPS_HARDENED: HardenedExpectations = {
  // Verified ID with Face Check and liveness on the standard path; agent MFA covers every platform
  // credential (hardened `covers`); phone only.
  'executive-vip-reset.hardened': { blocks: BLOCKED_NEW },
  // FIDO2, then Verified ID; phishing-resistant authenticators in force.
  'mfa-reenrollment-phone.hardened': { blocks: BLOCKED_NEW },
  'outsourced-service-desk.hardened': { blocks: BLOCKED_NEW },
  'privileged-admin-recovery.hardened': { blocks: BLOCKED_NEW },
  // A second authenticator, else a recovery code (no relay rule), else Verified ID at the desk.
  'self-service-sms-fallback.hardened': { blocks: BLOCKED_NEW },
  'standard-password-reset.hardened': { blocks: BLOCKED_NEW },
  // FIDO2, else the document's chip read and verified at the counter (system) before a TAP is handed
  // over; portal requests re-authenticate; the queue, not an agent, takes requests.
  'walk-in-service-point.hardened': {
    blocks: [
      's01-osint-vishing',
      's04-sim-swap-sspr',
      's05-my-phone-broke',
      's06-reverse-vishing',
      's07-compromised-agent-account',
      's08-ticket-queue-injection',
      's09-bribed-insider-agent',
      's09b-two-agent-identities',
      's10-outsourced-desk',
      's13-log-tampering',
      's17-self-service-weak-recovery',
      's18-contact-prepositioning',
      ...BLOCKED_NEW,
    ],
  },
};
