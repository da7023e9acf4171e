// Gap attribution: for each takeover path, the catalogue controls whose presence (hardened and
// enforced) would have blocked or detected it, labelled absent / weak / not enforced / waived.
import {
  CONTROLS,
  ESCALATION_MINUTES,
  getControl,
  OWNER_ROLES,
  type ControlDef,
  type FrameworkRef,
  type Friction,
  type OwnerRole,
  type Workflow,
} from '../models/index.ts';
import type { ControlInstance } from '../models/index.ts';
import { prepareWorkflow, type Prepared, type Scenario } from '../scenarios/index.ts';
import { hasAttachPoint, placeControl, rewalk, rewalkLocal } from './counterfactual.ts';
import type { TakeoverPath } from './explore.ts';

export type GapStatus = 'absent' | 'weak' | 'not_enforced' | 'waived' | 'misplaced';

export interface Gap {
  control: string;
  name: string;
  effect: 'blocks' | 'detects';
  status: GapStatus;
  owner: OwnerRole;
  ownerTitle: string;
  /** The step of the path where the control would have acted. */
  actsAt: string | null;
  /** Why the control is counted as absent, weak, not enforced or waived on this path. */
  why: string;
  /** What happens on this path with the control in place. */
  effectReason: string;
  /** Hours to detection, for detecting controls. */
  detectionDelayHours?: number;
  mappings: readonly FrameworkRef[];
  friction: Friction;
}

export interface PathAttribution {
  pathId: string;
  blocking: string[];
  detecting: string[];
  gaps: Gap[];
}

/**
 * Controls considered for attribution: deterrents and responders never block or detect, by design,
 * except the log, which lets a post-event review detect.
 */
export const ATTRIBUTABLE: readonly ControlDef[] = CONTROLS.filter((c) => (c.role !== 'deterrent' && c.role !== 'responder') || c.id === 'log.immutable');

/**
 * Counterfactual workflows keyed by control: one analysis builds each counterfactual once.
 */
export type CounterfactualCache = Map<string, Prepared | null>;

/** Attributes one takeover path: runs the counterfactual of every attributable control. */
export function attributePath(wf: Workflow, prep: Prepared, scenario: Scenario, path: TakeoverPath, cache: CounterfactualCache = new Map()): PathAttribution {
  const steps = [...new Set(path.walked.map((w) => w.step))].sort();
  const gaps: Gap[] = [];
  for (const def of ATTRIBUTABLE) {
    const a = def.attach;
    const points = a.scope === 'step' ? steps.filter((s) => a.kinds.includes(wf.steps[s]!.kind)) : [];
    if (a.scope === 'step' ? points.length === 0 : !hasAttachPoint(wf, def.id, steps)) continue;
    // Placing a step-scope control on every step of its kinds walks this path exactly like placing
    // it on the path's own steps (only the path's steps are re-evaluated), so one counterfactual
    // workflow per control serves every path of the analysis.
    let placedPrep = cache.get(def.id);
    if (placedPrep === undefined) {
      const placed = placeControl(wf, def.id);
      placedPrep = placed === wf ? null : prepareWorkflow(placed);
      cache.set(def.id, placedPrep);
    }
    if (placedPrep === null) continue;
    // Step-scope controls act only where placed; ticket integrity also protects ticket fields everywhere.
    const r =
      a.scope === 'step' && def.id !== 'ticket.integrity' ? rewalkLocal(placedPrep, scenario, path, new Set(points), def.id) : rewalk(placedPrep, scenario, path);
    let effect: Gap['effect'] | null = null;
    let effectReason = '';
    let actsAt: string | null = null;
    let delay: number | undefined;
    if (!r.walkable) {
      effect = 'blocks';
      actsAt = r.stoppedAt?.step ?? null;
      effectReason = r.stoppedAt ? `the path stops at "${wf.steps[r.stoppedAt.step]?.name ?? r.stoppedAt.step}": ${r.stoppedAt.reason}` : 'the path can no longer be walked';
    } else if (path.outcome.kind === 'takeover_undetected' && r.outcome?.kind === 'takeover_detected') {
      effect = 'detects';
      const d = r.outcome.detectedBy!;
      actsAt = d.step ?? path.takeoverStep;
      delay = d.delayHours;
      effectReason = `${getControl(d.control).name} detects it within ${d.delayHours} h: ${d.reason}`;
    }
    if (!effect) continue;
    const { status, why } = statusOf(prep, path, def);
    gaps.push({
      control: def.id,
      name: def.name,
      effect,
      status,
      owner: def.owner,
      ownerTitle: OWNER_ROLES[def.owner],
      actsAt,
      why,
      effectReason,
      ...(delay !== undefined ? { detectionDelayHours: delay } : {}),
      mappings: def.mappings,
      friction: def.friction,
    });
  }
  // The controls that existed on the path and failed come first: they are what let the reset through;
  // absent ones follow, cheapest first, as what to add.
  const rank: Record<GapStatus, number> = { weak: 0, not_enforced: 1, waived: 2, misplaced: 3, absent: 4 };
  const cost = (g: Gap) => g.friction.minutesAdded + g.friction.legitFailShare * ESCALATION_MINUTES;
  gaps.sort((a, b) => (a.effect === b.effect ? 0 : a.effect === 'blocks' ? -1 : 1) || rank[a.status] - rank[b.status] || cost(a) - cost(b) || a.control.localeCompare(b.control));
  return {
    pathId: path.id,
    blocking: gaps.filter((g) => g.effect === 'blocks').map((g) => g.control),
    detecting: gaps.filter((g) => g.effect === 'detects').map((g) => g.control),
    gaps,
  };
}

/** How a control stands on a path: absent, or present but defeated, skipped, waived or misplaced. */
function statusOf(prep: Prepared, path: TakeoverPath, def: ControlDef): { status: GapStatus; why: string } {
  const verdicts = path.walked.flatMap((w) => w.verdicts.filter((v) => v.control === def.id).map((v) => ({ ...v, step: w.step })));
  const means = verdicts.flatMap((v) => v.means.map((m) => ({ ...m, step: v.step })));
  const defeated = means.filter((m) => m.kind === 'defeated' || m.kind === 'forged_ticket_field');
  if (defeated.length > 0) {
    return { status: 'weak', why: uniq(defeated.map((m) => `at "${stepName(prep, m.step)}": ${m.reason} [${m.rule}]`)).join('; ') };
  }
  const skipped = means.filter((m) => m.kind === 'skipped');
  if (skipped.length > 0) {
    return { status: 'not_enforced', why: uniq(skipped.map((m) => `at "${stepName(prep, m.step)}": procedural only — ${m.reason} [${m.rule}]`)).join('; ') };
  }
  const waived = means.filter((m) => m.kind === 'waived');
  if (waived.length > 0) {
    return { status: 'waived', why: uniq(waived.map((m) => `at "${stepName(prep, m.step)}": ${m.reason}`)).join('; ') };
  }
  // An instance that held where it stands (unmet: the path left that step by its on_fail branch) is
  // neither weak nor unenforced on this path: hardening or enforcing it would not close the path,
  // which goes around it. Only the instances the path did not go around are judged by their parameters.
  const held = new Map<string, { step: string; via: string }>();
  for (const w of path.walked) for (const v of w.verdicts) if (v.control === def.id && v.verdict === 'unmet') held.set(v.key, { step: w.step, via: w.via });
  const onPathAll = path.walked.map((w) => prep.byStep.get(w.step)?.get(def.id)).filter((x) => x !== undefined);
  const onPath = onPathAll.filter((i) => !held.has(i.key));
  const wfScope = prep.workflowScope.get(def.id);
  const excScope = [...prep.byException.values()].map((m) => m.get(def.id)).filter((x) => x !== undefined);
  const present = [...onPath, ...(wfScope ? [wfScope] : []), ...excScope];
  if (present.length === 0 && onPathAll.length > 0) {
    const at = uniq([...held.values()].map((h) => `"${stepName(prep, h.step)}"`)).join(', ');
    const around = [...held.values()].every((h) => h.via === 'fail') ? "this path goes around it by the step's on_fail branch" : 'this path goes around it';
    return { status: 'misplaced', why: `present at ${at}, where it held; ${around}` };
  }
  if (present.length === 0) {
    const elsewhere = prep.wf.stepOrder.some((s) => prep.byStep.get(s)?.has(def.id));
    return { status: 'absent', why: elsewhere ? 'present on other steps of the workflow, not on this path' : 'not in the workflow' };
  }
  const weakParams = present.map((i) => ({ i, names: weakParamNames(def, i) })).find((x) => x.names.length > 0);
  if (weakParams) {
    const params = weakParams.names.map((k) => {
      const v = weakParams.i.params[k];
      return `${k}=${Array.isArray(v) ? v.join('+') : String(v)} (hardened: ${JSON.stringify(def.params[k]!.hardened)})`;
    });
    return { status: 'weak', why: `present with weak parameters: ${params.join(', ')}` };
  }
  if (present.some((i) => i.enforcement === 'procedural')) return { status: 'not_enforced', why: 'present as a procedure only' };
  return { status: 'misplaced', why: 'present, but not where it would act on this path' };
}

/**
 * Parameters of an instance below the catalogue's hardened value: an enum, boolean or number that
 * differs, or a list (enum[]) missing a hardened entry — a notification that leaves out the addresses
 * the attacker does not control is silenced through its parameters, like any other weak setting.
 */
function weakParamNames(def: ControlDef, inst: ControlInstance): string[] {
  return Object.entries(def.params)
    .filter(([k, spec]) => {
      const v = inst.params[k];
      if (spec.type === 'enum[]') return spec.hardened.some((h) => !(v as readonly string[]).includes(h));
      return v !== spec.hardened;
    })
    .map(([k]) => k);
}

function stepName(prep: Prepared, id: string): string {
  return prep.wf.steps[id]?.name ?? id;
}

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
