// Counterfactuals: a workflow with catalogue controls put in place at their hardened parameters and
// enforced by the system, and the re-walk of a known path against such a workflow.
import { getControl, type ControlDef, type ControlInstance, type ParamValue, type Workflow } from '../models/index.ts';
import {
  attackContext,
  delivery,
  evaluateOutcome,
  evaluateStep,
  prepareWorkflow,
  type PathOutcome,
  type Prepared,
  type Scenario,
  type WalkedStep,
} from '../scenarios/index.ts';
import type { TakeoverPath } from './explore.ts';

function hardenedInstance(def: ControlDef, key: string, where: ControlInstance['where']): ControlInstance {
  const params: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(def.params)) params[name] = spec.hardened;
  return { key, control: def.id, params, enforcement: 'system', evidence: 'live', where, path: '(what-if)' };
}

const upsert = (list: readonly ControlInstance[], inst: ControlInstance) => {
  const i = list.findIndex((c) => c.control === inst.control);
  return i < 0 ? [...list, inst] : list.map((c, j) => (j === i ? { ...inst, key: c.key, where: c.where, path: c.path } : c));
};

/**
 * Places control `id` (hardened, system-enforced) at its attach points: on the given steps (all
 * steps when `steps` is undefined), at workflow scope, or on every exception.
 */
export function placeControl(wf: Workflow, id: string, steps?: readonly string[]): Workflow {
  const def = getControl(id);
  const a = def.attach;
  if (a.scope === 'workflow') {
    return { ...wf, controls: upsert(wf.controls, hardenedInstance(def, `workflow/${id}`, { scope: 'workflow' })) };
  }
  if (a.scope === 'exception') {
    return {
      ...wf,
      exceptions: wf.exceptions.map((e) => ({
        ...e,
        controls: upsert(e.controls, hardenedInstance(def, `exception:${e.id}/${id}`, { scope: 'exception', exception: e.id })),
      })),
    };
  }
  const targets = new Set(steps ?? wf.stepOrder);
  const newSteps = { ...wf.steps };
  let changed = false;
  for (const sid of targets) {
    const s = wf.steps[sid];
    if (!s || !a.kinds.includes(s.kind)) continue;
    newSteps[sid] = { ...s, controls: upsert(s.controls, hardenedInstance(def, `${sid}/${id}`, { scope: 'step', step: sid })) };
    changed = true;
  }
  return changed ? { ...wf, steps: newSteps } : wf;
}

/** True when control `id` has at least one attach point among the given steps (or the workflow). */
export function hasAttachPoint(wf: Workflow, id: string, steps: readonly string[]): boolean {
  const a = getControl(id).attach;
  if (a.scope === 'workflow') return true;
  if (a.scope === 'exception') return wf.exceptions.length > 0;
  return steps.some((s) => a.kinds.includes(wf.steps[s]!.kind));
}

/** Applies a set of controls everywhere they attach (the verification of a minimal control set). */
export function applyControls(wf: Workflow, ids: Iterable<string>): Workflow {
  let out = wf;
  for (const id of ids) out = placeControl(out, id);
  return out;
}

/** Sets or removes a control instance (the what-if toggle a user makes in the app). */
export function toggleControl(wf: Workflow, id: string, on: boolean, steps?: readonly string[]): Workflow {
  if (on) return placeControl(wf, id, steps);
  const drop = (list: readonly ControlInstance[]) => list.filter((c) => c.control !== id);
  const targets = new Set(steps ?? wf.stepOrder);
  const newSteps = Object.fromEntries(Object.entries(wf.steps).map(([sid, s]) => [sid, targets.has(sid) ? { ...s, controls: drop(s.controls) } : s]));
  return {
    ...wf,
    controls: steps ? wf.controls : drop(wf.controls),
    exceptions: steps ? wf.exceptions : wf.exceptions.map((e) => ({ ...e, controls: drop(e.controls) })),
    steps: newSteps,
  };
}

export interface Rewalk {
  walkable: boolean;
  /** Where the re-walk stopped, and why, when not walkable. */
  stoppedAt?: { step: string; reason: string; controls: string[] };
  outcome?: PathOutcome;
}

/**
 * Re-walks a path's step sequence (same channel, claim and branches) against another workflow.
 * `changed`, when given, lists the only steps whose controls differ from the path's own workflow:
 * the other steps keep the verdicts recorded on the path (a step-scope control acts only on its step).
 */
export function rewalk(prep: Prepared, scenario: Scenario, path: TakeoverPath, changed?: ReadonlySet<string>): Rewalk {
  const wf = prep.wf;
  const ctx = attackContext(prep, scenario.attacker.capabilities, scenario.target.accountClass);
  const standingAllowed = scenario.strategy.exceptions.includes('use_standing');
  let exceptions = path.standingExceptions.filter((e) => standingAllowed && !prep.byException.get(e)?.has('exception.expiry'));
  let takeover: string | null = null;
  const walked: WalkedStep[] = [];
  if (path.channel === 'agent_console' && ctx.agentIdentities === 0) {
    return { walkable: false, stoppedAt: { step: wf.start, reason: 'the attacker no longer holds a usable agent identity', controls: ['agent.mfa'] } };
  }
  for (const w of path.walked) {
    const step = wf.steps[w.step]!;
    if (w.via === 'end' || w.via === 'route') {
      walked.push({ step: w.step, via: w.via, verdicts: [] });
      continue;
    }
    const ev = changed && !changed.has(w.step) ? { passable: true, verdicts: w.verdicts } : evaluateStep(prep, ctx, w.step, path.channel, exceptions);
    walked.push({ step: w.step, via: w.via, verdicts: ev.verdicts });
    if (w.via === 'fail' || takeover) continue;
    if (!ev.passable) {
      const held = ev.verdicts.filter((v) => v.verdict === 'unmet');
      return { walkable: false, stoppedAt: { step: w.step, reason: held.map((h) => h.reason).join('; '), controls: held.map((h) => h.control) } };
    }
    if (step.kind === 'exception' && step.grants) exceptions = [...new Set([...exceptions, step.grants])].sort();
    if (step.kind === 'execution') {
      const d = delivery(prep, ctx, w.step);
      if (!d.obtained) return { walkable: false, stoppedAt: { step: w.step, reason: d.reason, controls: [] } };
      takeover = w.step;
    }
  }
  if (!takeover) return { walkable: false, stoppedAt: { step: path.takeoverStep, reason: 'no takeover on the re-walked path', controls: [] } };
  const outcome = evaluateOutcome(prep, ctx, walked, takeover, path.channel);
  if (outcome.kind === 'blocked') {
    return { walkable: false, stoppedAt: { step: takeover, reason: outcome.blockedBy!.reason, controls: ['cooldown.delay'] }, outcome };
  }
  return { walkable: true, outcome };
}

const OUTCOME_CONTROLS = new Set(['notify.out_of_band', 'review.post_event', 'detect.reset_anomaly', 'agent.insider_controls', 'log.immutable', 'cooldown.delay', 'session.revoke_on_reset']);

/**
 * Fast re-walk for a step-scope control placed on `changed` steps: only those steps are
 * re-evaluated, and the path's own outcome is reused unless the control can change detection.
 * Equivalent to `rewalk(prep, scenario, path, changed)`, which the tests check.
 */
export function rewalkLocal(prep: Prepared, scenario: Scenario, path: TakeoverPath, changed: ReadonlySet<string>, control: string): Rewalk {
  const ctx = attackContext(prep, scenario.attacker.capabilities, scenario.target.accountClass);
  const standingAllowed = scenario.strategy.exceptions.includes('use_standing');
  let exceptions = path.standingExceptions.filter((e) => standingAllowed && !prep.byException.get(e)?.has('exception.expiry'));
  let outcomeMayChange = OUTCOME_CONTROLS.has(control);
  for (const w of path.walked) {
    if (w.step === path.takeoverStep && w.via === 'pass') {
      if (changed.has(w.step)) {
        const ev = evaluateStep(prep, ctx, w.step, path.channel, exceptions);
        if (!ev.passable) return stopped(ev.verdicts, w.step);
        if (!delivery(prep, ctx, w.step).obtained) return { walkable: false, stoppedAt: { step: w.step, reason: delivery(prep, ctx, w.step).reason, controls: [] } };
      }
      break;
    }
    const step = prep.wf.steps[w.step]!;
    if (w.via === 'pass' && changed.has(w.step)) {
      const ev = evaluateStep(prep, ctx, w.step, path.channel, exceptions);
      if (!ev.passable) return stopped(ev.verdicts, w.step);
      if (w.verdicts.some((v) => v.means.some((m) => m.kind === 'skipped' && (m.deviation === 'insider' || m.deviation === 'agent_account')))) outcomeMayChange = true;
    }
    if (w.via === 'pass' && step.kind === 'exception' && step.grants) exceptions = [...new Set([...exceptions, step.grants])].sort();
  }
  if (!outcomeMayChange) return { walkable: true, outcome: path.outcome };
  return rewalk(prep, scenario, path, changed);
}

function stopped(verdicts: { verdict: string; reason: string; control: string }[], step: string): Rewalk {
  const held = verdicts.filter((v) => v.verdict === 'unmet');
  return { walkable: false, stoppedAt: { step, reason: held.map((h) => h.reason).join('; '), controls: held.map((h) => h.control) } };
}

/** Re-walks a path against the workflow with one control placed along it. */
export function rewalkWith(wf: Workflow, scenario: Scenario, path: TakeoverPath, control: string): Rewalk {
  const steps = [...new Set(path.walked.map((w) => w.step))];
  return rewalk(prepareWorkflow(placeControl(wf, control, steps)), scenario, path);
}
