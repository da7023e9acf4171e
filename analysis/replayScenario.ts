// Chooses the attempt to replay for a scenario (its first takeover path, or the attempt that got
// furthest before it was stopped) and replays it through the workflow machine.
import type { Workflow } from '../models/index.ts';
import { replay, type ReplayOptions, type ReplayTrace, type Scenario } from '../scenarios/index.ts';
import type { Exploration, TakeoverPath } from './explore.ts';

/** Replays one takeover path through the compiled machine. */
export function replayPath(wf: Workflow, scenario: Scenario, path: TakeoverPath, options: ReplayOptions = {}): ReplayTrace {
  return replay(
    wf,
    scenario,
    { channel: path.channel, claimedClass: path.claimedClass, standingExceptions: path.standingExceptions, steps: path.walked.map((w) => ({ step: w.step, via: w.via })) },
    options,
  );
}

/** The replay a user sees first: the first takeover path, else the furthest blocked attempt (null if none). */
export function replayScenario(wf: Workflow, scenario: Scenario, ex: Exploration, options: ReplayOptions = {}): ReplayTrace | null {
  const first = ex.paths[0];
  if (first) return replayPath(wf, scenario, first, options);
  const furthest = ex.blocks.filter((b) => b.attempt.length > 0).sort((a, b) => b.attempt.length - a.attempt.length)[0];
  if (!furthest) return null;
  const standing = scenario.strategy.exceptions.includes('use_standing') ? wf.exceptions.filter((e) => !e.controls.some((c) => c.control === 'exception.expiry')).map((e) => e.id) : [];
  return replay(wf, scenario, { channel: furthest.channel, claimedClass: claimOf(wf, scenario, furthest.attempt), standingExceptions: standing, steps: furthest.attempt }, options);
}

function claimOf(wf: Workflow, scenario: Scenario, attempt: { step: string }[]): Scenario['target']['accountClass'] | null {
  for (const a of attempt) {
    const s = wf.steps[a.step];
    if (s?.kind === 'routing' && s.basis === 'caller_claim') {
      const i = attempt.indexOf(a);
      const next = attempt[i + 1]?.step;
      const route = s.routes.find((r) => r.to === next);
      return scenario.strategy.claims.find((c) => route?.classes.includes(c)) ?? null;
    }
  }
  return null;
}
