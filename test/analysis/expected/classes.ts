// Expected outcomes for issue 9's customer classes, desk operators and unknowns: the rows of the
// new weak workflows (customer-account-recovery.weak, carrier-sim-change.weak) against every bundled
// scenario, and the cells of the new scenarios s26-s28 for every weak workflow. Written from
// docs/analysis-semantics.md ("Customer accounts", "Desk operators", "Unknowns"), the workflow YAML
// and the defeat rules, before the engine was run on them; merged into WEAK and HARDENED by
// expected-outcomes.test.ts.
//
// `conditional` says whether the takeover paths depend on an unknown of the workflow: 'all' (every
// class is CONDITIONAL), 'some' (some classes are, some are not) or 'none'.
import type { GapStatus } from '../../../analysis/index.ts';

export type { Conditional } from './cells.ts';
import type { Cell, Conditional } from './cells.ts';

const na = (why: string): Cell => ({ outcome: 'not_applicable', why });
const channel = (why: string): Cell => ({ outcome: 'blocked', stop: 'channel', why });
const undetected = (gap: [string, GapStatus][], conditional: Conditional, why: string, contributing?: string[]): Cell => ({ outcome: 'takeover_undetected', gap, conditional, why, ...(contributing ? { contributing } : {}) });
const campaign = (chain: string[], gap: [string, GapStatus][], conditional: Conditional, why: string): Cell => ({ outcome: chain[0] as 'takeover_undetected', gap, chain, conditional, why });
const NOT_SERVED = (cls: string) => na(`the workflow does not serve the ${cls} class`);

/** Every bundled scenario before s26 targets an employee, agent, vendor, mailbox or service class. */
const EXISTING: Record<string, string> = {
  's01-osint-vishing': 'standard_employee',
  's02-executive-pressure': 'executive',
  's03-deepfake-verification': 'executive',
  's04-sim-swap-sspr': 'standard_employee',
  's05-my-phone-broke': 'standard_employee',
  's06-reverse-vishing': 'standard_employee',
  's07-compromised-agent-account': 'standard_employee',
  's08-ticket-queue-injection': 'standard_employee',
  's09-bribed-insider-agent': 'standard_employee',
  's09b-two-agent-identities': 'standard_employee',
  's10-outsourced-desk': 'standard_employee',
  's11-nhi-api-key-via-support': 'service_account',
  's12-exception-never-expires': 'executive',
  's13-log-tampering': 'standard_employee',
  's14-shared-mailbox': 'shared_mailbox',
  's15-vendor-unlock': 'vendor',
  's16-privileged-mfa-reset-idp-takeover': 'privileged_admin',
  's17-self-service-weak-recovery': 'standard_employee',
  's18-contact-prepositioning': 'standard_employee',
  's19-aa23-320a-composite': 'privileged_admin',
  's20-agent-then-admin-campaign': 'support_agent',
  // Added when the topics met: S21-S25 (stolen factors) and S29-S31 (the genuine user acting for the
  // attacker) all target a standard employee.
  's21-synced-authenticator-seed': 'standard_employee',
  's22-stolen-session-portal': 'standard_employee',
  's23-leaked-support-platform-credential': 'standard_employee',
  's24-push-fatigue-otp-relay': 'standard_employee',
  's25-forged-id-at-the-counter': 'standard_employee',
  's29-connected-app-consent-vishing': 'standard_employee',
  's30-remote-support-teams-impersonation': 'standard_employee',
  's31-code-readout-chat': 'standard_employee',
};
const notServedByCustomerDesks = Object.fromEntries(Object.entries(EXISTING).map(([sc, cls]) => [sc, NOT_SERVED(cls)]));

/** The new scenarios against a weak workflow that serves no customer class. */
const newScenariosNotServed: Record<string, Cell> = {
  's26-high-value-customer-recovery': NOT_SERVED('high_value_customer'),
  's27-forged-id-web-form': NOT_SERVED('customer'),
  's28-carrier-sim-change-campaign': NOT_SERVED('customer'),
};

const EMPLOYEE_DESKS = [
  'executive-vip-reset.weak',
  'mfa-reenrollment-phone.weak',
  'outsourced-service-desk.weak',
  'privileged-admin-recovery.weak',
  'self-service-sms-fallback.weak',
  'service-account-key-reset.weak',
  'shared-mailbox-reset.weak',
  'standard-password-reset.weak',
  'vendor-account-unlock.weak',
  // Added when the topics met: none of these serves a customer class either.
  'walk-in-service-point.weak',
  'connected-app-consent.weak',
  'remote-support-session.weak',
];

/** Weak workflow id -> scenario id -> expected outcome (new rows in full; new scenarios' cells for the others). */
export const CLASSES_WEAK: Record<string, Record<string, Cell>> = {
  ...Object.fromEntries(EMPLOYEE_DESKS.map((wf) => [wf, newScenariosNotServed])),
  // Classes: customer, high_value_customer; chat, email, phone and an unknown channel. SMS code
  // (system) -> on_fail kbv questions by the outsourced agent (procedural; no contract) -> on_fail
  // automated document check (system, no liveness) -> on_fail the ID platform's review team
  // (platform_support, procedural) -> on_fail the escalations desk (operator unknown, verification
  // unknown, no listed check). The email change is executed by the outsourced agent; its notice has
  // unknown enforcement; the log is ticket notes. No routing: high-value customers share the path.
  'customer-account-recovery.weak': {
    ...notServedByCustomerDesks,
    's26-high-value-customer-recovery': undetected(
      [['proofing.ial2', 'weak'], ['privileged.separate_path', 'absent']],
      'some',
      'osint answers the kbv questions (and the provider\'s agents would skip them, contract or not); a high-value customer is privileged, so a separate path with a tier-2 executor closes every path; the route past the review team to the escalations desk passes only because its verification is unknown (CONDITIONAL), the others do not depend on an unknown: the notice of unknown enforcement would come after 4 h, later than the 2 h objective',
    ),
    's27-forged-id-web-form': undetected(
      [['proofing.ial2', 'not_enforced']],
      'all',
      'the web form is not a listed channel, so every path opens only through the intake\'s unknown channel (CONDITIONAL); the outsourced agent skips the procedural kbv questions for any attacker (a contract would not make it ask them); the stolen ID photo passes the document check without liveness; the notice is not sent (unknown enforcement, unmonitored provider)',
    ),
    's28-carrier-sim-change-campaign': campaign(
      ['takeover_undetected', 'takeover_undetected'],
      [['proofing.ial2', 'weak']],
      'all',
      'stage 1 on this workflow: osint answers the kbv questions (by walk-in, not a listed channel, only through the unknown channel); every path is CONDITIONAL because the email-change notice, which would reach the real user, is not sent only if its unknown enforcement is procedural (no objective bound). Stage 2 (this workflow again) gains nothing: stage 1 took over at an outsourced agent\'s email change, not at a carrier\'s SIM change; osint passes it again',
    ),
  },
  // Classes: customer, high_value_customer; phone, walk-in. The carrier's representative checks
  // name, address and date of birth (pii, procedural) and activates the new SIM for the requester.
  // No notification, no log, no contract: a carrier desk is the carrier's own (no external deviation).
  'carrier-sim-change.weak': {
    ...notServedByCustomerDesks,
    's26-high-value-customer-recovery': undetected(
      [['proofing.ial2', 'weak'], ['privileged.separate_path', 'absent']],
      'none',
      'by phone, osint defeats the pii check (urgency would also skip it); the high-value customer is privileged and the tier-1 representative executes, so a separate path closes it; nothing is unknown in this workflow',
    ),
    's27-forged-id-web-form': channel('S27 uses only the web form (ticket_portal); the carrier takes phone and walk-in and lists no unknown channel'),
    's28-carrier-sim-change-campaign': campaign(
      ['takeover_undetected', 'takeover_undetected'],
      [['proofing.ial2', 'weak']],
      'none',
      'the scenario this workflow models: osint defeats the pii check and the number moves; the carrier desk\'s SIM change gives stage 2 sim_swap, and on customer-account-recovery.weak the texted code reaches the attacker',
    ),
  },
};

/** Hardened workflow id -> the scenarios it must block (every scenario of a class it serves). */
export const CLASSES_HARDENED: Record<string, { blocks: string[] }> = {
  // Passkey, else ID against issuer data with liveness (no fallback); high-value customers routed by
  // the record to passkey AND ID check; listed channels only.
  'customer-account-recovery.hardened': { blocks: ['s26-high-value-customer-recovery', 's27-forged-id-web-form', 's28-carrier-sim-change-campaign'] },
  // SIM lock lifted with a passkey in the app, then ID against issuer data with liveness.
  'carrier-sim-change.hardened': { blocks: ['s26-high-value-customer-recovery', 's27-forged-id-web-form', 's28-carrier-sim-change-campaign'] },
};
