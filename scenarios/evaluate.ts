// The control semantics of docs/analysis-semantics.md: how an attacker with given capabilities fares
// against each control instance, step and delivery, and how a finished path is detected. Replay and
// the exhaustive exploration both call these functions, so there is one definition of a verdict.
import {
  ACCOUNT_CLASSES,
  channelName,
  CONTROLS,
  getControl,
  inForce,
  isCustomerClass,
  RESET_ACTIONS,
  STEP_EVENTS,
  type AccountClass,
  type Capability,
  type ControlDef,
  type ControlInstance,
  type ResetAction,
  type Step,
  type Verdict,
  type Workflow,
} from '../models/index.ts';
import type { AttackChannel } from './schema.ts';
import { AGENT_CAPABILITIES, HOLDER_DIRECTING_CAPABILITIES } from './types.ts';

/** A workflow indexed for fast evaluation (built once per workflow version). */
export interface Prepared {
  wf: Workflow;
  byStep: ReadonlyMap<string, ReadonlyMap<string, ControlInstance>>;
  workflowScope: ReadonlyMap<string, ControlInstance>;
  byException: ReadonlyMap<string, ReadonlyMap<string, ControlInstance>>;
}

// Instances by control id, per list of instances (lists are never changed once made): a counterfactual
// or what-if workflow shares the lists of every step it leaves alone, and so their indexes.
const byControlOf = new WeakMap<readonly ControlInstance[], ReadonlyMap<string, ControlInstance>>();
function byControl(list: readonly ControlInstance[]): ReadonlyMap<string, ControlInstance> {
  let m = byControlOf.get(list);
  if (!m) byControlOf.set(list, (m = new Map(list.map((c) => [c.control, c]))));
  return m;
}

/** Indexes a workflow's control instances by step, workflow scope and exception. */
export function prepareWorkflow(wf: Workflow): Prepared {
  const byStep = new Map<string, ReadonlyMap<string, ControlInstance>>();
  for (const id of wf.stepOrder) byStep.set(id, byControl(wf.steps[id]!.controls));
  return {
    wf,
    byStep,
    workflowScope: byControl(wf.controls),
    byException: new Map(wf.exceptions.map((e) => [e.id, byControl(e.controls)])),
  };
}

export type DeviationReason = 'pressure' | 'insider' | 'agent_account' | 'outsourced_unmonitored' | 'platform_support' | 'operator_unknown';

/**
 * One way the attacker gets past a control instance, with the rule that allows it. `unknowns`: the
 * unknowns of the workflow this means exists only through, resolved in the attacker's favour
 * ("enforcement:<instance key>", "operator:<actor id>"); a verdict all of whose means have some is
 * conditional (docs/analysis-semantics.md, "Unknowns").
 */
export type Means =
  | { kind: 'defeated'; rule: string; capabilities: Capability[]; reason: string; unknowns?: string[] }
  | { kind: 'forged_ticket_field'; rule: 'ticket_field.forged'; capabilities: Capability[]; reason: string; unknowns?: string[] }
  | { kind: 'skipped'; rule: `deviation.${DeviationReason}`; deviation: DeviationReason; capabilities: Capability[]; reason: string; unknowns?: string[] }
  | { kind: 'waived'; rule: 'exception.waiver'; exception: string; reason: string; unknowns?: string[] };

export interface InstanceVerdict {
  key: string;
  control: string;
  verdict: Verdict;
  /** Every way the attacker passes it (empty when unmet or genuinely satisfied). */
  means: Means[];
  /** Why the verdict holds, in words (for unmet and satisfied verdicts). */
  reason: string;
}

/** What the attacker brings to one workflow: capabilities, target, and derived identities. */
export interface AttackContext {
  caps: ReadonlySet<Capability>;
  target: AccountClass;
  /** Number of help-desk agent identities the attacker can act as in this workflow. */
  agentIdentities: number;
  /** Which capability gives the agent identity (for explanations). */
  agentVia: Capability[];
  /**
   * True when the attacker's only agent identity is a stolen password that the organisation's agent
   * MFA stops on its own desks but not on a provider's (the contract does not secure the provider's
   * sessions and devices): it then acts only as outsourced desks and desks of unknown operator.
   */
  providerOnly: boolean;
  /** With contact_prepositioned: days since the target's contact on file became the attacker's. */
  contactAgeDays: number | null;
  /** Hours from takeover to the attacker's objective: a slower detection comes too late (null: no bound). */
  objectiveHours: number | null;
  /** Step evaluations already made for this attacker on this workflow (results are immutable). */
  memo: Map<string, StepEvaluation>;
}

const contexts = new WeakMap<Prepared, Map<string, AttackContext>>();

/** True when the control is on the workflow with this (boolean or enum) parameter at its hardened value. */
export function paramHardened(inst: ControlInstance | undefined, param: string): boolean {
  if (!inst) return false;
  const spec = getControl(inst.control).params[param];
  return spec !== undefined && inst.params[param] === spec.hardened;
}

/**
 * Whether help-desk agents sign in with phishing-resistant authentication: phishing-resistant agent
 * MFA, or phishing-resistant authenticators for every user (agents are users too). A stolen agent
 * password is then useless (docs/analysis-semantics.md, "Phishing resistance applies to everyone who
 * authenticates").
 */
export function agentsPhishingResistant(prep: Prepared): boolean {
  return inForce(prep.workflowScope.get('agent.mfa')) || inForce(prep.workflowScope.get('authn.phishing_resistant'));
}

/** What an attacker brings besides capabilities: when its contact change happened, how fast it reaches its objective. */
export interface AttackerTiming {
  contactAgeDays?: number | null;
  objectiveHours?: number | null;
}

// A scenario's capability list (never changed once loaded) as a set and as a sorted key, made once per
// list: an analysis asks for the context of every scenario against every counterfactual workflow.
const capabilitySets = new WeakMap<readonly Capability[], { set: ReadonlySet<Capability>; key: string }>();
const capabilityKeys = new WeakMap<ReadonlySet<Capability>, string>();

/** The capabilities as a sorted key (once per set). */
export function capabilitiesKey(set: ReadonlySet<Capability>): string {
  let k = capabilityKeys.get(set);
  if (k === undefined) capabilityKeys.set(set, (k = [...set].sort().join(',')));
  return k;
}

function capabilitySet(caps: Iterable<Capability>): { set: ReadonlySet<Capability>; key: string } {
  const list = Array.isArray(caps) ? (caps as readonly Capability[]) : null;
  const hit = list ? capabilitySets.get(list) : undefined;
  if (hit) return hit;
  const set: ReadonlySet<Capability> = new Set(caps);
  const made = { set, key: capabilitiesKey(set) };
  if (list) capabilitySets.set(list, made);
  return made;
}

/** The attack context of a scenario's capabilities against one workflow (cached per workflow). */
export function attackContext(prep: Prepared, caps: Iterable<Capability>, target: AccountClass, timing: AttackerTiming = {}): AttackContext {
  const { set, key: capsKey } = capabilitySet(caps);
  const contactAgeDays = set.has('contact_prepositioned') ? (timing.contactAgeDays ?? 7) : null;
  const objectiveHours = timing.objectiveHours ?? null;
  const key = `${capsKey}|${target}|${contactAgeDays}|${objectiveHours}`;
  let perPrep = contexts.get(prep);
  if (!perPrep) contexts.set(prep, (perPrep = new Map()));
  const hit = perPrep.get(key);
  if (hit) return hit;
  const ctx = buildContext(prep, set, target, contactAgeDays, objectiveHours);
  perPrep.set(key, ctx);
  return ctx;
}

/**
 * The standing exceptions (no expiry) in force for a request for an account class: those that apply
 * to the class (docs/analysis-semantics.md, "Exceptions"). Ids, sorted.
 */
export function standingExceptionIds(prep: Prepared, cls: AccountClass): string[] {
  return prep.wf.exceptions
    .filter((e) => !prep.byException.get(e.id)?.has('exception.expiry') && (e.appliesTo === null || e.appliesTo.includes(cls)))
    .map((e) => e.id)
    .sort();
}

/** The attack context of a scenario against one workflow. */
export function scenarioContext(prep: Prepared, scenario: { attacker: { capabilities: readonly Capability[]; contactChangedDaysAgo: number | null; timeToObjectiveHours: number | null }; target: { accountClass: AccountClass } }): AttackContext {
  // Per scenario object too (scenarios are values once loaded): no key string is built for a scenario
  // asked for again against the same prepared workflow.
  let byScenario = scenarioContexts.get(prep);
  if (!byScenario) scenarioContexts.set(prep, (byScenario = new WeakMap()));
  let ctx = byScenario.get(scenario);
  if (!ctx) byScenario.set(scenario, (ctx = attackContext(prep, scenario.attacker.capabilities, scenario.target.accountClass, { contactAgeDays: scenario.attacker.contactChangedDaysAgo, objectiveHours: scenario.attacker.timeToObjectiveHours })));
  return ctx;
}

const scenarioContexts = new WeakMap<Prepared, WeakMap<object, AttackContext>>();

/** Operators of a provider's desk: a stolen password of its agents is used from the provider's own sessions. */
const PROVIDER_DESKS: readonly string[] = ['outsourced', 'unknown'];

/**
 * Whether the workflow has a provider's desk (outsourced, or of unknown operator) whose agents'
 * sessions and devices the contract does not secure (`vendor.contract_controls` absent, or
 * `secures_provider_sessions: false`).
 */
export function providerSessionsUnsecured(prep: Prepared): boolean {
  const c = prep.workflowScope.get('vendor.contract_controls');
  if (c && c.params.secures_provider_sessions !== false) return false;
  return Object.values(prep.wf.actors).some((a) => a.kind === 'agent' && PROVIDER_DESKS.includes(a.operator));
}

function buildContext(prep: Prepared, set: ReadonlySet<Capability>, target: AccountClass, contactAgeDays: number | null, objectiveHours: number | null): AttackContext {
  const agentVia: Capability[] = [];
  let providerOnly = false;
  let ids = 0;
  if (set.has('multiple_agent_accounts')) {
    ids += 2;
    agentVia.push('multiple_agent_accounts');
  }
  if (set.has('insider_bribed_agent')) {
    ids += 1;
    agentVia.push('insider_bribed_agent');
  }
  // An account taken over through a reset comes with its factor re-enrolled by the attacker, so agent
  // MFA does not stop it; a password alone is stopped by phishing-resistant agent MFA. Held together
  // they count as one identity: nothing says the password is of another account than the one taken over.
  // A leaked support-platform credential (a service-account password, an API token) signs in as one
  // agent identity unless agent MFA is in force and covers such credentials too; held with another
  // account capability it is the same one identity.
  // An agent's signed-in session or workstation in the attacker's hands (remote control of the agent's
  // device, a stolen agent session) acts as the agent without signing in: no sign-in factor, agent MFA
  // or phishing resistance, stops it, as for an account taken over through a reset. Held together they
  // count as one identity.
  const agentMfa = prep.workflowScope.get('agent.mfa');
  const keptIdentity = (['agent_account_taken_over', 'agent_session_hijacked'] as const).filter((c) => set.has(c));
  if (keptIdentity.length > 0) {
    ids += 1;
    agentVia.push(...keptIdentity);
  } else {
    // A phished agent password falls to phishing-resistant authentication of agents (agent MFA, or
    // authenticators for every user), which binds the organisation's own sessions: a provider agent's
    // password used from the provider's sessions and devices is stopped only if the contract also
    // secures them (then the identity acts only at the provider's desks). A leaked platform credential
    // falls only to agent MFA that covers the platform's service accounts and API tokens, which are no
    // users.
    const via: Capability[] = [];
    let viaProvider = false;
    if (set.has('agent_account_compromised')) {
      if (!agentsPhishingResistant(prep)) via.push('agent_account_compromised');
      else if (providerSessionsUnsecured(prep)) {
        via.push('agent_account_compromised');
        viaProvider = true;
      }
    }
    if (set.has('support_platform_credential_leaked') && !platformCredentialsCovered(agentMfa)) via.push('support_platform_credential_leaked');
    if (via.length > 0) {
      ids += 1;
      agentVia.push(...via);
      providerOnly = viaProvider && via.length === 1 && ids === 1;
    }
  }
  return { caps: set, target, agentIdentities: ids, agentVia, providerOnly, contactAgeDays, objectiveHours, memo: new Map() };
}

/** Whether agent MFA in force also binds the support platform's service-account passwords and API tokens. */
export function platformCredentialsCovered(agentMfa: ControlInstance | undefined): boolean {
  if (!agentMfa || !inForce(agentMfa)) return false;
  const covers = agentMfa.params.covers as string[];
  return covers.includes('service_accounts') && covers.includes('api_tokens');
}

const hasAny = (ctx: AttackContext, caps: readonly Capability[]) => caps.some((c) => ctx.caps.has(c));
const hasAll = (ctx: AttackContext, caps: readonly Capability[]) => {
  for (const c of caps) if (!ctx.caps.has(c)) return false;
  return true;
};

/** Whether an attacker-held agent identity can perform steps of this actor. */
export function attackerActsAs(prep: Prepared, ctx: AttackContext, actorId: string | undefined): boolean {
  if (ctx.agentIdentities === 0 || !actorId) return false;
  const actor = prep.wf.actors[actorId];
  if (!actor || actor.kind !== 'agent') return false;
  // A platform's support staff are not the organisation's agents: no identity of its desk acts as them.
  if (actor.operator === 'platform_support') return false;
  // A provider agent's password beats only the provider's desks when the organisation's MFA binds its own.
  if (ctx.providerOnly && !PROVIDER_DESKS.includes(actor.operator)) return false;
  // Least privilege that gives each action to the roles the workflow assigns confines a front-line
  // identity to front-line (tier-1) steps; when every agent holds every action, the attacker's
  // identity is one of the holders of each.
  return !paramHardened(prep.workflowScope.get('agent.least_privilege'), 'holders') || actor.tier <= 1;
}

/**
 * The unknown an attacker-held identity acting as a desk depends on: a desk of unknown operator is
 * taken as one the identity acts as, which it is not if it turns out to be a platform's support (or,
 * for a provider agent's password, the organisation's own). Empty where the identity does not act as
 * the desk, or the desk's operator is known.
 */
export function actsAsUnknowns(prep: Prepared, ctx: AttackContext, actorId: string | undefined): string[] {
  const actor = actorId ? prep.wf.actors[actorId] : undefined;
  return actor?.kind === 'agent' && actor.operator === 'unknown' && attackerActsAs(prep, ctx, actorId) ? [`operator:${actor.id}`] : [];
}

/**
 * The deviations available to the agent performing `step` for a procedural instance: a pressured,
 * bribed, compromised or unmonitored outsourced desk leaves a procedure out — a check, and as much a
 * notification, a log entry or a revocation it is meant to perform.
 */
export function deviations(prep: Prepared, ctx: AttackContext, step: Step, def: ControlDef): Means[] {
  const actor = step.actor ? prep.wf.actors[step.actor] : undefined;
  if (!actor || actor.kind !== 'agent') return [];
  // A post-event review sitting on the execution step it reviews is done afterwards by the review's
  // owner, not by the agent who executes the reset: nothing that agent does or skips leaves it out.
  if (def.id === 'review.post_event' && step.kind !== 'review') return [];
  // The same attacker, actor, kind of control and workflow facts give the same deviations: memoised
  // (the reasons are strings built per call otherwise).
  const key = `${def.role}|${attackerActsAs(prep, ctx, step.actor) ? 1 : 0}|${externalDeviation(actor) ?? '-'}`;
  let perActors = deviationMemo.get(ctx);
  if (!perActors) deviationMemo.set(ctx, (perActors = new WeakMap()));
  let m = perActors.get(actor);
  if (!m) perActors.set(actor, (m = new Map()));
  let hit = m.get(key);
  if (!hit) m.set(key, (hit = computeDeviations(prep, ctx, step, def, actor)));
  return hit;
}

const deviationMemo = new WeakMap<AttackContext, WeakMap<object, Map<string, Means[]>>>();

function computeDeviations(prep: Prepared, ctx: AttackContext, step: Step, def: ControlDef, actor: NonNullable<Prepared['wf']['actors'][string]>): Means[] {
  const out: Means[] = [];
  const what = def.role === 'guard' ? 'check' : def.role === 'detector' ? 'notice or review' : 'procedure';
  if (hasAny(ctx, ['urgency_pressure', 'authority_pressure'])) {
    const caps = (['urgency_pressure', 'authority_pressure'] as const).filter((c) => ctx.caps.has(c));
    out.push({
      kind: 'skipped',
      rule: 'deviation.pressure',
      deviation: 'pressure',
      capabilities: [...caps],
      reason: `the ${actor.name} skips this procedural ${what} under ${caps.map((c) => c.replace('_pressure', '')).join(' and ')} pressure`,
    });
  }
  if (attackerActsAs(prep, ctx, step.actor)) {
    const insider = ctx.agentVia.includes('insider_bribed_agent');
    const account = ctx.agentVia.filter((c) => c !== 'insider_bribed_agent');
    if (insider) {
      out.push({
        kind: 'skipped',
        rule: 'deviation.insider',
        deviation: 'insider',
        capabilities: ['insider_bribed_agent'],
        reason: `the bribed agent performs this step as ${actor.name} and leaves the procedure out`,
      });
    }
    if (account.length > 0) {
      out.push({
        kind: 'skipped',
        rule: 'deviation.agent_account',
        deviation: 'agent_account',
        capabilities: account,
        reason: `the attacker performs this step from a controlled ${actor.name} account and records it as done`,
      });
    }
  }
  // A desk whose operator is unknown might be the organisation's own: that the attacker's identity
  // can act as it holds only on that resolution.
  if (actor.operator === 'unknown') for (const m of out) if (m.kind === 'skipped' && (m.deviation === 'insider' || m.deviation === 'agent_account')) m.unknowns = [`operator:${actor.id}`];
  const external = externalDeviation(actor);
  if (external === 'outsourced_unmonitored') {
    out.push({
      kind: 'skipped',
      rule: 'deviation.outsourced_unmonitored',
      deviation: 'outsourced_unmonitored',
      capabilities: [],
      reason: `the outsourced ${actor.name} leaves this ${what} out: the provider's agents perform it by procedure, which a contract does not make them do; only the provider's tooling enforcing it (system) would`,
    });
  } else if (external === 'platform_support') {
    out.push({
      kind: 'skipped',
      rule: 'deviation.platform_support',
      deviation: 'platform_support',
      capabilities: [],
      reason: `the ${actor.name} is the platform's support, outside the organisation's controls: it leaves this ${what} out, a procedure no contract makes its staff perform; only the platform's tooling enforcing it (system) would`,
    });
  } else if (external === 'operator_unknown') {
    out.push({
      kind: 'skipped',
      rule: 'deviation.operator_unknown',
      deviation: 'operator_unknown',
      capabilities: [],
      reason: `who operates the ${actor.name} is unknown: it may be a provider whose agents leave this ${what} out (a procedure, which a contract does not make them perform)`,
      unknowns: [`operator:${actor.id}`],
    });
  }
  return out;
}

/**
 * The deviation of a desk run outside the organisation: an outsourced desk, a platform's support, or
 * a desk whose operator is unknown (evaluated as such a desk). Null for the organisation's own desk
 * and a carrier's. A contract binds no provider agent's hand: whatever its script clause says, a
 * check the provider's agents perform by procedure is theirs to leave out (the Clorox/Cognizant
 * allegation: a contracted verification the provider's agents did not perform); only a check the
 * provider's tooling enforces (`system`) binds them.
 */
export function externalDeviation(actor: { operator: string }): DeviationReason | null {
  return actor.operator === 'outsourced' ? 'outsourced_unmonitored' : actor.operator === 'platform_support' ? 'platform_support' : actor.operator === 'unknown' ? 'operator_unknown' : null;
}

type Rule = ControlDef['defeatedBy'][number];
const whenEntries = new WeakMap<Rule, [string, readonly (string | number | boolean)[]][]>();
const ruleMeans = new WeakMap<Rule, Means>();

function ruleApplies(prep: Prepared, ctx: AttackContext, stepId: string | null, inst: ControlInstance, rule: Rule, channel?: AttackChannel, ignoreLifts = false): boolean {
  if (!hasAll(ctx, rule.capabilities)) return false;
  let when = whenEntries.get(rule);
  if (!when) whenEntries.set(rule, (when = Object.entries(rule.when ?? {})));
  for (const [param, values] of when) {
    if (!values.includes(inst.params[param] as string | number | boolean)) return false;
  }
  // An approval on the agent's record, or on the record and a call to the holder, fools nobody but
  // the approver of an impostor's request. An
  // attacker holding an agent identity is no impostor in the support tool (the console channel),
  // but on a caller's channel it may leave the identity aside and call as one: an honest agent then
  // did the work the approver reviews.
  if (rule.attacker === 'impostor' && ctx.agentIdentities > 0 && (channel === undefined || channel === 'agent_console')) return false;
  if (rule.attacker === 'agent_identity' && ctx.agentIdentities === 0) return false;
  // Plain loops below: a closure over this function's arguments would make V8 allocate a context
  // on every call (this runs for every rule of every guard evaluated).
  if (!ignoreLifts && rule.unlessWorkflowParam) for (const u of rule.unlessWorkflowParam) if (paramHardened(prep.workflowScope.get(u.control), u.param)) return false;
  // A rule about what a leaked credential's identity sees or does needs that identity to exist.
  if (rule.identityFrom !== undefined && !ctx.agentVia.includes(rule.identityFrom)) return false;
  if (rule.contactAge !== undefined) {
    if (ctx.contactAgeDays === null || ctx.contactAgeDays < (inst.params[rule.contactAge] as number)) return false;
  }
  if (ignoreLifts) return true;
  const here = stepId ? prep.byStep.get(stepId) : undefined;
  if (rule.unlessAtStep) for (const c of rule.unlessAtStep) if (inForce(here?.get(c))) return false;
  if (rule.unlessAtStepWith) {
    for (const u of rule.unlessAtStepWith) {
      const i = here?.get(u.control);
      if (inForce(i) && (i!.params[u.param] as string[]).includes(u.includes)) return false;
    }
  }
  if (rule.unlessInWorkflow) for (const c of rule.unlessInWorkflow) if (inForce(prep.workflowScope.get(c))) return false;
  return true;
}

/**
 * The defeats this attacker would have over a guard that other controls lift: each rule whose
 * capabilities, parameters and conditions hold but that a control at the step or in the workflow
 * stops ("unless"), in words ("sim_swap, lifted by authn.phishing_resistant in the workflow"). What a
 * guard that holds owes its hold to; the reason says it, so a reader does not take the check's own
 * weak setting (an SMS code) for what stops the attacker.
 */
function liftedDefeats(prep: Prepared, ctx: AttackContext, stepId: string | null, inst: ControlInstance, channel?: AttackChannel): string[] {
  const def = getControl(inst.control);
  let rules = liftable.get(def);
  if (!rules) liftable.set(def, (rules = def.defeatedBy.filter((r) => r.unlessAtStep || r.unlessAtStepWith || r.unlessInWorkflow || r.unlessWorkflowParam)));
  let out: string[] | null = null;
  for (const rule of rules) {
    // The attacker's own means first (cheap, and most rules fail it); only then what lifts it.
    if (!hasAll(ctx, rule.capabilities) || !ruleApplies(prep, ctx, stepId, inst, rule, channel, true)) continue;
    const here = stepId ? prep.byStep.get(stepId) : undefined;
    const by: string[] = [];
    if (rule.unlessWorkflowParam) for (const u of rule.unlessWorkflowParam) if (paramHardened(prep.workflowScope.get(u.control), u.param)) by.push(`${u.control} (${u.param}) in the workflow`);
    if (rule.unlessAtStep) for (const c of rule.unlessAtStep) if (inForce(here?.get(c))) by.push(`${c} at this step`);
    if (rule.unlessAtStepWith) {
      for (const u of rule.unlessAtStepWith) {
        const i = here?.get(u.control);
        if (inForce(i) && (i!.params[u.param] as string[]).includes(u.includes)) by.push(`${u.control} (${u.param} ${u.includes}) at this step`);
      }
    }
    if (rule.unlessInWorkflow) for (const c of rule.unlessInWorkflow) if (inForce(prep.workflowScope.get(c))) by.push(`${c} in the workflow`);
    if (by.length) (out ??= []).push(`${rule.capabilities.join(' + ') || rule.id} (${rule.reason}) is lifted by ${by.join(' and ')}`);
  }
  return out ?? NO_LIFTS;
}
const liftable = new WeakMap<ControlDef, Rule[]>();
const NO_LIFTS: string[] = [];

/** Applicable defeat rules of an instance (at `stepId`, or workflow scope when null). */
export function defeats(prep: Prepared, ctx: AttackContext, stepId: string | null, inst: ControlInstance, channel?: AttackChannel): Means[] {
  const def = getControl(inst.control);
  const out: Means[] = [];
  for (const rule of def.defeatedBy) {
    if (!ruleApplies(prep, ctx, stepId, inst, rule, channel)) continue;
    // One means object per rule: verdicts share it (nothing downstream changes a means).
    let m = ruleMeans.get(rule);
    if (!m) ruleMeans.set(rule, (m = { kind: 'defeated', rule: rule.id, capabilities: [...rule.capabilities], reason: rule.reason }));
    out.push(m);
  }
  if (inst.evidence === 'ticket_field' && ctx.caps.has('queue_ticket_injection') && !ticketFieldsProtected(prep)) {
    out.push({
      kind: 'forged_ticket_field',
      rule: 'ticket_field.forged',
      capabilities: ['queue_ticket_injection'],
      reason: 'the workflow reads this evidence from a ticket field the attacker can write',
    });
  }
  return out;
}

/**
 * Whether the workflow's tickets come only from SSO-authenticated requesters, so no ticket field can
 * be written by mail or API (the requester's re-authentication is another matter: it does not make a
 * field writable).
 */
export function ticketFieldsProtected(prep: Prepared): boolean {
  const sso = (i: ControlInstance | undefined) => i !== undefined && i.params.requester_authentication === 'sso_session';
  for (const m of prep.byStep.values()) if (sso(m.get('ticket.integrity'))) return true;
  return sso(prep.workflowScope.get('ticket.integrity'));
}

const TICKET_CHANNELS: readonly AttackChannel[] = ['email', 'ticket_portal', 'chat'];

/**
 * The capabilities with which the attacker directs the real account holder (posing as support by
 * phone or by chat); empty when it cannot. With any of them, the holder performs the steps of an
 * `account_holder` actor for the attacker (docs/analysis-semantics.md, "The genuine user acting for
 * the attacker").
 */
export function holderDirectedBy(ctx: AttackContext): Capability[] {
  return HOLDER_DIRECTING_CAPABILITIES.filter((c) => ctx.caps.has(c));
}

/** Whether a step can stop a request (it has a refusal): routing, notification, logging, review and end steps cannot. */
export function stepGates(step: Step): boolean {
  return STEP_EVENTS[step.kind][1] !== null;
}

/** Whether the step is performed by the real holder of the target account. */
export function holderStep(prep: Prepared, step: Step): boolean {
  return step.actor !== undefined && prep.wf.actors[step.actor]?.kind === 'account_holder';
}

/**
 * Whether every request of the workflow is opened by the real account holder (its start step is the
 * holder's): the requester on every step is then the holder, not the attacker.
 */
export function holderRequest(prep: Prepared): boolean {
  return holderStep(prep, prep.wf.steps[prep.wf.start]!);
}

/**
 * Whether a guard confirms that the real account holder makes the request: every requester-side
 * check, and a dual approval (whose evidence is the holder's confirmation or the record of the
 * holder's own verification). A directed holder passes these with genuine evidence.
 */
function confirmsHolder(def: ControlDef): boolean {
  return def.side === 'requester' || def.id === 'approval.dual';
}

/** The grant each user-grant restriction is about: it applies only where the workflow makes that grant. */
const GRANT_RESTRICTIONS: Readonly<Record<string, ResetAction>> = {
  'consent.app_restriction': 'oauth_app_consent',
  'remote_support.restricted': 'remote_support_session',
};

const grantsOf = new WeakMap<Prepared, Set<string>>();

/** The actions of the workflow's execution steps (what a user-grant restriction looks for). */
export function workflowActions(prep: Prepared): ReadonlySet<string> {
  let g = grantsOf.get(prep);
  if (!g) {
    g = new Set();
    for (const id of prep.wf.stepOrder) {
      const action = prep.wf.steps[id]!.action;
      if (action) g.add(action);
    }
    grantsOf.set(prep, g);
  }
  return g;
}

/** Whether the workflow has an execution step with this action. */
function makesGrant(prep: Prepared, action: ResetAction): boolean {
  return workflowActions(prep).has(action);
}

/** An instance's verdict, built with one fixed shape (key, control, verdict, means, reason). */
function verdictOf(inst: ControlInstance, verdict: Verdict, means: Means[], reason: string): InstanceVerdict {
  return { key: inst.key, control: inst.control, verdict, means, reason };
}

/**
 * Whether a control of this kind stops nobody on the path whatever its setting, and why: it does not
 * apply (a check of a requester on a request opened from the agent console, a customer's manager), or
 * the path meets it whatever it asks (the genuine holder at the attacker's direction passes a check of
 * the requester with their own evidence) or it is about something the path does not have (a grant the
 * workflow never makes, a channel without tickets, a credential that is no non-human one, a target
 * that is not privileged). Null when it applies to the path: its setting decides.
 */
export function guardOutsidePath(prep: Prepared, ctx: AttackContext, step: Step, def: ControlDef, channel: AttackChannel): { verdict: 'not_applicable' | 'satisfied'; reason: string } | null {
  // Ticket integrity is about the request itself: a tool that acts only on a request its requester
  // made from their own signed-in session refuses one an agent opens in the console for nobody
  // (domain reference S07: "reset requires an authenticated request object"). Every other check of
  // a requester has no requester to check on such a path.
  if (channel === 'agent_console' && def.side === 'requester' && def.id !== 'ticket.integrity') {
    return { verdict: 'not_applicable', reason: 'no caller, ticket or queue on this path: the attacker acts in the support tool as an agent, so checks of a requester do not apply' };
  }
  if (def.id === 'approval.manager' && isCustomerClass(ctx.target)) {
    return { verdict: 'not_applicable', reason: `a ${ctx.target} has no manager in the directory: there is no manager to approve the request, so this approval does not apply` };
  }
  if (confirmsHolder(def) && (holderStep(prep, step) || holderRequest(prep))) {
    const by = holderDirectedBy(ctx);
    // The genuine holder passes a check of the requester with genuine evidence (their own sign-in,
    // their own phone, their own confirmation); it is met, and no version of it would stop them.
    if (by.length > 0) return { verdict: 'satisfied', reason: `the genuine account holder ${holderStep(prep, step) ? 'performs this step' : 'makes this request'} at the attacker's direction (${by.join(', ')}) and passes this check of the requester with their own evidence` };
  }
  const grant = GRANT_RESTRICTIONS[def.id];
  if (grant && !makesGrant(prep, grant)) {
    return { verdict: 'satisfied', reason: `applies to ${RESET_ACTIONS[grant].name.toLowerCase()} grants only` };
  }
  if (def.id === 'ticket.integrity' && !TICKET_CHANNELS.includes(channel) && channel !== 'agent_console') {
    return { verdict: 'satisfied', reason: `applies to ticket and console requests, not to ${channelName(channel)}` };
  }
  if (def.id === 'nhi.rotation' && step.action !== 'api_key_reissue' && ctx.target !== 'service_account') {
    return { verdict: 'satisfied', reason: 'applies to non-human credentials only' };
  }
  if (def.id === 'privileged.separate_path' && !ACCOUNT_CLASSES[ctx.target].privileged) {
    return { verdict: 'satisfied', reason: `${ctx.target} is not a privileged class` };
  }
  return null;
}

/** The guards the catalogue places on steps of each kind: what an unlisted check at such a step can be. */
const GUARDS_AT = new Map<string, ControlDef[]>();
function guardsAt(kind: Step['kind']): readonly ControlDef[] {
  let out = GUARDS_AT.get(kind);
  if (!out) GUARDS_AT.set(kind, (out = CONTROLS.filter((c) => c.role === 'guard' && c.attach.scope === 'step' && c.attach.kinds.includes(kind))));
  return out;
}

/**
 * Whether an unknown about what a step checks beyond its listed controls (`verification: unknown`)
 * could change a path that passes it: some check that can stand at a step of its kind (a guard the
 * catalogue attaches there) applies to the path (guardOutsidePath). On a request opened from the agent
 * console no check of a requester applies, so a proofing, step-up or call-back step's unknown changes
 * nothing there; an approval step's may (a dual approval applies in the support tool). Where the
 * attacker directs the genuine holder, who passes every check of the requester, only a restriction of
 * a grant the workflow makes could (docs/analysis-semantics.md, "Unknowns").
 */
export function unlistedCheckApplies(prep: Prepared, ctx: AttackContext, step: Step, channel: AttackChannel): boolean {
  for (const def of guardsAt(step.kind)) if (guardOutsidePath(prep, ctx, step, def, channel) === null) return true;
  return false;
}

/** Evaluates one guard instance at a step (or the workflow-scope privileged-path guard at an execution step). */
export function evaluateGuard(prep: Prepared, ctx: AttackContext, step: Step, inst: ControlInstance, channel: AttackChannel, waivers: readonly string[]): InstanceVerdict {
  const def = getControl(inst.control);
  const outside = guardOutsidePath(prep, ctx, step, def, channel);
  if (outside) return verdictOf(inst, outside.verdict, [], outside.reason);
  if (inst.control === 'privileged.separate_path') {
    const actor = step.actor ? prep.wf.actors[step.actor] : undefined;
    const min = inst.params.min_executor_tier as number;
    if (actor && actor.tier >= min) return verdictOf(inst, 'satisfied', [], `${actor.name} (tier ${actor.tier}) may reset a privileged account`);
    // The control restricts what help-desk agents may do; an automated executor is gated by the steps before it.
    if (actor && actor.kind !== 'agent') return verdictOf(inst, 'satisfied', [], `executed by ${actor.name}, not by a help-desk agent`);
  }
  if (inst.control === 'cooldown.delay') {
    // Held or not is decided once the whole path is known (it needs a notification the user receives).
    const skips = inst.enforcement === 'procedural' ? withEnforcementUnknown(inst, deviations(prep, ctx, step, def)) : [];
    return verdictOf(inst, skips.length ? 'skipped' : 'satisfied', skips, skips.length ? '' : 'the reset waits for the cooling-off period');
  }
  const means: Means[] = [];
  for (const exc of waivers) {
    means.push({ kind: 'waived', rule: 'exception.waiver', exception: exc, reason: `exception "${exc}" waives the checks of this step` });
  }
  means.push(...defeats(prep, ctx, step.id, inst, channel));
  const flaw = flawMeans(ctx, inst);
  if (flaw) means.push(flaw);
  if (inst.enforcement === 'procedural') means.push(...withEnforcementUnknown(inst, deviations(prep, ctx, step, def)));
  if (means.length === 0) {
    if (inst.control === 'ticket.integrity' && channel === 'agent_console') return verdictOf(inst, 'unmet', means, 'the support tool acts only on a reset request its requester made from their own signed-in session; one opened in the console as an agent, for no requester, is refused');
    const lifted = liftedDefeats(prep, ctx, step.id, inst, channel);
    return verdictOf(inst, 'unmet', means, lifted.length ? heldThroughLifts(inst, lifted) : unmetReason(inst));
  }
  const first = means[0]!;
  const verdict: Verdict = first.kind === 'waived' ? 'waived' : first.kind === 'skipped' ? 'skipped' : 'defeated';
  return verdictOf(inst, verdict, means, first.reason);
}

const unknownSkips = new WeakMap<ControlInstance, WeakMap<readonly Means[], Means[]>>();

/**
 * Deviations of an instance whose enforcement is unknown: a skip exists only because the unknown
 * enforcement is evaluated as procedural, so each carries that unknown.
 */
function withEnforcementUnknown(inst: ControlInstance, ds: Means[]): Means[] {
  if (!inst.enforcementUnknown || ds.length === 0) return ds;
  let per = unknownSkips.get(inst);
  if (!per) unknownSkips.set(inst, (per = new WeakMap()));
  let out = per.get(ds);
  if (!out) per.set(ds, (out = ds.map((m) => ({ ...m, unknowns: [...new Set([...(m.unknowns ?? []), enforcementUnknownOf(inst)])].sort() }))));
  return out;
}

/**
 * The unknowns a verdict depends on: when every means of passing the control needs some unknown
 * resolved in the attacker's favour, their union; otherwise none (a means without one passes it anyway).
 */
export function verdictUnknowns(v: InstanceVerdict): string[] {
  if (v.means.length === 0 || v.means.some((m) => !m.unknowns?.length)) return [];
  return [...new Set(v.means.flatMap((m) => m.unknowns!))].sort();
}

const flawMeansOf = new WeakMap<ControlInstance, Means>();

/**
 * A known flaw of the instance, when the attacker holds what it needs: the check is present and
 * passed around (docs/analysis-semantics.md, "Flawed checks"). Its rule id starts with "flaw.".
 */
function flawMeans(ctx: AttackContext, inst: ControlInstance): Means | null {
  const f = inst.flaw;
  if (!f || !hasAll(ctx, f.capabilities)) return null;
  let m = flawMeansOf.get(inst);
  if (!m) {
    const how = f.kind === 'known_bypass' ? 'a known bypass' : 'a fallback the requester can force';
    flawMeansOf.set(inst, (m = { kind: 'defeated', rule: `flaw.${f.kind}`, capabilities: [...f.capabilities], reason: `${how}: ${f.description}` }));
  }
  return m;
}

const unmetReasons = new WeakMap<ControlInstance, string>();

function unmetReason(inst: ControlInstance): string {
  let r = unmetReasons.get(inst);
  if (r === undefined) unmetReasons.set(inst, (r = unmetReasonOf(inst)));
  return r;
}

/** Why a guard holds when what would defeat it is lifted by other controls: those, not the guard's own setting. */
function heldThroughLifts(inst: ControlInstance, lifted: readonly string[]): string {
  const def = getControl(inst.control);
  const params = Object.entries(inst.params)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
  return `${def.name}${params ? ` (${params})` : ''} holds because other controls lift what would defeat it here: ${lifted.join('; ')}${inst.enforcement === 'system' ? '; and the system enforces it' : '; and no deviation is available'}`;
}

function unmetReasonOf(inst: ControlInstance): string {
  const def = getControl(inst.control);
  if (inst.control === 'privileged.separate_path') return 'the executor\'s tier may not reset a privileged account';
  const params = Object.entries(inst.params)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
  return `${def.name}${params ? ` (${params})` : ''} holds: no capability defeats it${inst.enforcement === 'system' ? ' and the system enforces it' : ' and no deviation is available'}`;
}

/** Result of evaluating every guard of a step. */
export interface StepEvaluation {
  passable: boolean;
  verdicts: InstanceVerdict[];
  /** Set when the step is not done for the attacker whatever its controls: why (the holder does not act for a stranger). */
  refusal?: string;
}

/** Evaluates the guards of a step for the attacker; workflow-scope guards join execution steps. */
export function evaluateStep(prep: Prepared, ctx: AttackContext, stepId: string, channel: AttackChannel, activeExceptions: readonly string[]): StepEvaluation {
  const key = `${stepId}|${channel}|${activeExceptions.join(',')}`;
  const hit = ctx.memo.get(key);
  if (hit) return hit;
  const ev = evaluateStepUncached(prep, ctx, stepId, channel, activeExceptions);
  ctx.memo.set(key, ev);
  return ev;
}

/**
 * Evaluates a step without the context's memo (callers that cache by content, and may share one
 * context between workflows that differ only where the context cannot tell, use this).
 */
export function evaluateStepUncached(prep: Prepared, ctx: AttackContext, stepId: string, channel: AttackChannel, activeExceptions: readonly string[]): StepEvaluation {
  const step = prep.wf.steps[stepId]!;
  const waivers = activeExceptions.length === 0 ? activeExceptions : waiversAt(prep, stepId, activeExceptions);
  const verdicts: InstanceVerdict[] = [];
  for (const inst of step.controls) {
    if (getControl(inst.control).role !== 'guard') continue;
    verdicts.push(evaluateGuard(prep, ctx, step, inst, channel, waivers));
  }
  if (step.kind === 'execution') {
    const sep = prep.workflowScope.get('privileged.separate_path');
    if (sep) verdicts.push(evaluateGuard(prep, ctx, step, separatePathAt(sep, stepId), channel, waivers));
  }
  // Notification, logging and review steps are passed and failed by no requester (the machine has no
  // failure event for them): they run as the workflow says, and who performs them stops no request.
  const gates = stepGates(step);
  // From the support tool the attacker performs every agent step itself: a step of an agent role its
  // identity may not act as (least privilege) is not done, since no honest agent acts on a request
  // no requester made.
  const lp = prep.workflowScope.get('agent.least_privilege');
  const actor = step.actor ? prep.wf.actors[step.actor] : undefined;
  if (gates && channel === 'agent_console' && lp && actor?.kind === 'agent' && !attackerActsAs(prep, ctx, step.actor)) {
    verdicts.push({
      key: `${stepId}/agent.least_privilege@workflow`,
      control: 'agent.least_privilege',
      verdict: 'unmet',
      means: [],
      reason: `least privilege keeps the attacker's front-line agent identity from acting as ${actor.name} (tier ${actor.tier}), and no honest agent acts on a request no requester made`,
    });
  } else if (channel === 'agent_console' && step.kind === 'execution' && actor?.kind === 'agent' && ACCOUNT_CLASSES[ctx.target].privileged && paramHardened(lp, 'protected_classes')) {
    // The tool does not act on a protected class for a request that no intake brought in.
    verdicts.push({
      key: `${stepId}/agent.least_privilege@workflow`,
      control: 'agent.least_privilege',
      verdict: 'unmet',
      means: [],
      reason: `the support tool does not act on a protected class (${ctx.target}) for a request that did not come through the desk's intake`,
    });
  }
  // A step of the account holder is done for the attacker only by a holder the attacker directs.
  if (gates && holderStep(prep, step) && holderDirectedBy(ctx).length === 0) {
    return { passable: false, verdicts, refusal: `the real account holder performs "${step.name}" and does not do it for a stranger: the attacker cannot direct them (it would need ${HOLDER_DIRECTING_CAPABILITIES.join(' or ')})` };
  }
  let passable = true;
  for (const v of verdicts) if (v.verdict === 'unmet') passable = false;
  // One shape with the refusal's (undefined here: JSON leaves it out).
  return { passable, verdicts, refusal: undefined };
}

/** The active exceptions that waive a step. */
export function waiversAt(prep: Prepared, stepId: string, activeExceptions: readonly string[]): readonly string[] {
  return activeExceptions.filter((e) => prep.wf.exceptions.find((x) => x.id === e)?.bypasses.includes(stepId));
}

// The workflow-scope separate-path guard as evaluated at an execution step: one object per (instance,
// step), so what is kept per instance object (its unmet reason, its means with unknowns) is found again.
const separatePaths = new WeakMap<ControlInstance, Map<string, ControlInstance>>();
/** An instance evaluated at a step on behalf of one declared elsewhere -> the declared one. */
const declaredAs = new WeakMap<ControlInstance, ControlInstance>();
function separatePathAt(sep: ControlInstance, stepId: string): ControlInstance {
  let m = separatePaths.get(sep);
  if (!m) separatePaths.set(sep, (m = new Map()));
  let inst = m.get(stepId);
  if (!inst) {
    m.set(stepId, (inst = { ...sep, key: `${stepId}/privileged.separate_path@workflow` }));
    declaredAs.set(inst, sep);
  }
  return inst;
}

/**
 * The unknown an instance's enforcement is: the instance as the file declares it. A workflow-scope
 * instance evaluated at each step it guards is one unknown, not one per step (the reader resolves it
 * once, and paths through different steps depend on the same answer).
 */
function enforcementUnknownOf(inst: ControlInstance): string {
  return `enforcement:${(declaredAs.get(inst) ?? inst).key}`;
}

/** Whether the credential handed over at an execution step reaches the attacker, and why. */
export function delivery(prep: Prepared, ctx: AttackContext, stepId: string): { obtained: boolean; reason: string; capabilities: Capability[]; unknowns?: string[] } {
  const step = prep.wf.steps[stepId]!;
  switch (step.delivery) {
    case 'requester_on_call':
      return { obtained: true, reason: 'the new credential is given to the requester in the session', capabilities: [] };
    case 'requester_enrolls_device':
      return { obtained: true, reason: 'the requester enrols a device of their choice', capabilities: [] };
    case 'ticket':
      return { obtained: true, reason: 'the new credential is pasted into the ticket the requester reads', capabilities: [] };
    case 'email_on_file':
      if (ctx.caps.has('contact_prepositioned')) return { obtained: true, reason: 'the credential goes to the email on file, which the attacker had changed to its own', capabilities: ['contact_prepositioned'] };
      return ctx.caps.has('victim_mailbox_control')
        ? { obtained: true, reason: 'the credential goes to the mailbox on file, which the attacker controls', capabilities: ['victim_mailbox_control'] }
        : { obtained: false, reason: 'the credential goes to the real user\'s mailbox on file', capabilities: [] };
    case 'sms_on_file':
      if (ctx.caps.has('contact_prepositioned')) return { obtained: true, reason: 'the credential is texted to the number on file, which the attacker had changed to its own', capabilities: ['contact_prepositioned'] };
      if (ctx.caps.has('sim_swap') && !inForce(prep.byStep.get(stepId)?.get('sim_swap.signal'))) {
        return { obtained: true, reason: 'the credential is texted to the number on file, which rings the attacker\'s SIM', capabilities: ['sim_swap'] };
      }
      return { obtained: false, reason: 'the credential is texted to the real user\'s phone', capabilities: [] };
    case 'owner_pipeline':
      return { obtained: false, reason: 'only the authenticated owner\'s pipeline receives the new secret', capabilities: [] };
    case 'in_person': {
      // The counter hands the credential to whoever shows a photo ID in the target's name. The ID
      // check of the hand-over is the step's own proofing.ial2 when it has one (a guard evaluated
      // before); without one it is a look at the document, which a forged one passes.
      const check = prep.byStep.get(stepId)?.get('proofing.ial2');
      const authenticated = check !== undefined && check.params.document_authentication === true;
      if (ctx.caps.has('forged_id_document') && !authenticated) {
        return { obtained: true, reason: 'the credential is handed over at the counter to whoever shows a photo ID in the target\'s name, and the document is looked at, not authenticated: the attacker\'s forged one passes', capabilities: ['forged_id_document'] };
      }
      if (ctx.agentVia.includes('insider_bribed_agent') && attackerActsAs(prep, ctx, step.actor)) {
        // At a counter of unknown operator, only on the resolution that the bribed agent works there.
        const unknowns = actsAsUnknowns(prep, ctx, step.actor);
        return { obtained: true, reason: 'the bribed agent performs the hand-over at the counter and gives the credential to the accomplice', capabilities: ['insider_bribed_agent'], ...(unknowns.length > 0 ? { unknowns } : {}) };
      }
      return { obtained: false, reason: 'the credential is handed over in person against photo ID', capabilities: [] };
    }
    case 'requesting_client':
      return { obtained: true, reason: 'the grant goes to the client that asked for it: the attacker\'s app or remote-support helper', capabilities: [] };
  }
}

/** A detector's verdict on a finished takeover path. */
export interface DetectionVerdict {
  key: string;
  control: string;
  step: string | null;
  detects: boolean;
  /** Hours from takeover to detection when it detects. */
  delayHours?: number;
  /** For sampled reviews: the chance the reset is picked. */
  chance?: number;
  /** It would detect, but only after the attacker's time to objective. */
  late?: boolean;
  reason: string;
}

/**
 * A detection verdict, always of one shape (every field present, those that do not apply undefined:
 * JSON leaves them out, so the report reads as before). Spreading a base object into a literal that
 * adds fields takes V8's slow path and gives each variant a shape of its own; one shape keeps every
 * reader of detections on one hidden class (as verdictOf does for guard verdicts).
 */
export function detectionOf(inst: Pick<ControlInstance, 'key' | 'control'>, step: string | null, detects: boolean, reason: string, delayHours?: number, chance?: number, late?: true): DetectionVerdict {
  return { key: inst.key, control: inst.control, step, detects, delayHours, chance, reason, late };
}

export interface PathOutcome {
  kind: 'takeover_undetected' | 'takeover_detected' | 'blocked';
  detectedBy?: DetectionVerdict;
  detections: DetectionVerdict[];
  /** Set when a cooling-off delay let the notified user stop the reset. */
  blockedBy?: { key: string; control: string; step: string; reason: string };
  containment: 'revoked' | 'persists';
  blastRadius: string[];
}

export interface WalkedStep {
  step: string;
  /** How the path left the step. */
  via: 'pass' | 'fail' | 'route' | 'end';
  verdicts: InstanceVerdict[];
}

/**
 * Who holds each notice channel instead of the real user: a capability of the attacker's, or what the
 * takeover itself hands the attacker (the device it enrolled, the mailbox of the account it reset).
 * `postal` is never the attacker's.
 */
const NOTIFY_CONTROLLER: Record<string, { capability?: Capability; takeover?: 'enrolled_device' | 'mailbox' }> = {
  email_on_file: { capability: 'victim_mailbox_control', takeover: 'mailbox' },
  sms_on_file: { capability: 'sim_swap' },
  manager_email: { capability: 'manager_mailbox_control' },
  app_push: { takeover: 'enrolled_device' },
};

/** Whether the takeover at this execution step binds the requester's own device (an app push then reaches the attacker). */
export function enrollsAttackerDevice(step: Step): boolean {
  return step.action === 'mfa_device_enrollment' || step.delivery === 'requester_enrolls_device';
}

/**
 * Whether a takeover of the target gives the attacker the target's mailbox: the account reset is the
 * one the mailbox signs in with, as the target's class says by holding `mailbox` in its blast radius
 * (ACCOUNT_CLASSES). A notice to the email on file then lands in a mailbox the attacker reads and the
 * user is locked out of (docs/analysis-semantics.md, "Detection"). No reset action unlocks a mailbox
 * of its own (RESET_ACTIONS; test/analysis/mailbox-notice.test.ts keeps it so), so the class decides
 * it for every takeover of the scenario, wherever the path takes over.
 */
export function takeoverGivesMailbox(ctx: AttackContext): boolean {
  return (ACCOUNT_CLASSES[ctx.target].blastRadius as readonly string[]).includes('mailbox');
}

/**
 * Why a procedural notification, log, review or revocation on this step is never performed: the
 * agent performing the step deviates (pressure, a bribed or attacker-controlled identity, an
 * unmonitored outsourced desk). Null when it is performed.
 */
export function notPerformed(prep: Prepared, ctx: AttackContext, stepId: string | null, inst: ControlInstance): string | null {
  if (stepId === null || inst.enforcement !== 'procedural') return null;
  const d = deviations(prep, ctx, prep.wf.steps[stepId]!, getControl(inst.control));
  return d.length ? `${d.map((m) => m.reason).join('; ')} [${d.map((m) => m.rule).join(', ')}]` : null;
}

/**
 * The unknowns that make a detector, log or revocation on this step not performed: its unknown
 * enforcement, or an unknown desk operator when that is the only deviation. Empty when it is
 * performed, or not performed whatever the unknowns are.
 */
export function notPerformedUnknowns(prep: Prepared, ctx: AttackContext, stepId: string | null, inst: ControlInstance): string[] {
  if (stepId === null || inst.enforcement !== 'procedural') return [];
  const d = deviations(prep, ctx, prep.wf.steps[stepId]!, getControl(inst.control));
  if (d.length === 0) return [];
  const fromOperator = d.every((m) => m.unknowns?.length) ? d.flatMap((m) => m.unknowns!) : [];
  return [...new Set([...(inst.enforcementUnknown ? [enforcementUnknownOf(inst)] : []), ...fromOperator])].sort();
}

/** How long a detector takes from the takeover to a detection, at its parameters (null: not a detector). */
export function detectorDelayHours(inst: ControlInstance): number | null {
  switch (inst.control) {
    case 'review.post_event':
      return inst.params.within_hours as number;
    case 'detect.reset_anomaly':
      return inst.params.response_hours as number;
    case 'notify.out_of_band':
    case 'agent.insider_controls':
      return getControl(inst.control).detectionDelayHours!;
    case 'vendor.contract_controls':
      // The contract detects only through its incident-report clause.
      return inst.params.reports_incidents === true ? (inst.params.incident_report_hours as number) : null;
    default:
      return null;
  }
}

/** Whether a detection after `hours` comes in time, before the attacker's objective. */
export function inTime(ctx: AttackContext, hours: number): boolean {
  return ctx.objectiveHours === null || hours <= ctx.objectiveHours;
}

/** Defeat rules that work through an attacker-held agent identity (a lookup in the support tool, a self-approval, a second identity). */
const IDENTITY_RULES: ReadonlySet<string> = new Set(
  CONTROLS.flatMap((c) => c.defeatedBy.filter((r) => r.attacker === 'agent_identity' || r.identityFrom !== undefined || r.capabilities.some((x) => AGENT_CAPABILITIES.includes(x))).map((r) => r.id)),
);

/**
 * Whether a means of passing a guard is an attacker-held agent identity acting: an insider or
 * agent-account deviation, or a defeat rule that works through the identity (it needs an agent
 * identity capability, or is marked `attacker: agent_identity` or `identityFrom`).
 */
export function usesIdentity(m: Means): boolean {
  if (m.kind === 'skipped') return m.deviation === 'insider' || m.deviation === 'agent_account';
  if (m.kind !== 'defeated') return false;
  if (IDENTITY_RULES.has(m.rule)) return true;
  for (const c of m.capabilities) if (AGENT_CAPABILITIES.includes(c)) return true;
  return false;
}

/**
 * True when an attacker-held agent identity had to act to pass the step: some guard's every means of
 * passing uses the identity (usesIdentity). Where each guard has another means (a defeat rule that
 * needs no identity, an honest agent deceived or pressured, a desk's own script, a waiver, a forged
 * field), the attacker passes it that way and leaves no trace of its identity for insider analytics
 * or a provider's incident report to find. A means that needs an unknown counts as another means
 * (unknowns are resolved in the attacker's favour).
 */
export function agentActed(verdicts: readonly InstanceVerdict[]): boolean {
  for (const v of verdicts) {
    // A cooling-off holds or not once the whole path is known (cooldownIdentity).
    if (v.means.length === 0 || v.control === 'cooldown.delay') continue;
    let only = true;
    for (const m of v.means) {
      if (!usesIdentity(m)) {
        only = false;
        break;
      }
    }
    if (only) return true;
  }
  return false;
}

/**
 * The unknowns the identity is left out through at a step where it does not have to act: for each
 * guard with a means that uses the identity whose other means all need some unknown, their unknowns
 * (empty where the identity has to act, or where every guard has a way past it needing none). A path
 * on which no guard needed the identity is undetected by insider analytics (or a provider's report)
 * only if these resolve in the attacker's favour.
 */
export function identityAvoidanceUnknowns(verdicts: readonly InstanceVerdict[]): string[] {
  if (agentActed(verdicts)) return [];
  const out = new Set<string>();
  for (const v of verdicts) if (v.control !== 'cooldown.delay') for (const u of leftOutThrough(v.means)) out.add(u);
  return [...out].sort();
}

/**
 * The unknowns the identity is left out of one control through: where some means uses the identity
 * and every other means needs an unknown, those unknowns (none where no means uses the identity, or
 * where another means needs none).
 */
function leftOutThrough(means: readonly Means[]): string[] {
  const others = means.filter((m) => !usesIdentity(m));
  if (others.length === means.length || others.some((m) => !m.unknowns?.length)) return [];
  return [...new Set(others.flatMap((m) => m.unknowns!))].sort();
}

/**
 * The actor of a step, or the intake's actor for a request opened from the console, when it is a
 * provider's desk whose incidents the contract's report clause covers: an outsourced desk. A desk of
 * unknown operator is not counted (it may be the organisation's own, and the attacker-favourable
 * value is that no provider reports); the path is then conditional on it (vendorReportUnknowns).
 */
export function providerDeskActor(prep: Prepared, stepId: string): boolean {
  const actorId = prep.wf.steps[stepId]!.actor;
  const actor = actorId ? prep.wf.actors[actorId] : undefined;
  return actor?.kind === 'agent' && actor.operator === 'outsourced';
}

/**
 * True when an attacker-held agent identity acted as a provider's agent at this step: a guard of an
 * outsourced desk's step passed by an insider or agent-account deviation (what the provider's
 * incident report covers, docs/analysis-semantics.md, "Detection").
 */
export function providerAgentActed(prep: Prepared, stepId: string, verdicts: readonly InstanceVerdict[]): boolean {
  return providerDeskActor(prep, stepId) && agentActed(verdicts);
}

/** True when a request on this channel is opened by an attacker-held identity at a provider's desk (the console of an outsourced intake). */
export function providerConsole(prep: Prepared, channel: AttackChannel): boolean {
  return channel === 'agent_console' && providerDeskActor(prep, prep.wf.start);
}

/** The contract's incident-report clause, when the workflow has it (and null otherwise). */
export function vendorReportClause(prep: Prepared): ControlInstance | null {
  const c = prep.workflowScope.get('vendor.contract_controls');
  return c && c.params.reports_incidents === true ? c : null;
}

/**
 * The unknowns the provider's incident report depends on at a step passed before the takeover (or,
 * with `stepId` null, at the opening of a console request): an attacker-held identity acted as a
 * desk of unknown operator, which is evaluated as not a provider's (no report), while a provider's
 * desk would report it. Only when the clause is present and would report in time.
 */
export function vendorReportUnknowns(prep: Prepared, ctx: AttackContext, stepId: string | null, verdicts: readonly InstanceVerdict[], channel: AttackChannel): string[] {
  const clause = vendorReportClause(prep);
  if (!clause || !inTime(ctx, clause.params.incident_report_hours as number)) return [];
  const at = stepId ?? prep.wf.start;
  if (stepId === null ? channel !== 'agent_console' : !agentActed(verdicts)) return [];
  return unknownOperatorOf(prep, at);
}

/** The unknown an identity acting at a step of a desk of unknown operator depends on (none at another desk). */
function unknownOperatorOf(prep: Prepared, stepId: string): string[] {
  const actorId = prep.wf.steps[stepId]!.actor;
  const actor = actorId ? prep.wf.actors[actorId] : undefined;
  return actor?.kind === 'agent' && actor.operator === 'unknown' ? [`operator:${actor.id}`] : [];
}

/** The same for the identity acting at the takeover step's cooling-off (cooldownIdentity). */
export function cooldownReportUnknowns(prep: Prepared, ctx: AttackContext, takeoverStep: string, acted: boolean): string[] {
  const clause = vendorReportClause(prep);
  if (!acted || !clause || !inTime(ctx, clause.params.incident_report_hours as number)) return [];
  return unknownOperatorOf(prep, takeoverStep);
}

/**
 * A notification instance on a path whose takeover does (or does not) enrol the attacker's device.
 * Whether the takeover gives the attacker the target's mailbox is the scenario's (takeoverGivesMailbox).
 */
export function notifyVerdict(prep: Prepared, ctx: AttackContext, inst: ControlInstance, stepId: string | null, enrollTakeover: boolean): DetectionVerdict {
  const skipped = notPerformed(prep, ctx, stepId, inst);
  if (skipped) return detectionOf(inst, stepId, false, `the notification is never sent: ${skipped}`);
  if (inst.params.recipients === 'new_contact_only') {
    return detectionOf(inst, stepId, false, 'only the newly set contact is notified, which is the attacker\'s');
  }
  // A contact the attacker had changed earlier reaches the attacker, unless it is recent enough that
  // its previous value is notified too.
  const prepositioned = ctx.contactAgeDays !== null && ctx.contactAgeDays >= (inst.params.min_contact_age_days as number);
  const mailbox = takeoverGivesMailbox(ctx);
  const channels = inst.params.channels as string[];
  // Why each channel does not reach the real user (null: it does).
  const closed = (ch: string): string | null => {
    // A customer has no manager: a notice to "the manager" reaches nobody.
    if (ch === 'manager_email' && isCustomerClass(ctx.target)) return `does not exist (a ${ctx.target} has no manager)`;
    const by = NOTIFY_CONTROLLER[ch];
    if (by === undefined) return null;
    // What the takeover hands the attacker comes first: it holds whatever the contact on file is.
    if (by.takeover === 'enrolled_device' && enrollTakeover) return 'goes to the device the reset enrolled for the attacker';
    if (by.takeover === 'mailbox' && mailbox) return `goes to the mailbox of the ${ACCOUNT_CLASSES[ctx.target].name} account the takeover gives the attacker, which the user is locked out of`;
    if (prepositioned && (ch === 'email_on_file' || ch === 'sms_on_file')) return 'is the contact the attacker put on file';
    if (by.capability !== undefined && ctx.caps.has(by.capability)) return `is controlled by the attacker (${by.capability})`;
    return null;
  };
  const why = channels.map((ch) => [ch, closed(ch)] as const);
  const open = why.filter(([, w]) => w === null).map(([ch]) => ch);
  if (open.length === 0) return detectionOf(inst, stepId, false, `no notified address reaches the real user: ${why.map(([ch, w]) => `${ch} ${w}`).join('; ')}`);
  const directing = holderDirectedBy(ctx);
  if (directing.length > 0) {
    // The user is being talked through the change by the attacker posing as IT (on the phone or in
    // chat) and expects the notice; anyone else notified (the manager) checks with that user, who
    // confirms it.
    return detectionOf(inst, stepId, false, `the real user, notified on ${open.join(', ')}, is being talked through the change by the attacker posing as IT (${directing.join(', ')}) and expects this notice (a manager who asks is told it is expected): at most a chance of detection, not a detection`);
  }
  // A contact the attacker changed recently is notified at its previous value too: say so, or the
  // reader takes the notice on a contact the attacker set for one the attacker reads.
  const recent = ctx.contactAgeDays !== null && !prepositioned && open.some((ch) => ch === 'email_on_file' || ch === 'sms_on_file')
    ? ` (the attacker changed the contact on file ${ctx.contactAgeDays} day${ctx.contactAgeDays === 1 ? '' : 's'} before, within the notification's ${inst.params.min_contact_age_days as number}-day window, so its previous value is notified too)`
    : '';
  return detectionOf(inst, stepId, true, `the real user is notified on ${open.join(', ')}${recent} and repudiates the reset`, getControl('notify.out_of_band').detectionDelayHours!);
}

/**
 * The unknowns a request on this channel depends on: when the intake does not list the channel but
 * says it may accept requests on channels the file does not know (`unknown`), the request is opened
 * only on that unknown. Empty otherwise.
 */
export function channelUnknowns(prep: Prepared, channel: AttackChannel): string[] {
  const start = prep.wf.steps[prep.wf.start]!;
  if (channel === 'agent_console' || start.kind !== 'intake' || start.channels.includes(channel)) return [];
  return start.channels.includes('unknown') ? [`channel:${channel}`] : [];
}

const fastestReviews = new WeakMap<Prepared, number>();
/**
 * Hours to the fastest post-event review the workflow has or attribution may place (hardened, on a
 * review step): what reads a log (infinite: none). A workflow-wide fact that a visit reads (wouldAct), so content-keyed caches key by it
 * (analysis/cache.ts, envSig).
 */
export function fastestReview(prep: Prepared): number {
  let h = fastestReviews.get(prep);
  if (h === undefined) {
    // Attribution places a review hardened only where it attaches (a review step, or the execution
    // step whose reset it reviews: every workflow has one).
    const def = getControl('review.post_event');
    const spec = def.params['within_hours']!;
    const attach = def.attach;
    const placeable = spec.type === 'number' && attach.scope === 'step' && Object.values(prep.wf.steps).some((st) => attach.kinds.includes(st.kind));
    h = placeable ? spec.hardened : Number.POSITIVE_INFINITY;
    for (const at of prep.byStep.values()) {
      const r = at.get('review.post_event');
      if (r) h = Math.min(h, r.params.within_hours as number);
    }
    const w = prep.workflowScope.get('review.post_event');
    if (w) h = Math.min(h, w.params.within_hours as number);
    fastestReviews.set(prep, h);
  }
  return h;
}

const longestCoolingOffs = new WeakMap<Prepared, number>();
/**
 * The longest cooling-off of any step, in hours (-1 without one): a workflow-wide fact that what a
 * visit of a step reads (visitUnknowns), so content-keyed caches key by it (analysis/cache.ts, envSig).
 */
export function longestCoolingOff(prep: Prepared): number {
  let h = longestCoolingOffs.get(prep);
  if (h === undefined) {
    h = -1;
    for (const at of prep.byStep.values()) {
      const c = at.get('cooldown.delay');
      if (c) h = Math.max(h, c.params.hours as number);
    }
    longestCoolingOffs.set(prep, h);
  }
  return h;
}

/** Whether some step's cooling-off waits longer than `hours` (a notification sent by then could stop its reset). */
function coolingOffOutlasts(prep: Prepared, hours: number): boolean {
  return longestCoolingOff(prep) > hours;
}

/**
 * The unknowns of visiting a step on a takeover path: its detectors, logs and revocations that are
 * not performed only because an unknown was resolved against them, and that performed would act
 * (wouldAct). A detector too slow for the attacker's objective is left out (performed or not, it
 * would not count), unless it is a notification a cooling-off waits for.
 *
 * `always`: those the path depends on whatever its outcome — a revocation (containment) and a
 * notification a cooling-off waits for (it may stop the reset). `detection`: those that would only
 * detect, each with the hours after which it would: the path depends on one only when it is undetected
 * or detected no sooner than that (so that performing it could change what detects it first).
 */
export function visitUnknownParts(prep: Prepared, ctx: AttackContext, stepId: string): { always: string[]; detection: { hours: number; unknowns: string[] }[] } {
  const always: string[] = [];
  const detection: { hours: number; unknowns: string[] }[] = [];
  for (const inst of prep.wf.steps[stepId]!.controls) {
    const role = getControl(inst.control).role;
    if (role !== 'detector' && role !== 'responder' && inst.control !== 'log.immutable') continue;
    const delay = detectorDelayHours(inst);
    const cooling = inst.control === 'notify.out_of_band' && delay !== null && coolingOffOutlasts(prep, delay);
    if (delay !== null && !inTime(ctx, delay) && !cooling) continue;
    const unknowns = notPerformedUnknowns(prep, ctx, stepId, inst);
    // One that, performed, would still do nothing changes nothing either.
    if (unknowns.length === 0 || !wouldAct(prep, ctx, stepId, inst)) continue;
    // A log changes detection through the review that reads it, no sooner than the fastest one.
    const hours = inst.control === 'log.immutable' ? fastestReview(prep) : delay;
    if (cooling || hours === null) always.push(...unknowns);
    else detection.push({ hours, unknowns });
  }
  return { always: [...new Set(always)].sort(), detection };
}

const performedCopies = new WeakMap<ControlInstance, ControlInstance>();
/**
 * Whether an instance, performed (as if system-enforced), would do its part on a path through its
 * step: a log keeps a record the attacker cannot alter, a review samples every reset of the target's
 * class (cautiously, its record taken as intact: that depends on the path), a notification reaches a
 * user who repudiates the reset (cautiously, the takeover taken as enrolling no device of the
 * attacker's). Any other detector or responder is taken to act.
 */
function wouldAct(prep: Prepared, ctx: AttackContext, stepId: string, inst: ControlInstance): boolean {
  let performed = performedCopies.get(inst);
  if (!performed) performedCopies.set(inst, (performed = { ...inst, enforcement: 'system', enforcementUnknown: undefined }));
  switch (inst.control) {
    case 'log.immutable':
      // A record only a review reads: one that could come in time (the workflow's fastest, or one placed
      // hardened), and that the ordinary record would not give it anyway (an attacker who alters tickets).
      return !ordinaryRecordIntact(prep, ctx) && logIntact(prep, ctx, performed, stepId) && Number.isFinite(fastestReview(prep)) && inTime(ctx, fastestReview(prep));
    case 'review.post_event':
      return reviewVerdict(prep, ctx, performed, stepId, 'intact').detects;
    case 'notify.out_of_band':
      return notifyVerdict(prep, ctx, performed, stepId, false).detects;
    default:
      return true;
  }
}

/**
 * The unknowns passing a step depends on: guards passed only through an unknown, a step whose
 * verification is unknown where an unlisted check would apply to the path (unlistedCheckApplies: it
 * might hold) and no exception in force bypasses the step (it waives the unlisted check too), and the attacker-held identity acting as a
 * desk of unknown operator where only that lets the step be done: a step done from the support tool
 * under least privilege (a desk the identity does not act as is left undone), and a credential
 * handed over at a counter by the bribed agent.
 */
export function passUnknowns(prep: Prepared, ctx: AttackContext, stepId: string, channel: AttackChannel, verdicts: readonly InstanceVerdict[], activeExceptions: readonly string[] = []): string[] {
  const out = verdicts.flatMap(verdictUnknowns);
  const step = prep.wf.steps[stepId]!;
  // Only where an unlisted check there would apply to this path: not a requester's on the console;
  // and not where an exception in force bypasses the step, which waives whatever the step checks,
  // listed or not (docs/analysis-semantics.md, "Unknowns").
  if (step.verificationUnknown && waiversAt(prep, stepId, activeExceptions).length === 0 && unlistedCheckApplies(prep, ctx, step, channel)) out.push(`verification:${stepId}`);
  if (channel === 'agent_console' && prep.workflowScope.has('agent.least_privilege')) out.push(...actsAsUnknowns(prep, ctx, step.actor));
  if (step.kind === 'execution') {
    const d = delivery(prep, ctx, stepId);
    if (d.unknowns) out.push(...d.unknowns);
  }
  return [...new Set(out)].sort();
}

/** Whether a log instance keeps a record the attacker cannot alter (what a post-event review needs). */
export function logIntact(prep: Prepared, ctx: AttackContext, inst: ControlInstance, stepId: string | null): boolean {
  return defeats(prep, ctx, stepId, inst).length === 0 && notPerformed(prep, ctx, stepId, inst) === null;
}

/**
 * The record a reset leaves where no `log.immutable` on the path keeps it intact: the ticket's notes
 * (the weakest store the catalogue knows), as a workflow-scope instance of the log with that store,
 * enforced by the system (a ticket is written whatever the agent does). Only the log's defeat rules
 * for that store can alter it.
 */
const TICKET_RECORD: ControlInstance = (() => {
  const def = getControl('log.immutable');
  const params: Record<string, ControlInstance['params'][string]> = {};
  for (const [name, spec] of Object.entries(def.params)) params[name] = spec.hardened;
  params['store'] = 'ticket_notes';
  return { key: 'workflow/log.immutable', control: 'log.immutable', params, enforcement: 'system', evidence: 'live', where: { scope: 'workflow' }, path: '(the ticket record)' };
})();
const ticketRecords = new WeakMap<Prepared, WeakMap<AttackContext, boolean>>();

/**
 * Whether the attacker leaves the reset's ordinary record (its ticket) as it was: it holds no means of
 * altering ticket notes (the log's defeat rules for that store: log tampering, a bribed agent, the
 * support platform's leaked credential). Then a review reads an intact record with or without an
 * immutable log ("immutable logging, or no log tampering": docs/analysis-semantics.md, "Detection").
 */
export function ordinaryRecordIntact(prep: Prepared, ctx: AttackContext): boolean {
  let byCtx = ticketRecords.get(prep);
  if (!byCtx) ticketRecords.set(prep, (byCtx = new WeakMap()));
  let intact = byCtx.get(ctx);
  if (intact === undefined) byCtx.set(ctx, (intact = defeats(prep, ctx, null, TICKET_RECORD).length === 0));
  return intact;
}

/** A post-event review instance: it detects only against an intact record and when it samples every reset of the class. */
export function reviewVerdict(prep: Prepared, ctx: AttackContext, inst: ControlInstance, stepId: string | null, log: 'intact' | 'alterable' | 'none'): DetectionVerdict {
  const skipped = notPerformed(prep, ctx, stepId, inst);
  if (skipped) return detectionOf(inst, stepId, false, `the review is never done: ${skipped}`);
  const privileged = ACCOUNT_CLASSES[ctx.target].privileged;
  const rate = (privileged ? inst.params.privileged_sample_rate : inst.params.sample_rate) as number;
  if (log !== 'intact') {
    const why = log === 'none' ? 'there is no record of the reset to review' : 'the record of the reset can be altered by the attacker';
    return detectionOf(inst, stepId, false, `review cannot detect it: ${why}`);
  }
  if (rate >= 1) return detectionOf(inst, stepId, true, `every ${privileged ? 'privileged' : 'standard'} reset is reviewed against the intact record`, inst.params.within_hours as number);
  return detectionOf(inst, stepId, false, `only ${Math.round(rate * 100)}% of ${privileged ? 'privileged' : 'standard'} resets are reviewed`, undefined, rate);
}

/** The anomaly rules instance: post-reset correlation flags the new sign-in. */
export function anomalyVerdict(inst: ControlInstance, stepId: string | null): DetectionVerdict {
  return detectionOf(inst, stepId, true, 'post-reset correlation rules flag the new sign-in after the reset', inst.params.response_hours as number);
}

/** Agent behaviour analytics: they detect a reset only when an attacker-held agent identity acted on the path. */
export function insiderVerdict(inst: ControlInstance, stepId: string | null, usedAgent: boolean): DetectionVerdict {
  return usedAgent
    ? detectionOf(inst, stepId, true, 'agent behaviour analytics flag the reset performed outside the procedure', getControl('agent.insider_controls').detectionDelayHours!)
    : detectionOf(inst, stepId, false, 'no agent acted outside the procedure on this path');
}

/**
 * The provider's incident report (`vendor.contract_controls` with `reports_incidents`): it detects a
 * takeover on which an attacker-held identity acted as a provider's agent, after
 * `incident_report_hours`. A provider agent deceived or pressured by a caller is no incident the
 * provider knows of.
 */
export function vendorReportVerdict(inst: ControlInstance, stepId: string | null, usedProviderAgent: boolean): DetectionVerdict {
  if (inst.params.reports_incidents !== true) return detectionOf(inst, stepId, false, 'the contract does not oblige the provider to report incidents involving its agents');
  return usedProviderAgent
    ? detectionOf(inst, stepId, true, 'the provider reports the incident as the contract requires: one of its agent identities (a compromised account or an agent acting for the attacker) acted on this request', inst.params.incident_report_hours as number)
    : detectionOf(inst, stepId, false, 'no provider agent identity acted for the attacker on this path, so the provider has no incident to report');
}

/** Orders firing detections: fastest first, then by instance key (the detection an outcome names). */
export function byDetectionOrder(a: DetectionVerdict, b: DetectionVerdict): number {
  return a.delayHours! - b.delayHours! || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * Whether the cooling-off on the takeover step lets a user notified within `notifyHours` stop the
 * reset: the step's cooldown must hold (not skipped) and last longer than the notification takes.
 */
export function cooldownBlocks(prep: Prepared, ctx: AttackContext, takeoverStep: string, notifyHours: number | null): { key: string; control: string; step: string; reason: string } | null {
  const cooldown = prep.byStep.get(takeoverStep)?.get('cooldown.delay');
  if (!cooldown || notifyHours === null) return null;
  const v = evaluateGuard(prep, ctx, prep.wf.steps[takeoverStep]!, cooldown, 'phone', []);
  const hours = cooldown.params.hours as number;
  if (v.verdict !== 'satisfied' || hours <= notifyHours) return null;
  return { key: cooldown.key, control: 'cooldown.delay', step: takeoverStep, reason: `the reset waits ${hours} h; the user notified within ${notifyHours} h objects before it takes effect` };
}

/**
 * Whether the attacker's identity had to act to get the reset past the takeover step's cooling-off: a
 * notification reaches the user within the cooling-off (so, performed, it would let them stop the
 * reset), and the desk leaves it out only through means that use the identity (an insider or
 * agent-account deviation). `provider`: that desk is a provider's. `avoidUnknowns`: where it is left
 * out through other means that all need an unknown, their unknowns (see identityAvoidanceUnknowns).
 */
export function cooldownIdentity(prep: Prepared, ctx: AttackContext, takeoverStep: string, notifyHours: number | null): { acted: boolean; provider: boolean; avoidUnknowns: string[] } {
  const none = { acted: false, provider: false, avoidUnknowns: [] as string[] };
  const cooldown = prep.byStep.get(takeoverStep)?.get('cooldown.delay');
  if (!cooldown || notifyHours === null || (cooldown.params.hours as number) <= notifyHours) return none;
  const v = evaluateGuard(prep, ctx, prep.wf.steps[takeoverStep]!, cooldown, 'phone', []);
  if (v.verdict === 'satisfied' || v.means.length === 0) return none;
  if (v.means.every(usesIdentity)) return { acted: true, provider: providerDeskActor(prep, takeoverStep), avoidUnknowns: [] };
  return { acted: false, provider: false, avoidUnknowns: leftOutThrough(v.means) };
}

/** Whether the responder on the takeover step revokes the attacker's sessions once the takeover is detected. */
export function containmentAt(prep: Prepared, ctx: AttackContext, takeoverStep: string): PathOutcome['containment'] {
  const revoke = prep.byStep.get(takeoverStep)?.get('session.revoke_on_reset');
  return revoke && notPerformed(prep, ctx, takeoverStep, revoke) === null ? 'revoked' : 'persists';
}

/** What a takeover of the target through this step unlocks. */
export function blastRadiusOf(prep: Prepared, ctx: AttackContext, takeoverStep: string): string[] {
  const step = prep.wf.steps[takeoverStep]!;
  return [...ACCOUNT_CLASSES[ctx.target].blastRadius, ...(step.action ? RESET_ACTIONS[step.action].unlocks : [])];
}

/**
 * The part of a walked path an outcome depends on: the steps visited, whether an attacker-held
 * agent identity acted before the takeover (on a step the path passed) or opened the request, and
 * whether it did so as a provider's agent (at an outsourced desk's step, or opening the request from
 * an outsourced intake's console).
 */
export function pathFacts(prep: Prepared, walked: readonly WalkedStep[], takeoverStep: string, channel: AttackChannel): { steps: string[]; usedAgent: boolean; usedProviderAgent: boolean } {
  let usedAgent = channel === 'agent_console';
  let usedProviderAgent = providerConsole(prep, channel);
  let before = true;
  for (const w of walked) {
    if (!before) break;
    if (w.via === 'pass' && agentActed(w.verdicts)) {
      usedAgent = true;
      if (providerDeskActor(prep, w.step)) usedProviderAgent = true;
    }
    if (w.via === 'pass' && w.step === takeoverStep) before = false;
  }
  return { steps: [...new Set(walked.map((w) => w.step))], usedAgent, usedProviderAgent };
}

/**
 * The cooling-off block of a path's outcome, from its detections before lateness is judged: a
 * cooling-off holds the reset back whenever the user is told, however fast the attacker would be.
 */
function cooledOff(prep: Prepared, ctx: AttackContext, takeoverStep: string, detections: readonly DetectionVerdict[]): ReturnType<typeof cooldownBlocks> {
  const notify = detections.find((d) => d.detects && d.control === 'notify.out_of_band');
  return cooldownBlocks(prep, ctx, takeoverStep, notify ? notify.delayHours! : null);
}

/**
 * Whether evaluateOutcome finds a walked path blocked by a cooling-off at its takeover step, without
 * the rest of the outcome: the same notifications on the path (read off its steps, in order), the same block.
 */
export function outcomeBlockedOn(prep: Prepared, ctx: AttackContext, steps: readonly string[], takeoverStep: string): boolean {
  if (!prep.byStep.get(takeoverStep)?.has('cooldown.delay')) return false;
  const step = prep.wf.steps[takeoverStep]!;
  // The path's steps that carry a notification, once each in the order first walked: the ones
  // notificationsOnPath reads of the path's steps (pathFacts), without listing every step.
  const notifySteps: string[] = [];
  for (const s of steps) if (prep.byStep.get(s)?.has('notify.out_of_band') && !notifySteps.includes(s)) notifySteps.push(s);
  const notices = notificationsOnPath(prep, ctx, notifySteps, enrollsAttackerDevice(step));
  return cooledOff(prep, ctx, takeoverStep, notices) !== null;
}

/** The notifications of a path's outcome: each instance on the path's steps in path order, then the workflow-scope one. */
function notificationsOnPath(prep: Prepared, ctx: AttackContext, pathSteps: readonly string[], enroll: boolean): DetectionVerdict[] {
  const out: DetectionVerdict[] = [];
  for (const s of pathSteps) {
    const inst = prep.byStep.get(s)?.get('notify.out_of_band');
    if (inst) out.push(notifyVerdict(prep, ctx, inst, s, enroll));
  }
  const w = prep.workflowScope.get('notify.out_of_band');
  if (w) out.push(notifyVerdict(prep, ctx, w, null, enroll));
  return out;
}

/** The controls besides notifications (notificationsOnPath) whose instances on a path decide its outcome (evaluateOutcome). */
const OUTCOME_CONTROLS = ['log.immutable', 'review.post_event', 'detect.reset_anomaly', 'agent.insider_controls'] as const;

/**
 * Decides the outcome of a walked path that reached a takeover at \`takeoverStep\`: detection by each
 * detector on the steps it visited (and at workflow scope), the cooling-off block, containment and
 * blast radius. The state-graph engine computes the same outcome from the same primitives.
 */
export function evaluateOutcome(prep: Prepared, ctx: AttackContext, walked: readonly WalkedStep[], takeoverStep: string, channel: AttackChannel): PathOutcome {
  const step = prep.wf.steps[takeoverStep]!;
  const { steps: pathSteps, usedAgent: pathUsedAgent, usedProviderAgent: pathUsedProviderAgent } = pathFacts(prep, walked, takeoverStep, channel);
  // The instances of the outcome's controls on the path's steps, in path order, then at workflow
  // scope: one pass over the path for all of them.
  const onPath = new Map<string, { inst: ControlInstance; step: string | null }[]>(OUTCOME_CONTROLS.map((c) => [c, []]));
  for (const s of pathSteps) {
    const at = prep.byStep.get(s);
    if (!at) continue;
    for (const c of OUTCOME_CONTROLS) {
      const inst = at.get(c);
      if (inst) onPath.get(c)!.push({ inst, step: s });
    }
  }
  const instancesOnPath = (control: (typeof OUTCOME_CONTROLS)[number]) => {
    const out = onPath.get(control)!;
    const w = prep.workflowScope.get(control);
    if (w) out.push({ inst: w, step: null });
    return out;
  };
  const enroll = enrollsAttackerDevice(step);
  const detections: DetectionVerdict[] = notificationsOnPath(prep, ctx, pathSteps, enroll);
  // The identity may have had to act at the cooling-off, which the notification decides.
  const notified = detections.find((d) => d.detects && d.control === 'notify.out_of_band');
  const atCooldown = cooldownIdentity(prep, ctx, takeoverStep, notified ? notified.delayHours! : null);
  const usedAgent = pathUsedAgent || atCooldown.acted;
  const usedProviderAgent = pathUsedProviderAgent || atCooldown.provider;
  const logs = instancesOnPath('log.immutable');
  const log = logs.some(({ inst, step: s }) => logIntact(prep, ctx, inst, s)) || ordinaryRecordIntact(prep, ctx) ? 'intact' : logs.length === 0 ? 'none' : 'alterable';
  for (const { inst, step: s } of instancesOnPath('review.post_event')) detections.push(reviewVerdict(prep, ctx, inst, s, log));
  for (const { inst, step: s } of instancesOnPath('detect.reset_anomaly')) detections.push(anomalyVerdict(inst, s));
  for (const { inst, step: s } of instancesOnPath('agent.insider_controls')) detections.push(insiderVerdict(inst, s, usedAgent));
  // The contract is at workflow scope only: the provider's obligation, never left out by a desk agent.
  const contract = prep.workflowScope.get('vendor.contract_controls');
  if (contract) detections.push(vendorReportVerdict(contract, null, usedProviderAgent));
  const containment = containmentAt(prep, ctx, takeoverStep);
  const blockedBy = cooledOff(prep, ctx, takeoverStep, detections);
  if (blockedBy) return { kind: 'blocked', detections, blockedBy, containment, blastRadius: [] };
  // A detection after the attacker's objective is reached comes too late to count.
  for (const [i, d] of detections.entries()) {
    if (d.detects && !inTime(ctx, d.delayHours!)) {
      detections[i] = { key: d.key, control: d.control, step: d.step, detects: false, delayHours: d.delayHours, chance: d.chance, reason: `${d.reason}, but only after ${d.delayHours} h: later than the attacker's objective (${ctx.objectiveHours} h)`, late: true };
    }
  }
  const firing = detections.filter((d) => d.detects).sort(byDetectionOrder);
  const blastRadius = blastRadiusOf(prep, ctx, takeoverStep);
  const detectedBy = firing[0];
  return detectedBy
    ? { kind: 'takeover_detected', detectedBy, detections, containment, blastRadius }
    : { kind: 'takeover_undetected', detections, containment, blastRadius };
}
