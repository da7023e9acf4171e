// Exhaustive exploration: every path an attacker with the scenario's capabilities can walk from a
// request to a takeover, depth-first over channels, claims, pass/fail branches and exceptions.
import { getControl, type AccountClass, type Workflow } from '../models/index.ts';
import {
  attackContext,
  delivery,
  evaluateOutcome,
  evaluateStep,
  prepareWorkflow,
  type AttackChannel,
  type AttackContext,
  type InstanceVerdict,
  type PathOutcome,
  type Prepared,
  type Scenario,
  type WalkedStep,
} from '../scenarios/index.ts';

export interface ExploreOptions {
  /** Stop after this many takeover paths per workflow and scenario (the result is then bounded). */
  maxPaths?: number;
  /** Longest path considered, in steps (the result is bounded when a branch is cut here). */
  maxDepth?: number;
}

export interface TakeoverPath {
  /** Deterministic id: "<scenario>#<n>" in exploration order. */
  id: string;
  channel: AttackChannel;
  claimedClass: AccountClass | null;
  /** Exceptions active at some point of the path (standing or granted). */
  exceptionsUsed: string[];
  standingExceptions: string[];
  walked: WalkedStep[];
  takeoverStep: string;
  delivery: { reason: string; capabilities: string[] };
  outcome: PathOutcome;
}

/** A place where a branch of the search ended without a takeover. */
export interface BlockPoint {
  step: string;
  channel: AttackChannel;
  kind: 'controls' | 'delivery' | 'cooldown' | 'unrouted' | 'refused' | 'channel';
  /** The controls that held (unmet guards), or the cooldown that let the user object. */
  held: { key: string; control: string; reason: string }[];
  reason: string;
  /** The attempt that ended here (step and branch taken), so it can be replayed. */
  attempt: { step: string; via: WalkedStep['via'] }[];
}

export interface Exploration {
  workflow: string;
  scenario: string;
  applicable: boolean;
  notApplicableReason?: string;
  paths: TakeoverPath[];
  blocks: BlockPoint[];
  statesVisited: number;
  exhaustive: boolean;
  boundReasons: string[];
}

interface SearchState {
  step: string;
  claim: AccountClass | null;
  exceptions: readonly string[];
  takeover: string | null;
  retries: number;
}

const stateKey = (s: SearchState) => `${s.step}|${s.claim ?? '-'}|${s.exceptions.join(',')}|${s.takeover ?? '-'}`;

/** Explores a workflow against one scenario; `prep` may be passed to reuse an indexed workflow. */
export function explore(wf: Workflow, scenario: Scenario, options: ExploreOptions = {}, prep: Prepared = prepareWorkflow(wf)): Exploration {
  const maxPaths = options.maxPaths ?? 500;
  const maxDepth = options.maxDepth ?? Math.max(64, wf.stepOrder.length * 3);
  const result: Exploration = {
    workflow: wf.id,
    scenario: scenario.id,
    applicable: true,
    paths: [],
    blocks: [],
    statesVisited: 0,
    exhaustive: true,
    boundReasons: [],
  };
  const target = scenario.target.accountClass;
  if (!wf.accountClasses.includes(target)) {
    return { ...result, applicable: false, notApplicableReason: `the workflow does not serve the ${target} account class` };
  }
  const ctx = attackContext(prep, scenario.attacker.capabilities, target);
  const startStep = wf.steps[wf.start]!;
  const standing = scenario.strategy.exceptions.includes('use_standing')
    ? wf.exceptions.filter((e) => !prep.byException.get(e.id)?.has('exception.expiry')).map((e) => e.id)
    : [];
  const seen = new Set<string>();
  const dead = new Set<string>();
  const bound = (why: string) => {
    result.exhaustive = false;
    if (!result.boundReasons.includes(why)) result.boundReasons.push(why);
  };

  for (const channel of scenario.strategy.channels) {
    if (!channelOpen(prep, ctx, channel)) {
      result.blocks.push({ step: startStep.id, channel, kind: 'channel', held: [], reason: channelClosedReason(prep, ctx, channel), attempt: [] });
      continue;
    }
    const onPath = new Set<string>();
    const walked: WalkedStep[] = [];

    // Returns true when the subtree was cut by a bound or by the path's own loop check.
    const dfs = (s: SearchState): { found: boolean; cut: boolean } => {
      if (result.paths.length >= maxPaths) {
        bound(`stopped after ${maxPaths} takeover paths`);
        return { found: false, cut: true };
      }
      const key = stateKey(s);
      if (onPath.has(key)) return { found: false, cut: true };
      if (walked.length >= maxDepth) {
        bound(`paths longer than ${maxDepth} steps were cut`);
        return { found: false, cut: true };
      }
      const memoKey = `${channel}|${key}`;
      if (!s.takeover && dead.has(memoKey)) return { found: false, cut: false };
      if (!seen.has(memoKey)) {
        seen.add(memoKey);
        result.statesVisited++;
      }
      onPath.add(key);
      const r = expand(s);
      onPath.delete(key);
      if (!r.found && !r.cut && !s.takeover) dead.add(memoKey);
      return r;
    };

    const go = (s: SearchState, entry: WalkedStep, next: SearchState) => {
      walked.push(entry);
      const r = dfs(next);
      walked.pop();
      return r;
    };

    const expand = (s: SearchState): { found: boolean; cut: boolean } => {
      const step = wf.steps[s.step]!;
      let found = false;
      let cut = false;
      const merge = (r: { found: boolean; cut: boolean }) => {
        found ||= r.found;
        cut ||= r.cut;
      };
      if (step.kind === 'end') {
        if (!s.takeover) {
          // The request was routed to an end without any reset (a refusal or referral): the attempt stops here.
          const path = [...walked, { step: step.id, via: 'end' as const, verdicts: [] }];
          result.blocks.push({ step: step.id, channel, kind: 'refused', held: [], reason: `the request ends at "${step.name ?? step.id}" without a reset`, attempt: attemptOf(path) });
          return { found: false, cut: false };
        }
        const path = [...walked, { step: step.id, via: 'end' as const, verdicts: [] }];
        const outcome = evaluateOutcome(prep, ctx, path, s.takeover, channel);
        if (outcome.kind === 'blocked') {
          result.blocks.push({ step: s.takeover, channel, kind: 'cooldown', held: [{ key: outcome.blockedBy!.key, control: 'cooldown.delay', reason: outcome.blockedBy!.reason }], reason: outcome.blockedBy!.reason, attempt: attemptOf(path) });
          return { found: false, cut: false };
        }
        const d = delivery(prep, ctx, s.takeover);
        result.paths.push({
          id: `${scenario.id}#${result.paths.length + 1}`,
          channel,
          claimedClass: s.claim,
          exceptionsUsed: [...new Set(path.flatMap((w) => w.verdicts.flatMap((v) => v.means.flatMap((m) => (m.kind === 'waived' ? [m.exception] : [])))))].sort(),
          standingExceptions: standing.filter((e) => s.exceptions.includes(e)),
          walked: path,
          takeoverStep: s.takeover,
          delivery: { reason: d.reason, capabilities: d.capabilities },
          outcome,
        });
        return { found: true, cut: false };
      }
      if (step.kind === 'routing') {
        const routeOf = (cls: AccountClass) => step.routes.find((r) => r.classes.includes(cls));
        if (step.basis === 'directory') {
          const r = routeOf(target);
          if (!r) {
            result.blocks.push({ step: step.id, channel, kind: 'unrouted', held: [], reason: `no route for the ${target} class`, attempt: [] });
            return { found: false, cut: false };
          }
          return go(s, { step: step.id, via: 'route', verdicts: [] }, { ...s, step: r.to });
        }
        const claims = scenario.strategy.claims.filter((c) => wf.accountClasses.includes(c));
        for (const claim of claims.length ? claims : [target]) {
          const r = routeOf(claim);
          if (!r) continue;
          merge(go(s, { step: step.id, via: 'route', verdicts: [] }, { ...s, step: r.to, claim }));
        }
        return { found, cut };
      }
      const ev = evaluateStep(prep, ctx, step.id, channel, s.exceptions);
      if (s.takeover) {
        // After the takeover the remaining steps run whatever their guards say; they only feed detection.
        return go(s, { step: step.id, via: 'pass', verdicts: ev.verdicts }, { ...s, step: step.next! });
      }
      if (ev.passable) {
        let next: SearchState = { ...s, step: step.next! };
        let stop = false;
        if (step.kind === 'exception' && step.grants && scenario.strategy.exceptions.includes('request')) {
          next = { ...next, exceptions: [...new Set([...s.exceptions, step.grants])].sort() };
        } else if (step.kind === 'exception') {
          stop = true; // the strategy never asks for an exception; passing this step gives nothing
        }
        if (step.kind === 'execution') {
          const d = delivery(prep, ctx, step.id);
          if (d.obtained) next = { ...next, takeover: step.id };
          else {
            result.blocks.push({ step: step.id, channel, kind: 'delivery', held: [], reason: d.reason, attempt: attemptOf([...walked, { step: step.id, via: 'pass', verdicts: [] }]) });
            stop = true;
          }
        }
        if (!stop) merge(go(s, { step: step.id, via: 'pass', verdicts: ev.verdicts }, next));
      } else {
        const held = ev.verdicts.filter((v) => v.verdict === 'unmet').map((v) => ({ key: v.key, control: v.control, reason: v.reason }));
        result.blocks.push({ step: step.id, channel, kind: 'controls', held, reason: held.map((h) => `${getControl(h.control).name} held`).join('; '), attempt: attemptOf([...walked, { step: step.id, via: 'pass', verdicts: [] }]) });
      }
      if (step.onFail) {
        const revisit = walked.some((w) => w.step === step.onFail);
        const retries = s.retries + (revisit ? 1 : 0);
        if (retries > scenario.strategy.retries) {
          bound(`retry budget of ${scenario.strategy.retries} exhausted`);
          cut = true;
        } else {
          merge(go(s, { step: step.id, via: 'fail', verdicts: ev.verdicts }, { ...s, step: step.onFail, retries }));
        }
      }
      return { found, cut };
    };

    dfs({ step: wf.start, claim: null, exceptions: [...standing].sort(), takeover: null, retries: 0 });
  }
  return result;
}

function attemptOf(walked: readonly WalkedStep[]): BlockPoint['attempt'] {
  return walked.map((w) => ({ step: w.step, via: w.via }));
}

/** Whether the attacker can open a request on this channel. */
export function channelOpen(prep: Prepared, ctx: AttackContext, channel: AttackChannel): boolean {
  const start = prep.wf.steps[prep.wf.start]!;
  if (channel === 'agent_console') {
    const actor = start.actor ? prep.wf.actors[start.actor] : undefined;
    return ctx.agentIdentities > 0 && actor?.kind === 'agent';
  }
  return start.kind !== 'intake' || start.channels.includes(channel);
}

function channelClosedReason(prep: Prepared, ctx: AttackContext, channel: AttackChannel): string {
  const start = prep.wf.steps[prep.wf.start]!;
  if (channel === 'agent_console') {
    return ctx.agentIdentities === 0
      ? ctx.caps.has('agent_account_compromised')
        ? 'the compromised agent password is useless: agents sign in with phishing-resistant MFA'
        : 'the attacker holds no agent identity'
      : 'requests are not opened by agents in this workflow';
  }
  return `the workflow does not accept requests by ${channel} (it accepts ${start.channels.join(', ')})`;
}

/** Every verdict of a path, flattened (for reports and attribution). */
export function pathVerdicts(path: TakeoverPath): (InstanceVerdict & { step: string })[] {
  return path.walked.flatMap((w) => w.verdicts.map((v) => ({ ...v, step: w.step })));
}
