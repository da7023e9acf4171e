// The search-state graph of one workflow against one scenario: every state an attacker can reach
// (channel, step, claimed class, active exceptions, takeover, retries used, and the small summary
// the outcome depends on) and every move between states. Loops back cost a retry (analysis/flow.ts),
// so the graph is finite and acyclic; it is built breadth-first without recursion, and a path of
// the graph from a root to a takeover end is exactly one takeover path of docs/analysis-semantics.md.
import { ACCOUNT_CLASSES, getControl as getControlDef, type AccountClass } from '../models/index.ts';
import {
  agentActed,
  anomalyVerdict,
  byDetectionOrder,
  scenarioContext,
  containmentAt,
  cooldownBlocks,
  cooldownIdentity,
  delivery,
  detectionOf,
  enrollsAttackerDevice,
  evaluateStep,
  insiderVerdict,
  inTime,
  logIntact,
  ordinaryRecordIntact,
  notifyVerdict,
  providerAgentActed,
  providerConsole,
  reviewVerdict,
  standingExceptionIds,
  vendorReportVerdict,
  type AttackChannel,
  type AttackContext,
  type DetectionVerdict,
  type Prepared,
  type Scenario,
  type StepEvaluation,
  type WalkedStep,
} from '../scenarios/index.ts';
import { channelOpenFor } from './channels.ts';
import { AnalysisCache } from './cache.ts';
import { flowOf, type Flow } from './flow.ts';
import { AnalysisLimitError, LIMITS, stepPath } from './limits.ts';

/** An exception active in a state: standing since before the request, or granted on this path. */
export interface ActiveException {
  id: string;
  how: 'standing' | 'granted';
}

/** A detection that would fire on the path so far (instance key and where it sits). */
export interface Candidate {
  key: string;
  step: string | null;
}

/**
 * What the outcome of a path depends on, gathered along it: the first-firing notification (for a
 * takeover that does, or does not, enrol the attacker's device), the fastest review that would fire
 * against an intact record, whether a review step and an intact record were visited, and whether an
 * attacker-held agent identity acted (and whether it acted as a provider's agent).
 */
export interface Summary {
  notifyIfEnroll: Candidate | null;
  notifyOtherwise: Candidate | null;
  review: (Candidate & { hours: number }) | null;
  reviewStep: boolean;
  intactLog: boolean;
  usedAgent: boolean;
  /** An attacker-held identity acted as a provider's agent (what the contract's incident report covers). */
  usedProviderAgent: boolean;
}

export interface TakeoverEnd {
  kind: 'takeover_detected' | 'takeover_undetected';
  detectedBy: { control: string; key: string; step: string | null; delayHours: number } | null;
  /** Whether a notification fires on this path (the user is told), and after how long. */
  notifyHours: number | null;
  containment: 'revoked' | 'persists';
  /** Whether an attacker-held identity had to act on the path (as a provider's agent), the takeover step's cooling-off included. */
  usedAgent: boolean;
  usedProviderAgent: boolean;
  /** Whether the identity had to act at the takeover step's cooling-off, and the unknowns it was left out of it through otherwise (cooldownIdentity). */
  cooldownActed: boolean;
  cooldownAvoid: readonly string[];
}

export interface GNode {
  id: number;
  channel: AttackChannel;
  step: string;
  claim: AccountClass | null;
  exceptions: readonly ActiveException[];
  takeover: string | null;
  retries: number;
  summary: Summary;
  /** Reached after the takeover by a loop back: the path ends here. */
  halted: boolean;
  /**
   * A routing step reached straight from a routing step that routed by the caller's claim, with no
   * other step between: the request is routed on at once, by the claim just made (only set on states
   * at routing steps).
   */
  routedByClaim: boolean;
  /** Set when a takeover path ends here. */
  end: TakeoverEnd | null;
  /** Ids of the edges leaving this node, in move order. */
  out: number[];
  /** The edge that first reached this node (breadth-first, so along a shortest prefix); -1 at a root. */
  parent: number;
  /** Its moveKey once worked out (a cache kept on the node: read for every move's label and count). */
  moveKey?: string;
}

export interface GEdge {
  id: number;
  from: number;
  to: number;
  via: 'pass' | 'fail' | 'route';
  /** A move before the takeover (only these can be closed by a control). */
  pre: boolean;
  /** The step's evaluation for moves before the takeover (pass and fail). */
  ev: StepEvaluation | null;
  /** The workflow transition this move walks: "from>to>next|on_fail|route". */
  transition: string;
}

/**
 * Why attempts end without a takeover: controls held; the credential goes elsewhere; a cooling-off
 * let the user stop it; no route; the request ends without a reset; the channel is closed; the
 * account holder does not act; or the request, having passed, goes back on a loop until the
 * retries are spent (`loop`: a workflow whose passing request never reaches a reset or an end).
 */
export type BlockKind = 'controls' | 'delivery' | 'cooldown' | 'unrouted' | 'refused' | 'channel' | 'holder' | 'loop';

/** A place where attempts end without a takeover (one per step, kind and held controls). */
export interface GBlock {
  step: string;
  channel: AttackChannel;
  kind: BlockKind;
  held: { key: string; control: string; reason: string }[];
  reason: string;
  /** The node the attempt was in when it ended (-1 for a closed channel). */
  at: number;
  /** The last move of the attempt (the step it could not pass, or the end it reached). */
  last: { step: string; via: WalkedStep['via'] } | null;
}

export interface StateGraph {
  prep: Prepared;
  ctx: AttackContext;
  scenario: Scenario;
  flow: Flow;
  nodes: GNode[];
  edges: GEdge[];
  /** One root per open channel, in strategy order. */
  roots: number[];
  blocks: GBlock[];
  applicable: boolean;
  notApplicableReason?: string;
}

const NOTIFY_HOURS = (): number => getControlDef('notify.out_of_band').detectionDelayHours!;

const excKeys = new WeakMap<readonly ActiveException[], string>();
/** Active exceptions as a short key (kept per list: states pass the same list on until it changes). */
const excKey = (xs: readonly ActiveException[]): string => {
  if (xs.length === 0) return '';
  let k = excKeys.get(xs);
  if (k === undefined) excKeys.set(xs, (k = xs.map((x) => `${x.id}${x.how === 'standing' ? '~' : ''}`).join(',')));
  return k;
};
const candKey = (c: Candidate | null) => (c ? c.key : '-');
/**
 * A summary as a short string key. Not kept per object: its two callers (the graph's interner and
 * the survivor count's SummaryJoins) each ask once per summary object already.
 */
export const summaryKey = (s: Summary): string =>
  `${candKey(s.notifyIfEnroll)};${candKey(s.notifyOtherwise)};${s.review ? `${s.review.hours}@${s.review.key}` : '-'};${s.reviewStep ? 1 : 0}${s.intactLog ? 1 : 0}${s.usedAgent ? 1 : 0}${s.usedProviderAgent ? 1 : 0}`;

const excTags = new WeakMap<readonly ActiveException[], string>();
/**
 * What a state's moves before the takeover are decided by besides the workflow and the attacker —
 * its step, channel and active exceptions ("step|channel|id s|id g,..."), kept per state.
 */
export function moveKey(n: GNode): string {
  let k = n.moveKey;
  if (k === undefined) {
    let e = excTags.get(n.exceptions);
    if (e === undefined) excTags.set(n.exceptions, (e = n.exceptions.map((x) => `${x.id}${x.how[0]}`).join(',')));
    n.moveKey = k = `${n.step}|${n.channel}|${e}`;
  }
  return k;
}

/** The active exception ids, sorted (what the step evaluation takes). */
export function activeIds(xs: readonly ActiveException[]): string[] {
  return xs.map((x) => x.id);
}

function minCand<T extends Candidate>(a: T | null, b: T | null, order: (x: T, y: T) => number): T | null {
  if (!a) return b;
  if (!b) return a;
  return order(a, b) <= 0 ? a : b;
}
const byKey = (a: Candidate, b: Candidate) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const byHoursKey = (a: Candidate & { hours: number }, b: Candidate & { hours: number }) => a.hours - b.hours || byKey(a, b);

/** What visiting a step adds to the summary (its notifications, reviews and log). */
export function visitSummary(prep: Prepared, ctx: AttackContext, stepId: string): Partial<Summary> {
  const at = prep.byStep.get(stepId);
  const out: Partial<Summary> = {};
  const notify = at?.get('notify.out_of_band');
  if (notify) {
    if (notifyVerdict(prep, ctx, notify, stepId, true).detects) out.notifyIfEnroll = { key: notify.key, step: stepId };
    if (notifyVerdict(prep, ctx, notify, stepId, false).detects) out.notifyOtherwise = { key: notify.key, step: stepId };
  }
  const review = at?.get('review.post_event');
  if (review) {
    // A review that would come after the attacker's objective cannot make the path detected.
    const v = reviewVerdict(prep, ctx, review, stepId, 'intact');
    if (v.detects && inTime(ctx, v.delayHours!)) out.review = { key: review.key, step: stepId, hours: v.delayHours! };
  }
  if (prep.wf.steps[stepId]!.kind === 'review') out.reviewStep = true;
  const log = at?.get('log.immutable');
  if (log && logIntact(prep, ctx, log, stepId)) out.intactLog = true;
  return out;
}

export function joinSummary(s: Summary, add: Partial<Summary>): Summary {
  const notifyIfEnroll = minCand(s.notifyIfEnroll, add.notifyIfEnroll ?? null, byKey);
  const notifyOtherwise = minCand(s.notifyOtherwise, add.notifyOtherwise ?? null, byKey);
  const review = minCand(s.review, add.review ?? null, byHoursKey);
  const reviewStep = s.reviewStep || (add.reviewStep ?? false);
  const intactLog = s.intactLog || (add.intactLog ?? false);
  const usedAgent = s.usedAgent || (add.usedAgent ?? false);
  const usedProviderAgent = s.usedProviderAgent || (add.usedProviderAgent ?? false);
  // Most visits add nothing: keep the same object (fewer allocations, cached key).
  if (notifyIfEnroll === s.notifyIfEnroll && notifyOtherwise === s.notifyOtherwise && review === s.review && reviewStep === s.reviewStep && intactLog === s.intactLog && usedAgent === s.usedAgent && usedProviderAgent === s.usedProviderAgent) return s;
  return { notifyIfEnroll, notifyOtherwise, review, reviewStep, intactLog, usedAgent, usedProviderAgent };
}

/**
 * What passing a step (before the takeover) adds to the summary: an attacker-held agent identity
 * that acted there, as a provider's agent when the step is an outsourced desk's.
 */
export function passSummary(prep: Prepared, stepId: string, verdicts: StepEvaluation['verdicts']): Partial<Summary> {
  if (!agentActed(verdicts)) return {};
  return providerAgentActed(prep, stepId, verdicts) ? { usedAgent: true, usedProviderAgent: true } : { usedAgent: true };
}

/** The summary at the start of a request on a channel: a workflow-scope log, an agent opening it from the console (a provider's, at an outsourced intake). */
export function rootSummary(prep: Prepared, ctx: AttackContext, channel: AttackChannel): Summary {
  const w = prep.workflowScope.get('log.immutable');
  return {
    notifyIfEnroll: null,
    notifyOtherwise: null,
    review: null,
    reviewStep: false,
    // The reset's ticket is its record too, intact unless the attacker can alter it (ordinaryRecordIntact).
    intactLog: ordinaryRecordIntact(prep, ctx) || (!!w && logIntact(prep, ctx, w, null)),
    usedAgent: channel === 'agent_console',
    usedProviderAgent: providerConsole(prep, channel),
  };
}

/** Whether a path with this summary ends in a takeover (resolveEnd is not null): no cooling-off lets the notified user stop it. */
export function takesOver(prep: Prepared, ctx: AttackContext, takeoverStep: string, s: Summary, cache?: AnalysisCache): boolean {
  return takesOverNotified(prep, ctx, takeoverStep, !!s.notifyIfEnroll, !!s.notifyOtherwise, cache);
}

/**
 * takesOver by the only part of a summary it reads: whether the path carries a notification that
 * fires for a takeover that enrolls the attacker's device, and one that fires for any other.
 */
export function takesOverNotified(prep: Prepared, ctx: AttackContext, takeoverStep: string, notifyIfEnroll: boolean, notifyOtherwise: boolean, cache?: AnalysisCache): boolean {
  const notified = enrollsAttackerDevice(prep.wf.steps[takeoverStep]!) ? notifyIfEnroll : notifyOtherwise;
  const notifyHours = notified ? NOTIFY_HOURS() : null;
  return !(cache ? cache.cooldown(prep, ctx, takeoverStep, notifyHours) : cooldownBlocks(prep, ctx, takeoverStep, notifyHours));
}

/**
 * The outcome of a takeover path from its summary: the same detections, order, cooling-off and
 * containment as evaluateOutcome on the walked path (the differential test checks they agree).
 * Returns null when the cooling-off lets the notified user stop the reset (no takeover).
 */
export function resolveEnd(prep: Prepared, ctx: AttackContext, takeoverStep: string, s: Summary, cache?: AnalysisCache): TakeoverEnd | null {
  if (!takesOver(prep, ctx, takeoverStep, s, cache)) return null;
  const notify = enrollsAttackerDevice(prep.wf.steps[takeoverStep]!) ? s.notifyIfEnroll : s.notifyOtherwise;
  const notifyHours = notify ? NOTIFY_HOURS() : null;
  // The identity may have had to act to get past the cooling-off the notification would make hold.
  const atCooldown = cooldownIdentity(prep, ctx, takeoverStep, notifyHours);
  const usedAgent = s.usedAgent || atCooldown.acted;
  const usedProviderAgent = s.usedProviderAgent || atCooldown.provider;
  const candidates: DetectionVerdict[] = [];
  if (notify) candidates.push(detectionOf({ key: notify.key, control: 'notify.out_of_band' }, notify.step, true, '', notifyHours!));
  if (s.intactLog && s.review) candidates.push(detectionOf({ key: s.review.key, control: 'review.post_event' }, s.review.step, true, '', s.review.hours));
  const anomaly = prep.workflowScope.get('detect.reset_anomaly');
  if (anomaly) candidates.push(anomalyVerdict(anomaly, null));
  const insider = prep.workflowScope.get('agent.insider_controls');
  if (insider) {
    const v = insiderVerdict(insider, null, usedAgent);
    if (v.detects) candidates.push(v);
  }
  const contract = prep.workflowScope.get('vendor.contract_controls');
  if (contract) {
    const v = vendorReportVerdict(contract, null, usedProviderAgent);
    if (v.detects) candidates.push(v);
  }
  // Only a detection before the attacker's objective counts.
  const firing = candidates.filter((d) => inTime(ctx, d.delayHours!)).sort(byDetectionOrder);
  const first = firing[0];
  return {
    kind: first ? 'takeover_detected' : 'takeover_undetected',
    detectedBy: first ? { control: first.control, key: first.key, step: first.step, delayHours: first.delayHours! } : null,
    notifyHours,
    containment: containmentAt(prep, ctx, takeoverStep),
    usedAgent,
    usedProviderAgent,
    cooldownActed: atCooldown.acted,
    cooldownAvoid: atCooldown.avoidUnknowns,
  };
}

/**
 * Exceptions in force for a request for this class without being asked for: those left standing (no
 * expiry) that apply to the class. A standing exception is a property of the workflow, so it applies
 * to every attacker whose request is for that class, whatever its strategy.
 */
export function standingExceptions(prep: Prepared, cls: AccountClass): ActiveException[] {
  return standingExceptionIds(prep, cls).map((id) => ({ id, how: 'standing' as const }));
}

/** The active exceptions with the standing ones for a claimed class added (a desk routing by the caller's claim applies them by that claim). */
function withStanding(xs: readonly ActiveException[], add: readonly ActiveException[]): readonly ActiveException[] {
  const missing = add.filter((a) => !xs.some((x) => x.id === a.id));
  return missing.length === 0 ? xs : [...xs, ...missing].sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Small ids for strings, in the order first met: one table per graph build. */
function atoms(): (v: string) => number {
  const ids = new Map<string, number>();
  return (v) => {
    let id = ids.get(v);
    if (id === undefined) ids.set(v, (id = ids.size));
    return id;
  };
}

/** Small ids for values by content (their key), remembered per value: one table per graph build. */
function interner<T>(keyOf: (v: T) => string): (v: T) => number {
  const ids = new Map<string, number>();
  const known = new Map<T, number>();
  return (v) => {
    let id = known.get(v);
    if (id === undefined) {
      const k = keyOf(v);
      id = ids.get(k);
      if (id === undefined) ids.set(k, (id = ids.size));
      known.set(v, id);
    }
    return id;
  };
}

/** Builds the state graph of a workflow (prepared) against a scenario. */
export function buildStateGraph(prep: Prepared, scenario: Scenario, cache: AnalysisCache = new AnalysisCache()): StateGraph {
  const wf = prep.wf;
  const target = scenario.target.accountClass;
  const ctx = scenarioContext(prep, scenario);
  const flow = flowOf(wf);
  const g: StateGraph = { prep, ctx, scenario, flow, nodes: [], edges: [], roots: [], blocks: [], applicable: true, notApplicableReason: undefined };
  if (!wf.accountClasses.includes(target)) {
    g.applicable = false;
    g.notApplicableReason = `the workflow does not serve the ${ACCOUNT_CLASSES[target].name} account class`;
    return g;
  }
  const queue: number[] = [];
  const blockSeen = new Set<string>();
  const visitMemo = new Map<string, Partial<Summary>>();
  const visit = (stepId: string) => {
    let v = visitMemo.get(stepId);
    if (!v) visitMemo.set(stepId, (v = cache.visit(prep, ctx, stepId, visitSummary)));
    return v;
  };
  const retryBudget = scenario.strategy.retries;
  const requests = scenario.strategy.exceptions.includes('request');

  const block = (b: Omit<GBlock, 'held' | 'reason'> & Partial<Pick<GBlock, 'held' | 'reason'>>) => {
    const held = b.held ?? [];
    const key = `${b.channel}|${b.step}|${b.kind}|${held.map((h) => h.key).join(',')}|${b.reason ?? ''}`;
    if (blockSeen.has(key)) return;
    blockSeen.add(key);
    g.blocks.push({ step: b.step, channel: b.channel, kind: b.kind, held, reason: b.reason ?? '', at: b.at, last: b.last });
  };

  // States are found by their parts as small numbers, not by a key string per move: steps, channels
  // and claims as atoms, active exceptions and summaries by content (each distinct one is some state's,
  // so fewer than LIMITS.statesPerScenario + 1 of each). Two numbers make the key: step and takeover
  // step; then exceptions, summary, channel, claim, retries, halted and routedByClaim, packed below 2^52.
  const atom = atoms();
  const excId = interner(excKey);
  const sumId = interner(summaryKey);
  const channelId = atoms();
  const claimId = atoms();
  const index = new Map<number, Map<number, number>>();
  const SPAN = 262_144; // 2^18 > LIMITS.statesPerScenario + 1

  const node = (channel: AttackChannel, step: string, claim: AccountClass | null, exceptions: readonly ActiveException[], takeover: string | null, retries: number, summary: Summary, halted: boolean, routedByClaim: boolean, parentEdge: number): number => {
    const x = excId(exceptions);
    const su = sumId(summary);
    // Attack channels (7) and account classes (11) each fit 5 bits; retries (at most 10) fit 4.
    const ch = channelId(channel);
    const cl = claim === null ? 0 : claimId(claim) + 1;
    if (x >= SPAN || su >= SPAN || ch >= 32 || cl >= 32 || retries >= 16) throw new Error(`internal: a search state's parts exceed the key's bounds (${x}, ${su}, ${ch}, ${cl}, ${retries})`);
    const outer = atom(step) * SPAN + (takeover === null ? 0 : atom(takeover) + 1);
    const inner = (((((x * SPAN + su) * 32 + ch) * 32 + cl) * 16 + retries) * 2 + (halted ? 1 : 0)) * 2 + (routedByClaim ? 1 : 0);
    let row = index.get(outer);
    if (!row) index.set(outer, (row = new Map()));
    const hit = row.get(inner);
    if (hit !== undefined) return hit;
    if (g.nodes.length >= LIMITS.statesPerScenario) {
      throw new AnalysisLimitError(
        wf,
        stepPath(wf, step),
        `workflow "${wf.id}" is too large to analyse against scenario "${scenario.id}": its search graph exceeds ${LIMITS.statesPerScenario.toLocaleString('en-US')} states (reached at step "${step}"); split the workflow or reduce its exceptions and loops`,
      );
    }
    const id = g.nodes.length;
    g.nodes.push({ channel, step, claim, exceptions, takeover, retries, summary, halted, routedByClaim, id, out: [], parent: parentEdge, end: null, moveKey: undefined });
    row.set(inner, id);
    queue.push(id);
    return id;
  };

  // Per workflow transition: whether it loops back, and its name (made once, not once per move).
  const transitions = new Map<string, Map<string, { back: boolean; name: string }>>();
  const transitionOf = (from: string, to: string, kind: 'next' | 'on_fail' | 'route') => {
    let row = transitions.get(from);
    if (!row) transitions.set(from, (row = new Map()));
    const k = kind === 'next' ? to : `${kind}|${to}`;
    let t = row.get(k);
    if (!t) row.set(k, (t = { back: flow.back.has(`${from}>${to}`), name: `${from}>${to}>${kind}` }));
    return t;
  };
  const edge = (from: GNode, via: GEdge['via'], to: string, ev: StepEvaluation | null, changes: Partial<GNode>, transitionKind: 'next' | 'on_fail' | 'route'): void => {
    const t = transitionOf(from.step, to, transitionKind);
    const back = t.back;
    const pre = from.takeover === null;
    const takeover = changes.takeover !== undefined ? changes.takeover : from.takeover;
    // The move that performs the takeover (out of its execution step) is already after it: a loop back
    // there ends the path like any loop back after the takeover, and costs no retry.
    let retries = from.retries;
    if (back && takeover === null) {
      if (retries >= retryBudget) {
        // A request that passed the step and still goes back is going round a loop: say where, so a
        // scenario this stops is not shown as blocked by nothing.
        if (transitionKind === 'next' && via === 'pass') {
          block({ step: from.step, channel: from.channel, kind: 'loop', reason: `passing it leads back to "${wf.steps[to]!.name ?? to}": ${retryBudget === 0 ? 'the attempt' : `after ${retryBudget} ${retryBudget === 1 ? 'retry' : 'retries'} the attempt`} ends on this loop, never reaching a reset or an end step`, at: from.id, last: { step: from.step, via: 'pass' } });
        }
        return;
      }
      retries++;
    }
    const eid = g.edges.length;
    const summary = joinSummary(changes.summary ?? from.summary, visit(to));
    const child = node(
      from.channel,
      to,
      changes.claim !== undefined ? changes.claim : from.claim,
      changes.exceptions ?? from.exceptions,
      takeover,
      retries,
      summary,
      // After the takeover the request only runs its course: a loop back ends the path where it leads.
      back && takeover !== null,
      via === 'route' && wf.steps[to]!.kind === 'routing' && (changes.routedByClaim ?? false),
      eid,
    );
    g.edges.push({ id: eid, from: from.id, to: child, via, pre, ev, transition: t.name });
    from.out.push(eid);
  };

  // A takeover path ends at this state: its outcome, or a cooling-off that let the user stop it.
  const finish = (n: GNode, last: { step: string; via: WalkedStep['via'] }) => {
    const end = resolveEnd(prep, ctx, n.takeover!, n.summary, cache);
    if (end) n.end = end;
    else {
      const c = cache.cooldown(prep, ctx, n.takeover!, NOTIFY_HOURS())!;
      block({ step: n.takeover!, channel: n.channel, kind: 'cooldown', held: [{ key: c.key, control: c.control, reason: c.reason }], reason: c.reason, at: n.id, last });
    }
  };

  const standing = standingExceptions(prep, target);
  for (const channel of scenario.strategy.channels) {
    const open = channelOpenFor(prep, ctx, channel);
    if (!open.open) {
      block({ step: wf.start, channel, kind: 'channel', reason: open.reason, at: -1, last: null });
      continue;
    }
    const before = g.nodes.length;
    const r = node(channel, wf.start, null, standing, null, 0, joinSummary(rootSummary(prep, ctx, channel), visit(wf.start)), false, false, -1);
    if (r >= before) g.roots.push(r);
  }

  for (let qi = 0; qi < queue.length; qi++) {
    const n = g.nodes[queue[qi]!]!;
    const step = wf.steps[n.step]!;
    if (n.halted) {
      finish(n, { step: step.id, via: 'end' });
      continue;
    }
    if (step.kind === 'end') {
      if (n.takeover === null) {
        block({ step: step.id, channel: n.channel, kind: 'refused', reason: `the request ends at "${step.name}" without a reset`, at: n.id, last: { step: step.id, via: 'end' } });
        continue;
      }
      finish(n, { step: step.id, via: 'end' });
      continue;
    }
    if (step.kind === 'routing') {
      const routeOf = (cls: AccountClass) => step.routes.find((r) => r.classes.includes(cls));
      if (step.basis === 'directory') {
        const r = routeOf(target);
        if (!r) block({ step: step.id, channel: n.channel, kind: 'unrouted', reason: `no route for the ${ACCOUNT_CLASSES[target].name} class`, at: n.id, last: null });
        else edge(n, 'route', r.to, null, { routedByClaim: n.routedByClaim }, 'route');
        continue;
      }
      // The caller claims a class anew at each visit before the takeover, except where routing steps
      // follow one another: the request is routed through them at once, by the claim just made.
      const claims = n.claim !== null && (n.takeover !== null || n.routedByClaim) ? [n.claim] : scenario.strategy.claims.filter((c) => wf.accountClasses.includes(c));
      let routed = false;
      for (const claim of claims.length ? claims : [target]) {
        const r = routeOf(claim);
        if (!r) continue;
        routed = true;
        edge(n, 'route', r.to, null, { claim, exceptions: withStanding(n.exceptions, standingExceptions(prep, claim)), routedByClaim: true }, 'route');
      }
      if (!routed) block({ step: step.id, channel: n.channel, kind: 'unrouted', reason: `no route for the classes claimed (${claims.join(', ') || target})`, at: n.id, last: null });
      continue;
    }
    if (n.takeover !== null) {
      // After the takeover the remaining steps run whatever their guards say; they only feed detection.
      edge(n, 'pass', step.next!, null, {}, 'next');
      continue;
    }
    const ev = cache.evaluate(prep, ctx, step.id, n.channel, activeIds(n.exceptions));
    if (ev.passable) {
      const summary = joinSummary(n.summary, passSummary(prep, step.id, ev.verdicts));
      if (step.kind === 'exception') {
        if (step.grants && requests) {
          const exceptions = [...n.exceptions.filter((x) => x.id !== step.grants), { id: step.grants, how: 'granted' as const }].sort((a, b) => (a.id < b.id ? -1 : 1));
          edge(n, 'pass', step.next!, ev, { exceptions, summary }, 'next');
        }
        // A strategy that never asks for an exception gains nothing by passing this step.
      } else if (step.kind === 'execution') {
        const d = cache.delivers(prep, ctx, step.id);
        if (d.obtained) edge(n, 'pass', step.next!, ev, { takeover: step.id, summary }, 'next');
        else block({ step: step.id, channel: n.channel, kind: 'delivery', reason: d.reason, at: n.id, last: { step: step.id, via: 'pass' } });
      } else edge(n, 'pass', step.next!, ev, { summary }, 'next');
    } else if (ev.refusal !== undefined) {
      // A step of the real account holder, who acts for no one the attacker cannot direct.
      block({ step: step.id, channel: n.channel, kind: 'holder', reason: ev.refusal, at: n.id, last: { step: step.id, via: 'pass' } });
    } else {
      const held = ev.verdicts.filter((v) => v.verdict === 'unmet').map((v) => ({ key: v.key, control: v.control, reason: v.reason }));
      block({ step: step.id, channel: n.channel, kind: 'controls', held, reason: held.map((h) => `${getControlDef(h.control).name} held`).join('; '), at: n.id, last: { step: step.id, via: 'pass' } });
    }
    if (step.onFail !== undefined) edge(n, 'fail', step.onFail, ev, {}, 'on_fail');
  }
  return g;
}

/** The moves from a root to a node, along the breadth-first (shortest) prefix. */
export function prefixOf(g: StateGraph, nodeId: number): GEdge[] {
  const out: GEdge[] = [];
  let id = nodeId;
  while (id >= 0) {
    const p = g.nodes[id]!.parent;
    if (p < 0) break;
    const e = g.edges[p]!;
    out.push(e);
    id = e.from;
  }
  return out.reverse();
}

/** Nodes in an order where every edge goes from an earlier node to a later one. */
const orders = new WeakMap<StateGraph, number[]>();

/** The graph's states in topological order (computed once per graph; callers must not change it). */
export function topologicalOrder(g: StateGraph): number[] {
  let o = orders.get(g);
  if (!o) orders.set(g, (o = computeOrder(g)));
  return o;
}

function computeOrder(g: StateGraph): number[] {
  const indeg = new Int32Array(g.nodes.length);
  for (const e of g.edges) indeg[e.to]!++;
  const order: number[] = [];
  const stack: number[] = [];
  for (let i = g.nodes.length - 1; i >= 0; i--) if (indeg[i] === 0) stack.push(i);
  while (stack.length > 0) {
    const id = stack.pop()!;
    order.push(id);
    for (const eid of g.nodes[id]!.out) {
      const to = g.edges[eid]!.to;
      if (--indeg[to]! === 0) stack.push(to);
    }
  }
  if (order.length !== g.nodes.length) throw new Error('internal: the search graph has a cycle (a loop back that did not cost a retry)');
  return order;
}
