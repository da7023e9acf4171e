// Deterministic replay: drives the compiled XState machine along an attacker's plan (channel, claim,
// and the branch taken at each step), recording each step's evidence, verdicts and reasons.
// The machine is the specification: if it disagrees with the evaluation, replay reports it.
import { createActor } from 'xstate';
import {
  channelName,
  compileWorkflow,
  getControl,
  REFUSED,
  UNROUTED,
  STEP_EVENTS,
  type AccountClass,
  type Verdict,
  type Workflow,
} from '../models/index.ts';
import { channelUnknowns, delivery, evaluateOutcome, evaluateStep, prepareWorkflow, scenarioContext, standingExceptionIds, type InstanceVerdict, type PathOutcome, type WalkedStep } from './evaluate.ts';
import type { AttackChannel } from './schema.ts';
import type { Move, Scenario } from './types.ts';

/** What the attacker does: the channel, the class claimed, and how it leaves each step in turn. */
export interface ReplayPlan {
  channel: AttackChannel;
  claimedClass: AccountClass | null;
  /** Active standing exceptions at the start. */
  standingExceptions: string[];
  steps: { step: string; via: WalkedStep['via'] }[];
}

export interface TraceEntry {
  seq: number;
  /** Minutes since the request was opened (legitimate handling time of the controls passed). */
  atMinute: number;
  step: string;
  stepName: string;
  kind: string;
  actor: string | null;
  event: string | null;
  /** The strategy move this step corresponds to, when one matches. */
  move: Move | null;
  /** What the attacker used here: capabilities, deviations, waivers. */
  evidence: string[];
  verdicts: InstanceVerdict[];
  result: 'passed' | 'failed_over' | 'routed' | 'refused' | 'takeover' | 'closed';
  /** The machine's state after the event. */
  machineState: string;
}

export interface ReplayTrace {
  workflow: string;
  scenario: string;
  startedAt: string;
  channel: AttackChannel;
  claimedClass: AccountClass | null;
  entries: TraceEntry[];
  outcome:
    | { kind: 'blocked'; step: string; controls: string[]; reason: string }
    | (PathOutcome & { takeoverStep: string; deliveryReason: string });
}

export interface ReplayOptions {
  /** ISO timestamp of the request (injected: replay never reads the clock). */
  startedAt?: string;
}

/** Replays a plan against a workflow; same inputs give a byte-identical trace. */
export function replay(wf: Workflow, scenario: Scenario, plan: ReplayPlan, options: ReplayOptions = {}): ReplayTrace {
  const prep = prepareWorkflow(wf);
  const ctx = scenarioContext(prep, scenario);
  const actor = createActor(compileWorkflow(wf)).start();
  const entries: TraceEntry[] = [];
  const walked: WalkedStep[] = [];
  let minute = 0;
  let exceptions = [...plan.standingExceptions].sort();
  let takeover: string | null = null;
  let deliveryReason = '';
  const moves = [...scenario.strategy.moves];
  // Moves are the scenario's narrative; one is attached to a step only when it clearly describes it
  // (opening the request on this channel, claiming inability, asking for an exception, pressing the
  // agent to skip a check), never by position alone.
  const take = (pred: (m: Move) => boolean): Move | null => {
    const i = moves.findIndex(pred);
    return i < 0 ? null : moves.splice(i, 1)[0]!;
  };
  const moveFor = (kind: string, via: string, verdicts: InstanceVerdict[]): Move | null => {
    if (via === 'fail') return take((m) => m.move === 'claim_inability');
    if (kind === 'intake') return take((m) => ['contact', 'inject_ticket', 'act_as_agent'].includes(m.move) && (!m.channel || m.channel === plan.channel));
    if (kind === 'exception') return take((m) => m.move === 'request_exception');
    if (verdicts.some((v) => v.verdict === 'skipped' && v.means[0]?.kind === 'skipped' && v.means[0].deviation === 'pressure')) return take((m) => m.move === 'pressure');
    if (verdicts.some((v) => v.verdict === 'waived')) return take((m) => m.move === 'use_standing_exception');
    return null;
  };
  const stateName = () => String(actor.getSnapshot().value);
  // The class the caller claims at each visit of a desk that routes by the claim: a caller who tries
  // again may claim another class (the analysis lets each visit before the takeover route by any
  // claim of the strategy), but routing steps met one after another route the request at once, by one
  // claim. Read off the plan, a run of routing moves at a time (keyed by where the run starts): the
  // claim held so far if it routes every desk of the run where the plan goes next, else the first
  // class of the strategy's claims that does.
  const claimAt = new Map<number, AccountClass>();
  let held: AccountClass | null = null;
  for (let k = 0; k < plan.steps.length; k++) {
    if (plan.steps[k]!.via !== 'route') continue;
    const start = k;
    const desks: number[] = [];
    for (; k < plan.steps.length && plan.steps[k]!.via === 'route'; k++) {
      const r = wf.steps[plan.steps[k]!.step]!;
      if (r.kind === 'routing' && r.basis === 'caller_claim' && plan.steps[k + 1]) desks.push(k);
    }
    if (desks.length === 0) continue;
    const leads = (c: AccountClass | null) => c !== null && desks.every((j) => wf.steps[plan.steps[j]!.step]!.routes.find((x) => x.classes.includes(c))?.to === plan.steps[j + 1]!.step);
    if (!leads(held)) held = [plan.claimedClass, ...scenario.strategy.claims].find(leads) ?? held;
    if (held) claimAt.set(start, held);
  }
  let claim = claimAt.size > 0 ? claimAt.values().next().value! : plan.claimedClass;
  // Where the machine's eventless routing takes a request that enters a routing step.
  const routedPast = (stepId: string): string => {
    let at = stepId;
    for (let hops = 0; wf.steps[at]?.kind === 'routing' && hops <= wf.stepOrder.length; hops++) {
      const r = wf.steps[at]!;
      const cls = r.basis === 'caller_claim' ? (claim ?? scenario.target.accountClass) : scenario.target.accountClass;
      at = r.routes.find((x) => x.classes.includes(cls))?.to ?? UNROUTED;
    }
    return at;
  };
  // Before the event that takes the request into a routing visit: the caller's claim there, told to
  // the machine when it changes.
  const claimBefore = (i: number) => {
    const c = claimAt.get(i + 1);
    if (c && c !== claim) {
      claim = c;
      actor.send({ type: 'request.claimed', claimedClass: c });
    }
  };

  for (const [i, p] of plan.steps.entries()) {
    const step = wf.steps[p.step]!;
    const base = { seq: i + 1, atMinute: minute, step: step.id, stepName: step.name, kind: step.kind, actor: step.actor ?? null };
    // A path that ends at a routing step (a loop back after the takeover ends it there) finds the
    // machine already past it: routing is an eventless transition.
    if (p.via !== 'route' && stateName() !== step.id && !(p.via === 'end' && step.kind === 'routing' && routedPast(step.id) === stateName())) {
      throw new Error(`replay diverged from the machine: plan expects "${step.id}", machine is in "${stateName()}"`);
    }
    if (p.via === 'end') {
      entries.push({ ...base, event: null, move: null, evidence: [], verdicts: [], result: 'closed', machineState: stateName() });
      walked.push({ step: step.id, via: 'end', verdicts: [] });
      break;
    }
    if (p.via === 'route') {
      // Routing is an eventless transition; it ran when the previous event was processed. A desk that
      // routes by the caller's claim applies the standing exceptions of the claimed class (as the
      // analysis does: docs/analysis-semantics.md, "Exceptions").
      if (step.kind === 'routing' && step.basis !== 'directory' && claim) {
        exceptions = [...new Set([...exceptions, ...standingExceptionIds(prep, claim)])].sort();
      }
      entries.push({ ...base, event: null, move: null, evidence: [], verdicts: [], result: 'routed', machineState: stateName() });
      walked.push({ step: step.id, via: 'route', verdicts: [] });
      continue;
    }
    const ev = evaluateStep(prep, ctx, step.id, plan.channel, exceptions);
    const [passEvent, failEvent] = STEP_EVENTS[step.kind];
    const verdicts = Object.fromEntries(ev.verdicts.map((v) => [v.key, v.verdict])) as Record<string, Verdict>;
    walked.push({ step: step.id, via: p.via, verdicts: ev.verdicts });
    const move = moveFor(step.kind, p.via, ev.verdicts);
    if (p.via === 'fail') {
      claimBefore(i);
      actor.send({ type: failEvent!, verdicts, detail: 'requester cannot complete this step' });
      entries.push({ ...base, event: failEvent, move, evidence: ['claims inability (fail branch)'], verdicts: ev.verdicts, result: 'failed_over', machineState: stateName() });
      continue;
    }
    if (!ev.passable && !takeover) {
      const held = ev.verdicts.filter((v) => v.verdict === 'unmet');
      actor.send({ type: failEvent ?? passEvent, verdicts });
      entries.push({ ...base, event: failEvent, move, evidence: [], verdicts: ev.verdicts, result: 'refused', machineState: stateName() });
      return finish({ kind: 'blocked', step: step.id, controls: held.map((h) => h.control), reason: ev.refusal ?? held.map((h) => h.reason).join('; ') });
    }
    const evidence = [...new Set(ev.verdicts.flatMap((v) => (v.means[0] ? [describeMeans(v.means[0])] : [])))];
    if (step.kind === 'intake') evidence.unshift(`opens the request by ${channelName(plan.channel)}${channelUnknowns(prep, plan.channel).length ? ', which the intake accepts only as an unknown channel (CONDITIONAL)' : ''}`);
    // After the takeover the request only runs its course (docs/analysis-semantics.md, "Paths"): a
    // check there gates nothing, so the machine is told it does not apply; the trace keeps the
    // verdicts as evaluated, and says so.
    let gates = verdicts;
    if (takeover && !ev.passable) {
      gates = Object.fromEntries(Object.entries(verdicts).map(([k, v]) => [k, v === 'unmet' ? 'not_applicable' : v])) as Record<string, Verdict>;
      const unmet = ev.verdicts.filter((v) => v.verdict === 'unmet').map((v) => v.control);
      evidence.push(unmet.length > 0 ? `after the takeover, so ${unmet.join(', ')} no longer gate${unmet.length === 1 ? 's' : ''} anything: the reset is done` : `after the takeover: the request runs its course (${ev.refusal ?? 'the step would not be done'})`);
    }
    if (step.kind !== 'intake') claimBefore(i);
    const event = step.kind === 'intake'
      ? { type: passEvent, verdicts: gates, channel: plan.channel, targetClass: scenario.target.accountClass, claimedClass: claim ?? scenario.target.accountClass }
      : { type: passEvent, verdicts: gates, ...(step.grants ? { exception: step.grants } : {}) };
    actor.send(event as never);
    let result: TraceEntry['result'] = 'passed';
    if (step.kind === 'exception' && step.grants) exceptions = [...new Set([...exceptions, step.grants])].sort();
    if (step.kind === 'execution' && !takeover) {
      const d = delivery(prep, ctx, step.id);
      if (!d.obtained) {
        entries.push({ ...base, event: passEvent, move, evidence, verdicts: ev.verdicts, result: 'refused', machineState: stateName() });
        return finish({ kind: 'blocked', step: step.id, controls: [], reason: d.reason });
      }
      takeover = step.id;
      deliveryReason = d.reason;
      evidence.push(d.reason);
      result = 'takeover';
    }
    entries.push({ ...base, event: passEvent, move, evidence, verdicts: ev.verdicts, result, machineState: stateName() });
    minute += ev.verdicts.reduce((m, v) => m + getControl(v.control).friction.minutesAdded, 1);
  }
  if (!takeover) {
    const last = plan.steps[plan.steps.length - 1];
    return finish({ kind: 'blocked', step: last?.step ?? wf.start, controls: [], reason: stateName() === REFUSED ? 'the workflow refused the request' : 'the plan ended without a takeover' });
  }
  const outcome = evaluateOutcome(prep, ctx, walked, takeover, plan.channel);
  if (outcome.kind === 'blocked') {
    return finish({ kind: 'blocked', step: takeover, controls: ['cooldown.delay'], reason: outcome.blockedBy!.reason });
  }
  return finish({ ...outcome, takeoverStep: takeover, deliveryReason });

  function finish(outcome: ReplayTrace['outcome']): ReplayTrace {
    actor.stop();
    return {
      workflow: wf.id,
      scenario: scenario.id,
      startedAt: options.startedAt ?? '1970-01-01T00:00:00.000Z',
      channel: plan.channel,
      claimedClass: plan.claimedClass,
      entries,
      outcome,
    };
  }
}

/** One way past a control, in words: what the attacker uses and the rule that lets it through. */
export function describeMeans(m: InstanceVerdict['means'][number]): string {
  switch (m.kind) {
    case 'defeated':
    case 'forged_ticket_field':
      return `${m.capabilities.join(' + ') || 'no special capability'}: ${m.reason}`;
    case 'skipped':
      return `deviation (${m.deviation}): ${m.reason}`;
    case 'waived':
      return `exception ${m.exception}: ${m.reason}`;
  }
}
