// Analysis of workflows against scenarios, exactly: the state graph of every scenario, its path
// classes with exact counts and example paths, the controls on them, the transitions they use, and
// the verified minimal control sets — the result every screen, report and CLI output is drawn from.
import { ACCOUNT_CLASSES, getControl, OWNER_ROLES, takeoverKindOf, type AccountClass, type OwnerRole, type Workflow } from '../models/index.ts';
import { prepareWorkflow, type Prepared, type Scenario } from '../scenarios/index.ts';
import { analyzeCampaign, type CampaignResult, type StageRun } from './campaign.ts';
import { classKeyOf, pathClasses, type PathClass } from './classes.ts';
import { minimalControlSets, type MinimalSetsResult, type ScenarioGraph } from './controlSets.ts';
import type { AnalysisCache } from './cache.ts';
import { placementOf, type Placement } from './counterfactual.ts';
import { Counterfactuals } from './counterfactuals.ts';
import { exampleGapControls, exampleResiduals, examplePath, gapControls, type ExamplePath, type Residual } from './examples.ts';
import { Attributor, LabelStore } from './labels.ts';
import { lazyField } from './lazy.ts';
import { buildStateGraph, type BlockKind, type StateGraph } from './stateGraph.ts';

export type ScenarioOutcome = 'not_applicable' | 'blocked' | 'takeover_detected' | 'takeover_undetected';

/** A class of takeover paths with its exact count and concrete examples. */
export interface ClassResult extends Omit<PathClass, 'examples'> {
  id: string;
  examples: ExamplePath[];
  /** Never credited with blocking: training missing where an honest agent was deceived or pressured, warnings to users where the holder acted for the attacker (on the first example). */
  reducesLikelihood: Residual[];
  /** Never credited with blocking: session revocation missing where the attacker's sessions persist (on the first example). */
  limitsImpact: Residual[];
}

export interface ScenarioResult {
  scenario: string;
  scenarioName: string;
  targetClass: AccountClass;
  outcome: ScenarioOutcome;
  notApplicableReason?: string;
  /** Exact number of takeover paths, and how many of them end undetected or detected. */
  paths: bigint;
  undetected: bigint;
  detected: bigint;
  classes: ClassResult[];
  /** Where attempts were stopped (deduplicated), when no path gets through. */
  blockedAt: { step: string; stepName: string; kind: BlockKind; controls: string[]; reason: string }[];
  /** Size of the search graph. */
  states: number;
  moves: number;
  /** The loops back a path may take (the scenario's retry budget). */
  retries: number;
  /** Exact takeover paths through each workflow transition ("from>to>next|on_fail|route"). */
  transitions: Map<string, bigint>;
  /** For a scenario with campaign stages: every stage's outcome and the chain's count and blast radius. */
  campaign?: CampaignResult;
  /** For a takeover: what it yields (docs/analysis-semantics.md, "Takeover kinds"). */
  takeover?: TakeoverYield;
}

/** What a scenario's takeover yields: its kind, the attacker's objective, and whether the account capped it. */
export type TakeoverYield = ReturnType<typeof takeoverKindOf>;

export interface ControlSummary {
  control: string;
  name: string;
  owner: OwnerRole;
  ownerTitle: string;
  /** Exact takeover paths the control closes on its own. */
  blocksPaths: bigint;
  /** Exact takeover paths it closes together with one or two other controls. */
  jointPaths: bigint;
  /** Exact undetected takeover paths it would turn into detected ones. */
  detectsPaths: bigint;
  /** Exact takeover paths on which it takes a means away without closing them. */
  contributesPaths: bigint;
  /** Exact takeover paths its absence made more likely (training; never credited with blocking). */
  reducesLikelihoodPaths: bigint;
  /** Exact takeover paths whose harm it would limit (session revocation; never credited with blocking). */
  limitsImpactPaths: bigint;
  /** Exact paths by the control's status on them (over the paths where it is named). */
  statuses: Record<string, bigint>;
}

export interface WorkflowAnalysis {
  workflow: { id: string; name: string; family: string; variant: string; file: string; stepNames: Record<string, string> };
  scenarios: ScenarioResult[];
  totals: { paths: bigint; undetected: bigint; detected: bigint; privilegedPaths: bigint; scenariosWithTakeover: number; classes: number };
  controls: ControlSummary[];
  /** Exact takeover paths through each workflow transition, over all scenarios. */
  transitions: Map<string, bigint>;
  minimalSets: MinimalSetsResult;
  minimalSetsByClass: Partial<Record<AccountClass, MinimalSetsResult>>;
  /** Where each control of a minimal set (the workflow's or a class's) goes when the set is applied, by control id. */
  placements: Record<string, Placement>;
}

export interface AnalyzeOptions {
  /** Compute gap attribution (blocking, joint, detecting, contributing controls; default true). */
  attribute?: boolean;
  /** Compute and verify minimal control sets (default true; implies attribution). */
  minimalSets?: boolean;
  /** Largest minimal control set looked for (default 4). */
  sizeBound?: number;
  /** Evaluations shared with earlier analyses of the session (what-if re-analysis is then incremental). */
  cache?: AnalysisCache;
  /**
   * Workflows campaign stages may go through, by id (the bundled library and the workspace); a stage
   * naming a workflow not found here is reported as not analysed. The analysed workflow is always used
   * for its own id.
   */
  workflows?: ReadonlyMap<string, Workflow>;
  /**
   * Told as the analysis proceeds: before each scenario (`done` of `total` finished, `scenario` the
   * one starting), then once every scenario is done (`scenario` null: the control sets are next).
   * The analysis worker forwards it so the UI can show progress; it must not throw.
   */
  onProgress?: (progress: AnalysisProgress) => void;
}

/** How far an analysis has got: scenarios finished of all, and the one being analysed (null after the last). */
export interface AnalysisProgress {
  done: number;
  total: number;
  scenario: { id: string; name: string } | null;
}

/** Labels and memoised joins a session's shared label store may hold before it is started again. */
const LABEL_STORE_WEIGHT = 1_000_000;

/** Analyses one workflow against scenarios: every class of takeover paths, its gap, and the minimal control sets. */
export function analyzeWorkflow(wf: Workflow, scenarios: readonly Scenario[], options: AnalyzeOptions = {}, prep: Prepared = prepareWorkflow(wf)): WorkflowAnalysis {
  const attribute = options.attribute ?? true;
  const wantSets = (options.minimalSets ?? true) && attribute;
  const cfs = new Counterfactuals(prep, options.cache);
  // Labels are values interned by content (control ids, statuses, outcomes), never by workflow: a
  // session's analyses share one store, so a what-if re-analysis finds the labels and joins of the
  // ones before it. The store is replaced once it holds LABEL_STORE_WEIGHT labels and joins.
  const store = options.cache ? options.cache.shared('labels', () => new LabelStore(), (s) => s.weight > LABEL_STORE_WEIGHT) : new LabelStore();
  const graphs: (ScenarioGraph & { sc: Scenario })[] = [];
  // Campaign stages through other workflows: each prepared once, sharing the content-keyed cache.
  const engines = new Map<Workflow, { prep: Prepared; cfs: Counterfactuals; store: LabelStore }>([[wf, { prep, cfs, store }]]);
  const runStage = (w: Workflow, sc: Scenario): StageRun => {
    let e = engines.get(w);
    if (!e) {
      const p = prepareWorkflow(w);
      engines.set(w, (e = { prep: p, cfs: new Counterfactuals(p, cfs.cache), store: new LabelStore() }));
    }
    const g = buildStateGraph(e.prep, sc, e.cfs.cache);
    return stageRun(g, analyzeScenario(g, new Attributor(g, e.cfs, e.store, attribute), e.cfs, sc).result);
  };
  const progress = options.onProgress;
  const results: ScenarioResult[] = scenarios.map((sc, i) => {
    progress?.({ done: i, total: scenarios.length, scenario: { id: sc.id, name: sc.name } });
    const g = buildStateGraph(prep, sc, cfs.cache);
    const att = new Attributor(g, cfs, store, attribute);
    const r = analyzeScenario(g, att, cfs, sc);
    graphs.push({ graph: g, att, classes: r.pathClasses, families: r.families, sc });
    // A campaign's later stages are reported under the scenario; the workflow's totals, controls,
    // transitions and control sets count the scenario's own (first-stage) paths only.
    if (sc.then?.length) r.result.campaign = analyzeCampaign(wf, sc, stageRun(g, r.result), runStage, options.workflows);
    return r.result;
  });
  progress?.({ done: scenarios.length, total: scenarios.length, scenario: null });
  const sum = (f: (r: ScenarioResult) => bigint, rs = results) => rs.reduce((s, r) => s + f(r), 0n);
  const totals = {
    paths: sum((r) => r.paths),
    undetected: sum((r) => r.undetected),
    detected: sum((r) => r.detected),
    privilegedPaths: sum((r) => (ACCOUNT_CLASSES[r.targetClass].privileged ? r.paths : 0n)),
    scenariosWithTakeover: results.filter((r) => r.paths > 0n).length,
    classes: results.reduce((n, r) => n + r.classes.length, 0),
  };
  const transitions = new Map<string, bigint>();
  for (const r of results) for (const [t, n] of r.transitions) transitions.set(t, (transitions.get(t) ?? 0n) + n);
  const sizeBound = options.sizeBound ?? 4;
  const emptySets: MinimalSetsResult = { closablePaths: 0n, unclosablePaths: 0n, sets: [], sizeBound, truncated: false, notes: [], leastFriction: null, highestLeverage: null };
  let minimalSets = emptySets;
  const minimalSetsByClass: Partial<Record<AccountClass, MinimalSetsResult>> = {};
  if (wantSets && totals.paths > 0n) {
    minimalSets = minimalControlSets(graphs, cfs, sizeBound);
    const classes = [...new Set(results.filter((r) => r.paths > 0n).map((r) => r.targetClass))].sort();
    // With takeovers of one class only, that class's sets are the workflow's.
    if (classes.length === 1) minimalSetsByClass[classes[0]!] = minimalSets;
    else for (const cls of classes) minimalSetsByClass[cls] = minimalControlSets(graphs.filter((x) => x.sc.target.accountClass === cls), cfs, sizeBound);
  }
  // Where the sets' controls go when applied (as the verification applied them): what an architect
  // must put in the file for a set to hold.
  const placements: Record<string, Placement> = {};
  for (const ms of [minimalSets, ...Object.values(minimalSetsByClass)]) for (const set of ms!.sets) for (const c of set.controls) placements[c] ??= placementOf(wf, c);
  const out: WorkflowAnalysis = {
    workflow: { id: wf.id, name: wf.name, family: wf.family, variant: wf.variant, file: wf.file, stepNames: Object.fromEntries(wf.stepOrder.map((s) => [s, wf.steps[s]!.name])) },
    scenarios: results,
    totals,
    controls: summariseControls(results),
    transitions,
    minimalSets,
    minimalSetsByClass,
    placements: Object.fromEntries(Object.entries(placements).sort((a, b) => (a[0] < b[0] ? -1 : 1))),
  };
  // The results' lazy parts (examples, analysis/lazy.ts) keep the state graphs and attribution they
  // read, and through them this analysis's counterfactual workflows and, when it made its own, its
  // cache with every evaluation it made: more than half of what a library matrix's results held
  // (10.6 MB, now 4.6). Both are let go; what a lazy part reads again is made again by content (a
  // session's cache is the caller's, and kept). Memory the results hold is memory the collector copies.
  for (const e of engines.values()) e.cfs.release();
  if (!options.cache) cfs.cache.release();
  return out;
}

/** Per class made here: its examples and first example (made concrete when first asked for) and the controls its gap names. */
interface ClassExamples {
  all: () => ExamplePath[];
  example: () => ExamplePath;
  gaps: readonly string[];
}
const classExamples = lazyField<ClassResult, 'examples', ClassExamples>('examples', (s) => s.all());

/** A class's first example (its gap and residuals are the class's), without making the others concrete. */
export function firstExample(c: ClassResult): ExamplePath {
  return classExamples.stateOf(c)?.example() ?? c.examples[0]!;
}

/** The controls a class's explained gap names (its first example's), without making the example concrete. */
export function classGapControls(c: ClassResult): readonly string[] {
  return classExamples.stateOf(c)?.gaps ?? exampleGapControls(firstExample(c));
}

function analyzeScenario(g: StateGraph, att: Attributor, cfs: Counterfactuals, sc: Scenario): { result: ScenarioResult; pathClasses: PathClass[]; families: ScenarioGraph['families'] } {
  if (!g.applicable) {
    return { result: scenarioResult(g, sc, 'not_applicable', g.notApplicableReason!, 0n, 0n, [], [], new Map(), undefined), pathClasses: [], families: [] };
  }
  const { classes, families, total, transitions } = pathClasses(att);
  const undetected = classes.filter((c) => c.outcome === 'takeover_undetected').reduce((s, c) => s + c.count, 0n);
  const results: ClassResult[] = classes.map((c, i) => {
    const id = `${sc.id}#${i + 1}`;
    const examples = c.examples;
    // Examples are made concrete when first read (analysis/lazy.ts): they feed no count, class or
    // set. The class's residuals are its first example's, read off its walk (exampleResiduals), and
    // the controls its gap names off its label.
    let first: ExamplePath | undefined;
    const example = () => (first ??= examplePath(att, cfs, c, examples[0]!, `${id}.1`, true));
    const all = () => [example(), ...examples.slice(1).map((ex, j) => examplePath(att, cfs, c, ex, `${id}.${j + 2}`, false))];
    const residuals = exampleResiduals(att, cfs, examples[0]!);
    // The class's fields written out in their order, with `examples` a lazy property in its place
    // (analysis/lazy.ts, lazyField: every class takes the same steps, so all share one shape).
    const result = {
      outcome: c.outcome,
      detectedBy: c.detectedBy,
      blocking: c.blocking,
      detecting: c.detecting,
      statuses: c.statuses,
      conditional: c.conditional,
      count: c.count,
      unclosable: c.unclosable,
      inJoint: c.inJoint,
      joint: c.joint,
      contributing: c.contributing,
      id,
    } as Omit<ClassResult, 'examples' | 'reducesLikelihood' | 'limitsImpact'> as ClassResult;
    classExamples.define(result, { all, example, gaps: gapControls(c, examples[0]!.label) });
    result.reducesLikelihood = residuals.reducesLikelihood;
    result.limitsImpact = residuals.limitsImpact;
    return result;
  });
  const outcome: ScenarioOutcome = total === 0n ? 'blocked' : undetected > 0n ? 'takeover_undetected' : 'takeover_detected';
  const blockedAt = new Map<string, ScenarioResult['blockedAt'][number]>();
  if (total === 0n) {
    for (const b of g.blocks) {
      const controls = b.held.map((h) => h.control);
      const key = `${b.step}|${b.kind}|${controls.join(',')}`;
      if (!blockedAt.has(key)) blockedAt.set(key, { step: b.step, stepName: g.prep.wf.steps[b.step]?.name ?? b.step, kind: b.kind, controls, reason: b.reason });
    }
  }
  const takeover = total > 0n ? takeoverKindOf(sc.target.accountClass, sc.attacker.objective ?? null) : undefined;
  return { result: scenarioResult(g, sc, outcome, undefined, total, undetected, results, [...blockedAt.values()], transitions, takeover), pathClasses: classes, families };
}

/**
 * A scenario's result, always of one shape: every field present in its place, those that do not
 * apply undefined (JSON leaves them out; the campaign is set afterwards, for a scenario with stages).
 * A spread of a base object into a literal that adds fields is V8's slow path.
 */
function scenarioResult(
  g: StateGraph,
  sc: Scenario,
  outcome: ScenarioOutcome,
  notApplicableReason: string | undefined,
  paths: bigint,
  undetected: bigint,
  classes: ClassResult[],
  blockedAt: ScenarioResult['blockedAt'],
  transitions: Map<string, bigint>,
  takeover: TakeoverYield | undefined,
): ScenarioResult {
  return {
    scenario: sc.id,
    scenarioName: sc.name,
    targetClass: sc.target.accountClass,
    states: g.nodes.length,
    moves: g.edges.length,
    retries: sc.strategy.retries,
    outcome,
    notApplicableReason,
    paths,
    undetected,
    detected: paths - undetected,
    classes,
    blockedAt,
    transitions,
    takeover,
    campaign: undefined,
  };
}

/** A scenario's result as a campaign stage: its outcome and counts, what closes it, what it unlocks, where it takes over. */
function stageRun(g: StateGraph, r: ScenarioResult): StageRun {
  const blocking = new Set<string>();
  const blastRadius: string[] = [];
  for (const c of r.classes) {
    for (const b of c.blocking) blocking.add(b);
    for (const ex of c.examples) for (const b of ex.outcome.blastRadius) if (!blastRadius.includes(b)) blastRadius.push(b);
  }
  const takeoverSteps = new Set<string>();
  for (const n of g.nodes) if (n.end && n.takeover) takeoverSteps.add(n.takeover);
  return {
    outcome: r.outcome,
    ...(r.notApplicableReason ? { notApplicableReason: r.notApplicableReason } : {}),
    paths: r.paths,
    undetected: r.undetected,
    classes: r.classes.length,
    blocking: [...blocking].sort(),
    blastRadius,
    blockedReasons: [...new Set(r.blockedAt.map((b) => b.reason))],
    takeoverSteps: [...takeoverSteps].sort(),
    slowestDetectionHours: r.outcome === 'takeover_detected' ? Math.max(...r.classes.map((c) => c.detectedBy?.delayHours ?? Number.POSITIVE_INFINITY)) : null,
  };
}

function summariseControls(results: readonly ScenarioResult[]): ControlSummary[] {
  const by = new Map<string, ControlSummary>();
  const get = (control: string) => {
    let s = by.get(control);
    if (!s) {
      const def = getControl(control);
      by.set(control, (s = { control, name: def.name, owner: def.owner, ownerTitle: OWNER_ROLES[def.owner], blocksPaths: 0n, jointPaths: 0n, detectsPaths: 0n, contributesPaths: 0n, reducesLikelihoodPaths: 0n, limitsImpactPaths: 0n, statuses: {} }));
    }
    return s;
  };
  for (const r of results) {
    for (const c of r.classes) {
      for (const b of c.blocking) get(b).blocksPaths += c.count;
      for (const [x, n] of Object.entries(c.inJoint)) get(x).jointPaths += n;
      for (const d of c.detecting) get(d).detectsPaths += c.count;
      for (const x of c.contributing) get(x.control).contributesPaths += x.paths;
      for (const x of c.reducesLikelihood) get(x.control).reducesLikelihoodPaths += c.count;
      for (const x of c.limitsImpact) get(x.control).limitsImpactPaths += c.count;
      for (const [control, status] of Object.entries(c.statuses)) {
        const s = get(control);
        s.statuses[status] = (s.statuses[status] ?? 0n) + c.count;
      }
    }
  }
  const cmp = (a: bigint, b: bigint) => (a > b ? -1 : a < b ? 1 : 0);
  return [...by.values()].sort((a, b) => cmp(a.blocksPaths, b.blocksPaths) || cmp(a.detectsPaths, b.detectsPaths) || cmp(a.jointPaths, b.jointPaths) || a.control.localeCompare(b.control));
}

/** A concrete walk through a workflow: the route it came by and each step with how it left it (as an example path writes it). */
export interface ConcreteWalk {
  channel: string;
  claimedClass: AccountClass | null;
  steps: readonly { step: string; via: 'pass' | 'fail' | 'route' | 'end' }[];
}

/**
 * The class of the scenario's takeover paths a concrete walk is one of, by its id as analyzeWorkflow
 * numbers them ("s25-forged-id-at-the-counter#2"), or null when the walk is no takeover path of the
 * analysis (a move the analysis does not make, such as passing a check that holds against this
 * attacker, or a walk that ends without a takeover). Exact: the walk is followed move by move through
 * the scenario's state graph and its label (the join of its moves' labels, finalised) is keyed as the
 * class DP keys the paths it counts, so any path of a class is found, not only its examples.
 */
export function classOfWalk(wf: Workflow, scenario: Scenario, walk: ConcreteWalk): string | null {
  const prep = prepareWorkflow(wf);
  const cfs = new Counterfactuals(prep);
  const store = new LabelStore();
  try {
    const g = buildStateGraph(prep, scenario, cfs.cache);
    if (!g.applicable || walk.steps.length === 0) return null;
    const att = new Attributor(g, cfs, store, true);
    const last = walk.steps.length - 1;
    // Each root of the route (standing exceptions may give several) is tried: the walk is one path from one of them.
    for (const root of g.roots) {
      const r = g.nodes[root]!;
      if (r.channel !== walk.channel || (r.claim !== null && r.claim !== walk.claimedClass) || r.step !== walk.steps[0]!.step) continue;
      const edges: number[] = [];
      let node = r;
      let ok = true;
      for (let i = 0; i < last && ok; i++) {
        const here = walk.steps[i]!;
        const next = walk.steps[i + 1]!.step;
        const e = node.out.map((id) => g.edges[id]!).find((x) => x.via === here.via && g.nodes[x.to]!.step === next);
        if (!e || node.step !== here.step) ok = false;
        else {
          edges.push(e.id);
          node = g.nodes[e.to]!;
        }
      }
      if (!ok || !node.end || walk.steps[last]!.via !== 'end') continue;
      let label = att.endLabel(node);
      for (let i = edges.length - 1; i >= 0; i--) label = store.join(att.edgeLabel(g.edges[edges[i]!]!), label);
      const key = classKeyOf(store, att.finalize(store.join(att.rootLabel(r), label)));
      const classes = pathClasses(att).classes;
      const at = classes.findIndex((c) => classKeyOf(store, c.examples[0]!.label) === key);
      return at < 0 ? null : `${scenario.id}#${at + 1}`;
    }
    return null;
  } finally {
    cfs.release();
    cfs.cache.release();
  }
}
