// Counterfactual workflows: a workflow with catalogue controls put in place at their hardened
// parameters (or stronger ones already set there) and enforced by the system (what attribution,
// control sets and what-if toggles use).
import { getControl, getLintRule, hardenedOver, lintWorkflow, type ControlDef, type ControlInstance, type ParamValue, type Step, type Workflow } from '../models/index.ts';

/**
 * The control placed hardened and system-enforced. Where the same control already is (`existing`),
 * each parameter keeps the value set there when it is stronger than the hardened one (hardenedOver):
 * placing a control never weakens it.
 */
function hardenedInstance(def: ControlDef, key: string, where: ControlInstance['where'], existing?: ControlInstance): ControlInstance {
  const params: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(def.params)) params[name] = hardenedOver(spec, existing?.params[name]);
  return { key, control: def.id, params, enforcement: 'system', evidence: 'live', where, path: '(what-if)' };
}

/**
 * The catalogue's hardened parameters of a control, in words ("mode outbound_callback, number_source
 * hris, number_type desk_phone, min_contact_age_days 30"), or '' for a control with none: the settings
 * a set's credit rests on (a call-back to a mobile number, or a second approver who reads the agent's
 * record, is not the call-back or the dual approval the analysis credits).
 */
export function hardenedSettingsText(id: string): string {
  return Object.entries(getControl(id).params)
    .map(([name, spec]) => `${name} ${Array.isArray(spec.hardened) ? spec.hardened.join('+') : String(spec.hardened)}`)
    .join(', ');
}

/** The list with the control placed: added, or put in the place (key, scope, path) of the instance there. */
const upsert = (list: readonly ControlInstance[], def: ControlDef, key: string, where: ControlInstance['where']) => {
  const i = list.findIndex((c) => c.control === def.id);
  return i < 0 ? [...list, hardenedInstance(def, key, where)] : list.map((c, j) => (j === i ? { ...hardenedInstance(def, key, where, c), key: c.key, where: c.where, path: c.path } : c));
};

/**
 * Places control `id` (hardened, system-enforced) at its attach points: on the given steps (all
 * steps when `steps` is undefined), at workflow scope, or on every exception.
 */
export function placeControl(wf: Workflow, id: string, steps?: readonly string[]): Workflow {
  const def = getControl(id);
  const a = def.attach;
  if (a.scope === 'workflow') {
    return { ...wf, controls: upsert(wf.controls, def, `workflow/${id}`, { scope: 'workflow' }) };
  }
  if (a.scope === 'exception') {
    return {
      ...wf,
      exceptions: wf.exceptions.map((e) => ({
        ...e,
        controls: upsert(e.controls, def, `exception:${e.id}/${id}`, { scope: 'exception', exception: e.id }),
      })),
    };
  }
  // Every step by default (its order lists each once); the steps object is copied on the first change.
  const targets = steps ? new Set(steps) : wf.stepOrder;
  let newSteps: Workflow['steps'] | null = null;
  for (const sid of targets) {
    const s = wf.steps[sid];
    if (!s || !a.kinds.includes(s.kind)) continue;
    newSteps ??= { ...wf.steps };
    newSteps[sid] = placedOn(s, sid, def);
  }
  return newSteps ? { ...wf, steps: newSteps } : wf;
}

// The same step with the same control placed is the same object: counterfactual and what-if
// workflows of a session then share their steps, and everything kept on a step object (content
// signatures and ids, analysis/cache.ts) is worked out once. Keyed by the step object (steps are
// never changed once made), its id and the control; memory: at most one step per (step, control)
// placed on it, held only while the step it was made from is alive (a WeakMap).
const placed = new WeakMap<Step, Map<string, Step>>();

function placedOn(s: Step, sid: string, def: ControlDef): Step {
  let m = placed.get(s);
  if (!m) placed.set(s, (m = new Map()));
  const k = `${sid}|${def.id}`;
  let out = m.get(k);
  if (!out) m.set(k, (out = { ...s, controls: upsert(s.controls, def, `${sid}/${def.id}`, { scope: 'step', step: sid }) }));
  return out;
}

/**
 * What "enforced by the system" asks of whoever builds a set's control, which the credit the analysis
 * gives it rests on (docs/analysis-semantics.md, "Attacker", deviations): no person can skip it, pressured,
 * bribed or holding an agent's account.
 */
export const SYSTEM_ENFORCED =
  "Enforced by the system means the tool makes the check itself, or holds the step until the check is recorded by someone other than the agent handling the request (an automated call-back, a code the tool sends and verifies); a box the agent ticks is a procedure, and an insider or a pressured agent can tick it.";

/** Where placing a control puts it (placeControl with no steps given): the steps it sits on, every exception, or workflow-wide. */
export interface Placement {
  scope: 'step' | 'workflow' | 'exception';
  /** Step ids in the workflow's order (scope step), exception ids (scope exception); empty for workflow scope. */
  at: string[];
  /**
   * An expiry put on exceptions: the standing ones (no expiry yet) that no step grants. An exception
   * with an expiry is in force only once a step grants it, so these are then never in force: the
   * set closes their paths by, in effect, removing them (docs/analysis-semantics.md, "Exceptions").
   */
  lapses?: string[];
}

/** Where placeControl puts control `id` in a workflow (what a verified control set is applied as). */
export function placementOf(wf: Workflow, id: string): Placement {
  const a = getControl(id).attach;
  if (a.scope === 'workflow') return { scope: 'workflow', at: [] };
  if (a.scope === 'exception') {
    const at = wf.exceptions.map((e) => e.id);
    if (id !== 'exception.expiry') return { scope: 'exception', at };
    const granted = new Set(Object.values(wf.steps).flatMap((s) => (s.grants ? [s.grants] : [])));
    const lapses = wf.exceptions.filter((e) => !granted.has(e.id) && !e.controls.some((c) => c.control === 'exception.expiry')).map((e) => e.id);
    return lapses.length ? { scope: 'exception', at, lapses } : { scope: 'exception', at };
  }
  return { scope: 'step', at: wf.stepOrder.filter((sid) => a.kinds.includes(wf.steps[sid]!.kind)) };
}

/**
 * Where a placement puts a control, in words: "workflow-wide", "on every exception (a, b)", or "at"
 * the first `named` steps (by `stepName`) "and N more steps of the same kind".
 */
export function placementPhrase(p: Placement, stepName: (id: string) => string, named: number): string {
  if (p.scope === 'workflow') return 'workflow-wide';
  if (p.scope === 'exception') {
    const l = p.lapses ?? [];
    const lapse = l.length ? `; ${l.join(', ')} ${l.length === 1 ? 'is' : 'are'} granted by no step, so with an expiry ${l.length === 1 ? 'it is' : 'they are'} never in force: in effect, removed` : '';
    return `on every exception (${p.at.join(', ')})${lapse}`;
  }
  if (!p.at.length) return 'nowhere: no step of a kind it sits on';
  const more = p.at.length - Math.min(named, p.at.length);
  return `at ${p.at.slice(0, named).map(stepName).join(', ')}${more > 0 ? ` and ${more} more step${more === 1 ? '' : 's'} of the same kind` : ''}`;
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

// As with placing: the same step with the same control removed is the same object, so a what-if that
// switches a control off again (the workbench applies its changes to the file's workflow each time)
// finds every signature and evaluation kept on its steps instead of working them out again.
const removed = new WeakMap<Step, Map<string, Step>>();

/** The list without control `id`: the same list when it has none (what is kept on a list stays valid). */
const without = <T extends { control: string }>(list: T[], id: string): T[] => (list.some((c) => c.control === id) ? list.filter((c) => c.control !== id) : list);

/** The step without control `id`: itself when it has none, else one object per (step, control). */
function removedFrom(s: Step, id: string): Step {
  const controls = without(s.controls, id);
  if (controls === s.controls) return s;
  let m = removed.get(s);
  if (!m) removed.set(s, (m = new Map()));
  let out = m.get(id);
  if (!out) m.set(id, (out = { ...s, controls }));
  return out;
}

/** Sets or removes a control instance (the what-if toggle a user makes in the app). */
export function toggleControl(wf: Workflow, id: string, on: boolean, steps?: readonly string[]): Workflow {
  if (on) return placeControl(wf, id, steps);
  const targets = new Set(steps ?? wf.stepOrder);
  // A step without the control keeps its object (so what is kept on it stays valid).
  const newSteps = Object.fromEntries(Object.entries(wf.steps).map(([sid, s]) => [sid, targets.has(sid) ? removedFrom(s, id) : s]));
  const exceptions = steps
    ? wf.exceptions
    : wf.exceptions.map((e) => {
        const controls = without(e.controls, id);
        return controls === e.controls ? e : { ...e, controls };
      });
  return {
    ...wf,
    controls: steps ? wf.controls : without(wf.controls, id),
    exceptions: exceptions.every((e, i) => e === wf.exceptions[i]) ? wf.exceptions : exceptions,
    steps: newSteps,
  };
}

/** What lint still reports on a workflow with a control set applied as its verification applied it. */
export interface LintAfterSet {
  /** The error rules that still fire, each once, in rule order. */
  errors: { rule: string; name: string }[];
  warnings: number;
}

/**
 * Lints the workflow with `controls` applied (applyControls: hardened, system-enforced, everywhere they
 * attach). A verified set closes every takeover path of the scenarios analysed; the lint rules flag
 * structural weaknesses those scenarios may not exercise (a shared privileged path, a password read
 * to the caller), which an architect weighs beside the set.
 */
export function lintWithSet(wf: Workflow, controls: readonly string[]): LintAfterSet {
  const findings = lintWorkflow(applyControls(wf, controls));
  const errors = new Map<string, { rule: string; name: string }>();
  for (const f of findings) if (f.severity === 'error' && !errors.has(f.rule)) errors.set(f.rule, { rule: f.rule, name: getLintRule(f.rule).name });
  return { errors: [...errors.values()].sort((a, b) => (a.rule < b.rule ? -1 : 1)), warnings: findings.filter((f) => f.severity === 'warning').length };
}

/** LintAfterSet in words, for the CLI and the Fix panel. */
export function lintAfterSetText(l: LintAfterSet): string {
  const warn = l.warnings ? `${l.warnings} warning${l.warnings === 1 ? '' : 's'}` : '';
  if (!l.errors.length) return `With the set applied, lint reports no error${warn ? ` (${warn})` : ''}.`;
  return `With the set applied, lint still reports ${l.errors.length} error rule${l.errors.length === 1 ? '' : 's'} (${l.errors.map((e) => `${e.rule} ${e.name}`).join(', ')})${warn ? ` and ${warn}` : ''}: the set closes every takeover path of the scenarios analysed, not the weaknesses these rules flag (resetpath lint says where).`;
}
