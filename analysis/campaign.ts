// Campaigns: a scenario whose takeover is followed by further takeovers (its `then:` stages), each
// using what the takeover before it gave the attacker, through the same or another workflow. Each
// stage is the engine's own single-scenario analysis of a derived scenario; this module only decides
// what each stage's attacker holds, whether a stage is reached, and what the chain adds up to
// (docs/analysis-semantics.md, "Campaigns").
import { ACCOUNT_CLASSES, RESET_ACTIONS, TAKEOVER_KINDS, takeoverKindOf, type AccountClass, type Capability, type TakeoverKind, type Workflow } from '../models/index.ts';
import type { CampaignStage, Scenario } from '../scenarios/index.ts';

export type StageOutcome = 'takeover_undetected' | 'takeover_detected' | 'blocked' | 'not_applicable' | 'not_analysed';

/** A capability a stage gains in a weaker form than the scenario says, and why. */
export interface Downgrade {
  from: Capability;
  to: Capability;
  reason: string;
}

/** One stage of a campaign as the report gives it (stage 1 is the scenario's own takeover). */
export interface CampaignStageResult {
  stage: number;
  name: string;
  workflow: string;
  targetClass: AccountClass;
  privileged: boolean;
  /** Capabilities this stage's attacker gained from the stage before (after any downgrade). */
  gained: Capability[];
  downgraded?: Downgrade[];
  /** Capabilities gained from how the stage before took over, not listed in the stage's gains (a carrier's SIM change). */
  derived?: { capability: Capability; reason: string }[];
  /** Days after the stage before that this stage's request came, when the scenario says. */
  afterDays?: number;
  /** Age in days of the contact on file the attacker had changed, as this stage sees it (when it holds contact_prepositioned). */
  contactAgeDays?: number;
  outcome: StageOutcome;
  paths: bigint;
  undetected: bigint;
  classes: number;
  /** Controls that close some class of the stage's paths on their own (union over its classes, sorted). */
  blocking: string[];
  /** What the stage's takeovers unlock (union over its example paths). */
  blastRadius: string[];
  /** For a stage that takes over: what its takeover yields (the campaign's objective against the stage's target class). */
  takeoverKind?: TakeoverKind;
  /** Why the stage was blocked, not applicable, not analysed or not reached. */
  reason?: string;
}

export interface CampaignResult {
  stages: CampaignStageResult[];
  /** Exact number of complete chains: the product of every stage's path count (0 unless every stage takes over). */
  chainPaths: bigint;
  /** Union of the blast radii of the stages that end in a takeover, in stage order. */
  blastRadius: string[];
  /** The outcome of the last stage reached. */
  outcome: StageOutcome;
  /** The highest-impact kind any stage's takeover yields (absent when no stage takes over). */
  takeoverKind?: TakeoverKind;
}

/** What a campaign needs of one single-scenario analysis. */
export interface StageRun {
  outcome: 'not_applicable' | 'blocked' | 'takeover_detected' | 'takeover_undetected';
  notApplicableReason?: string;
  paths: bigint;
  undetected: bigint;
  classes: number;
  blocking: string[];
  blastRadius: string[];
  /** Why attempts ended without a takeover (deduplicated), for a blocked stage. */
  blockedReasons: string[];
  /** The execution steps at which the takeover paths take over. */
  takeoverSteps: string[];
  /**
   * When every takeover path is detected in time: the slowest of those detections, in hours (the
   * attacker would take that path). Null when some path is undetected or none takes over.
   */
  slowestDetectionHours: number | null;
}

/** Runs the engine's single-scenario analysis of a (derived) scenario against a workflow. */
export type StageRunner = (wf: Workflow, scenario: Scenario) => StageRun;

const TAKEN_OVER: Capability = 'agent_account_taken_over';
const PASSWORD_ONLY: Capability = 'agent_account_compromised';

/** The ids of the workflows the scenarios' campaign stages name (sorted): what an analysis must be given to resolve them. */
export function campaignWorkflowIds(scenarios: readonly Scenario[]): string[] {
  const ids = new Set<string>();
  for (const sc of scenarios) for (const st of sc.then ?? []) if (st.workflow !== null) ids.add(st.workflow);
  return [...ids].sort();
}

/** Whether a takeover at this step gives the attacker a sign-in factor of the account, not only a secret its MFA still guards. */
export function handsOverAuthenticator(wf: Workflow, stepId: string): boolean {
  const step = wf.steps[stepId];
  if (!step) return false;
  return (step.action !== undefined && RESET_ACTIONS[step.action].bindsAuthenticator) || step.delivery === 'requester_enrolls_device';
}

const isTakeover = (o: StageOutcome) => o === 'takeover_detected' || o === 'takeover_undetected';

/** Why a stage after a stage with this outcome is not reached. */
const NOT_REACHED: Partial<Record<StageOutcome, string>> = {
  blocked: 'ends without a takeover (blocked)',
  not_applicable: 'does not apply (its workflow does not serve the target class)',
  not_analysed: 'was not analysed',
};

/**
 * What a stage's attacker gains from the takeover before it. An agent account taken over through a
 * reset that handed over only a password (no path enrolled a device or issued an access pass) comes
 * without the agent's factor: the gain is the agent's credentials, which phishing-resistant agent MFA stops.
 */
function gainsAfter(stage: CampaignStage, prevWf: Workflow, prev: StageRun, prevIndex: number): { gained: Capability[]; downgraded: Downgrade[]; derived: { capability: Capability; reason: string }[] } {
  const derived = [...carrierGain(stage, prevWf, prev, prevIndex), ...contactChangeGain(stage, prevWf, prev, prevIndex)];
  const withDerived = (gained: Capability[]) => [...gained, ...derived.map((d) => d.capability).filter((c) => !gained.includes(c))];
  if (!stage.gains.includes(TAKEN_OVER) || prev.takeoverSteps.some((s) => handsOverAuthenticator(prevWf, s))) return { gained: withDerived([...stage.gains]), downgraded: [], derived };
  const actions = [...new Set(prev.takeoverSteps.map((s) => prevWf.steps[s]?.action).filter((a) => a !== undefined))].map((a) => RESET_ACTIONS[a].name.toLowerCase());
  const gained = withDerived([...new Set(stage.gains.map((c) => (c === TAKEN_OVER ? PASSWORD_ONLY : c)))]);
  return {
    derived,
    gained,
    downgraded: [
      {
        from: TAKEN_OVER,
        to: PASSWORD_ONLY,
        reason: `stage ${prevIndex}'s takeovers hand over a password only (${actions.join(', ') || 'no authenticator'}; no path enrols a device or issues an access pass), so the attacker holds the agent's password, not its factor: agent MFA that resists phishing would still stop it`,
      },
    ],
  };
}

/**
 * A SIM change (action `sim_change`) executed by a carrier's desk hands the attacker the target's phone number: the next stage gains `sim_swap` (docs/analysis-semantics.md,
 * "Desk operators"). Within the stage itself the SIM change is the takeover, so it gives nothing there.
 */
function carrierGain(stage: CampaignStage, prevWf: Workflow, prev: StageRun, prevIndex: number): { capability: Capability; reason: string }[] {
  if (stage.gains.includes('sim_swap')) return [];
  const at = prev.takeoverSteps.filter((s) => {
    const step = prevWf.steps[s];
    return step?.action === 'sim_change' && step.actor !== undefined && prevWf.actors[step.actor]?.operator === 'carrier';
  });
  if (at.length === 0) return [];
  const names = at.map((s) => `"${prevWf.steps[s]!.name}"`).join(', ');
  return [{ capability: 'sim_swap', reason: `stage ${prevIndex} takes over at ${names}, performed by the carrier's desk: the attacker now controls the target's phone number` }];
}

/**
 * A takeover that changed the target's contact on file (action `recovery_channel_change`) leaves the
 * attacker's number and email on file: the next stage gains `contact_prepositioned`, whose age there
 * is the stage's `after_days` (docs/analysis-semantics.md, "Campaigns").
 */
function contactChangeGain(stage: CampaignStage, prevWf: Workflow, prev: StageRun, prevIndex: number): { capability: Capability; reason: string }[] {
  if (stage.gains.includes('contact_prepositioned')) return [];
  const at = prev.takeoverSteps.filter((s) => prevWf.steps[s]?.action === 'recovery_channel_change');
  if (at.length === 0) return [];
  const names = at.map((s) => `"${prevWf.steps[s]!.name}"`).join(', ');
  return [{ capability: 'contact_prepositioned', reason: `stage ${prevIndex} takes over at ${names}, a change of the contact on file: from then on the number and email on file are the attacker's` }];
}

/**
 * How old the contact the attacker had changed is at a stage. With the stage's `after_days` stated:
 * a contact changed by the takeover just before (or newly gained) is that many days old; one changed
 * earlier has aged by them. Without it, the campaign's own `contact_changed_days_ago` stands.
 */
function contactAgeAt(stage: CampaignStage, before: number | null, changedJustBefore: boolean, campaignAge: number | null): number | null {
  if (stage.afterDays === null) return before ?? campaignAge;
  if (changedJustBefore) return stage.afterDays;
  return before === null ? null : before + stage.afterDays;
}

/**
 * Why a stage is not reached because the stage before it was detected first: every takeover path of
 * that stage is detected in time, and the slowest detection comes before this stage's request
 * (`after_days` later). The organisation's response to the detected takeover takes back what it gave
 * the attacker. Without `after_days` the request may come before any detection, so nothing is stopped;
 * with an undetected path the attacker takes that one. Null when the stage is reached.
 */
function stoppedByDetection(stage: CampaignStage, prev: StageRun, prevIndex: number): string | null {
  if (stage.afterDays === null || prev.outcome !== 'takeover_detected' || prev.slowestDetectionHours === null) return null;
  if (prev.slowestDetectionHours > stage.afterDays * 24) return null;
  const days = `${stage.afterDays} day${stage.afterDays === 1 ? '' : 's'}`;
  return `not reached: every takeover of stage ${prevIndex} is detected, the slowest within ${prev.slowestDetectionHours} h, before this stage's request ${days} later; the response to it takes back what stage ${prevIndex} gave`;
}

/** The scenario a stage is analysed as: the campaign's attacker with everything it holds by then, the stage's target and strategy. */
function stageScenario(sc: Scenario, stage: CampaignStage, index: number, held: readonly Capability[], contactAgeDays: number | null): Scenario {
  return {
    id: `${sc.id}.stage${index}`,
    name: stage.name,
    attackTechniques: sc.attackTechniques,
    examples: [],
    attacker: {
      name: sc.attacker.name,
      capabilities: [...held],
      // The contact's age as this stage sees it; time to objective is the campaign's, whichever account it is on.
      contactChangedDaysAgo: contactAgeDays,
      timeToObjectiveHours: sc.attacker.timeToObjectiveHours,
      // So is the objective: what each stage's takeover yields is weighed against it.
      ...(sc.attacker.objective !== undefined ? { objective: sc.attacker.objective } : {}),
    },
    target: stage.target,
    strategy: stage.strategy,
    injects: [],
    file: sc.file,
  };
}

function stageOf(index: number, name: string, workflow: string, target: AccountClass, gained: Capability[], downgraded: Downgrade[], run: StageRun, objective: TakeoverKind | null, derived: CampaignStageResult['derived'] = []): CampaignStageResult {
  const reason = run.outcome === 'not_applicable' ? run.notApplicableReason : run.outcome === 'blocked' ? run.blockedReasons.slice(0, 3).join('; ') || undefined : undefined;
  return {
    stage: index,
    name,
    workflow,
    targetClass: target,
    privileged: ACCOUNT_CLASSES[target].privileged,
    gained,
    ...(downgraded.length ? { downgraded } : {}),
    ...(derived.length ? { derived } : {}),
    outcome: run.outcome,
    paths: run.paths,
    undetected: run.undetected,
    classes: run.classes,
    blocking: run.blocking,
    blastRadius: run.blastRadius,
    ...(isTakeover(run.outcome) ? { takeoverKind: takeoverKindOf(target, objective).kind } : {}),
    ...(reason ? { reason } : {}),
  };
}

function notAnalysed(index: number, stage: CampaignStage, workflow: string, gained: Capability[], downgraded: Downgrade[], reason: string): CampaignStageResult {
  return {
    stage: index,
    name: stage.name,
    workflow,
    targetClass: stage.target.accountClass,
    privileged: ACCOUNT_CLASSES[stage.target.accountClass].privileged,
    gained,
    ...(downgraded.length ? { downgraded } : {}),
    outcome: 'not_analysed',
    paths: 0n,
    undetected: 0n,
    classes: 0,
    blocking: [],
    blastRadius: [],
    reason,
  };
}

/**
 * Analyses a campaign: stage 1 is the scenario's own result on `wf` (`first`); each later stage is
 * analysed only when the one before it ends in a takeover, against its own workflow (`workflows`
 * resolves ids other than `wf`'s), by an attacker holding everything held so far plus the stage's gains.
 */
export function analyzeCampaign(wf: Workflow, sc: Scenario, first: StageRun, run: StageRunner, workflows?: ReadonlyMap<string, Workflow>): CampaignResult {
  const objective = sc.attacker.objective ?? null;
  const stages: CampaignStageResult[] = [stageOf(1, sc.name, wf.id, sc.target.accountClass, [], [], first, objective)];
  const held: Capability[] = [...sc.attacker.capabilities];
  // Age of the contact the attacker had changed, as the campaign goes on (null: it holds none).
  let contactAge: number | null = held.includes('contact_prepositioned') ? (sc.attacker.contactChangedDaysAgo ?? 7) : null;
  let prev: { wf: Workflow; run: StageRun } | null = { wf, run: first };
  let last: StageOutcome = first.outcome;
  (sc.then ?? []).forEach((stage, i) => {
    const index = i + 2;
    const id = stage.workflow ?? wf.id;
    if (!prev || !isTakeover(stages[i]!.outcome)) {
      const before = stages[i]!;
      stages.push(notAnalysed(index, stage, id, [], [], `not reached: stage ${before.stage} ${NOT_REACHED[before.outcome] ?? 'ends without a takeover'}`));
      prev = null;
      return;
    }
    const stopped = stoppedByDetection(stage, prev.run, index - 1);
    if (stopped) {
      stages.push({ ...notAnalysed(index, stage, id, [], [], stopped), afterDays: stage.afterDays! });
      prev = null;
      return;
    }
    const { gained, downgraded, derived } = gainsAfter(stage, prev.wf, prev.run, index - 1);
    const changedJustBefore = gained.includes('contact_prepositioned') && !held.includes('contact_prepositioned');
    for (const c of gained) if (!held.includes(c)) held.push(c);
    contactAge = held.includes('contact_prepositioned') ? contactAgeAt(stage, contactAge, changedJustBefore, sc.attacker.contactChangedDaysAgo) : null;
    const target = id === wf.id ? wf : workflows?.get(id);
    if (!target) {
      stages.push(notAnalysed(index, stage, id, gained, downgraded, `workflow "${id}" is not available to the analysis (no bundled or workspace workflow with this id was given), so this stage is not analysed`));
      last = 'not_analysed';
      prev = null;
      return;
    }
    const r = run(target, stageScenario(sc, stage, index, held, contactAge));
    stages.push({
      ...stageOf(index, stage.name, id, stage.target.accountClass, gained, downgraded, r, objective, derived),
      ...(stage.afterDays !== null ? { afterDays: stage.afterDays } : {}),
      ...(contactAge !== null && held.includes('contact_prepositioned') ? { contactAgeDays: contactAge } : {}),
    });
    last = r.outcome;
    prev = { wf: target, run: r };
  });
  const blastRadius: string[] = [];
  for (const s of stages) if (isTakeover(s.outcome)) for (const b of s.blastRadius) if (!blastRadius.includes(b)) blastRadius.push(b);
  // The chain yields the most any of its takeovers yields.
  const kinds = stages.flatMap((s) => (s.takeoverKind ? [s.takeoverKind] : []));
  const takeoverKind = kinds.sort((a, b) => TAKEOVER_KINDS[b].rank - TAKEOVER_KINDS[a].rank)[0];
  return { stages, chainPaths: stages.reduce((p, s) => p * s.paths, 1n), blastRadius, outcome: last, ...(takeoverKind ? { takeoverKind } : {}) };
}
