// A legitimate request at the desk: the account holder walks the workflow as the directory routes
// them. Each control performed costs its catalogue minutes and fails a legitimate requester with its
// catalogue share (models/catalogue/controls.ts, friction); a requester who cannot complete standard
// verification fails the first verification step that has a fallback. A failed step goes to its
// on_fail fallback (an escalation) or, without one, the request fails. A loaded agent may skip a
// procedural control here too: the requester then neither pays its minutes nor risks failing it.
import { getControl, type AccountClass, type Workflow } from '../../models/index.ts';
import type { Rng } from './random.ts';

const VERIFICATION_KINDS: ReadonlySet<string> = new Set(['proofing', 'step_up', 'callback']);
/** A walk longer than this is looping on fallbacks: the requester gives up (counted as a failure). */
const MAX_STEPS = 64;

/** What one legitimate request did. */
export interface LegitWalk {
  outcome: 'recovered' | 'failed';
  /** Took at least one fallback. */
  escalated: boolean;
  agentMinutes: number;
  minutes: number;
  opportunities: number;
  skipped: number;
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
  const done = (outcome: LegitWalk['outcome']): LegitWalk => ({ outcome, escalated, agentMinutes, minutes, opportunities, skipped });
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
    for (const inst of s.controls) {
      const def = getControl(inst.control);
      if (byAgent && inst.enforcement !== 'system') {
        opportunities++;
        if (d.rng.chance(d.skipProbability)) {
          skipped++;
          continue;
        }
      }
      m += def.friction.minutesAdded;
      if (def.role === 'guard' && s.kind !== 'exception' && d.rng.chance(def.friction.legitFailShare)) failed = true;
    }
    if (!inabilityUsed && VERIFICATION_KINDS.has(s.kind) && s.onFail !== undefined) {
      inabilityUsed = true;
      failed = true;
    }
    const t = d.rng.lognormal(m, d.spread);
    minutes += t;
    if (byAgent) agentMinutes += t;
    if (failed) {
      if (s.onFail === undefined) return done('failed');
      escalated = true;
      step = s.onFail;
      continue;
    }
    if (s.kind === 'execution') return done('recovered');
    if (s.next === undefined) return done('failed');
    step = s.next;
  }
  return done('failed');
}
