// A hostile attempt at the desk: the scenario's attacker walks the workflow's machine through the
// tabletop engine (analysis/tabletop.ts), with the desk agent as the room. The agent decides as the
// controls require, except that under pressure it may skip procedural controls; when every control
// that would stop the caller at an agent's step was skipped, the agent approves past them. System-
// enforced controls are never skipped (the machine refuses the pass event anyway), and whether the
// walk ends in a takeover, and how it is detected, is the engine's own verdict (step evaluation,
// delivery, outcome) — no second semantics. Walks are memoised as a tree of decision logs: a walk is
// a function of the skip draws, and the tree has a handful of nodes per route.
import { getControl, type Workflow } from '../../models/index.ts';
import type { PathOutcome, Scenario } from '../../scenarios/index.ts';
import { exerciseNotPlayable, exerciseRoutes, runExercise, type ControlInPlay, type ExerciseDecision, type ExerciseEnd, type ExerciseRoute, type ExerciseState } from '../tabletop.ts';
import { routingLoop } from '../flow.ts';
import type { Rng } from './random.ts';

/** A walk is bounded by the scenario's retries; this only guards against a walk that never ends. */
const MAX_DECISIONS = 2_000;

interface WalkNode {
  log: ExerciseDecision[];
  state: ExerciseState;
  children: Map<string, WalkNode>;
}

/** A scenario the desk can meet: its routes and whether its attacker pushes the agent. */
export interface HostileAttack {
  scenario: Scenario;
  routes: ExerciseRoute[];
  /** The attacker has urgency or authority pressure (the pressure curve's attacker exponent applies). */
  pushes: boolean;
}

/** What one hostile attempt did at the desk. */
export interface HostileWalk {
  end: ExerciseEnd;
  /** Procedural controls the agent met at its steps, and how many it skipped. */
  opportunities: number;
  skipped: number;
  /** Controls the agent approved past although they held (gaps "skipped by the room"), by instance key. */
  skippedHolding: string[];
  /** Steps where the agent pushed the request through and the machine refused it: a system-enforced check held. */
  systemRefusals: string[];
  /** Minutes of agent handling and of the whole walk. */
  agentMinutes: number;
  minutes: number;
  /** The exception the caller was granted on the way (the last, if several; null: none), and the minutes into the walk when. */
  granted: string | null;
  grantedAtMinutes: number;
}

/** Options of one walk: the skip probability at this moment, handling-time parameters and the stream. */
export interface WalkDraws {
  skipProbability: number;
  minutesPerStep: number;
  spread: number;
  rng: Rng;
}

/** Hostile attempts against one workflow, with their memoised walks. */
export class HostileDesk {
  readonly attacks: HostileAttack[];
  private readonly roots = new Map<string, WalkNode>();

  constructor(
    private readonly wf: Workflow,
    scenarios: readonly Scenario[],
  ) {
    const loop = routingLoop(wf);
    if (loop) throw new Error(`${wf.file || wf.id}: routing step "${loop}" routes back to itself through routing steps only; the workflow's machine would route forever, so the desk cannot walk it (the exhaustive analysis still can)`);
    this.attacks = scenarios
      .filter((s) => !exerciseNotPlayable(wf, s) && !s.then?.length)
      .map((s) => ({ scenario: s, routes: exerciseRoutes(wf, s).routes, pushes: s.attacker.capabilities.includes('urgency_pressure') || s.attacker.capabilities.includes('authority_pressure') }));
  }

  private node(attack: number, route: number, log: ExerciseDecision[]): WalkNode {
    const a = this.attacks[attack]!;
    // Every step of a deciding kind is a point here (decisionsAt every_step): at a step no agent
    // performs the walk takes the required choice below, and its handling time is drawn like any other.
    return { log, state: runExercise(this.wf, a.scenario, a.routes[route]!, log, { decisionsAt: 'every_step' }), children: new Map() };
  }

  /** Walks attack `attack` on route `route` with the agent's skip draws. */
  walk(attack: number, route: number, d: WalkDraws): HostileWalk {
    const key = `${attack}|${route}`;
    let node = this.roots.get(key);
    if (!node) this.roots.set(key, (node = this.node(attack, route, [])));
    let opportunities = 0;
    let skipped = 0;
    let agentMinutes = 0;
    let minutes = 0;
    const skippedHolding: string[] = [];
    const systemRefusals: string[] = [];
    let granted: string | null = null;
    let grantedAtMinutes = 0;
    while (node.state.current) {
      const p = node.state.current;
      if (node.log.length >= MAX_DECISIONS) throw new Error(`hostile walk of ${this.attacks[attack]!.scenario.id} against ${this.wf.id} did not end within ${MAX_DECISIONS} decisions (at ${p.id}, ${p.step}: ${node.log.slice(-6).map((d) => `${d.point}:${d.choice}`).join(' ')})`);
      const byAgent = p.actor?.kind === 'agent';
      const inPlay = p.controls.filter((c) => c.ifPerformed !== 'not_applicable');
      const skips = new Set<ControlInPlay>();
      if (byAgent) {
        for (const c of inPlay) {
          if (c.enforcement === 'system') continue;
          opportunities++;
          if (d.rng.chance(d.skipProbability)) skips.add(c);
        }
      }
      skipped += skips.size;
      let choice: string = p.required.choice;
      const holding = inPlay.filter((c) => c.ifPerformed === 'holds' && c.enforcement !== 'system');
      // The agent pushes the request through when it skipped every procedural check that would stop
      // the caller (never granting an exception nobody asked for). A system-enforced check that holds
      // is not the agent's to skip: the machine refuses the pass event and the step fails.
      if (choice !== 'approve' && holding.length > 0 && holding.every((c) => skips.has(c)) && p.caller.stance !== 'declines_exception') {
        choice = 'approve';
        for (const c of holding) skippedHolding.push(c.key);
      }
      // Handling as a legitimate request's (legit.ts): a control's waiting lengthens the walk, not the agent's handling.
      let work = 0;
      let wait = 0;
      for (const c of inPlay) {
        if (skips.has(c)) continue;
        const f = getControl(c.control).friction;
        work += f.minutesAdded - f.waitMinutes;
        wait += f.waitMinutes;
      }
      const m = d.rng.lognormal(d.minutesPerStep + work, d.spread);
      minutes += m + wait;
      if (byAgent) agentMinutes += m;
      let next = node.children.get(choice);
      if (!next) node.children.set(choice, (next = this.node(attack, route, [...node.log, { point: p.id, choice }])));
      node = next;
      // The tabletop's wording for a pass event the machine refused (analysis/tabletop.ts, decide()).
      const refused = choice === 'approve' && node.state.decisions.at(-1)?.result.startsWith('The system refused');
      if (refused) systemRefusals.push(p.step);
      // An exception step passed grants its exception (the walk's next decision has it in force).
      const grants = this.wf.steps[p.step]?.grants;
      if (choice === 'approve' && !refused && p.kind === 'exception' && grants !== undefined) {
        granted = grants;
        grantedAtMinutes = minutes;
      }
    }
    return { end: node.state.end!, opportunities, skipped, skippedHolding, systemRefusals, agentMinutes, minutes, granted, grantedAtMinutes };
  }

  /** A sampled review's turnaround (its within_hours), by instance key. */
  reviewHours(key: string): number | null {
    const inst = [...Object.values(this.wf.steps).flatMap((s) => s.controls), ...this.wf.controls].find((c) => c.key === key);
    const h = inst?.params['within_hours'];
    return typeof h === 'number' ? h : null;
  }

  /** The enforcement of a control instance of the workflow, by key ("system" for workflow-scope instances no agent performs). */
  enforcementOf(key: string): string {
    for (const s of Object.values(this.wf.steps)) for (const c of s.controls) if (c.key === key) return c.enforcement;
    for (const c of this.wf.controls) if (c.key === key) return c.enforcement;
    return 'system';
  }
}


/** When a takeover is found out, if at all: the engine's detection, else a sampled review's chance, drawn. */
export function detectionDelayHours(outcome: PathOutcome, rng: Rng, spread: number, reviewHours: (key: string) => number | null): number | null {
  if (outcome.kind === 'takeover_detected' && outcome.detectedBy?.delayHours !== undefined) return rng.lognormal(outcome.detectedBy.delayHours, spread);
  for (const v of outcome.detections) {
    const hours = v.chance === undefined || v.late ? null : reviewHours(v.key);
    if (hours === null || v.chance === undefined) continue;
    if (rng.chance(v.chance)) return rng.lognormal(hours, spread);
  }
  return null;
}
