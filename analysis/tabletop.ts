// A tabletop exercise driven by the workflow's own machine: the scenario's attacker meets a room
// that decides at each decision point, the room's choices move the compiled XState machine, and the
// model says what the workflow's controls required there. Pure and deterministic: the state of a
// session is a fold over its decision log, so a session resumes, undoes and replays exactly.
// docs/analysis-semantics.md, "Tabletop exercises", states the rules.
import { createActor } from 'xstate';
import {
  accountClassName,
  ACCOUNT_CLASSES,
  channelName,
  compileWorkflow,
  getControl,
  OWNER_ROLES,
  REFUSED,
  STEP_EVENTS,
  type AccountClass,
  type Capability,
  type OwnerRole,
  type Verdict,
  type Workflow,
} from '../models/index.ts';
import {
  delivery,
  describeMeans,
  evaluateOutcome,
  evaluateStep,
  prepareWorkflow,
  scenarioContext,
  standingExceptionIds,
  type AttackChannel,
  type AttackContext,
  type Inject,
  type InstanceVerdict,
  type Move,
  type PathOutcome,
  type Prepared,
  type Scenario,
  type WalkedStep,
} from '../scenarios/index.ts';
import { channelOpenFor } from './channels.ts';
import { flowOf, routingLoop, successors } from './flow.ts';

/** Step kinds at which the room decides; the others (routing, notification, logging, review, end) run as the workflow says. */
export const DECISION_KINDS: ReadonlySet<string> = new Set(['intake', 'proofing', 'step_up', 'callback', 'approval', 'exception', 'execution']);

/** Capabilities that are pressure on the agent (what the room feels, not evidence). */
const PRESSURE_CAPABILITIES: readonly Capability[] = ['urgency_pressure', 'authority_pressure'];

/** The attack route a session plays: the channel the attacker uses and the class it claims. */
export interface ExerciseRoute {
  channel: AttackChannel;
  claimedClass: AccountClass | null;
}

/** One control as the room meets it at a decision point, and what performing it would give. */
export interface ControlInPlay {
  key: string;
  control: string;
  name: string;
  enforcement: 'system' | 'procedural';
  owner: OwnerRole;
  ownerTitle: string;
  params: string;
  /** Performed as the workflow says: does it stop this attacker? */
  ifPerformed: 'holds' | 'passes' | 'not_applicable';
  /** Why, in words: the rule behind the verdict or the attacker's way past it. */
  why: string;
}

export type ChoiceKind = 'approve' | 'fallback' | 'deny' | 'perform' | 'ask_evidence' | 'escalate' | 'exception';

/** A choice the room can make at a decision point. `id` is what the decision log records. */
export interface DecisionOption {
  id: string;
  kind: ChoiceKind;
  label: string;
  /** Whether the choice moves the machine (approve, fallback, deny) or only informs or records. */
  advances: boolean;
}

/** What the workflow's controls required at a decision point (the model's verdict; hidden from the room until the debrief when the session says so). */
export interface Required {
  choice: 'approve' | 'fallback' | 'deny';
  why: string;
}

/** A decision point: the step the room is at, what it sees and hears, and what it may choose. */
export interface DecisionPoint {
  /** Stable within a session: attempt, then position on the walk ("1.3"). */
  id: string;
  attempt: number;
  position: number;
  step: string;
  stepName: string;
  stepDescription: string | null;
  kind: string;
  actor: { name: string; kind: string; tier: number; operator: string | null } | null;
  /** Minutes of the scenario's own clock when the request reaches this step (legitimate handling time of the steps before). */
  modelMinute: number;
  caller: {
    channel: AttackChannel;
    claimedClass: AccountClass;
    targetClass: AccountClass;
    /** What the attacker does here: tries to pass the step, or says it cannot and asks for the fallback. */
    stance: 'attempts' | 'claims_inability' | 'asks_exception' | 'declines_exception';
    /** The attacker's own words for this moment (a move's `say`), when a move fits: quoted to the room. */
    says: string | null;
  };
  /**
   * What the scenario narrates at this point (the `narration` of the moves that fit it: stage
   * directions, what the attacker does out of sight): for the facilitator only, never in the inject.
   */
  narration: string[];
  /** What the attacker offers as evidence at this step (the ways past its checks that need no deviation). */
  evidence: string[];
  pressure: { applied: boolean; capabilities: Capability[]; says: string | null };
  controls: ControlInPlay[];
  activeExceptions: string[];
  options: DecisionOption[];
  required: Required;
  /** The inject the room is given at this point, generated from the above (the facilitator may edit it). */
  inject: { title: string; text: string };
}

/** One entry of a session's decision log, as the exercise folds it. */
export interface ExerciseDecision {
  /** The decision point it answers; a decision for another point is refused (the room moved on). */
  point: string;
  /** An option id of that point. */
  choice: string;
}

/** A gap a decision left open: the control, who owns it and why it let the attacker through. */
export interface ExerciseGap {
  step: string;
  stepName: string;
  key: string;
  control: string;
  controlName: string;
  owner: OwnerRole;
  ownerTitle: string;
  /**
   * skipped_by_room: the room did not perform a control that would have held; defeated: performed,
   * the attacker got past it; waived_by_room: an exception the room granted set it aside;
   * waived_by_exception: an exception of the workflow (standing, or granted at its exception step) did.
   */
  kind: 'skipped_by_room' | 'defeated' | 'waived_by_room' | 'waived_by_exception';
  why: string;
}

/** What one decision did. */
export interface ResolvedDecision {
  /** Position of the decision in the effective log (1-based). */
  index: number;
  point: string;
  step: string;
  stepName: string;
  choice: string;
  choiceLabel: string;
  kind: ChoiceKind;
  /** What happened, in words, as the room would see it (what performing a control revealed, where the machine went). */
  result: string;
  /**
   * The model's reasons behind the result (the rule that held, with the control's parameters), or
   * null: the facilitator's console shows them; the room only when verdicts are shown to it.
   */
  detail: string | null;
  /** The machine's state after the decision. */
  machineState: string;
  required: Required | null;
  /** For a decision that moved the machine: did the room do what the controls required? */
  matches: boolean | null;
  gaps: ExerciseGap[];
}

export type ExerciseEnd =
  | { kind: 'blocked'; step: string; by: 'room' | 'controls' | 'system' | 'delivery' | 'cooldown' | 'holder' | 'retries' | 'closed'; reason: string }
  | { kind: 'takeover_detected' | 'takeover_undetected'; step: string; reason: string; outcome: PathOutcome };

/** The state of an exercise after its log: what happened, where the room is now, how it ended. */
export interface ExerciseState {
  workflow: string;
  scenario: string;
  route: ExerciseRoute;
  decisions: ResolvedDecision[];
  /** Steps the workflow ran without the room (routing, notification, logging, review, end), in order with the decisions. */
  events: { afterDecision: number; step: string; stepName: string; what: string }[];
  current: DecisionPoint | null;
  end: ExerciseEnd | null;
  gaps: ExerciseGap[];
  /** The steps the request went through, in order, and how it left each: the path the room walked, as the analysis writes a path. */
  walked: { step: string; via: WalkedStep['via'] }[];
}

/** Thrown when a decision cannot apply: names the decision and why. */
export class ExerciseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExerciseError';
  }
}

/** The routes the scenario's attacker can open against the workflow (channels it tries that the workflow accepts, with each claim). */
export function exerciseRoutes(wf: Workflow, scenario: Scenario): { routes: ExerciseRoute[]; closed: { channel: AttackChannel; reason: string }[] } {
  const prep = prepareWorkflow(wf);
  const ctx = scenarioContext(prep, scenario);
  const routes: ExerciseRoute[] = [];
  const closed: { channel: AttackChannel; reason: string }[] = [];
  const claims = scenario.strategy.claims.filter((c) => wf.accountClasses.includes(c));
  for (const channel of scenario.strategy.channels) {
    const open = channelOpenFor(prep, ctx, channel);
    if (!open.open) {
      closed.push({ channel, reason: open.reason });
      continue;
    }
    for (const claim of claims.length ? claims : [null]) routes.push({ channel, claimedClass: claim });
  }
  return { routes, closed };
}

/** Why the scenario cannot be played against the workflow, or null when it can. */
export function exerciseNotPlayable(wf: Workflow, scenario: Scenario): string | null {
  if (!wf.accountClasses.includes(scenario.target.accountClass)) return `the workflow does not serve the ${ACCOUNT_CLASSES[scenario.target.accountClass].name} account class the scenario targets`;
  // The compiled machine's eventless transitions would never settle (the exhaustive analysis still counts such a workflow).
  const loop = routingLoop(wf);
  if (loop) return `routing step "${loop}" routes back to itself through routing steps only, so the workflow's machine would route forever`;
  const { routes, closed } = exerciseRoutes(wf, scenario);
  if (routes.length === 0) return closed.map((c) => `${channelName(c.channel)}: ${c.reason}`).join('; ') || 'the scenario tries no channel';
  return null;
}

interface Walk {
  prep: Prepared;
  ctx: AttackContext;
  wf: Workflow;
  scenario: Scenario;
  route: ExerciseRoute;
  actor: ReturnType<typeof startMachine>;
  step: string;
  attempt: number;
  position: number;
  minute: number;
  retries: number;
  exceptions: string[];
  roomExceptions: Set<string>;
  performed: Set<string>;
  evidenceAsked: boolean;
  escalated: boolean;
  takeover: string | null;
  walked: WalkedStep[];
  moves: Move[];
  /** Only the organisation's people decide (ROOM_ACTORS); other steps go as the model says (RunOptions). */
  peopleOnly: boolean;
  /** Gaps left at steps the room did not decide (run by a system, the requester or the account holder). */
  autoGaps: ExerciseGap[];
}

function startMachine(wf: Workflow) {
  return createActor(compileWorkflow(wf)).start();
}

/**
 * Who decides in an exercise. `people` (sessions made from 2026-12-07 on, and the plan): the room
 * decides only at steps the organisation's people perform (ROOM_ACTORS, or a step naming no actor);
 * a step a system, the requester or the account holder performs goes as the model says (what the
 * controls require), recorded as an event. `every_step`: the room decides at every step of a kind
 * in DECISION_KINDS, as sessions stored before then were played (they replay so).
 */
export interface RunOptions {
  decisionsAt?: 'people' | 'every_step';
}

/** Actor kinds the room plays: the organisation's people. */
const ROOM_ACTORS: ReadonlySet<string> = new Set(['agent', 'manager', 'security_team', 'reviewer']);

/** Whether the room decides at a step: it is of a deciding kind and (with peopleOnly) performed by the organisation's people. */
function roomDecides(w: Walk, step: Workflow['steps'][string]): boolean {
  if (!DECISION_KINDS.has(step.kind)) return false;
  if (!w.peopleOnly || !step.actor) return true;
  const actor = w.wf.actors[step.actor];
  return !actor || ROOM_ACTORS.has(actor.kind);
}

/**
 * Folds a decision log into the exercise state. Throws ExerciseError naming the decision when one
 * does not fit where the room is (the caller refuses it before saving anything).
 */
export function runExercise(wf: Workflow, scenario: Scenario, route: ExerciseRoute, log: readonly ExerciseDecision[], options: RunOptions = {}): ExerciseState {
  const notPlayable = exerciseNotPlayable(wf, scenario);
  if (notPlayable) throw new ExerciseError(`${scenario.id} cannot be played against ${wf.id}: ${notPlayable}`);
  const { routes } = exerciseRoutes(wf, scenario);
  if (!routes.some((r) => r.channel === route.channel && r.claimedClass === route.claimedClass)) {
    throw new ExerciseError(`the route ${route.channel}${route.claimedClass ? ` claiming ${route.claimedClass}` : ''} is not open to ${scenario.id} against ${wf.id} (open: ${routes.map(routeText).join('; ')})`);
  }
  const prep = prepareWorkflow(wf);
  const ctx = scenarioContext(prep, scenario);
  const w: Walk = {
    prep,
    ctx,
    wf,
    scenario,
    route,
    actor: startMachine(wf),
    step: wf.start,
    attempt: 1,
    position: 1,
    minute: 0,
    retries: 0,
    exceptions: standingExceptionIds(prep, scenario.target.accountClass).sort(),
    roomExceptions: new Set(),
    performed: new Set(),
    evidenceAsked: false,
    escalated: false,
    takeover: null,
    walked: [],
    moves: [...scenario.strategy.moves],
    peopleOnly: (options.decisionsAt ?? 'people') === 'people',
    autoGaps: [],
  };
  const state: ExerciseState = { workflow: wf.id, scenario: scenario.id, route, decisions: [], events: [], current: null, end: null, gaps: [], walked: [] };
  try {
    advanceToDecision(w, state);
    for (const [i, d] of log.entries()) {
      const point = state.current;
      if (!point) throw new ExerciseError(`decision ${i + 1} ("${d.choice}") comes after the exercise ended`);
      if (d.point !== point.id) throw new ExerciseError(`decision ${i + 1} answers point ${d.point}, but the room is at point ${point.id} ("${point.stepName}")`);
      const option = point.options.find((o) => o.id === d.choice) ?? retiredOption(w, d.choice);
      if (!option) throw new ExerciseError(`decision ${i + 1}: "${d.choice}" is not a choice at "${point.stepName}" (choices: ${point.options.map((o) => o.id).join(', ')})`);
      decide(w, state, point, option, i + 1);
      if (state.end) state.current = null;
      else if (option.advances) advanceToDecision(w, state);
      else state.current = decisionPoint(w);
    }
  } finally {
    w.actor.stop();
  }
  state.gaps = [...state.decisions.flatMap((d) => d.gaps), ...w.autoGaps];
  state.walked = w.walked.map((x) => ({ step: x.step, via: x.via }));
  return state;
}

function routeText(r: ExerciseRoute): string {
  return `${r.channel}${r.claimedClass ? ` claiming ${r.claimedClass}` : ''}`;
}

/**
 * A gap's kind in words, saying whose it is: a control the caller defeated or a workflow's own
 * exception set aside is the workflow's gap (the room did as it says); one the room skipped or set
 * aside with an exception it granted is the room's decision.
 */
export function exerciseGapKindText(kind: ExerciseGap['kind']): string {
  switch (kind) {
    case 'skipped_by_room':
      return "skipped by the room (the room's decision)";
    case 'waived_by_room':
      return "set aside by an exception the room granted (the room's decision)";
    case 'defeated':
      return "defeated by the caller (the workflow's gap)";
    case 'waived_by_exception':
      return "set aside by an exception of the workflow (the workflow's gap)";
  }
}

/** An exercise route in words, for the room and its report: "walk-in, claiming Standard employee". */
export function exerciseRouteText(r: { channel: string; claimedClass: string | null }): string {
  return `${channelName(r.channel)}${r.claimedClass ? `, claiming ${accountClassName(r.claimedClass)}` : ''}`;
}

const machineState = (w: Walk) => String(w.actor.getSnapshot().value);

/** Runs the steps the room does not decide until the next decision point or the end. */
function advanceToDecision(w: Walk, state: ExerciseState): void {
  for (;;) {
    const step = w.wf.steps[w.step]!;
    const note = (what: string) => state.events.push({ afterDecision: state.decisions.length, step: step.id, stepName: step.name, what });
    if (step.kind === 'end') {
      w.walked.push({ step: step.id, via: 'end', verdicts: [] });
      note(`the request closes at "${step.name}"`);
      state.current = null;
      state.end = w.takeover ? takeoverEnd(w) : { kind: 'blocked', step: step.id, by: 'closed', reason: `the request ended at "${step.name}" without a reset` };
      return;
    }
    if (step.kind === 'routing') {
      // The machine routes by itself (an eventless transition) when the step before was passed.
      const claim = w.route.claimedClass ?? w.scenario.target.accountClass;
      if (step.basis === 'caller_claim' && w.route.claimedClass) {
        w.exceptions = [...new Set([...w.exceptions, ...standingExceptionIds(w.prep, claim)])].sort();
      }
      w.walked.push({ step: step.id, via: 'route', verdicts: [] });
      // This step's own route (the machine has already run through every routing step in a row; the
      // walk takes them one at a time, so a loop back among them costs its retry).
      const to = step.routes.find((r) => r.classes.includes(step.basis === 'caller_claim' ? claim : w.scenario.target.accountClass))?.to;
      if (to === undefined || !w.wf.steps[to]) {
        note(`no route for the ${step.basis === 'caller_claim' ? `class claimed (${ACCOUNT_CLASSES[claim].name})` : `${ACCOUNT_CLASSES[w.scenario.target.accountClass].name} class`}`);
        state.current = null;
        state.end = { kind: 'blocked', step: step.id, by: 'controls', reason: 'the request could not be routed' };
        return;
      }
      note(`routed by ${step.basis === 'caller_claim' ? `the caller's claim (${claim})` : 'the directory'} to "${w.wf.steps[to]!.name}"`);
      if (!move(w, state, step.id, to)) return;
      continue;
    }
    if (!w.takeover && DECISION_KINDS.has(step.kind) && !roomDecides(w, step)) {
      // Not the room's to decide: the step goes as the controls require, as the model says.
      const point = decisionPoint(w);
      const option = point.options.find((o) => o.id === point.required.choice)!;
      decide(w, state, point, option, state.decisions.length, true);
      if (state.end) {
        state.current = null;
        return;
      }
      continue;
    }
    if (w.takeover || !DECISION_KINDS.has(step.kind)) {
      // After the takeover, and at notification, logging and review steps, the request runs its
      // course as the workflow says; these only feed detection (evaluated at the end).
      const [passEvent] = STEP_EVENTS[step.kind];
      const ev = evaluateStep(w.prep, w.ctx, step.id, w.route.channel, w.exceptions);
      w.walked.push({ step: step.id, via: 'pass', verdicts: w.takeover ? [] : ev.verdicts });
      w.actor.send({ type: passEvent, verdicts: allPass(step) } as never);
      note(w.takeover ? `runs after the takeover` : `runs as the workflow says`);
      if (!move(w, state, step.id, step.next!)) return;
      continue;
    }
    state.current = decisionPoint(w);
    return;
  }
}

/** Follows a transition; false when the walk ended (a loop back with no retry left, or a halted path after the takeover). */
function move(w: Walk, state: ExerciseState, from: string, to: string): boolean {
  const back = flowOf(w.wf).back.has(`${from}>${to}`);
  if (back) {
    if (w.takeover) {
      // The request reaches the step the loop back leads to (its notification is sent, its log
      // written) and the walk ends there, as a path of the analysis does.
      w.walked.push({ step: to, via: 'end', verdicts: [] });
      state.events.push({ afterDecision: state.decisions.length, step: to, stepName: w.wf.steps[to]!.name, what: 'reached after the takeover by a loop back: the walk ends here' });
      state.current = null;
      state.end = takeoverEnd(w);
      return false;
    }
    if (w.retries >= w.scenario.strategy.retries) {
      state.current = null;
      state.end = { kind: 'blocked', step: from, by: 'retries', reason: `the attacker has no retry left (the scenario allows ${w.scenario.strategy.retries}) and gives up` };
      return false;
    }
    w.retries++;
    w.attempt++;
    w.position = 0;
  }
  w.step = to;
  w.position++;
  w.performed = new Set();
  w.evidenceAsked = false;
  w.escalated = false;
  return true;
}

function allPass(step: { controls: { key: string }[] }): Record<string, Verdict> {
  return Object.fromEntries(step.controls.map((c) => [c.key, 'satisfied' as Verdict]));
}

/** A verdict performed as the workflow says: it stops the attacker unless a way past it needs no deviation. */
function ifPerformed(v: InstanceVerdict): { verdict: ControlInPlay['ifPerformed']; why: string } {
  if (v.verdict === 'not_applicable') return { verdict: 'not_applicable', why: v.reason };
  if (v.verdict === 'satisfied') return { verdict: 'passes', why: v.reason };
  if (v.verdict === 'unmet') return { verdict: 'holds', why: v.reason };
  const way = v.means.find((m) => m.kind !== 'skipped');
  if (way) return { verdict: 'passes', why: describeMeans(way) };
  return { verdict: 'holds', why: `${getControl(v.control).name} holds when performed: the attacker gets past it only if it is not (${v.means.map((m) => describeMeans(m)).join('; ')})` };
}

function paramsText(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}

function controlsInPlay(w: Walk, verdicts: readonly InstanceVerdict[]): ControlInPlay[] {
  const step = w.wf.steps[w.step]!;
  return verdicts.map((v) => {
    const def = getControl(v.control);
    const inst = step.controls.find((c) => c.key === v.key) ?? w.prep.workflowScope.get(v.control);
    const p = ifPerformed(v);
    return {
      key: v.key,
      control: v.control,
      name: def.name,
      enforcement: inst?.enforcement ?? 'system',
      owner: def.owner,
      ownerTitle: OWNER_ROLES[def.owner],
      params: inst ? paramsText(inst.params) : '',
      ifPerformed: p.verdict,
      why: p.why,
    };
  });
}

const oneLine = (s: string) => s.trim().replace(/\s+/g, ' ');

/** A move's words to the desk (its `say`), or null: narration is never quoted to the room. */
const spoken = (m: Move | null): string | null => (m?.say?.trim() ? oneLine(m.say) : null);

/**
 * The move that opens the request on the session's route: a contact (or ticket, or agent action)
 * on the route's channel and with its claim; a move that names neither fits any route.
 */
function openingMove(w: Walk): (m: Move) => boolean {
  const claimed = w.route.claimedClass ?? w.scenario.target.accountClass;
  return (m) => ['contact', 'inject_ticket', 'act_as_agent'].includes(m.move) && (!m.channel || m.channel === w.route.channel) && (!m.claim || m.claim === claimed);
}

/** The evidence the attacker offers at a step: a present_evidence move tied (`at`) to the step's kind; none otherwise. */
const evidenceMove = (kind: string) => (m: Move) => m.move === 'present_evidence' && (m.at ?? []).some((k) => k === kind);

/** Takes the first scenario move that fits (each move is said once, like replay). */
function takeMove(w: Walk, pred: (m: Move) => boolean, consume = true): Move | null {
  const i = w.moves.findIndex(pred);
  if (i < 0) return null;
  return consume ? w.moves.splice(i, 1)[0]! : w.moves[i]!;
}

function decisionPoint(w: Walk): DecisionPoint {
  const step = w.wf.steps[w.step]!;
  const ev = evaluateStep(w.prep, w.ctx, step.id, w.route.channel, w.exceptions);
  const controls = controlsInPlay(w, ev.verdicts);
  const holds = controls.filter((c) => c.ifPerformed === 'holds');
  const requests = w.scenario.strategy.exceptions.includes('request');
  const stance: DecisionPoint['caller']['stance'] =
    step.kind === 'exception' ? (requests && step.grants ? 'asks_exception' : 'declines_exception') : ev.refusal !== undefined || (holds.length > 0 && step.onFail !== undefined) ? 'claims_inability' : 'attempts';
  const peek = (pred: (m: Move) => boolean) => takeMove(w, pred, false);
  const says = step.kind === 'intake' ? peek(openingMove(w)) : stance === 'claims_inability' ? peek((m) => m.move === 'claim_inability') : stance === 'asks_exception' ? peek((m) => m.move === 'request_exception') : null;
  const pressureCaps = PRESSURE_CAPABILITIES.filter((c) => w.ctx.caps.has(c));
  const pressureLine = pressureCaps.length && holds.some((c) => c.enforcement === 'procedural') ? peek((m) => m.move === 'pressure') : null;
  const evidence = [...new Set(ev.verdicts.flatMap((v) => v.means.filter((m) => m.kind !== 'skipped' && m.kind !== 'waived').map((m) => describeMeans(m))))];
  if (step.kind === 'intake') evidence.unshift(`opens the request by ${channelName(w.route.channel)}, claiming the ${ACCOUNT_CLASSES[w.route.claimedClass ?? w.scenario.target.accountClass].name} class`);
  if (ev.refusal) evidence.push(ev.refusal);
  const required = requiredAt(w, step, ev, holds, stance);
  const options = optionsAt(w, step, controls);
  const actor = step.actor ? w.wf.actors[step.actor] : undefined;
  const point: DecisionPoint = {
    id: `${w.attempt}.${w.position}`,
    attempt: w.attempt,
    position: w.position,
    step: step.id,
    stepName: step.name,
    stepDescription: step.description ?? null,
    kind: step.kind,
    actor: actor ? { name: actor.name, kind: actor.kind, tier: actor.tier, operator: actor.kind === 'agent' ? actor.operator : null } : null,
    modelMinute: w.minute,
    caller: { channel: w.route.channel, claimedClass: w.route.claimedClass ?? w.scenario.target.accountClass, targetClass: w.scenario.target.accountClass, stance, says: spoken(says) },
    narration: [says, pressureLine].flatMap((m) => (m?.narration?.trim() ? [oneLine(m.narration)] : [])),
    evidence,
    pressure: { applied: pressureCaps.length > 0, capabilities: pressureCaps, says: spoken(pressureLine) },
    controls,
    activeExceptions: [...w.exceptions],
    options,
    required,
    inject: { title: '', text: '' },
  };
  point.inject = injectFor(point);
  return point;
}

function requiredAt(w: Walk, step: Workflow['steps'][string], ev: ReturnType<typeof evaluateStep>, holds: ControlInPlay[], stance: DecisionPoint['caller']['stance']): Required {
  const fail = (why: string): Required => (step.onFail !== undefined ? { choice: 'fallback', why: `${why}; the workflow then goes to "${w.wf.steps[step.onFail]!.name}"` } : { choice: 'deny', why: `${why}; the workflow refuses the request` });
  if (ev.refusal !== undefined) return fail(ev.refusal);
  if (holds.length > 0) return fail(`${holds.map((h) => h.name).join(' and ')} ${holds.length > 1 ? 'hold' : 'holds'} against this caller`);
  if (stance === 'declines_exception') return fail('the caller does not ask for this exception');
  if (step.kind === 'execution') {
    const d = delivery(w.prep, w.ctx, step.id);
    return { choice: 'approve', why: `every check here passes for this caller${d.obtained ? `, and ${d.reason}` : ` (though ${d.reason})`}` };
  }
  return { choice: 'approve', why: 'every check here passes for this caller when performed as the workflow says' };
}

function optionsAt(w: Walk, step: Workflow['steps'][string], controls: ControlInPlay[]): DecisionOption[] {
  const approveLabel: Record<string, string> = {
    intake: 'Accept the request',
    exception: 'Grant the exception',
    execution: 'Perform the reset',
    approval: 'Approve',
    callback: 'Treat the call-back as confirmed',
  };
  const out: DecisionOption[] = [{ id: 'approve', kind: 'approve', label: approveLabel[step.kind] ?? 'Treat the step as passed', advances: true }];
  if (step.onFail !== undefined) out.push({ id: 'fallback', kind: 'fallback', label: `Send to the fallback: ${w.wf.steps[step.onFail]!.name}`, advances: true });
  out.push({ id: 'deny', kind: 'deny', label: 'Refuse the request', advances: true });
  for (const c of controls) {
    if (c.enforcement !== 'procedural' || c.ifPerformed === 'not_applicable' || w.performed.has(c.key)) continue;
    out.push({ id: `perform:${c.key}`, kind: 'perform', label: `Perform: ${c.name}`, advances: false });
  }
  // On the agent console the request comes from the support tool: there is no caller to ask.
  if (!w.evidenceAsked && w.route.channel !== 'agent_console') out.push(ASK_EVIDENCE);
  if (!w.escalated) out.push({ id: 'escalate', kind: 'escalate', label: 'Escalate to a supervisor', advances: false });
  const cls = w.route.claimedClass ?? w.scenario.target.accountClass;
  for (const x of w.wf.exceptions) {
    if (w.exceptions.includes(x.id) || (x.appliesTo && !x.appliesTo.includes(cls))) continue;
    out.push({ id: `exception:${x.id}`, kind: 'exception', label: `Grant an exception: ${x.name}`, advances: false });
  }
  return out;
}

const ASK_EVIDENCE: DecisionOption = { id: 'ask_evidence', kind: 'ask_evidence', label: 'Ask the caller for more evidence', advances: false };

/**
 * A choice stored sessions may hold that is no longer offered where they made it: asking for evidence
 * on the agent console (offered there before it was withdrawn). It replays as a choice that moves
 * nothing and says there was nobody to ask, so those sessions still open.
 */
function retiredOption(w: Walk, choice: string): DecisionOption | undefined {
  return choice === ASK_EVIDENCE.id && w.route.channel === 'agent_console' ? ASK_EVIDENCE : undefined;
}

function injectFor(p: DecisionPoint): { title: string; text: string } {
  const lines: string[] = [];
  const who = p.actor ? `${p.actor.name}` : 'The desk';
  if (p.caller.says) lines.push(`The caller: "${p.caller.says}"`);
  else if (p.caller.stance === 'claims_inability') lines.push('The caller says they cannot complete this step and asks for another way.');
  else if (p.caller.stance === 'asks_exception') lines.push('The caller asks for an exception to the usual checks.');
  if (p.pressure.says) lines.push(`Pressure: "${p.pressure.says}"`);
  else if (p.pressure.applied) lines.push(`The caller pushes hard (${p.pressure.capabilities.map((c) => c.replace(/_/g, ' ')).join(', ')}).`);
  lines.push(`${who}'s screen: ${p.stepName}${p.controls.length ? ` — checks: ${p.controls.map((c) => `${c.name} (${c.enforcement === 'system' ? 'enforced by the system' : 'done by the agent'})`).join(', ')}` : ' — no check listed'}.`);
  if (p.activeExceptions.length) lines.push(`Exceptions on the request: ${p.activeExceptions.join(', ')}.`);
  return { title: `${p.attempt > 1 ? `Call ${p.attempt}, ` : ''}step ${p.position}: ${p.stepName}`, text: lines.join('\n') };
}

function decide(w: Walk, state: ExerciseState, point: DecisionPoint, option: DecisionOption, index: number, auto = false): void {
  const step = w.wf.steps[point.step]!;
  const base = { index, point: point.id, step: step.id, stepName: step.name, choice: option.id, choiceLabel: option.label, kind: option.kind };
  // A step the room does not decide is an event of the walk, its gaps the workflow's (never the room's).
  const performer = point.actor ? point.actor.name : 'the system';
  const record = (r: Omit<ResolvedDecision, keyof typeof base | 'detail'> & { detail?: string }) => {
    if (!auto) {
      state.decisions.push({ ...base, detail: null, ...r });
      return;
    }
    state.events.push({ afterDecision: state.decisions.length, step: step.id, stepName: step.name, what: `performed by ${performer}, not the room: ${r.result.charAt(0).toLowerCase()}${r.result.slice(1)}` });
    w.autoGaps.push(...r.gaps);
  };
  if (option.kind === 'perform') {
    const key = option.id.slice('perform:'.length);
    const c = point.controls.find((x) => x.key === key)!;
    w.performed.add(key);
    record({ result: `${c.name}: ${c.ifPerformed === 'holds' ? 'holds' : 'the caller gets past it'}`, detail: c.why, machineState: machineState(w), required: null, matches: null, gaps: [] });
    return;
  }
  if (option.kind === 'ask_evidence' && w.route.channel === 'agent_console') {
    w.evidenceAsked = true;
    record({ result: 'Nobody to ask: on this route the request was opened in the support tool by an agent, not by a caller', machineState: machineState(w), required: null, matches: null, gaps: [] });
    return;
  }
  if (option.kind === 'ask_evidence') {
    w.evidenceAsked = true;
    // The room hears the caller's own words, if a line of the scenario answers this kind of step;
    // what the evidence is worth (the analysis's ways past the checks) is the facilitator's detail.
    const m = takeMove(w, evidenceMove(step.kind));
    const words = spoken(m);
    const offered = point.evidence.length ? point.evidence.join('; ') : "nothing that answers this step's checks";
    record({
      result: words ? `Asked for more evidence, the caller says: "${words}"` : 'Asked for more evidence; the facilitator tells the room what the caller offers',
      detail: `${m?.narration?.trim() ? `${oneLine(m.narration)} ` : ''}Offers: ${offered}`,
      machineState: machineState(w),
      required: null,
      matches: null,
      gaps: [],
    });
    return;
  }
  if (option.kind === 'escalate') {
    w.escalated = true;
    record({ result: 'Escalated to a supervisor; the workflow has no escalation transition here, so the decision stays with the room', machineState: machineState(w), required: null, matches: null, gaps: [] });
    return;
  }
  if (option.kind === 'exception') {
    const id = option.id.slice('exception:'.length);
    w.exceptions = [...new Set([...w.exceptions, id])].sort();
    w.roomExceptions.add(id);
    const x = w.wf.exceptions.find((e) => e.id === id)!;
    record({ result: `Exception "${x.name}" granted by the room: it sets aside the checks of ${x.bypasses.map((s) => `"${w.wf.steps[s]?.name ?? s}"`).join(', ')}`, machineState: machineState(w), required: null, matches: null, gaps: [] });
    return;
  }
  const ev = evaluateStep(w.prep, w.ctx, step.id, w.route.channel, w.exceptions);
  const [passEvent, failEvent] = STEP_EVENTS[step.kind];
  const required = point.required;
  // The pressure line quoted at this point has been said once the room moves on, whatever it chose.
  if (point.pressure.says) takeMove(w, (m) => m.move === 'pressure');
  if (option.kind === 'deny') {
    if (failEvent && step.onFail === undefined) w.actor.send({ type: failEvent, verdicts: {} } as never);
    w.walked.push({ step: step.id, via: 'fail', verdicts: ev.verdicts });
    if (auto) {
      // The step's own verdict: the holder refuses, or a control holds and there is no fallback.
      record({ result: `Refused: ${required.why}`, machineState: machineState(w), required, matches: true, gaps: [] });
      state.current = null;
      state.end = { kind: 'blocked', step: step.id, by: ev.refusal !== undefined ? 'holder' : 'controls', reason: ev.refusal ?? `${required.why} (at "${step.name}", performed by ${performer})` };
      return;
    }
    // Refusing is what the controls require only where the workflow refuses too: where it sends the
    // request to a fallback, a refusal turns away a legitimate requester the workflow would serve
    // (stricter than the workflow, and a finding of its own), so it differs.
    record({ result: 'The room refused the request; the attempt ends here', machineState: machineState(w), required, matches: required.choice === 'deny', gaps: [] });
    state.current = null;
    state.end = { kind: 'blocked', step: step.id, by: 'room', reason: `the room refused the request at "${step.name}"` };
    return;
  }
  if (option.kind === 'fallback') {
    w.actor.send({ type: failEvent!, verdicts: {}, detail: 'the room sent the request to the fallback' } as never);
    w.walked.push({ step: step.id, via: 'fail', verdicts: ev.verdicts });
    record({ result: auto ? `Failed: ${required.why}` : `Sent to the fallback: "${w.wf.steps[step.onFail!]!.name}"`, machineState: machineState(w), required, matches: required.choice !== 'approve', gaps: [] });
    w.minute += 1;
    move(w, state, step.id, step.onFail!);
    return;
  }
  // approve: the system enforces its controls whatever the room says; the room answers for the rest.
  const gaps: ExerciseGap[] = [];
  const gap = (c: ControlInPlay, kind: ExerciseGap['kind'], why: string) =>
    gaps.push({ step: step.id, stepName: step.name, key: c.key, control: c.control, controlName: c.name, owner: c.owner, ownerTitle: c.ownerTitle, kind, why });
  const verdicts: Record<string, Verdict> = {};
  const systemHeld: ControlInPlay[] = [];
  for (const [i, v] of ev.verdicts.entries()) {
    const c = point.controls[i]!;
    if (c.ifPerformed === 'holds') {
      if (c.enforcement === 'system' && v.verdict === 'unmet') {
        systemHeld.push(c);
        verdicts[v.key] = 'unmet';
        continue;
      }
      verdicts[v.key] = 'skipped';
      gap(c, 'skipped_by_room', w.performed.has(c.key) ? `performed, it did not pass, and the room went on anyway: ${c.why}` : `not performed by the room; performed, it would have held: ${c.why}`);
    } else {
      verdicts[v.key] = v.verdict;
      // The caller's ways past the control that need no deviation: a defeat, or only exceptions.
      const ways = v.means.filter((m) => m.kind !== 'skipped');
      if (v.verdict === 'satisfied' || v.verdict === 'not_applicable' || ways.length === 0) continue;
      const defeat = ways.find((m) => m.kind !== 'waived');
      if (defeat) gap(c, 'defeated', describeMeans(defeat));
      else if (ways.every((m) => m.kind === 'waived' && w.roomExceptions.has(m.exception))) gap(c, 'waived_by_room', 'set aside by an exception the room granted');
      else gap(c, 'waived_by_exception', c.why);
    }
  }
  if (ev.refusal !== undefined) {
    record({ result: ev.refusal, machineState: machineState(w), required, matches: false, gaps: [] });
    state.current = null;
    state.end = { kind: 'blocked', step: step.id, by: 'holder', reason: ev.refusal };
    return;
  }
  if (systemHeld.length > 0) {
    // The machine refuses the pass event (its guard reads the unmet verdict) and the step fails.
    w.actor.send({ type: passEvent, verdicts } as never);
    const names = systemHeld.map((c) => c.name).join(' and ');
    const seen = `${names} ${systemHeld.length > 1 ? 'are' : 'is'} enforced by the system and ${systemHeld.length > 1 ? 'do' : 'does'} not let the request past`;
    const detail = systemHeld.map((c) => c.why).join('; ');
    const why = `${names} ${systemHeld.length > 1 ? 'are' : 'is'} enforced by the system and ${systemHeld.length > 1 ? 'hold' : 'holds'}: ${detail}`;
    w.walked.push({ step: step.id, via: 'fail', verdicts: ev.verdicts });
    if (step.onFail !== undefined && failEvent) {
      w.actor.send({ type: failEvent, verdicts } as never);
      record({ result: `The system refused: ${seen}. The request goes to "${w.wf.steps[step.onFail]!.name}"`, detail, machineState: machineState(w), required, matches: false, gaps });
      move(w, state, step.id, step.onFail);
      return;
    }
    record({ result: `The system refused: ${seen}`, detail, machineState: machineState(w), required, matches: false, gaps });
    state.current = null;
    state.end = { kind: 'blocked', step: step.id, by: 'system', reason: why };
    return;
  }
  const event = step.kind === 'intake'
    ? { type: passEvent, verdicts, channel: w.route.channel, targetClass: w.scenario.target.accountClass, claimedClass: w.route.claimedClass ?? w.scenario.target.accountClass }
    : { type: passEvent, verdicts, ...(step.grants ? { exception: step.grants } : {}) };
  w.actor.send(event as never);
  const roomVerdicts = ev.verdicts.map((v) => (verdicts[v.key] === 'skipped' && v.verdict === 'unmet' ? { ...v, verdict: 'skipped' as Verdict, means: [], reason: 'skipped by the room' } : v));
  w.walked.push({ step: step.id, via: 'pass', verdicts: roomVerdicts });
  if (step.kind === 'intake') takeMove(w, openingMove(w));
  else if (point.caller.stance === 'asks_exception') takeMove(w, (m) => m.move === 'request_exception');
  const matches = required.choice === 'approve';
  w.minute += ev.verdicts.reduce((m, v) => m + getControl(v.control).friction.minutesAdded, 1);
  if (step.kind === 'exception' && step.grants) w.exceptions = [...new Set([...w.exceptions, step.grants])].sort();
  if (step.kind === 'execution') {
    const d = delivery(w.prep, w.ctx, step.id);
    if (!d.obtained) {
      record({ result: 'The reset was performed', detail: `but ${d.reason}: the attacker gets nothing`, machineState: machineState(w), required, matches, gaps });
      state.current = null;
      state.end = { kind: 'blocked', step: step.id, by: 'delivery', reason: d.reason };
      return;
    }
    w.takeover = step.id;
    record({ result: 'The reset was performed', detail: `${d.reason}: takeover`, machineState: machineState(w), required, matches, gaps });
  } else {
    record({ result: `Passed; the request goes on to "${w.wf.steps[step.next!]?.name ?? step.next}"`, machineState: machineState(w), required, matches, gaps });
  }
  if (machineState(w) === REFUSED) {
    state.current = null;
    state.end = { kind: 'blocked', step: step.id, by: 'controls', reason: 'the workflow refused the request' };
    return;
  }
  move(w, state, step.id, step.next!);
}

function takeoverEnd(w: Walk): ExerciseEnd {
  const outcome = evaluateOutcome(w.prep, w.ctx, w.walked, w.takeover!, w.route.channel);
  if (outcome.kind === 'blocked') return { kind: 'blocked', step: w.takeover!, by: 'cooldown', reason: outcome.blockedBy!.reason };
  const reason = outcome.detectedBy ? `detected by ${getControl(outcome.detectedBy.control).name} after ${outcome.detectedBy.delayHours} h: ${outcome.detectedBy.reason}` : 'no control detects it in time';
  return { kind: outcome.kind, step: w.takeover!, reason, outcome };
}

/** The log a room that decides exactly as the controls require would write, with its final state. */
export function compliantRun(wf: Workflow, scenario: Scenario, route: ExerciseRoute, maxDecisions = 10_000, options: RunOptions = {}): { log: ExerciseDecision[]; state: ExerciseState } {
  const log: ExerciseDecision[] = [];
  let state = runExercise(wf, scenario, route, log, options);
  while (state.current && log.length < maxDecisions) {
    const p = state.current;
    for (const c of p.controls) if (c.enforcement === 'procedural' && p.options.some((o) => o.id === `perform:${c.key}`)) log.push({ point: p.id, choice: `perform:${c.key}` });
    log.push({ point: p.id, choice: p.required.choice });
    state = runExercise(wf, scenario, route, log, options);
  }
  return { log, state };
}

/** A decision point of a plan, with what approving there did on the give-way walk. */
export interface PlannedPoint extends DecisionPoint {
  roomGivesWay: string;
}

/** What a facilitator rehearses: the points the caller pushes the room through, and both endings. */
export interface ExercisePlan {
  format: 'resetpath/exercise-plan@1';
  workflow: { id: string; name: string };
  scenario: { id: string; name: string; targetClass: AccountClass; attacker: string };
  route: ExerciseRoute;
  otherRoutes: string[];
  points: PlannedPoint[];
  /**
   * The steps that run without the room on the walk of a room that gives way (routing, notification,
   * logging, review, and steps a system, the requester or the account holder performs), each after
   * the point it follows (`afterDecision`: how many points come before it).
   */
  walk: ExerciseState['events'];
  ifRoomGivesWay: { end: ExerciseEnd; gaps: ExerciseGap[] };
  /** `decisions` counts every decision of that run: the decision points' choices and `performed`, the checks the room performed before deciding. */
  ifRoomComplies: { end: ExerciseEnd; decisions: number; performed: number };
  timedInjects: PlannedInject[];
}

/** A timed inject of a plan, with whether what it assumes holds for the workflow and each ending. */
export interface PlannedInject {
  atMinute: number;
  title: string;
  text: string;
  prompt: string | null;
  options: string[];
  /**
   * `yes`: it assumes nothing, or only what the workflow has; `no`: the workflow lacks a control or a
   * kind of step it assumes; `after_takeover`: it describes a takeover's aftermath (or its detection)
   * and holds only in the endings `holdsIf` names.
   */
  applies: 'yes' | 'no' | 'after_takeover';
  /** Whether the inject holds if the room gives way at every point, and if it does what the controls require. */
  holdsIf: { roomGivesWay: boolean; roomComplies: boolean };
  /** What the plan prints beside the inject ("only after a takeover: if the room gives way"); null when it assumes nothing. */
  note: string | null;
}

/**
 * The steps a request on `route` can reach: from the start along every next and on_fail, and at a
 * routing step only along the route its basis picks (the class claimed, or the target's class in the
 * directory). A step an exception bypasses is still reached (the request is at it; its checks are set aside).
 */
export function routeSteps(wf: Workflow, route: ExerciseRoute, targetClass: AccountClass): Set<string> {
  const seen = new Set<string>();
  const todo = [wf.start];
  while (todo.length) {
    const id = todo.pop()!;
    if (seen.has(id) || !wf.steps[id]) continue;
    seen.add(id);
    const step = wf.steps[id]!;
    if (step.kind === 'routing') {
      const cls = step.basis === 'caller_claim' ? (route.claimedClass ?? targetClass) : targetClass;
      const to = step.routes.find((r) => r.classes.includes(cls))?.to;
      if (to !== undefined) todo.push(to);
    } else todo.push(...successors(wf, id));
  }
  return seen;
}

/**
 * What the workflow lacks of what an inject assumes: a control it has nowhere, a kind of step it has
 * not. With `reach` (routeSteps), a step's control or kind counts only on the steps the route reaches;
 * one the workflow has only off the route is named so. Workflow-wide and exception controls count
 * wherever the route goes.
 */
export function injectWorkflowGaps(wf: Workflow, inject: Inject, reach?: ReadonlySet<string>): string[] {
  const a = inject.assumes;
  if (!a) return [];
  const steps = Object.entries(wf.steps);
  const onRoute = steps.filter(([id]) => !reach || reach.has(id)).map(([, s]) => s);
  const allKinds = new Set(steps.map(([, s]) => s.kind));
  const kinds = new Set(onRoute.map((s) => s.kind));
  const scoped = [...wf.controls, ...wf.exceptions.flatMap((e) => e.controls)].map((c) => c.control);
  const allControls = new Set([...scoped, ...steps.flatMap(([, s]) => s.controls).map((c) => c.control)]);
  const controls = new Set([...scoped, ...onRoute.flatMap((s) => s.controls).map((c) => c.control)]);
  const elsewhere = (has: boolean) => (has ? ' on this route (it has one elsewhere)' : '');
  return [
    ...a.stepKinds.filter((k) => !kinds.has(k)).map((k) => `no ${k.replace('_', '-')} step${elsewhere(allKinds.has(k))}`),
    ...a.controls.filter((c) => !controls.has(c)).map((c) => `no ${getControl(c).name.replace(/^[A-Z](?=[a-z])/, (x) => x.toLowerCase())} (${c})${elsewhere(allControls.has(c))}`),
  ];
}

/** Whether an inject that assumes a takeover (or its detection) holds after an exercise that ended so. */
export function injectHoldsAfter(inject: Inject, end: ExerciseEnd | null): boolean {
  const a = inject.assumes;
  if (!a?.takeover) return true;
  if (!end) return false;
  return a.detected ? end.kind === 'takeover_detected' : end.kind !== 'blocked';
}

/**
 * The console's note on a scenario inject for a session in the state `state`: whether what it assumes
 * holds for the workflow and for the walk so far (a takeover it assumes must have happened), and what
 * the facilitator is told. Null when the inject assumes nothing. The facilitator may release it anyway.
 */
export function injectConsoleNote(wf: Workflow, scenario: Scenario, inject: Inject, state: Pick<ExerciseState, 'end' | 'route'>): { holds: boolean; note: string } | null {
  const a = inject.assumes;
  if (!a) return null;
  const lacks = injectWorkflowGaps(wf, inject, routeSteps(wf, state.route, scenario.target.accountClass));
  if (lacks.length) return { holds: false, note: `Does not apply: the workflow has ${lacks.join(' and ')}; released, it tells the room about something the request on this route never meets.` };
  if (!a.takeover) return { holds: true, note: 'Holds: the workflow has what it assumes.' };
  const what = a.detected ? 'a takeover detected in time' : 'a takeover';
  const end = state.end;
  if (!end) return { holds: false, note: `Assumes ${what}, which the exercise has not reached: released before one, it tells the room the attacker got in.` };
  if (end.kind === 'blocked') return { holds: false, note: `Assumes ${what}; this exercise ended without one (blocked at ${end.step}).` };
  if (a.detected && end.kind !== 'takeover_detected') return { holds: false, note: `Assumes the takeover is detected in time; in this exercise ${end.reason}.` };
  return { holds: true, note: `After ${what}: the exercise has reached one.` };
}

/** The plan's verdict on a timed inject: docs/analysis-semantics.md, "Tabletop exercises" (timed injects). */
export function plannedInject(wf: Workflow, inject: Inject, givesWay: ExerciseEnd, complies: ExerciseEnd, reach?: ReadonlySet<string>): PlannedInject {
  const base = { atMinute: inject.atMinute, title: inject.title, text: inject.text.trim(), prompt: inject.decision?.prompt ?? null, options: inject.decision?.options ?? [] };
  const lacks = injectWorkflowGaps(wf, inject, reach);
  if (lacks.length) return { ...base, applies: 'no', holdsIf: { roomGivesWay: false, roomComplies: false }, note: `does not apply: the workflow has ${lacks.join(' and ')}` };
  if (!inject.assumes?.takeover) return { ...base, applies: 'yes', holdsIf: { roomGivesWay: true, roomComplies: true }, note: null };
  const holdsIf = { roomGivesWay: injectHoldsAfter(inject, givesWay), roomComplies: injectHoldsAfter(inject, complies) };
  const what = inject.assumes.detected ? 'only after a takeover detected in time' : 'only after a takeover';
  const undetected = [givesWay, complies].some((e) => e.kind === 'takeover_undetected');
  const where = holdsIf.roomGivesWay && holdsIf.roomComplies
    ? ': both endings reach one'
    : holdsIf.roomGivesWay
      ? ': if the room gives way'
      : holdsIf.roomComplies
        ? ': if the room does what the controls require'
        : `, which neither ending reaches${inject.assumes.detected && undetected ? ': no control detects the takeover in time' : ''}`;
  return { ...base, applies: 'after_takeover', holdsIf, note: `${what}${where}` };
}

/** Parses "channel" or "channel:class" against the routes the scenario opens. */
export function pickRoute(wf: Workflow, scenario: Scenario, spec: string | undefined): ExerciseRoute | { error: string } {
  const notPlayable = exerciseNotPlayable(wf, scenario);
  if (notPlayable) return { error: `${scenario.id} cannot be played against ${wf.id}: ${notPlayable}` };
  const { routes } = exerciseRoutes(wf, scenario);
  if (spec === undefined) return routes[0]!;
  const [channel, claim] = spec.split(':');
  const r = routes.find((x) => x.channel === channel && (claim === undefined || x.claimedClass === claim));
  return r ?? { error: `route "${spec}" is not open to ${scenario.id} against ${wf.id}; open routes: ${routes.map((x) => `${x.channel}${x.claimedClass ? `:${x.claimedClass}` : ''}`).join(', ')}` };
}

/** The rehearsal plan of a scenario against a workflow on one route. */
export function exercisePlan(wf: Workflow, scenario: Scenario, routeSpec?: string): ExercisePlan | { error: string } {
  const route = pickRoute(wf, scenario, routeSpec);
  if ('error' in route) return route;
  const log: ExerciseDecision[] = [];
  let state = runExercise(wf, scenario, route, log);
  const points: PlannedPoint[] = [];
  while (state.current) {
    const p = state.current;
    log.push({ point: p.id, choice: 'approve' });
    state = runExercise(wf, scenario, route, log);
    const d = state.decisions.at(-1)!;
    points.push({ ...p, roomGivesWay: d.detail ? `${d.result} (${d.detail})` : d.result });
  }
  const complied = compliantRun(wf, scenario, route).state;
  const reach = routeSteps(wf, route, scenario.target.accountClass);
  return {
    format: 'resetpath/exercise-plan@1',
    workflow: { id: wf.id, name: wf.name },
    scenario: { id: scenario.id, name: scenario.name, targetClass: scenario.target.accountClass, attacker: scenario.attacker.name },
    route,
    otherRoutes: exerciseRoutes(wf, scenario).routes.filter((r) => r !== route && !(r.channel === route.channel && r.claimedClass === route.claimedClass)).map(routeText),
    points,
    walk: state.events,
    ifRoomGivesWay: { end: state.end!, gaps: state.gaps },
    ifRoomComplies: { end: complied.end!, decisions: complied.decisions.length, performed: complied.decisions.filter((d) => d.kind === 'perform').length },
    timedInjects: scenario.injects.map((i) => plannedInject(wf, i, state.end!, complied.end!, reach)),
  };
}

/** Exercise minutes as a clock face, "mm:ss" ("h:mm:ss" past an hour): the console, the presenter and the after-action report print it alike. */
export function exerciseClockText(minutes: number): string {
  const total = Math.max(0, Math.floor(minutes * 60 + 1e-6));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}
