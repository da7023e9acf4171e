// Expected outcomes for the genuine user acting for the attacker (issue 9 item 10): the new
// scenarios S29-S31 against every bundled weak workflow, the new weak workflows against every
// scenario, and the scenarios the new hardened workflows (and the hardened workflows that serve
// the targets of S29-S31) must stop. Written from docs/analysis-semantics.md ("The genuine user
// acting for the attacker") and the defeat rules before the engine was run on them.
//
// Shorthand: "directs the holder" = the attacker holds victim_vishing or support_impersonation_chat,
// so the real account holder performs the holder's steps for it; "holder refuses" = a step of the
// account holder, and the attacker cannot direct them; "passed by the holder" = a check that
// confirms the requester, met by the genuine holder's own evidence (never a gap).
import { channel, holder, NOT_SERVED, undetected, type Cell, type HardenedExpectations, type WeakMatrix } from './cells.ts';

/** Cells of a user-grant workflow (holder opens the request on self_service; standard_employee only). */
function userGrantRow(grantControl: string, grantStep: string, what: string): Record<string, Cell> {
  const taken = (who: string) =>
    undetected(
      [[grantControl, 'weak'], ['detect.reset_anomaly', 'absent']],
      `${who} directs the holder, who opens the request, signs in with their own factor (passed by the holder, never a gap) and ${what}; ${grantControl} lets any ${grantStep === 'consent' ? 'app' : 'tool or helper'} through, nothing notifies or reviews, an anomaly rule would detect`,
    );
  return {
    's01-osint-vishing': channel('phone only; the holder opens this request on self_service'),
    's02-executive-pressure': NOT_SERVED('executive'),
    's03-deepfake-verification': NOT_SERVED('executive'),
    's04-sim-swap-sspr': holder('self_service is accepted, but the holder opens the request and a SIM swapper with OSINT cannot direct them'),
    's05-my-phone-broke': channel('phone only'),
    's06-reverse-vishing': taken('the fake IT caller (victim_vishing)'),
    's07-compromised-agent-account': channel('the intake is the holder\'s, not an agent\'s, so the console opens no request'),
    's08-ticket-queue-injection': channel('no ticket channel'),
    's09-bribed-insider-agent': channel('neither the console (holder intake) nor phone opens a request'),
    's09b-two-agent-identities': channel('as S09'),
    's10-outsourced-desk': channel('phone only'),
    's11-nhi-api-key-via-support': NOT_SERVED('service_account'),
    's12-exception-never-expires': NOT_SERVED('executive'),
    's13-log-tampering': channel('agent_console only, and the intake is the holder\'s'),
    's14-shared-mailbox': NOT_SERVED('shared_mailbox'),
    's15-vendor-unlock': NOT_SERVED('vendor'),
    's16-privileged-mfa-reset-idp-takeover': NOT_SERVED('privileged_admin'),
    's17-self-service-weak-recovery': holder('OSINT and the victim\'s mailbox do not make the holder act'),
    's18-contact-prepositioning': holder('a pre-positioned contact does not make the holder act'),
    's19-aa23-320a-composite': NOT_SERVED('privileged_admin'),
    's20-agent-then-admin-campaign': NOT_SERVED('support_agent'),
    's29-connected-app-consent-vishing': taken('the fake IT caller (victim_vishing)'),
    's30-remote-support-teams-impersonation': taken('the fake help desk in chat (support_impersonation_chat)'),
    's31-code-readout-chat': taken('the fake help desk in chat (support_impersonation_chat)'),
    // The scenarios of stolen factors (S21-S25), written when the two topics met.
    's21-synced-authenticator-seed': channel('phone only; the holder opens this request on self_service'),
    's22-stolen-session-portal': channel('ticket_portal only; the holder opens this request on self_service'),
    's23-leaked-support-platform-credential': channel('the intake is the holder\'s, not an agent\'s, so the console opens no request, and phone is not accepted'),
    's24-push-fatigue-otp-relay': holder('self_service is accepted, but the holder opens the request, and push fatigue and a relay page do not make the holder act (neither is victim_vishing nor chat impersonation)'),
    's25-forged-id-at-the-counter': channel('walk_in and phone only; the holder opens this request on self_service'),
  };
}

const NEW_SCENARIOS = ['s29-connected-app-consent-vishing', 's30-remote-support-teams-impersonation', 's31-code-readout-chat'] as const;
const each = (cell: (sc: (typeof NEW_SCENARIOS)[number]) => Cell): Record<string, Cell> => Object.fromEntries(NEW_SCENARIOS.map((sc) => [sc, cell(sc)]));

/** Weak workflow id -> scenario id -> expected outcome (merged into WEAK of expected-outcomes.test.ts). */
export const GENUINE_WEAK: WeakMatrix = {
  'executive-vip-reset.weak': each(() => channel('S29-S31 use self_service only; the desk takes phone and email')),
  'mfa-reenrollment-phone.weak': each(() => channel('S29-S31 use self_service only; phone only')),
  'outsourced-service-desk.weak': each(() => channel('S29-S31 use self_service only; phone, chat and email')),
  'privileged-admin-recovery.weak': each(() => channel('S29-S31 use self_service only; phone and chat')),
  'service-account-key-reset.weak': each(() => NOT_SERVED('standard_employee')),
  'shared-mailbox-reset.weak': each(() => NOT_SERVED('standard_employee')),
  'standard-password-reset.weak': each(() => channel('S29-S31 use self_service only; phone only')),
  'vendor-account-unlock.weak': each(() => NOT_SERVED('standard_employee')),
  'self-service-sms-fallback.weak': {
    's29-connected-app-consent-vishing': undetected([['step_up.verification', 'weak'], ['authn.phishing_resistant', 'absent']], 'as S06: the vished user reads out the SMS code (step_up.phishable.vishing); the confirmation text is expected, so it detects nothing; the consent and remote-support restrictions do not apply to a password reset'),
    's30-remote-support-teams-impersonation': undetected([['step_up.verification', 'weak'], ['authn.phishing_resistant', 'absent']], 'the user pastes the SMS code into the fake help desk\'s chat (step_up.phishable.chat_impersonation); the expected confirmation text detects nothing'),
    's31-code-readout-chat': undetected([['step_up.verification', 'weak'], ['authn.phishing_resistant', 'absent']], 'the code read-out pattern by chat: the code is the genuine user\'s, so only a factor that cannot be handed over (FIDO2 / phishing-resistant authenticators) closes it'),
  },
  'walk-in-service-point.weak': each(() => channel('S29-S31 use self_service only; the service point takes the portal, phone and walk-in')),
  'connected-app-consent.weak': userGrantRow('consent.app_restriction', 'consent', 'approves the attacker\'s app'),
  'remote-support-session.weak': userGrantRow('remote_support.restricted', 'allow_control', 'gives the attacker\'s helper control'),
};

/** Hardened workflows that serve standard_employee and must stop S29-S31 (added to their `blocks`). */
export const GENUINE_HARDENED_BLOCKS: Record<string, string[]> = {
  // Phone/email, phone, phone/chat/email, phone/chat, phone only: the self_service scenarios find no channel.
  'executive-vip-reset.hardened': [...NEW_SCENARIOS],
  'mfa-reenrollment-phone.hardened': [...NEW_SCENARIOS],
  'outsourced-service-desk.hardened': [...NEW_SCENARIOS],
  'privileged-admin-recovery.hardened': [...NEW_SCENARIOS],
  'standard-password-reset.hardened': [...NEW_SCENARIOS],
  // The portal offers only a second authenticator (FIDO2): the code the directed user would read out or
  // paste is never asked for, so S29-S31 stop there as S06 does (revised with the lint work of issue 10).
  'self-service-sms-fallback.hardened': [...NEW_SCENARIOS],
  // Portal, phone and walk-in: the self_service scenarios find no channel.
  'walk-in-service-point.hardened': [...NEW_SCENARIOS],
};

/** The stolen-factor scenarios S21-S25, stopped on the holder's own request by channel or by the holder. */
const STOLEN_FACTOR_SCENARIOS = ['s21-synced-authenticator-seed', 's22-stolen-session-portal', 's23-leaked-support-platform-credential', 's24-push-fatigue-otp-relay', 's25-forged-id-at-the-counter'];

/** The new hardened workflows: every served scenario is blocked (channel, the holder's refusal, or the grant restriction). */
export const GENUINE_HARDENED: HardenedExpectations = {
  // Holder-directing scenarios (S06, S29-S31) stop at the admin-approved-only consent; the others find
  // no channel or a holder who does not act for them.
  'connected-app-consent.hardened': {
    blocks: ['s01-osint-vishing', 's04-sim-swap-sspr', 's05-my-phone-broke', 's06-reverse-vishing', 's07-compromised-agent-account', 's08-ticket-queue-injection', 's09-bribed-insider-agent', 's09b-two-agent-identities', 's10-outsourced-desk', 's13-log-tampering', 's17-self-service-weak-recovery', 's18-contact-prepositioning', ...STOLEN_FACTOR_SCENARIOS, ...NEW_SCENARIOS],
  },
  // As above, at the sanctioned tool that accepts only the organisation's own helpers.
  'remote-support-session.hardened': {
    blocks: ['s01-osint-vishing', 's04-sim-swap-sspr', 's05-my-phone-broke', 's06-reverse-vishing', 's07-compromised-agent-account', 's08-ticket-queue-injection', 's09-bribed-insider-agent', 's09b-two-agent-identities', 's10-outsourced-desk', 's13-log-tampering', 's17-self-service-weak-recovery', 's18-contact-prepositioning', ...STOLEN_FACTOR_SCENARIOS, ...NEW_SCENARIOS],
  },
};

/** Where the hardened grant restrictions stop the holder-directing scenarios (checked by blockedAt). */
export const GENUINE_STOPS: { workflow: string; scenario: string; step: string; control: string }[] = [
  ...['s06-reverse-vishing', ...NEW_SCENARIOS].map((scenario) => ({ workflow: 'connected-app-consent.hardened', scenario, step: 'consent', control: 'consent.app_restriction' })),
  ...['s06-reverse-vishing', ...NEW_SCENARIOS].map((scenario) => ({ workflow: 'remote-support-session.hardened', scenario, step: 'allow_control', control: 'remote_support.restricted' })),
];
