// Workflow lint: static findings a reviewer can act on before any attack is replayed. Every
// finding names a stable rule id, a document path, the catalogue controls that fix it, their
// owners and the framework mappings of those controls (never a mapping the catalogue lacks).
// The rules are documented in docs/lint-rules.md; ids are public, so never renumber one.
import { findControl, inForce } from './catalogue/controls.ts';
import type { FrameworkRef } from './catalogue/frameworks.ts';
import type { ControlDef } from './catalogue/types.ts';
import { ACCOUNT_CLASSES, isCustomerClass, type AccountClass, type Capability, type NotifyChannel, type OwnerRole } from './vocabulary.ts';
import { STEP_EVENTS } from './workflow/compile.ts';
import type { Actor, ControlInstance, Step, Workflow } from './workflow/types.ts';

export type Severity = 'error' | 'warning' | 'info';

/** Severities from the most to the least serious; `--fail-on` compares positions in this list. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export interface LintRule {
  /** Stable id, "RP" and three digits. */
  id: string;
  /** Stable short name, kebab-case, for people who do not remember numbers. */
  name: string;
  severity: Severity;
  /** One line: what the rule finds. */
  title: string;
  /** Catalogue controls that fix a finding; empty for structural rules. Some rules name the flagged control instead. */
  fixes: readonly string[];
  /**
   * When set, only these mappings of the fix controls are reported ("framework:version:id"),
   * because the others concern a different threat than the one the rule finds.
   */
  focus?: readonly string[];
  /** True when the rule is about the path a privileged account class can take. */
  privilegedPath: boolean;
  /** The SP 800-63-4 clause, advisory or guidance the rule rests on, with where the domain reference records it. */
  basis: string;
}

export interface Finding {
  rule: string;
  name: string;
  severity: Severity;
  message: string;
  /** Document path of the offending node, e.g. "steps[3].controls[0]"; "" is the document itself. */
  path: string;
  /** The step the finding is about, when there is one. */
  step?: string;
  /** Catalogue ids of the controls that fix the finding. */
  fixes: string[];
  /** Accountable owners of those controls, in the order of `fixes`, without repeats. */
  owners: OwnerRole[];
  /** Framework mappings of those controls, as the catalogue states them. */
  mappings: FrameworkRef[];
  /** The clause, advisory or guidance the rule rests on (the rule's `basis`). */
  basis: string;
}

const rule = (r: Omit<LintRule, 'privilegedPath'> & { privilegedPath?: boolean }): LintRule => ({ privilegedPath: false, ...r });

/** Every lint rule, in id order. */
export const LINT_RULES: readonly LintRule[] = [
  rule({ id: 'RP001', name: 'shared-privileged-path', severity: 'error', title: 'A privileged and a standard account class share one path to a reset', fixes: ['privileged.separate_path'], privilegedPath: true, basis: 'NCSC 2025 (review how the desk authenticates staff with escalated privileges); SP 800-63B-4 §4.2.2 (recovery at the account\'s assurance level) — domain reference §6.2, §2.4' }),
  rule({ id: 'RP002', name: 'routing-trusts-caller-claim', severity: 'error', title: 'Routing between different paths trusts the account class the caller claims', fixes: ['privileged.separate_path'], privilegedPath: true, basis: 'NCSC 2025 (review how the desk authenticates staff with escalated privileges); SP 800-63B-4 §4.2.2 (recovery at the account\'s assurance level) — domain reference §6.2, §2.4' }),
  rule({ id: 'RP003', name: 'procedural-guard-on-privileged-path', severity: 'error', title: 'A procedural-only control guards a path a privileged class can take', fixes: [], privilegedPath: true, basis: 'Mandiant UNC3944 hardening 2025 (positive identification before any change, at minimum for privileged accounts); SP 800-53 r5 IA-12(4) — domain reference §6.3, §5.3' }),
  rule({ id: 'RP004', name: 'approver-can-be-executor', severity: 'error', title: 'The approver can be the person who executes the reset', fixes: ['approval.dual'], basis: 'SP 800-53 r5 AC-5 (separation of duties between requester, approver and executor) — domain reference §5.3' }),
  rule({ id: 'RP005', name: 'knowledge-based-proof', severity: 'error', title: 'Knowledge or personal-data answers are accepted as proof of identity', fixes: ['proofing.no_pii_kbv', 'proofing.ial2'], basis: 'SP 800-63A-4 (knowledge-based verification not used for identity verification); Mandiant UNC3944 and Google UNC6040 (reject publicly available personal data) — domain reference §2.5, §6.3, §6.4' }),
  rule({ id: 'RP006', name: 'control-defeated-by-anyone', severity: 'error', title: 'A control is configured so that any requester defeats it, without any attacker capability', fixes: [], basis: 'IDPro Body of Knowledge, "Account Recovery" (recovery must meet or exceed normal authentication) — domain reference §6.9' }),
  rule({ id: 'RP007', name: 'exception-without-expiry', severity: 'error', title: 'An exception has no automatic expiry', fixes: ['exception.expiry'], basis: 'SP 800-53 r5 AC-2(2) (temporary and emergency access removed automatically); scenario S12 — domain reference §5.3, §8' }),
  rule({ id: 'RP008', name: 'exception-without-owner', severity: 'warning', title: 'An exception has no accountable owner', fixes: ['exception.expiry'], basis: 'SP 800-53 r5 AC-2 (account management: who may change authenticators); scenario S12 — domain reference §5.3, §8' }),
  rule({ id: 'RP009', name: 'exception-without-justification', severity: 'warning', title: 'An exception can be granted without a recorded justification', fixes: ['exception.expiry'], basis: 'SP 800-53 r5 AC-2 (account management); scenario S12 — domain reference §5.3, §8' }),
  rule({ id: 'RP010', name: 'no-accountable-record', severity: 'error', title: 'No record of who requested, who authorised and why', fixes: ['log.immutable'], basis: 'SP 800-63B-4 §4.1 (a record of every authenticator event with its time and source); OWASP Forgot Password cheat sheet (log reset requests) — domain reference §2.4, §6.9' }),
  rule({
    id: 'RP011',
    name: 'editable-record',
    severity: 'warning',
    title: 'The record of the reset is kept where agents or an attacker can edit it',
    fixes: ['log.immutable'],
    focus: ['csf:2.0:PR.PS-04', 'attack:v18:T1070', 'iso27001:2022:A.8.15', 'sp800-53:r5:AU-9', 'sp800-53:r5:AU-9(4)', 'sp800-53:r5:AU-10'],
    basis: 'SP 800-53 r5 AU-9 and AU-9(4) (audit records protected from the people they record); scenario S13 — domain reference §5.3, §8',
  }),
  rule({ id: 'RP012', name: 'no-post-event-review', severity: 'warning', title: 'A reset can complete without post-event review', fixes: ['review.post_event'], basis: 'SP 800-53 r5 AU-6 (review of audit records); scenario S13 — domain reference §5.3, §8' }),
  rule({ id: 'RP013', name: 'partial-privileged-review', severity: 'warning', title: 'Post-event review samples privileged resets instead of reviewing all of them', fixes: ['review.post_event'], privilegedPath: true, basis: 'SP 800-53 r5 AU-6; NCSC 2025 (check that privileged access is legitimate) — domain reference §5.3, §6.2' }),
  rule({ id: 'RP014', name: 'no-session-revocation', severity: 'warning', title: 'The reset does not revoke existing sessions', fixes: ['session.revoke_on_reset'], basis: 'OWASP Forgot Password cheat sheet (invalidate other sessions after a reset) — domain reference §6.9' }),
  rule({ id: 'RP015', name: 'no-out-of-band-notification', severity: 'warning', title: 'The real user is not notified out of band', fixes: ['notify.out_of_band'], basis: 'SP 800-63B-4 §4.2.3 and §4.6 (every recovery notifies all notification addresses) — domain reference §2.4' }),
  rule({
    id: 'RP016',
    name: 'credential-in-ticket',
    severity: 'error',
    title: 'The new credential is delivered into the ticket',
    fixes: ['ticket.integrity'],
    focus: ['nhi:2025:NHI2', 'iso27001:2022:A.5.17', 'sp800-53:r5:IA-5(6)', 'sp800-53:r5:IA-5(7)'],
    basis: 'OWASP Forgot Password cheat sheet (a single-use token over a side channel, never the credential itself); OWASP NHI2:2025 secret leakage — domain reference §6.9, §3',
  }),
  rule({ id: 'RP017', name: 'nhi-reissue-without-owner', severity: 'error', title: 'Support re-issues a non-human credential without owner-authenticated rotation', fixes: ['nhi.rotation'], basis: 'OWASP Non-Human Identities Top 10 2025 (NHI2 secret leakage, NHI7 long-lived secrets); scenario S11 — domain reference §3, §8' }),
  rule({
    id: 'RP018',
    name: 'ticket-field-trusted',
    severity: 'error',
    title: 'A control reads its evidence from a ticket field that requesters can set',
    fixes: ['ticket.integrity'],
    focus: ['csf:2.0:PR.AA-03', 'attack:v18:T1672', 'iso27001:2022:A.5.15', 'sp800-53:r5:AC-3'],
    basis: 'Scenario S08 (ticket-queue injection: fields the requester sets are no evidence) — domain reference §8',
  }),
  rule({ id: 'RP019', name: 'unreachable-step', severity: 'warning', title: 'A step cannot be reached from the start', fixes: [], basis: 'Structural: the workflow\'s own graph; no framework clause' }),
  rule({ id: 'RP020', name: 'dead-end-step', severity: 'error', title: 'No path leads from a step to an end step', fixes: [], basis: 'Structural: the workflow\'s own graph; no framework clause' }),
  rule({ id: 'RP021', name: 'unrouted-class', severity: 'warning', title: 'A served account class has no route', fixes: [], basis: 'Structural: the workflow\'s own graph; no framework clause' }),
  rule({ id: 'RP022', name: 'commodity-defeat', severity: 'error', title: 'A control falls to a commodity attacker capability (caller-ID spoofing, SIM swap, a cloned voice, a vished user, push fatigue, a phishing relay)', fixes: [], basis: 'SP 800-63B-4 §3.1.3 (approve/deny push no longer out-of-band) and §3.1.3.3 (PSTN restricted; check SIM change first); AA23-320A TTPs (SIM swap, MFA fatigue, posing as IT for a one-time code); Microsoft Verified helpdesk (voice cloning) — domain reference §2.3, §6.1, §6.6' }),
  rule({ id: 'RP023', name: 'pstn-only-proof', severity: 'error', title: 'A reset can be reached with an SMS or voice code as the only proof', fixes: ['recovery.self_service_strong', 'sim_swap.signal'], basis: 'SP 800-63B-4 §3.1.3.3 (PSTN is a restricted authenticator) and §4.2.2 (AAL2 recovery needs two methods or repeated proofing); Mandiant UNC3944 (remove SMS and phone as factors) — domain reference §2.3, §2.4, §6.3' }),
  rule({ id: 'RP024', name: 'recent-contact-trusted', severity: 'error', title: 'A call-back or code goes to a contact that may have been changed days ago', fixes: [], basis: 'SP 800-63B-4 §3.1.3.3 and §3.2.9 (changing the phone number binds a new authenticator), §4.2.1.2 (a new recovery address is confirmed first) — domain reference §2.3, §2.4' }),
  rule({ id: 'RP025', name: 'recent-contact-notified', severity: 'warning', title: 'The notice of a reset goes to a contact that may have been changed days ago', fixes: ['notify.out_of_band'], basis: 'SP 800-63B-4 §4.6 (notices go to every address, one validated at proofing) — domain reference §2.4' }),
  rule({ id: 'RP026', name: 'password-read-to-caller', severity: 'error', title: 'An agent reads a new password to the caller', fixes: [], basis: 'OWASP Forgot Password cheat sheet (never send a new password; a single-use token over a side channel); SP 800-63B-4 §4.2.1.2 (issued codes go to a recovery address) — domain reference §6.9, §2.4' }),
  rule({ id: 'RP027', name: 'no-recovery-risk-analysis', severity: 'error', title: 'Agent-assisted recovery without a documented risk analysis', fixes: [], basis: 'SP 800-63B-4 §4.2.1 (an agent-assisted recovery method only on a documented risk analysis) — domain reference §2.4' }),
  rule({ id: 'RP028', name: 'declared-flaw', severity: 'error', title: 'A check is declared present but bypassable (a known flaw or a fallback the requester can force)', fixes: [], basis: 'Microsoft DEV-0537 guidance (no SMS fallback for MFA; avoid simple push) and IDPro "Account Recovery" (a weaker path around a check is the takeover path) — domain reference §6.6, §6.9' }),
  rule({
    id: 'RP029',
    name: 'provider-incidents-unreported',
    severity: 'warning',
    title: 'The contract with a provider that runs a desk does not oblige it to report incidents involving its agents',
    fixes: ['vendor.contract_controls'],
    focus: ['csf:2.0:GV.SC-08', 'csf:2.0:GV.SC-05', 'iso27001:2022:A.5.20', 'cis:v8:15.4'],
    basis: 'CSF 2.0 GV.SC-08 (relevant suppliers are included in incident planning, response and recovery) and GV.SC-05 (supply-chain requirements are put into contracts); control note for vendor.contract_controls (incident notification SLAs) — domain reference §1.2, §7.3',
  }),
  rule({ id: 'RP030', name: 'customer-has-no-manager', severity: 'warning', title: 'A workflow that serves only customers asks the requester\'s manager to approve, or notifies only the manager', fixes: [], basis: 'Structural: a customer has no manager in the directory (docs/analysis-semantics.md, "Customer accounts"); no framework clause' }),
  rule({ id: 'RP031', name: 'proof-method-contradicted', severity: 'warning', title: 'A step names a knowledge-based proofing method and also refuses knowledge as proof', fixes: ['proofing.ial2'], focus: ['csf:2.0:PR.AA-02', 'iso27001:2022:A.5.16', 'sp800-53:r5:IA-12(3)'], basis: 'Structural: the file contradicts itself; SP 800-63A-4 §2.5.1 (knowledge-based verification not used for identity verification) — domain reference §2.5' }),
  rule({ id: 'RP032', name: 'failed-check-leads-on', severity: 'error', title: 'A step\'s failed checks lead where its passed checks lead', fixes: [], basis: 'IDPro Body of Knowledge, "Account Recovery" (a weaker path around a check is the takeover path) — domain reference §6.9' }),
  rule({
    id: 'RP034',
    name: 'check-without-guard',
    severity: 'error',
    title: 'A step that checks the requester holds no control a requester must pass',
    fixes: ['proofing.ial2', 'step_up.verification', 'callback.number_on_file', 'approval.dual'],
    focus: ['csf:2.0:PR.AA-02', 'iso27001:2022:A.5.16', 'sp800-53:r5:IA-12(3)'],
    basis: 'Structural: a step with no guard is passed by every requester, the attacker included (docs/analysis-semantics.md, "Workflow": a requester passes a step when every guard on it lets them); CSF 2.0 PR.AA-02 (identities are proofed and bound to credentials based on the context of interactions)',
  }),
  rule({
    id: 'RP035',
    name: 'factor-contradicted',
    severity: 'warning',
    title: 'A step-up names a phishable factor while the workflow says every user holds phishing-resistant authenticators',
    fixes: ['step_up.verification'],
    focus: ['csf:2.0:PR.AA-03', 'iso27001:2022:A.8.5', 'sp800-53:r5:IA-11'],
    basis: 'Structural: the file contradicts itself; SP 800-63B-4 §3.1.3.3 (PSTN is a restricted authenticator) — domain reference §2.3',
  }),
  rule({
    id: 'RP036',
    name: 'procedural-at-provider-desk',
    severity: 'warning',
    title: 'A check, notice or record a provider\'s desk performs is a procedure only',
    fixes: [],
    basis: 'Clorox / Cognizant 2023 (a contracted verification and confirmation email the provider\'s agents did not perform; allegations, disputed) and AA23-320A (contracted help desks targeted) — domain reference §10 item 20, §7.3, §6.1; docs/analysis-semantics.md, "Desk operators" (a contract binds no agent\'s hand)',
  }),
  rule({ id: 'RP033', name: 'exception-waives-nothing', severity: 'warning', title: 'An exception is granted only where none of the steps it bypasses comes after', fixes: [], basis: 'Structural: the workflow\'s own graph (an exception waives the steps it lists once granted; docs/analysis-semantics.md, "Exceptions"); no framework clause' }),
];

/**
 * Attacker capabilities lint treats as commodity: cheap, sold as a service or a routine step of the
 * help-desk intrusions the domain reference documents, so no workflow may rest on an attacker lacking
 * them. Personal data from OSINT is one too; RP005 names it, so RP022 leaves it out.
 */
export const COMMODITY_CAPABILITIES: Readonly<Partial<Record<Capability, string>>> = {
  caller_id_spoofing: 'caller-ID spoofing (any VoIP service sets the displayed number)',
  sim_swap: 'a SIM swap or port-out (bought from or talked out of a carrier)',
  voice_clone: 'a cloned voice (seconds of public audio suffice)',
  victim_vishing: 'a vished user (a call posing as IT gets a code read out or a prompt approved)',
  mfa_push_fatigue: 'push fatigue (prompts repeated until one is approved; an AA23-320A technique)',
  otp_relay_phishing: 'a real-time phishing relay (adversary-in-the-middle kits relay codes and number matches)',
};


const RULES_BY_ID = new Map(LINT_RULES.map((r) => [r.id, r]));

/** The rule with this id; throws for an unknown id (a bug in the caller). */
export function getLintRule(id: string): LintRule {
  const r = RULES_BY_ID.get(id);
  if (!r) throw new Error(`unknown lint rule "${id}"`);
  return r;
}

/** Ids of the rules about the path privileged classes take (what a hardened privileged workflow must not trigger). */
export const PRIVILEGED_PATH_RULES: readonly string[] = LINT_RULES.filter((r) => r.privilegedPath).map((r) => r.id);

/** Mappings a rule reports for the given fix controls: all of theirs, or the rule's focus among them. */
export function ruleMappings(r: LintRule, fixes: readonly string[]): FrameworkRef[] {
  const out: FrameworkRef[] = [];
  const seen = new Set<string>();
  for (const id of fixes) {
    for (const m of controlDef(id).mappings) {
      const key = `${m.framework}:${m.version}:${m.id}`;
      if (seen.has(key) || (r.focus && !r.focus.includes(key))) continue;
      seen.add(key);
      out.push(m);
    }
  }
  return out;
}

function controlDef(id: string): ControlDef {
  const c = findControl(id);
  if (!c) throw new Error(`lint rule refers to unknown control "${id}"`);
  return c;
}

/** Runs every lint rule over a validated workflow; findings come in rule order, then document order. */
export function lintWorkflow(wf: Workflow): Finding[] {
  const g = new Graph(wf);
  const out: Finding[] = [];
  const emit = (id: string, path: string, message: string, extra: { step?: string; fixes?: string[] } = {}) => {
    const r = getLintRule(id);
    const fixes = extra.fixes ?? [...r.fixes];
    const owners = [...new Set(fixes.map((f) => controlDef(f).owner))];
    out.push({
      rule: r.id,
      name: r.name,
      severity: r.severity,
      message,
      path,
      ...(extra.step !== undefined ? { step: extra.step } : {}),
      fixes,
      owners,
      mappings: ruleMappings(r, fixes),
      basis: r.basis,
    });
  };
  for (const check of CHECKS) check(wf, g, emit);
  return dedupe(out).sort(byRuleThenPath);
}

type Emit = (id: string, path: string, message: string, extra?: { step?: string; fixes?: string[] }) => void;
type Check = (wf: Workflow, g: Graph, emit: Emit) => void;

const isPrivileged = (c: AccountClass) => ACCOUNT_CLASSES[c].privileged;
const list = (xs: readonly string[]) => xs.join(', ');
const what = (e: Step) => (e.action ?? 'reset').replaceAll('_', ' ');
const classes = (cs: Set<AccountClass>) => `${cs.size > 1 ? 'classes' : 'class'} ${[...cs].join(', ')}`;
const has = (s: Step, control: string) => s.controls.find((c) => c.control === control);

/** Factors a phishing-resistant authenticator replaces (the step-up's defeats it lifts). */
const PHISHABLE: readonly string[] = ['sms_otp', 'voice_otp', 'email_link', 'push', 'push_number_matching', 'totp'];

/** Whether the workflow says, in force at workflow scope, that every user holds phishing-resistant authenticators. */
function phishingResistantEverywhere(wf: Workflow): boolean {
  return inForce(wf.controls.find((c) => c.control === 'authn.phishing_resistant'));
}

/** What a proofing instance accepts as proof when its method is knowledge (RP005, RP031), in words; null for any other method. */
function knowledgeProof(p: ControlInstance): string | null {
  const method = String(p.params['method']);
  return method === 'kbv' ? 'knowledge-based answers' : method === 'pii' ? 'personal data' : method === 'employee_id' ? 'an employee ID' : null;
}

/**
 * The workflow as a graph that mirrors the compiled machine: `next` always, `on_fail` only on kinds
 * that have a fail event, and routing by the first route listing the class (as the machine's
 * `always` transitions do). Routing on the caller's claim lets the requester pick any route.
 */
class Graph {
  constructor(readonly wf: Workflow) {}

  step(id: string): Step | undefined {
    return this.wf.steps[id];
  }

  /**
   * Successors of a step for a request of class `cls` (undefined: any class). An `honest` request
   * claims its own class, so routing on the caller's claim sends it where its class is routed.
   */
  succ(id: string, cls?: AccountClass, opts: { failEdges?: boolean; honest?: boolean } = {}): string[] {
    const s = this.wf.steps[id];
    if (!s) return [];
    if (s.kind === 'routing') {
      if (cls === undefined || (s.basis === 'caller_claim' && !opts.honest)) return [...new Set(s.routes.map((r) => r.to))];
      const r = s.routes.find((x) => x.classes.includes(cls));
      return r ? [r.to] : [];
    }
    const out: string[] = [];
    if (s.next) out.push(s.next);
    if ((opts.failEdges ?? true) && s.onFail && STEP_EVENTS[s.kind][1] !== null) out.push(s.onFail);
    return out.filter((t) => this.wf.steps[t] !== undefined);
  }

  /** Steps reachable from `from` (inclusive), optionally never entering steps that `stop` accepts. */
  reach(from: readonly string[], cls?: AccountClass, stop?: (s: Step) => boolean): Set<string> {
    const seen = new Set<string>();
    const todo = from.filter((f) => this.wf.steps[f] && !(stop && stop(this.wf.steps[f]!)));
    while (todo.length > 0) {
      const id = todo.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const t of this.succ(id, cls)) if (!seen.has(t) && !(stop && stop(this.wf.steps[t]!))) todo.push(t);
    }
    return seen;
  }

  /** Steps a reset passes after it was executed (its `next`, not its refusal branch), and onwards. */
  after(exec: Step, stop?: (s: Step) => boolean): Set<string> {
    return this.reach(exec.next ? [exec.next] : [], undefined, stop);
  }

  /**
   * A loop the walk from `id` falls into, following each step's first successor (written from its
   * first step back to it: ["a", "b", "a"]); null when the walk stops at a step with no successor.
   */
  loopFrom(id: string): string[] | null {
    const walk: string[] = [];
    let at: string | undefined = id;
    while (at !== undefined) {
      const i = walk.indexOf(at);
      if (i >= 0) return [...walk.slice(i), at];
      walk.push(at);
      at = this.succ(at)[0];
    }
    return null;
  }

  /** True when some path from the steps in `from` reaches an end step. */
  reachesEnd(from: Set<string>): boolean {
    for (const id of from) if (this.wf.steps[id]?.kind === 'end') return true;
    return false;
  }

  executions(): Step[] {
    const live = this.reach([this.wf.start]);
    return this.wf.stepOrder.map((id) => this.wf.steps[id]!).filter((s) => s.kind === 'execution' && live.has(s.id));
  }
}

const CHECKS: Check[] = [
  // RP001: walk the graph with a privileged and a standard class in lockstep; any execution step
  // both reach along the same edges is one path serving both. The standard request is the honest
  // one; a privileged target may be an attacker who claims whatever class routing believes.
  (wf, g, emit) => {
    const priv = wf.accountClasses.filter(isPrivileged);
    const std = wf.accountClasses.filter((c) => !isPrivileged(c));
    const shared = new Map<string, { priv: Set<AccountClass>; std: Set<AccountClass>; where: string }>();
    for (const p of priv) {
      for (const s of std) {
        const parent = new Map<string, string | null>([[wf.start, null]]);
        const todo = [wf.start];
        while (todo.length > 0) {
          const id = todo.shift()!;
          const both = g.succ(id, p).filter((t) => g.succ(id, s, { honest: true }).includes(t));
          for (const t of both) {
            if (parent.has(t)) continue;
            parent.set(t, id);
            todo.push(t);
          }
        }
        for (const id of parent.keys()) {
          const step = g.step(id)!;
          if (step.kind !== 'execution') continue;
          const entry = shared.get(id) ?? { priv: new Set(), std: new Set(), where: sharedAt(g, parent, id, p, s) };
          entry.priv.add(p);
          entry.std.add(s);
          shared.set(id, entry);
        }
      }
    }
    for (const [id, e] of shared) {
      emit(
        'RP001',
        e.where,
        `privileged ${classes(e.priv)} and standard ${classes(e.std)} follow the same path to the ${what(g.step(id)!)} at step "${id}"; a privileged recovery needs its own, stricter path`,
        { step: id },
      );
    }
  },
  // RP002
  (wf, _g, emit) => {
    wf.stepOrder.forEach((id) => {
      const s = wf.steps[id]!;
      if (s.kind !== 'routing' || s.basis !== 'caller_claim') return;
      const targets = new Set(s.routes.map((r) => r.to));
      if (targets.size < 2) return;
      emit('RP002', `${s.path}.basis`, `routing step "${id}" sends classes to different paths by the class the caller claims, so an attacker claims the class with the weakest path; look the class up in the directory`, { step: id });
    });
  },
  // RP003: guards only matter before (or at) the reset, so steps after every execution are skipped.
  (wf, g, emit) => {
    const priv = wf.accountClasses.filter(isPrivileged);
    if (priv.length === 0) return;
    const onPath = new Map<string, AccountClass[]>();
    for (const p of priv) {
      const reached = g.reach([wf.start], p);
      for (const id of reached) {
        const s = g.step(id)!;
        const leadsToReset = s.kind === 'execution' || [...g.reach([id], p)].some((x) => g.step(x)!.kind === 'execution');
        if (leadsToReset) onPath.set(id, [...(onPath.get(id) ?? []), p]);
      }
    }
    const flag = (c: ControlInstance, privClasses: AccountClass[], step?: string) => {
      const def = controlDef(c.control);
      if (def.role !== 'guard' || c.enforcement !== 'procedural') return;
      // The analysis has help-desk agents deviate (pressure, insider, agent account); a step another
      // kind of actor performs by hand is credited, so the message does not claim it is skipped.
      const actor = step ? wf.actors[wf.steps[step]!.actor ?? ''] : undefined;
      const why = actor && actor.kind !== 'agent' ? `performed by hand by ${actor.name ?? actor.id} (${actor.kind}), which the analysis credits as done, with nothing in the system to hold it,` : 'procedural only, so an agent under pressure can skip it,';
      emit(
        'RP003',
        c.path,
        `${c.control} is ${why} and it guards a path that privileged ${classes(new Set(privClasses))} can take; enforce it in the system`,
        { ...(step ? { step } : {}), fixes: [c.control] },
      );
    };
    for (const id of wf.stepOrder) {
      const classes = onPath.get(id);
      if (classes) for (const c of wf.steps[id]!.controls) flag(c, classes, id);
    }
    for (const c of wf.controls) flag(c, priv);
  },
  // RP004
  (wf, g, emit) => {
    for (const id of wf.stepOrder) {
      const s = wf.steps[id]!;
      for (const c of s.controls) {
        if (c.control === 'approval.dual' && c.params['separation_enforced'] === false) {
          emit('RP004', `${c.path}.params.separation_enforced`, `dual approval at step "${id}" does not enforce separation of duties, so the executor can approve their own reset`, { step: id });
        }
      }
      if (s.kind !== 'approval' || !s.actor) continue;
      // The executions an approval leads to: follow its granted branch up to the first execution.
      const firstExecs = new Set<string>();
      const seen = new Set<string>();
      const todo = s.next ? [s.next] : [];
      while (todo.length > 0) {
        const x = todo.pop()!;
        if (seen.has(x)) continue;
        seen.add(x);
        if (g.step(x)?.kind === 'execution') firstExecs.add(x);
        else todo.push(...g.succ(x));
      }
      for (const e of firstExecs) {
        if (g.step(e)!.actor === s.actor) {
          emit('RP004', `${s.path}.actor`, `approval step "${id}" and execution step "${e}" have the same actor "${s.actor}", so whoever executes the reset also approves it`, { step: id });
        }
      }
    }
  },
  // RP005
  (wf, _g, emit) => {
    for (const id of wf.stepOrder) {
      const s = wf.steps[id]!;
      const p = has(s, 'proofing.ial2');
      if (!p || has(s, 'proofing.no_pii_kbv')) continue;
      const proof = knowledgeProof(p);
      if (proof) {
        emit('RP005', `${p.path}.params.method`, `step "${id}" accepts ${proof} as proof of identity; an attacker learns these from OSINT or breaches`, { step: id });
      }
    }
  },
  // RP006: the catalogue's defeat rules with no capabilities are ones any requester satisfies.
  (wf, _g, emit) => {
    const wfControls = new Set(wf.controls.map((c) => c.control));
    const check = (c: ControlInstance, siblings: ControlInstance[], step?: string) => {
      for (const d of controlDef(c.control).defeatedBy) {
        // A rule for attackers holding an agent identity is no "anyone" rule, though it lists no capability.
        if (d.capabilities.length > 0 || d.attacker === 'agent_identity') continue;
        const when = Object.entries(d.when ?? {});
        if (!when.every(([k, vs]) => vs.includes(c.params[k] as string | number | boolean))) continue;
        if (d.unlessAtStep?.some((u) => siblings.some((x) => x.control === u))) continue;
        if (d.unlessInWorkflow?.some((u) => wfControls.has(u))) continue;
        const param = when[0]?.[0];
        emit('RP006', param ? `${c.path}.params.${param}` : c.path, `${c.control}${step ? ` at step "${step}"` : ''} is defeated by anyone: ${d.reason}`, { ...(step ? { step } : {}), fixes: [c.control] });
      }
    };
    for (const id of wf.stepOrder) for (const c of wf.steps[id]!.controls) check(c, wf.steps[id]!.controls, id);
    for (const c of wf.controls) check(c, wf.controls);
    for (const e of wf.exceptions) for (const c of e.controls) check(c, e.controls);
  },
  // RP007, RP008, RP009
  (wf, _g, emit) => {
    for (const e of wf.exceptions) {
      if (!e.controls.some((c) => c.control === 'exception.expiry')) {
        emit('RP007', e.path, `exception "${e.id}" never expires, so once granted it stays in place for any later request`);
      }
      if (!e.owner) emit('RP008', e.path, `exception "${e.id}" names no owner accountable for it`);
      if (!e.justificationRequired) emit('RP009', e.path, `exception "${e.id}" can be granted without a recorded justification`);
    }
  },
  // RP010, RP011: a record counts for a reset when it is written on some path through that reset.
  (wf, g, emit) => {
    // A reset a person authorised (an agent, manager or security team acts on the way to it, or an
    // approval step lies on it) must record who authorised it and why; a self-service reset has no
    // approver, and records who asked and how they proved it (SP 800-63B-4 §4.1: time and source).
    const people = new Set(['agent', 'manager', 'security_team']);
    for (const e of g.executions()) {
      const before = new Set([...g.reach([wf.start])].filter((id) => g.reach([id]).has(e.id)));
      const steps = new Set([...before, e.id, ...g.after(e)]);
      const authorised = [...before, e.id].some((id) => {
        const s = wf.steps[id]!;
        return s.kind === 'approval' || (s.actor !== undefined && people.has(wf.actors[s.actor]?.kind ?? ''));
      });
      const needed = authorised ? ['requester', 'approver', 'justification'] : ['requester', 'verification'];
      const logs = wf.stepOrder.filter((id) => steps.has(id)).flatMap((id) => wf.steps[id]!.controls.filter((c) => c.control === 'log.immutable'));
      if (logs.length === 0) {
        emit('RP010', e.path, `the ${what(e)} at step "${e.id}" leaves no immutable record of who requested it, who authorised it and why`, { step: e.id });
        continue;
      }
      const recorded = new Set(logs.flatMap((c) => c.params['records'] as string[]));
      const missing = needed.filter((n) => !recorded.has(n));
      if (missing.length > 0) {
        const where = logs[0]!;
        const must = authorised ? 'who requested, who authorised and why must all be recorded' : 'a self-service reset must record who requested it and how they proved it';
        emit('RP010', `${where.path}.params.records`, `the record of the ${what(e)} at step "${e.id}" does not hold ${missing.join(', ')}: ${must}`, { step: e.id });
      }
    }
    for (const id of wf.stepOrder) {
      for (const c of wf.steps[id]!.controls) {
        const store = c.params['store'];
        if (c.control === 'log.immutable' && store !== 'central_append_only') {
          emit('RP011', `${c.path}.params.store`, `the record at step "${id}" is kept in ${String(store).replace('_', ' ')}, which agents or an attacker with log access can edit or delete`, { step: id });
        }
      }
    }
  },
  // RP012, RP013
  (wf, g, emit) => {
    const reviews = (s: Step) => s.controls.some((c) => c.control === 'review.post_event');
    // A review on the execution step itself reviews that reset (the catalogue lets it sit there).
    for (const e of g.executions()) {
      if (!reviews(e) && g.reachesEnd(g.after(e, reviews))) emit('RP012', e.path, `the ${what(e)} at step "${e.id}" can complete without passing a post-event review`, { step: e.id });
    }
    const priv = wf.accountClasses.filter(isPrivileged);
    if (priv.length === 0) return;
    const privSteps = new Set(priv.flatMap((p) => [...g.reach([wf.start], p)]));
    for (const id of wf.stepOrder) {
      if (!privSteps.has(id)) continue;
      for (const c of wf.steps[id]!.controls) {
        const rate = c.params['privileged_sample_rate'];
        if (c.control === 'review.post_event' && typeof rate === 'number' && rate < 1) {
          emit('RP013', `${c.path}.params.privileged_sample_rate`, `review at step "${id}" looks at ${Math.round(rate * 100)}% of privileged resets; every privileged reset needs review`, { step: id });
        }
      }
    }
  },
  // RP014
  (_wf, g, emit) => {
    for (const e of g.executions()) {
      if (!has(e, 'session.revoke_on_reset')) emit('RP014', e.path, `the ${what(e)} at step "${e.id}" leaves existing sessions and tokens valid`, { step: e.id });
    }
  },
  // RP015: a notification reaches the real user only on a channel the requester does not hold: not
  // where the credential went, not what the reset enrolled or the mailbox it handed over, not what the
  // requester proved with.
  (wf, g, emit) => {
    const notifies = (s: Step) => s.controls.some((c) => c.control === 'notify.out_of_band');
    for (const e of g.executions()) {
      if (!has(e, 'notify.out_of_band') && g.reachesEnd(g.after(e, notifies))) {
        emit('RP015', e.path, `the ${what(e)} at step "${e.id}" can complete without notifying the real user out of band`, { step: e.id });
        continue;
      }
      const handed = handedOver(e);
      // The reset of an account that holds a mailbox hands the requester that mailbox, where a notice
      // to the email on file lands: for any class whose request can reach the reset.
      if (wf.accountClasses.some((c) => (ACCOUNT_CLASSES[c].blastRadius as readonly string[]).includes('mailbox') && g.reach([wf.start], c).has(e.id))) handed.add('email_on_file');
      const before = [...g.reach([g.wf.start])].filter((id) => id === e.id || g.reach([id]).has(e.id));
      for (const id of before) for (const ch of provedWith(g.step(id)!)) handed.add(ch);
      const after = g.after(e);
      const instances = [e, ...g.wf.stepOrder.filter((id) => after.has(id)).map((id) => g.step(id)!)].flatMap((s) =>
        s.controls.filter((c) => c.control === 'notify.out_of_band').map((c) => ({ c, step: s.id })),
      );
      for (const { c, step } of instances) {
        const channels = c.params['channels'] as NotifyChannel[];
        if (c.params['recipients'] === 'new_contact_only') {
          emit('RP015', `${c.path}.params.recipients`, `the notification at step "${step}" goes only to the newly set contact, which is the requester's, not to the addresses the real user registered`, { step });
        } else if (channels.every((ch) => handed.has(ch))) {
          emit('RP015', `${c.path}.params.channels`, `the notification at step "${step}" goes only to ${list(channels)}, which the requester of the ${what(e)} at step "${e.id}" may hold (the credential goes there, the reset enrols it or hands over the mailbox it goes to, or the request was proved with it); notify a channel the requester does not hold`, { step });
        }
      }
    }
  },
  // RP016, RP017
  (_wf, g, emit) => {
    for (const e of g.executions()) {
      if (e.delivery === 'ticket') {
        emit('RP016', `${e.path}.delivery`, `the ${what(e)} at step "${e.id}" puts the new credential into the ticket, where everyone with queue access can read it`, { step: e.id });
      }
      if (e.action === 'api_key_reissue' && !has(e, 'nhi.rotation')) {
        emit('RP017', e.path, `step "${e.id}" re-issues an API key or token through support instead of an owner-authenticated rotation`, { step: e.id });
      }
    }
  },
  // RP018: with queue injection, any evidence read from the ticket is the attacker's unless requesters are authenticated.
  (wf, _g, emit) => {
    const integrity = wf.stepOrder.some((id) => {
      const s = wf.steps[id]!;
      const t = s.kind === 'intake' ? has(s, 'ticket.integrity') : undefined;
      return t !== undefined && t.params['requester_authentication'] === 'sso_session';
    });
    if (integrity) return;
    for (const id of wf.stepOrder) {
      for (const c of wf.steps[id]!.controls) {
        if (c.evidence === 'ticket_field') {
          emit('RP018', `${c.path}.evidence`, `${c.control} at step "${id}" is read from a ticket field, and nothing stops a requester from setting that field`, { step: id });
        }
      }
    }
  },
  // RP019, RP020
  (wf, g, emit) => {
    const live = g.reach([wf.start]);
    for (const id of wf.stepOrder) {
      const s = wf.steps[id]!;
      if (!live.has(id)) {
        emit('RP019', s.path, `step "${id}" cannot be reached from the start step "${wf.start}"`, { step: id });
        continue;
      }
      if (s.kind !== 'end' && !g.reachesEnd(g.reach([id]))) {
        const loop = g.loopFrom(id);
        const where = loop ? (loop.includes(id) ? `: it goes round the loop ${loop.join(' → ')}, which has no way out` : `: its paths run into loops with no way out, such as ${loop.join(' → ')}`) : '';
        emit('RP020', s.path, `no path leads from step "${id}" to an end step${where}`, { step: id });
      }
    }
  },
  // RP021
  (wf, g, emit) => {
    for (const id of wf.stepOrder) {
      const s = wf.steps[id]!;
      if (s.kind !== 'routing') continue;
      const missing = wf.accountClasses.filter((c) => g.reach([wf.start], c).has(id) && !s.routes.some((r) => r.classes.includes(c)));
      if (missing.length > 0) emit('RP021', `${s.path}.routes`, `routing step "${id}" has no route for ${list(missing)}, which the workflow serves; those requests end unrouted`, { step: id });
    }
  },
  // RP022: the catalogue's defeat rules that need only commodity capabilities, matched the way the
  // analysis matches them (parameters, and `unless` controls in force), so lint names what it finds.
  (wf, _g, emit) => {
    for (const { c, siblings, step } of eachInstance(wf)) {
      for (const d of openRules(c, siblings, wf.controls)) {
        if (d.capabilities.length === 0 || d.contactAge !== undefined || !d.capabilities.every((x) => x in COMMODITY_CAPABILITIES)) continue;
        // A limit of the control itself, not of its setting: the rule holds at the hardened
        // parameters and no control beside it lifts it (an approval that asks a holder the attacker
        // is coaching). Nothing in the file can fix it, so lint leaves it to the analysis.
        if (inherentLimit(d, c.control)) continue;
        const param = Object.keys(d.when ?? {})[0];
        const caps = d.capabilities.map((x) => COMMODITY_CAPABILITIES[x]!).join(' with ');
        const also = [...(d.unlessAtStep ?? []), ...(d.unlessInWorkflow ?? [])].filter((u) => u !== c.control);
        // Where the rule holds at the control's hardened parameters too, hardening it changes
        // nothing: only the controls that lift the rule are the fix, and the message says so.
        const hardenedToo = hardenedMatches(d, c.control);
        const when = Object.keys(d.when ?? {});
        const state = when.length ? `is already at its hardened ${when.map((k) => `${k} (${String(controlDef(c.control).params[k]!.hardened)})`).join(', ')}` : 'falls to it at any setting';
        const note = hardenedToo && also.length ? `; ${c.control} ${state}, so what lifts it is ${also.join(' or ')}${d.unlessAtStep?.length ? ' on the same step' : ' in the workflow'}` : '';
        emit('RP022', param ? `${c.path}.params.${param}` : c.path, `${c.control}${step ? ` at step "${step}"` : ''} falls to ${caps}: ${d.reason}${note}`, {
          ...(step ? { step } : {}),
          fixes: [...new Set([...(hardenedToo && also.length ? [] : [c.control]), ...also])],
        });
      }
    }
  },
  // RP023: some path reaches a reset having passed no guard but SMS or voice codes. A step is passed
  // along its `next`; taking its `on_fail` proved nothing. With phishing-resistant authenticators in
  // force workflow-wide, SMS and voice are no factors (the analysis reads the step-up so): RP035 says
  // the file contradicts itself instead.
  (wf, g, emit) => {
    if (phishingResistantEverywhere(wf)) return;
    const pstnOnly = (s: Step): boolean | null => {
      const guards = s.controls.filter((c) => controlDef(c.control).role === 'guard');
      if (guards.length === 0) return null;
      return guards.every((c) => c.control === 'step_up.verification' && ['sms_otp', 'voice_otp'].includes(String(c.params['factor'])));
    };
    // States: (step, a PSTN code passed so far); passing any other guard leaves the search.
    const seen = new Set<string>();
    const todo: [string, boolean][] = [[wf.start, false]];
    const flagged = new Set<string>();
    while (todo.length > 0) {
      const [id, pstn] = todo.pop()!;
      const key = `${id}|${pstn}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const s = g.step(id);
      if (!s) continue;
      const only = pstnOnly(s);
      if (only === false) {
        if (s.onFail && STEP_EVENTS[s.kind][1] !== null) todo.push([s.onFail, pstn]);
        continue;
      }
      const now = pstn || only === true;
      if (s.kind === 'execution' && now && !flagged.has(id)) {
        flagged.add(id);
        emit('RP023', s.path, `the ${what(s)} at step "${id}" can be reached with an SMS or voice code as the only proof; PSTN is a restricted authenticator, and a SIM swap or a vished user gets the code`, { step: id });
      }
      for (const t of g.succ(id)) todo.push([t, now]);
    }
  },
  // RP024, RP025: a contact-age parameter below the catalogue's hardened value.
  (wf, _g, emit) => {
    for (const { c, step } of eachInstance(wf)) {
      const spec = controlDef(c.control).params['min_contact_age_days'];
      const v = c.params['min_contact_age_days'];
      if (!spec || spec.type !== 'number' || typeof v !== 'number' || v >= spec.hardened) continue;
      // A step-up's code goes to a contact only with a phone or email factor, and to none once every
      // user holds a phishing-resistant authenticator (RP035 says the file contradicts itself then).
      if (c.control === 'step_up.verification' && (!['sms_otp', 'voice_otp', 'email_link'].includes(String(c.params['factor'])) || phishingResistantEverywhere(wf))) continue;
      const where = step ? ` at step "${step}"` : '';
      const age = v === 0 ? 'however recently it was changed' : `changed as little as ${v} days before`;
      const path = `${c.path}.params.min_contact_age_days`;
      if (controlDef(c.control).role === 'detector') {
        emit('RP025', path, `the notice${where} goes to the contact on file ${age}; an attacker who had it changed first receives the notice (require ${spec.hardened} days: changing a contact binds a new authenticator)`, { ...(step ? { step } : {}) });
      } else {
        emit('RP024', path, `${c.control}${where} trusts the contact on file ${age}; an attacker who had it changed first answers (require ${spec.hardened} days: changing a contact binds a new authenticator)`, { ...(step ? { step } : {}), fixes: [c.control] });
      }
    }
  },
  // RP028: the file itself says the check can be passed around; the analysis gives it status "flawed".
  (wf, _g, emit) => {
    for (const { c, step } of eachInstance(wf)) {
      const f = c.flaw;
      if (!f) continue;
      const how = f.kind === 'known_bypass' ? 'a known bypass' : 'a fallback the requester can force';
      const who = f.capabilities.length === 0 ? 'any requester' : `an attacker with ${f.capabilities.join(', ')}`;
      emit('RP028', `${c.path}.flaw`, `${c.control}${step ? ` at step "${step}"` : ''} has ${how} that ${who} can use: ${f.description}; remove the fallback or fix the flaw`, { ...(step ? { step } : {}), fixes: [c.control] });
    }
  },
  // RP026
  (wf, g, emit) => {
    for (const e of g.executions()) {
      const actor = e.actor ? wf.actors[e.actor] : undefined;
      if (e.action === 'password_reset' && e.delivery === 'requester_on_call' && actor?.kind === 'agent') {
        emit('RP026', `${e.path}.delivery`, `at step "${e.id}" the ${actor.name} reads the new password to the caller: the agent knows it, and it goes to whoever is on the call; send a one-time link to a verified address, or issue a short-lived one-time pass`, { step: e.id });
      }
    }
  },
  // RP027
  (wf, g, emit) => {
    if (wf.recoveryRiskAnalysis) return;
    const staff = new Set(['agent', 'security_team']);
    const byAgent = g.executions().filter((e) => staff.has(e.actor ? (wf.actors[e.actor]?.kind ?? '') : ''));
    if (byAgent.length === 0) return;
    // A security team's re-issue is staff-assisted recovery too: the message says so, as the rule counts it.
    const first = byAgent[0]!;
    const who = wf.actors[first.actor!]!.kind === 'security_team' ? 'a security team, which counts as agent-assisted recovery as much as a help-desk agent does' : 'an agent';
    emit('RP027', '', `the ${what(first)} at step "${first.id}" recovers the account through ${who}, and the workflow names no documented risk analysis it is based on (add recovery_risk_analysis)`, { step: first.id });
  },
  // RP029: the contract is there, but without the incident-report clause, and a provider runs a desk
  // of the workflow (outsourced, or of unknown operator: it may be one).
  (wf, _g, emit) => {
    const contract = wf.controls.find((c) => c.control === 'vendor.contract_controls');
    if (!contract || contract.params['reports_incidents'] !== false) return;
    const acting = new Set(wf.stepOrder.map((id) => wf.steps[id]!.actor).filter((a): a is string => a !== undefined));
    const desks = Object.values(wf.actors).filter((a) => a.kind === 'agent' && (a.operator === 'outsourced' || a.operator === 'unknown') && acting.has(a.id));
    if (desks.length === 0) return;
    const named = desks.map((a) => `"${a.id}" (${a.operator === 'outsourced' ? 'outsourced' : 'operator unknown, may be a provider'})`).join(', ');
    emit(
      'RP029',
      `${contract.path}.params.reports_incidents`,
      `vendor.contract_controls does not oblige the provider to report incidents involving its agents (reports_incidents: false), and a provider runs the desk${desks.length > 1 ? 's' : ''} ${named}: a compromised provider agent account, or a provider agent acting for an attacker, is never reported to the organisation; add the clause with a reporting period (incident_report_hours)`,
    );
  },
  // RP031: the method says knowledge, the modifier on the same step says knowledge is no proof. The
  // analysis credits the step as proofing that no knowledge rule defeats (the modifier's meaning), so
  // what the desk actually checks is nowhere in the file.
  (wf, _g, emit) => {
    for (const id of wf.stepOrder) {
      const s = wf.steps[id]!;
      const p = has(s, 'proofing.ial2');
      const proof = p ? knowledgeProof(p) : null;
      if (!p || !proof || !has(s, 'proofing.no_pii_kbv')) continue;
      emit(
        'RP031',
        `${p.path}.params.method`,
        `step "${id}" proofs by ${proof} (method ${String(p.params['method'])}), which proofing.no_pii_kbv on the same step refuses as proof: the analysis credits the step as proofing no knowledge answer passes, but the file does not say which evidence the desk checks instead; set the method it uses (e.g. verified_id_facecheck)`,
        { step: id },
      );
    }
  },
  // RP032: on_fail leads where next does, so a check that fails lets the request on all the same.
  (wf, _g, emit) => {
    for (const id of wf.stepOrder) {
      const s = wf.steps[id]!;
      if (!s.onFail || s.onFail !== s.next || STEP_EVENTS[s.kind][1] === null) continue;
      const guards = s.controls.filter((c) => controlDef(c.control).role === 'guard').map((c) => c.control);
      if (guards.length === 0) continue;
      emit('RP032', `${s.path}.on_fail`, `step "${id}" has on_fail "${s.onFail}", where its next leads: a requester who fails ${guards.join(', ')} goes on all the same, so the check stops no one; send on_fail to a refusal or an end step, or leave it out (a failed check then ends the request)`, { step: id });
    }
  },
  // RP034: a proofing, step-up, call-back or approval step with no guard (only modifiers, detectors or
  // nothing): every requester passes it. A step that says its verification is unknown is the
  // analysis's unknown, not this rule's.
  (wf, _g, emit) => {
    const guardFor: Partial<Record<Step['kind'], string>> = { proofing: 'proofing.ial2', step_up: 'step_up.verification', callback: 'callback.number_on_file', approval: 'approval.dual' };
    for (const id of wf.stepOrder) {
      const s = wf.steps[id]!;
      const guard = guardFor[s.kind];
      if (!guard || s.verificationUnknown || s.controls.some((c) => controlDef(c.control).role === 'guard')) continue;
      const held = s.controls.map((c) => `${c.control} (${controlDef(c.control).role})`);
      emit(
        'RP034',
        s.path,
        `step "${id}" is a ${s.kind.replace('_', '-')} step, but ${held.length ? `holds only ${held.join(', ')}, none of which a requester must pass` : 'holds no control'}: every requester passes it, the attacker included; add the check it is there for (${guard}, at its hardened setting), or write \`verification: unknown\` on the step if the file cannot say what is checked there`,
        { step: id, fixes: [guard] },
      );
    }
  },
  // RP035: like RP031 for authenticators: the workflow says every user holds phishing-resistant
  // authenticators (SMS, voice and email removed as factors), and a step-up names a phishable factor.
  // The analysis credits the step-up as phishing-resistant; the file does not say which factor it uses.
  (wf, _g, emit) => {
    if (!phishingResistantEverywhere(wf)) return;
    for (const id of wf.stepOrder) {
      const c = has(wf.steps[id]!, 'step_up.verification');
      const factor = c ? String(c.params['factor']) : '';
      if (!c || !PHISHABLE.includes(factor)) continue;
      emit(
        'RP035',
        `${c.path}.params.factor`,
        `step "${id}" asks for factor ${factor}, which authn.phishing_resistant in the workflow removes as a factor (every user holds a phishing-resistant authenticator): the analysis credits the step-up as phishing-resistant, but the file does not say which factor it uses; set the one it uses (e.g. fido2)`,
        { step: id },
      );
    }
  },
  // RP036: a provider's desk (outsourced, a platform's support, or of unknown operator) performs a
  // guard, notice, log or review by procedure: the analysis has its agents leave it out for any
  // caller, whatever a contract says (docs/analysis-semantics.md, "Desk operators").
  (wf, _g, emit) => {
    const PROVIDER: Partial<Record<Actor['operator'], string>> = { outsourced: 'an outsourced desk', platform_support: "a platform's support team", unknown: 'a desk whose operator is unknown, taken as a provider\'s' };
    for (const id of wf.stepOrder) {
      const s = wf.steps[id]!;
      const actor = s.actor ? wf.actors[s.actor] : undefined;
      const provider = actor?.kind === 'agent' ? PROVIDER[actor.operator] : undefined;
      if (!actor || !provider) continue;
      for (const c of s.controls) {
        const role = controlDef(c.control).role;
        if (c.enforcement === 'system' || !(role === 'guard' || role === 'detector' || c.control === 'log.immutable')) continue;
        // A review on the reset it reviews is done afterwards by the review's owner, not by the desk.
        if (c.control === 'review.post_event' && s.kind !== 'review') continue;
        emit(
          'RP036',
          c.path,
          `${c.control} at step "${id}" is performed by ${actor.name ?? actor.id}, ${provider}, as a ${c.enforcementUnknown ? 'procedure as far as the file says (enforcement unknown)' : 'procedure'}: its agents leave it out for any caller, and a contract does not make them perform it (the analysis credits no contract clause with a check); enforce it in the provider's tooling (enforcement: system)`,
          { step: id, fixes: [c.control] },
        );
      }
    }
  },
  // RP033: an exception that is not standing (it has an expiry) waives the steps it lists only once
  // an exception step grants it, so from there on; granted nowhere, or only after every one of them,
  // it waives nothing and the workflow reads as more lenient than it is.
  (wf, g, emit) => {
    for (const e of wf.exceptions) {
      if (!e.controls.some((c) => c.control === 'exception.expiry')) continue;
      const granting = wf.stepOrder.filter((id) => wf.steps[id]!.kind === 'exception' && wf.steps[id]!.grants === e.id);
      if (granting.length === 0) {
        emit('RP033', e.path, `exception "${e.id}" expires, so it is not standing, and no exception step grants it: it never waives anything`);
        continue;
      }
      const after = g.reach(granting.flatMap((id) => (wf.steps[id]!.next ? [wf.steps[id]!.next!] : [])));
      if (e.bypasses.some((b) => after.has(b))) continue;
      emit('RP033', `${e.path}.bypasses`, `exception "${e.id}" is granted only at ${granting.map((id) => `"${id}"`).join(', ')}, and none of the steps it bypasses (${e.bypasses.join(', ')}) comes after: it never waives anything; grant it before them, or remove it`);
    }
  },
  // RP030: a customer has no manager, so a manager's approval applies to no request and a notice to
  // the manager alone reaches nobody (the analysis: not_applicable, and no detection from that channel).
  (wf, _g, emit) => {
    if (wf.accountClasses.length === 0 || !wf.accountClasses.every(isCustomerClass)) return;
    const served = wf.accountClasses.join(', ');
    for (const { c, step } of eachInstance(wf)) {
      const where = step ? ` at step "${step}"` : '';
      if (c.control === 'approval.manager') {
        emit('RP030', c.path, `approval.manager${where} asks the requester's manager to approve, but the workflow serves only customers (${served}), who have no manager in the directory: the approval applies to no request and blocks nothing; verify the customer instead`, { ...(step ? { step } : {}), fixes: [] });
      }
      // A notice that also goes to the customer's own contacts still reaches them: only a notice to
      // the manager alone is one nobody receives.
      const channels = c.control === 'notify.out_of_band' ? (c.params['channels'] as readonly string[]) : [];
      if (channels.length > 0 && channels.every((ch) => ch === 'manager_email')) {
        emit('RP030', `${c.path}.params.channels`, `notify.out_of_band${where} notifies only manager_email, but the workflow serves only customers (${served}), who have no manager: the notice reaches nobody and the reset is never notified; notify the customer's own registered contacts`, { ...(step ? { step } : {}), fixes: [c.control] });
      }
    }
  },
];

/** The defeat rules of an instance whose parameters match and whose `unless` controls are not in force there. */
/** A defeat rule that applies at the control's hardened parameters and that no other control lifts. */
function inherentLimit(d: ControlDef['defeatedBy'][number], control: string): boolean {
  if (d.unlessAtStep?.length || d.unlessInWorkflow?.length) return false;
  return hardenedMatches(d, control);
}

/** Whether a defeat rule's parameter conditions hold at the control's hardened parameters (hardening it does not escape the rule). */
function hardenedMatches(d: ControlDef['defeatedBy'][number], control: string): boolean {
  const params = controlDef(control).params;
  return Object.entries(d.when ?? {}).every(([k, vs]) => {
    const hardened = params[k]?.hardened;
    return hardened !== undefined && !Array.isArray(hardened) && vs.includes(hardened as string | number | boolean);
  });
}

function openRules(c: ControlInstance, siblings: readonly ControlInstance[], wfControls: readonly ControlInstance[]): ControlDef['defeatedBy'] {
  return controlDef(c.control).defeatedBy.filter((d) => {
    if (!Object.entries(d.when ?? {}).every(([k, vs]) => vs.includes(c.params[k] as string | number | boolean))) return false;
    if (d.unlessAtStep?.some((u) => inForce(siblings.find((x) => x.control === u)))) return false;
    if (d.unlessInWorkflow?.some((u) => inForce(wfControls.find((x) => x.control === u)))) return false;
    return true;
  });
}

/** Every control instance of the workflow with the instances beside it and its step, if any. */
function eachInstance(wf: Workflow): { c: ControlInstance; siblings: readonly ControlInstance[]; step?: string }[] {
  const out: { c: ControlInstance; siblings: readonly ControlInstance[]; step?: string }[] = [];
  for (const id of wf.stepOrder) for (const c of wf.steps[id]!.controls) out.push({ c, siblings: wf.steps[id]!.controls, step: id });
  for (const c of wf.controls) out.push({ c, siblings: wf.controls });
  for (const e of wf.exceptions) for (const c of e.controls) out.push({ c, siblings: e.controls });
  return out;
}

/** Notification channels a reset puts in the requester's hands: where it delivers, and what it enrols. */
function handedOver(e: Step): Set<NotifyChannel> {
  const out = new Set<NotifyChannel>();
  if (e.delivery === 'email_on_file' || e.delivery === 'sms_on_file') out.add(e.delivery);
  if (e.action === 'mfa_device_enrollment' || e.action === 'temporary_access_pass') out.add('app_push');
  return out;
}

/** Notification channels a step's proof relies on: passing it may mean the requester holds them. */
function provedWith(s: Step): NotifyChannel[] {
  const out: NotifyChannel[] = [];
  for (const c of s.controls) {
    const factor = c.params['factor'];
    if (c.control === 'step_up.verification') {
      if (factor === 'sms_otp' || factor === 'voice_otp') out.push('sms_on_file');
      if (factor === 'email_link') out.push('email_on_file');
      if (factor === 'push' || factor === 'push_number_matching') out.push('app_push');
    }
    if (c.control === 'callback.number_on_file' && c.params['number_type'] === 'mobile') out.push('sms_on_file');
  }
  return out;
}

/** Where to point an RP001 finding: the route that first sends both classes the same way, else the class list. */
function sharedAt(g: Graph, parent: Map<string, string | null>, target: string, p: AccountClass, s: AccountClass): string {
  const chain: string[] = [];
  for (let id: string | null = target; id !== null; id = parent.get(id) ?? null) chain.unshift(id);
  for (const id of chain) {
    const step = g.step(id)!;
    if (step.kind !== 'routing') continue;
    const i = step.routes.findIndex((r) => r.classes.includes(p) && r.classes.includes(s));
    if (i >= 0) return `${step.path}.routes[${i}]`;
    return step.basis === 'caller_claim' ? `${step.path}.basis` : `${step.path}.routes`;
  }
  return 'account_classes';
}

function dedupe(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = `${f.rule}\u0000${f.path}\u0000${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Orders paths the way they appear in a file: numeric indices compare as numbers. */
export function comparePaths(a: string, b: string): number {
  const sa = a.split(/[.[\]]+/).filter(Boolean);
  const sb = b.split(/[.[\]]+/).filter(Boolean);
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const x = sa[i]!;
    const y = sb[i]!;
    if (x === y) continue;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return sa.length - sb.length;
}

function byRuleThenPath(a: Finding, b: Finding): number {
  return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : comparePaths(a.path, b.path);
}
