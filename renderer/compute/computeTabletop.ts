// Pure helpers of the tabletop screens: the exercise clock between responses, the participants
// field, and which timed injects are due.
import { exerciseNotPlayable, exerciseRoutes, exerciseRouteText, runExercise } from '../../analysis/index.ts';
import type { ConsoleView } from '../../contract/index.ts';
import { loadWorkflowText, OWNER_ROLES } from '../../models/index.ts';
import { loadScenarioText } from '../../scenarios/index.ts';

/** The owner roles a participant can play, for the setup form (any other role may be typed). */
export const ROLE_CHOICES: readonly { id: string; label: string }[] = Object.entries(OWNER_ROLES).map(([id, label]) => ({ id, label }));

/** Exercise minutes now: the host's figure plus the time since it answered, unless the clock is paused. */
export function liveMinutes(clock: ConsoleView['clock'], nowMs: number): number {
  if (clock.paused) return clock.elapsedMinutes;
  return clock.elapsedMinutes + Math.max(0, nowMs - Date.parse(clock.asOf)) / 60_000;
}

/** Minutes as a clock face (the same text the after-action report prints). */
export { exerciseClockText as clockText } from '../../analysis/index.ts';

/**
 * Participants from the setup form, one per line: "Name — role" (an em dash, " - " or a comma
 * separates them). A role matching an owner role's id or title is stored as the id, so the
 * after-action report can name the person who owns a gap. Returns the problems by line.
 */
export function parseParticipants(text: string): { participants: { name: string; role: string }[]; problems: string[] } {
  const participants: { name: string; role: string }[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const m = /^(.+?)\s*(?:—|–| - |,)\s*(.+)$/.exec(line);
    if (!m) {
      problems.push(`line ${i + 1}: write "Name — role"`);
      return;
    }
    const role = m[2]!.trim();
    const known = ROLE_CHOICES.find((r) => r.id === role || r.label.toLowerCase() === role.toLowerCase());
    participants.push({ name: m[1]!.trim(), role: known ? known.id : role });
  });
  return { participants, problems };
}

/** A participant's role as people read it. */
export function roleLabel(role: string): string {
  return (OWNER_ROLES as Record<string, string>)[role] ?? role;
}

/** Injects whose time has come and that the room has not been given yet. */
export function dueInjects(injects: ConsoleView['injects'], minutes: number): ConsoleView['injects'] {
  // One that does not hold for the workflow or the walk so far (its note says why) is not due: the
  // facilitator may still release it from the list.
  return injects.filter((i) => !i.released && i.atMinute <= minutes && i.applies?.holds !== false);
}

/** Words for what the controls required (the model's verdict at a decision). */
export const REQUIRED_TEXT: Record<'approve' | 'fallback' | 'deny', string> = { approve: 'approve', fallback: 'send to the fallback', deny: 'refuse' };

/** What the setup form offers for a workflow and scenario: the routes the room can play, or why none. */
export interface SetupRoutes {
  /**
   * `value` is the route as the host takes it ("phone" or "phone:standard_employee"); the first is the
   * default. `roomDecides`: some step on it is the room's to decide (false: systems, the requester or
   * the account holder perform every step, and the session has only the walk, the injects and the debrief).
   */
  routes: { value: string; label: string; roomDecides: boolean }[];
  /** Why the pair cannot be played (the session would be refused); null when it can. */
  notPlayable: string | null;
}

/**
 * The routes of an exercise, from the workflow's and the scenario's files as the host serves them
 * (parsed with the same loaders): every channel the scenario tries that the workflow opens to its
 * attacker, with each class it may claim, in the scenario's order.
 */
export function setupRoutes(workflow: { text: string; fileName: string }, scenario: { text: string; fileName: string }): SetupRoutes {
  const wf = loadWorkflowText(workflow.text, workflow.fileName);
  const sc = loadScenarioText(scenario.text, scenario.fileName);
  if (!wf.ok) return { routes: [], notPlayable: `the workflow file does not load: ${wf.issues[0]?.message ?? 'unknown problem'}` };
  if (!sc.ok) return { routes: [], notPlayable: `the scenario file does not load: ${sc.issues[0]?.message ?? 'unknown problem'}` };
  const notPlayable = exerciseNotPlayable(wf.value, sc.value);
  if (notPlayable) return { routes: [], notPlayable };
  return {
    routes: exerciseRoutes(wf.value, sc.value).routes.map((r) => ({ value: r.claimedClass ? `${r.channel}:${r.claimedClass}` : r.channel, label: exerciseRouteText(r), roomDecides: runExercise(wf.value, sc.value, r, []).current !== null })),
    notPlayable: null,
  };
}
