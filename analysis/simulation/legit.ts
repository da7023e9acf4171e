// A legitimate request at the desk: the account holder walks the workflow as the directory routes
// them. Each control performed costs its catalogue minutes and fails a legitimate requester with its
// catalogue share (models/catalogue/controls.ts, friction). Of a control's minutes, those the request
// waits with no agent working on it (a cooling-off, a manager's reply: the catalogue's waitMinutes)
// lengthen the request but not the agent's handling; the rest is handling. The share is of requests
// (the catalogue's definition): a requester fails a control at every step of the walk it guards or at
// none, drawn where they first meet it. The workflow's own (workflow-wide) controls are paid once, at
// the first step (scopeCost). A requester who cannot complete standard
// verification fails the first verification step that has a fallback. A failed step goes to its
// on_fail fallback (an escalation) or, without one, the request fails. A loaded agent may skip a
// procedural control here too: the requester then neither pays its minutes nor risks failing it.
// Passing an exception step that grants an exception waives the guards of the steps it bypasses for
// the rest of the request (as in the analysis), and the walk says which exception it was granted.
import { ACCOUNT_CLASSES, ESCALATION_MINUTES, getControl, type AccountClass, type Workflow } from '../../models/index.ts';
import type { Rng } from './random.ts';

const VERIFICATION_KINDS: ReadonlySet<string> = new Set(['proofing', 'step_up', 'callback']);
/** A walk longer than this is looping on fallbacks: the requester gives up (counted as a failure). */
const MAX_STEPS = 64;

/**
 * What the workflow-wide controls cost a request of one class (the workflow's own `controls`, at
 * workflow scope): their minutes of handling and of waiting, paid at the request's first step, and
 * the share of requests each fails. A request that fails one is escalated: an escalation's minutes
 * (ESCALATION_MINUTES, as the trade-off's friction counts it) are added to that step's handling, and
 * the walk goes on. `privileged.separate_path` is paid by privileged classes only.
 */
export interface ScopeCost {
  work: number;
  wait: number;
  failShares: Float64Array;
}

/** The workflow-wide controls' cost for a request of class `cls`. */
export function scopeCost(wf: Workflow, cls: AccountClass): ScopeCost {
  let work = 0;
  let wait = 0;
  const shares: number[] = [];
  for (const inst of wf.controls) {
    const f = getControl(inst.control).friction;
    if (f.privilegedOnly && !ACCOUNT_CLASSES[cls].privileged) continue;
    work += f.minutesAdded - f.waitMinutes;
    wait += f.waitMinutes;
    // A share of zero fails no one: no draw (the streams of workflows without such costs stay as they were).
    if (f.legitFailShare > 0) shares.push(f.legitFailShare);
  }
  return { work, wait, failShares: Float64Array.from(shares) };
}

/** What one legitimate request did. */
export interface LegitWalk {
  outcome: 'recovered' | 'failed';
  /** Took at least one fallback. */
  escalated: boolean;
  agentMinutes: number;
  minutes: number;
  opportunities: number;
  skipped: number;
  /** The exception granted on the way (the last one, if several), and the minutes into the walk when its step ended. */
  granted: string | null;
  grantedAtMinutes: number;
  /** The step that granted it. */
  grantedBy: string | null;
}

/** Walks one legitimate request of class `cls` through the workflow. */
export function walkLegit(wf: Workflow, cls: AccountClass, cannotCompleteStandard: boolean, d: { skipProbability: number; minutesPerStep: number; spread: number; rng: Rng }): LegitWalk {
  let step = wf.start;
  let escalated = false;
  let inabilityUsed = !cannotCompleteStandard;
  let agentMinutes = 0;
  let minutes = 0;
  let opportunities = 0;
  let skipped = 0;
  let granted: string | null = null;
  let grantedBy: string | null = null;
  let grantedAtMinutes = 0;
  const waived = new Set<string>();
  // Whether this requester fails each guard, drawn where they first meet it (per request, not per step).
  const fails = new Map<string, boolean>();
  const scope = scopeCost(wf, cls);
  let first = true;
  const done = (outcome: LegitWalk['outcome']): LegitWalk => ({ outcome, escalated, agentMinutes, minutes, opportunities, skipped, granted, grantedAtMinutes, grantedBy });
  for (let n = 0; n < MAX_STEPS; n++) {
    const s = wf.steps[step]!;
    if (s.kind === 'end') return done('failed');
    if (s.kind === 'routing') {
      const r = s.routes.find((x) => x.classes.includes(cls));
      if (!r) return done('failed');
      step = r.to;
      continue;
    }
    const byAgent = s.actor !== undefined && wf.actors[s.actor]?.kind === 'agent';
    let failed = false;
    let m = d.minutesPerStep;
    let wait = 0;
    const isWaived = waived.has(step);
    if (first) {
      // The workflow-wide controls, paid once, at the request's first step.
      first = false;
      m += scope.work;
      wait += scope.wait;
      for (const share of scope.failShares) {
        if (d.rng.chance(share)) {
          escalated = true;
          m += ESCALATION_MINUTES;
        }
      }
    }
    for (const inst of s.controls) {
      const def = getControl(inst.control);
      // A waived guard is not performed: no draw, no minutes, no failure.
      if (isWaived && def.role === 'guard') continue;
      if (byAgent && inst.enforcement !== 'system') {
        opportunities++;
        if (d.rng.chance(d.skipProbability)) {
          skipped++;
          continue;
        }
      }
      m += def.friction.minutesAdded - def.friction.waitMinutes;
      wait += def.friction.waitMinutes;
      if (def.role === 'guard' && s.kind !== 'exception') {
        let f = fails.get(inst.control);
        if (f === undefined) fails.set(inst.control, (f = d.rng.chance(def.friction.legitFailShare)));
        if (f) failed = true;
      }
    }
    if (!inabilityUsed && !isWaived && VERIFICATION_KINDS.has(s.kind) && s.onFail !== undefined) {
      inabilityUsed = true;
      failed = true;
    }
    const t = d.rng.lognormal(m, d.spread);
    minutes += t + wait;
    if (byAgent) agentMinutes += t;
    if (failed) {
      if (s.onFail === undefined) return done('failed');
      escalated = true;
      step = s.onFail;
      continue;
    }
    if (s.grants !== undefined) {
      const x = wf.exceptions.find((e) => e.id === s.grants);
      if (x) {
        granted = x.id;
        grantedBy = step;
        grantedAtMinutes = minutes;
        for (const b of x.bypasses) waived.add(b);
      }
    }
    if (s.kind === 'execution') return done('recovered');
    if (s.next === undefined) return done('failed');
    step = s.next;
  }
  return done('failed');
}

/**
 * A workflow compiled for legitimate walks: steps as indices and controls as numbers, built once
 * per desk and reused for every request. `walkLegitPlan` over it draws exactly what `walkLegit`
 * draws, in the same order, and adds the same numbers in the same order, so its results are
 * identical; it only skips the string lookups and the allocations.
 */
export interface LegitPlan {
  /** 0: end, 1: routing, 2: any other step. */
  kind: Uint8Array;
  execution: Uint8Array;
  byAgent: Uint8Array;
  /** A verification step with a fallback: where a requester who cannot complete standard verification fails. */
  inabilityFails: Uint8Array;
  /** Step indices; -1: none. */
  next: Int32Array;
  onFail: Int32Array;
  start: number;
  /** Controls of step i: ctlFrom[i] .. ctlFrom[i + 1] - 1. */
  ctlFrom: Int32Array;
  /** The agent may skip it (procedural or unknown, on an agent's step). */
  ctlSkippable: Uint8Array;
  /** Minutes of handling the control adds (its catalogue minutes less its waiting). */
  ctlMinutes: Float64Array;
  /** Minutes the request waits for it with no agent working on it (catalogue waitMinutes). */
  ctlWait: Float64Array;
  /** A guard outside an exception step: fails a legitimate requester with ctlFailShare. */
  ctlGuard: Uint8Array;
  ctlFailShare: Float64Array;
  /** The control's number in this plan (instances of one control at several steps share it). */
  ctlId: Int32Array;
  /** Scratch of the walk: control k's failure was drawn in the current walk when drawnIn[k] === its stamp, with the result in failsIn[k]. */
  drawnIn: Int32Array;
  failsIn: Uint8Array;
  /** Routing step index -> target step index (-1: no route for the class), per class. */
  routes: (cls: AccountClass) => Int32Array;
  /** The workflow-wide controls' cost for a request of the class (scopeCost). */
  scope: (cls: AccountClass) => ScopeCost;
  /** A guard (waived at a step an exception granted on the way bypasses). */
  ctlIsGuard: Uint8Array;
  /** Exception index (in wf.exceptions) the step grants when passed; -1: none. */
  grants: Int32Array;
  /** Steps exception x bypasses: bypassSteps[bypassFrom[x] .. bypassFrom[x + 1] - 1]. */
  bypassFrom: Int32Array;
  bypassSteps: Int32Array;
  /** Scratch of the walk: step i is waived in the current walk when waivedIn[i] === the walk's stamp. */
  waivedIn: Int32Array;
  stamp: { n: number };
}

/** Compiles a workflow for `walkLegitPlan`; null when a step refers to a step that does not exist (walkLegit then does what it does). */
export function compileLegit(wf: Workflow): LegitPlan | null {
  const ids = Object.keys(wf.steps);
  const index = new Map(ids.map((id, i) => [id, i]));
  const n = ids.length;
  const ref = (id: string | undefined): number | null => (id === undefined ? -1 : (index.get(id) ?? null));
  const start = index.get(wf.start);
  if (start === undefined) return null;
  const plan = {
    kind: new Uint8Array(n),
    execution: new Uint8Array(n),
    byAgent: new Uint8Array(n),
    inabilityFails: new Uint8Array(n),
    next: new Int32Array(n),
    onFail: new Int32Array(n),
    start,
    ctlFrom: new Int32Array(n + 1),
    grants: new Int32Array(n).fill(-1),
  };
  const exceptionIndex = new Map(wf.exceptions.map((x, i) => [x.id, i]));
  const bypassFrom = new Int32Array(wf.exceptions.length + 1);
  const bypassSteps: number[] = [];
  for (let x = 0; x < wf.exceptions.length; x++) {
    bypassFrom[x] = bypassSteps.length;
    for (const b of wf.exceptions[x]!.bypasses) {
      const i = index.get(b);
      if (i !== undefined) bypassSteps.push(i);
    }
  }
  bypassFrom[wf.exceptions.length] = bypassSteps.length;
  const isGuard: number[] = [];
  const skippable: number[] = [];
  const minutes: number[] = [];
  const waits: number[] = [];
  const guard: number[] = [];
  const failShare: number[] = [];
  const ctlIds: number[] = [];
  const idOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const s = wf.steps[ids[i]!]!;
    plan.ctlFrom[i] = skippable.length;
    plan.kind[i] = s.kind === 'end' ? 0 : s.kind === 'routing' ? 1 : 2;
    if (s.kind === 'routing') {
      for (const r of s.routes) if (!index.has(r.to)) return null;
      continue;
    }
    const next = ref(s.next);
    const onFail = ref(s.onFail);
    if (next === null || onFail === null) return null;
    plan.next[i] = next;
    plan.onFail[i] = onFail;
    plan.execution[i] = s.kind === 'execution' ? 1 : 0;
    const byAgent = s.actor !== undefined && wf.actors[s.actor]?.kind === 'agent';
    plan.byAgent[i] = byAgent ? 1 : 0;
    plan.inabilityFails[i] = VERIFICATION_KINDS.has(s.kind) && s.onFail !== undefined ? 1 : 0;
    plan.grants[i] = s.grants !== undefined ? (exceptionIndex.get(s.grants) ?? -1) : -1;
    for (const inst of s.controls) {
      const def = getControl(inst.control);
      isGuard.push(def.role === 'guard' ? 1 : 0);
      skippable.push(byAgent && inst.enforcement !== 'system' ? 1 : 0);
      minutes.push(def.friction.minutesAdded - def.friction.waitMinutes);
      waits.push(def.friction.waitMinutes);
      guard.push(def.role === 'guard' && s.kind !== 'exception' ? 1 : 0);
      failShare.push(def.friction.legitFailShare);
      let k = idOf.get(def.id);
      if (k === undefined) idOf.set(def.id, (k = idOf.size));
      ctlIds.push(k);
    }
  }
  plan.ctlFrom[n] = skippable.length;
  const byClass = new Map<AccountClass, Int32Array>();
  const routes = (cls: AccountClass): Int32Array => {
    let r = byClass.get(cls);
    if (!r) {
      r = new Int32Array(n).fill(-1);
      for (let i = 0; i < n; i++) {
        const s = wf.steps[ids[i]!]!;
        if (s.kind !== 'routing') continue;
        const hit = s.routes.find((x) => x.classes.includes(cls));
        if (hit) r[i] = index.get(hit.to)!;
      }
      byClass.set(cls, r);
    }
    return r;
  };
  const scopes = new Map<AccountClass, ScopeCost>();
  const scope = (cls: AccountClass): ScopeCost => {
    let c = scopes.get(cls);
    if (!c) scopes.set(cls, (c = scopeCost(wf, cls)));
    return c;
  };
  return {
    ...plan,
    scope,
    ctlSkippable: Uint8Array.from(skippable),
    ctlMinutes: Float64Array.from(minutes),
    ctlWait: Float64Array.from(waits),
    ctlGuard: Uint8Array.from(guard),
    ctlFailShare: Float64Array.from(failShare),
    ctlId: Int32Array.from(ctlIds),
    drawnIn: new Int32Array(idOf.size),
    failsIn: new Uint8Array(idOf.size),
    routes,
    ctlIsGuard: Uint8Array.from(isGuard),
    bypassFrom,
    bypassSteps: Int32Array.from(bypassSteps),
    waivedIn: new Int32Array(n),
    stamp: { n: 0 },
  };
}

/** Where `walkLegitPlan` writes a walk (reused between requests: nothing is allocated per request). */
export interface LegitWalkOut {
  recovered: boolean;
  escalated: boolean;
  agentMinutes: number;
  minutes: number;
  opportunities: number;
  skipped: number;
  /** Index in wf.exceptions of the exception granted on the way (-1: none), the minutes into the walk when its step ended, and that step's index. */
  granted: number;
  grantedAtMinutes: number;
  grantedBy: number;
}

/** `walkLegit` on a compiled workflow, for a class whose routes are `routes` (plan.routes(cls)) and whose workflow-wide cost is `scope` (plan.scope(cls)); writes into `out`. */
export function walkLegitPlan(p: LegitPlan, routes: Int32Array, scope: ScopeCost, cannotCompleteStandard: boolean, d: { skipProbability: number; minutesPerStep: number; spread: number; rng: Rng }, out: LegitWalkOut): void {
  const rng = d.rng;
  const skipP = d.skipProbability;
  let step = p.start;
  let escalated = false;
  let inabilityUsed = !cannotCompleteStandard;
  let agentMinutes = 0;
  let minutes = 0;
  let opportunities = 0;
  let skipped = 0;
  let recovered = false;
  let granted = -1;
  let grantedBy = -1;
  let grantedAtMinutes = 0;
  // A new stamp per walk: no step is waived, and no failure drawn, until this walk does so.
  if (p.stamp.n >= 0x3fffffff) {
    p.waivedIn.fill(0);
    p.drawnIn.fill(0);
    p.stamp.n = 0;
  }
  const stamp = ++p.stamp.n;
  const waivedIn = p.waivedIn;
  let first = true;
  for (let n = 0; n < MAX_STEPS; n++) {
    const kind = p.kind[step]!;
    if (kind === 0) break;
    if (kind === 1) {
      step = routes[step]!;
      if (step < 0) break;
      continue;
    }
    const byAgent = p.byAgent[step] === 1;
    let failed = false;
    let m = d.minutesPerStep;
    let wait = 0;
    const isWaived = waivedIn[step] === stamp;
    if (first) {
      // The workflow-wide controls, paid once, at the request's first step (as walkLegit).
      first = false;
      m += scope.work;
      wait += scope.wait;
      const shares = scope.failShares;
      for (let j = 0; j < shares.length; j++) {
        if (rng.chance(shares[j]!)) {
          escalated = true;
          m += ESCALATION_MINUTES;
        }
      }
    }
    const to = p.ctlFrom[step + 1]!;
    for (let c = p.ctlFrom[step]!; c < to; c++) {
      if (isWaived && p.ctlIsGuard[c] === 1) continue;
      if (p.ctlSkippable[c] === 1) {
        opportunities++;
        if (rng.chance(skipP)) {
          skipped++;
          continue;
        }
      }
      m += p.ctlMinutes[c]!;
      wait += p.ctlWait[c]!;
      if (p.ctlGuard[c] === 1) {
        const k = p.ctlId[c]!;
        if (p.drawnIn[k] !== stamp) {
          p.drawnIn[k] = stamp;
          p.failsIn[k] = rng.chance(p.ctlFailShare[c]!) ? 1 : 0;
        }
        if (p.failsIn[k] === 1) failed = true;
      }
    }
    if (!inabilityUsed && !isWaived && p.inabilityFails[step] === 1) {
      inabilityUsed = true;
      failed = true;
    }
    const t = rng.lognormal(m, d.spread);
    minutes += t + wait;
    if (byAgent) agentMinutes += t;
    if (failed) {
      const f = p.onFail[step]!;
      if (f < 0) break;
      escalated = true;
      step = f;
      continue;
    }
    const x = p.grants[step]!;
    if (x >= 0) {
      granted = x;
      grantedBy = step;
      grantedAtMinutes = minutes;
      for (let b = p.bypassFrom[x]!; b < p.bypassFrom[x + 1]!; b++) waivedIn[p.bypassSteps[b]!] = stamp;
    }
    if (p.execution[step] === 1) {
      recovered = true;
      break;
    }
    const nx = p.next[step]!;
    if (nx < 0) break;
    step = nx;
  }
  out.recovered = recovered;
  out.escalated = escalated;
  out.agentMinutes = agentMinutes;
  out.minutes = minutes;
  out.opportunities = opportunities;
  out.skipped = skipped;
  out.granted = granted;
  out.grantedAtMinutes = grantedAtMinutes;
  out.grantedBy = grantedBy;
}
