// Analysis of workflows against scenarios: exploration, outcomes, attribution and minimal control
// sets, assembled into the result every screen, report and CLI output is drawn from.
import { ACCOUNT_CLASSES, getControl, OWNER_ROLES, type AccountClass, type OwnerRole, type Workflow } from '../models/index.ts';
import { prepareWorkflow, type Prepared, type Scenario } from '../scenarios/index.ts';
import { applyControls } from './counterfactual.ts';
import { attributePath, type CounterfactualCache, type PathAttribution } from './attribution.ts';
import { explore, type BlockPoint, type ExploreOptions, type TakeoverPath } from './explore.ts';
import { minimalControlSets, type MinimalSetsResult } from './minimalSets.ts';

export type ScenarioOutcome = 'not_applicable' | 'blocked' | 'takeover_detected' | 'takeover_undetected';

export interface AnalysedPath extends TakeoverPath {
  attribution: PathAttribution;
}

export interface ScenarioResult {
  scenario: string;
  scenarioName: string;
  targetClass: AccountClass;
  outcome: ScenarioOutcome;
  notApplicableReason?: string;
  paths: AnalysedPath[];
  /** Where the attack was stopped (deduplicated), when it was. */
  blockedAt: { step: string; stepName: string; kind: BlockPoint['kind']; controls: string[]; reason: string }[];
  statesVisited: number;
  exhaustive: boolean;
  boundReasons: string[];
}

export interface ControlSummary {
  control: string;
  name: string;
  owner: OwnerRole;
  ownerTitle: string;
  blocksPaths: number;
  detectsPaths: number;
  /** Path counts by gap status. */
  statuses: Record<string, number>;
}

export interface WorkflowAnalysis {
  workflow: { id: string; name: string; family: string; variant: string; file: string; stepNames: Record<string, string> };
  scenarios: ScenarioResult[];
  totals: { paths: number; undetected: number; detected: number; privilegedPaths: number; scenariosWithTakeover: number };
  controls: ControlSummary[];
  minimalSets: MinimalSetsResult;
  minimalSetsByClass: Partial<Record<AccountClass, MinimalSetsResult>>;
}

export interface AnalyzeOptions extends ExploreOptions {
  /** Compute gap attribution for every path (default true). */
  attribute?: boolean;
  /** Compute and verify minimal control sets (default true; implies attribution). */
  minimalSets?: boolean;
  sizeBound?: number;
}

/** Analyses one workflow against scenarios: every takeover path, its gap, and the minimal control sets. */
export function analyzeWorkflow(wf: Workflow, scenarios: readonly Scenario[], options: AnalyzeOptions = {}): WorkflowAnalysis {
  const prep = prepareWorkflow(wf);
  const attribute = options.attribute ?? true;
  const wantSets = (options.minimalSets ?? true) && attribute;
  const cache: CounterfactualCache = new Map();
  const results: ScenarioResult[] = scenarios.map((sc) => analyzeScenario(wf, prep, sc, options, attribute, cache));
  const allPaths = results.flatMap((r) => r.paths.map((p) => ({ p, r })));
  const totals = {
    paths: allPaths.length,
    undetected: allPaths.filter(({ p }) => p.outcome.kind === 'takeover_undetected').length,
    detected: allPaths.filter(({ p }) => p.outcome.kind === 'takeover_detected').length,
    privilegedPaths: allPaths.filter(({ r }) => ACCOUNT_CLASSES[r.targetClass].privileged).length,
    scenariosWithTakeover: results.filter((r) => r.paths.length > 0).length,
  };
  const controls = summariseControls(results);
  const emptySets: MinimalSetsResult = { closablePaths: 0, unclosablePaths: [], sets: [], sizeBound: options.sizeBound ?? 4, truncated: false, leastFriction: null, highestLeverage: null };
  let minimalSets = emptySets;
  const minimalSetsByClass: WorkflowAnalysis['minimalSets' | 'minimalSetsByClass'] = {};
  if (wantSets && allPaths.length > 0) {
    minimalSets = verifiedSets(wf, scenarios, results, null, options);
    const classes = [...new Set(results.filter((r) => r.paths.length > 0).map((r) => r.targetClass))].sort();
    for (const cls of classes) (minimalSetsByClass as Record<string, MinimalSetsResult>)[cls] = verifiedSets(wf, scenarios, results, cls, options);
  }
  return {
    workflow: { id: wf.id, name: wf.name, family: wf.family, variant: wf.variant, file: wf.file, stepNames: Object.fromEntries(wf.stepOrder.map((s) => [s, wf.steps[s]!.name])) },
    scenarios: results,
    totals,
    controls,
    minimalSets,
    minimalSetsByClass: minimalSetsByClass as Partial<Record<AccountClass, MinimalSetsResult>>,
  };
}

function analyzeScenario(wf: Workflow, prep: Prepared, sc: Scenario, options: ExploreOptions, attribute: boolean, cache: CounterfactualCache): ScenarioResult {
  const ex = explore(wf, sc, options, prep);
  const base = {
    scenario: sc.id,
    scenarioName: sc.name,
    targetClass: sc.target.accountClass,
    statesVisited: ex.statesVisited,
    exhaustive: ex.exhaustive,
    boundReasons: ex.boundReasons,
  };
  if (!ex.applicable) {
    return { ...base, outcome: 'not_applicable', notApplicableReason: ex.notApplicableReason!, paths: [], blockedAt: [] };
  }
  const paths: AnalysedPath[] = ex.paths.map((p) => ({
    ...p,
    attribution: attribute ? attributePath(wf, prep, sc, p, cache) : { pathId: p.id, blocking: [], detecting: [], gaps: [] },
  }));
  const outcome: ScenarioOutcome =
    paths.length === 0 ? 'blocked' : paths.some((p) => p.outcome.kind === 'takeover_undetected') ? 'takeover_undetected' : 'takeover_detected';
  const blockedAt = new Map<string, ScenarioResult['blockedAt'][number]>();
  if (paths.length === 0) {
    for (const b of ex.blocks) {
      const controls = b.held.map((h) => h.control);
      const key = `${b.step}|${b.kind}|${controls.join(',')}`;
      if (!blockedAt.has(key)) blockedAt.set(key, { step: b.step, stepName: wf.steps[b.step]?.name ?? b.step, kind: b.kind, controls, reason: b.reason });
    }
  }
  return { ...base, outcome, paths, blockedAt: [...blockedAt.values()] };
}

/** Minimal sets over the paths of all scenarios (or those targeting one class), each verified. */
function verifiedSets(wf: Workflow, scenarios: readonly Scenario[], results: ScenarioResult[], cls: AccountClass | null, options: AnalyzeOptions): MinimalSetsResult {
  const relevant = results.filter((r) => cls === null || r.targetClass === cls);
  const blocking = new Map<string, string[]>();
  for (const r of relevant) for (const p of r.paths) blocking.set(`${r.scenario}:${p.id}`, p.attribution.blocking);
  const res = minimalControlSets(blocking, options.sizeBound ?? 4);
  const scs = scenarios.filter((s) => relevant.some((r) => r.scenario === s.id));
  const unclosable = new Set(res.unclosablePaths);
  for (const set of res.sets) {
    const hardened = prepareWorkflow(applyControls(wf, set.controls));
    // Paths no single control closes stay open by definition; the set must close every other one.
    set.verified = scs.every((sc) => {
      const ex = explore(hardened.wf, sc, options, hardened);
      return ex.paths.every((p) => [...unclosable].some((u) => u.startsWith(`${sc.id}:`) && sameRoute(p, relevant, u)));
    });
  }
  return res;
}

function sameRoute(p: TakeoverPath, results: ScenarioResult[], uid: string): boolean {
  const [sid, pid] = [uid.slice(0, uid.indexOf(':')), uid.slice(uid.indexOf(':') + 1)];
  const orig = results.find((r) => r.scenario === sid)?.paths.find((x) => x.id === pid);
  return !!orig && orig.walked.map((w) => `${w.step}:${w.via}`).join('>') === p.walked.map((w) => `${w.step}:${w.via}`).join('>') && orig.channel === p.channel;
}

function summariseControls(results: ScenarioResult[]): ControlSummary[] {
  const by = new Map<string, ControlSummary>();
  for (const r of results) {
    for (const p of r.paths) {
      for (const g of p.attribution.gaps) {
        let s = by.get(g.control);
        if (!s) {
          const def = getControl(g.control);
          s = { control: g.control, name: def.name, owner: def.owner, ownerTitle: OWNER_ROLES[def.owner], blocksPaths: 0, detectsPaths: 0, statuses: {} };
          by.set(g.control, s);
        }
        if (g.effect === 'blocks') s.blocksPaths++;
        else s.detectsPaths++;
        s.statuses[g.status] = (s.statuses[g.status] ?? 0) + 1;
      }
    }
  }
  return [...by.values()].sort((a, b) => b.blocksPaths - a.blocksPaths || b.detectsPaths - a.detectsPaths || a.control.localeCompare(b.control));
}
