// What the results panels say, derived from an analysis report ("resetpath/analysis@2"): the
// scenario x outcome table (with the change against a baseline during what-if), a class of takeover
// paths with the controls that close or detect it and its explained gap, an example path's
// step-by-step trace (replayed through the workflow machine), and the export.
import {
  controlEntry,
  countIn,
  formatCount,
  hardenedSettingsText,
  lintAfterSetText,
  lintWithSet,
  minutesText,
  pathsText,
  placementPhrase,
  REPORT_FORMAT,
  stopsAtSteps,
  type AnalysisReport,
  type Count,
  type ReportCampaign,
  type ReportClass,
  type ReportControl,
  type ReportExample,
  type ReportScenario,
  type ReportSet,
  type ReportWorkflow,
} from '../../analysis/index.ts';
import { channelName, findControl, TAKEOVER_KINDS, type AccountClass, type Workflow } from '../../models/index.ts';
import { replay, type AttackChannel, type ReplayTrace, type Scenario, type TraceEntry } from '../../scenarios/index.ts';
import type { RouteLike } from './computeOverlay.ts';
import {
  className,
  classShort,
  compactCount,
  EFFECTS,
  roughCount,
  GAP_STATUS,
  hours,
  OUTCOME_SEVERITY,
  OUTCOMES,
  percent,
  plural,
  scenarioCode,
  STAGE_OUTCOMES,
  VERDICTS,
  type Effect,
  type GapStatus,
  type Outcome,
  type StageOutcome,
  type Tone,
  type Verdict,
} from './format.ts';

export type { Count, ReportClass, ReportExample, ReportScenario, ReportSet, ReportWorkflow };

type ClassOutcome = ReportClass['outcome'];

const controlName = (id: string) => findControl(id)?.name ?? id;

// ---- the scenario x outcome table ------------------------------------------------------------

export interface ClassButton {
  id: string;
  /** "#1", "#2", … in the engine's order. */
  label: string;
  count: Count;
  outcome: ClassOutcome;
  /** "S01 class #1: 3 paths, undetected" — the button's title and accessible name. */
  title: string;
}

export interface OutcomeRow {
  scenario: string;
  code: string;
  name: string;
  target: string;
  targetShort: string;
  privileged: boolean;
  outcome: Outcome;
  label: string;
  tone: Tone;
  glyph: string;
  classes: ClassButton[];
  /** One line saying why: where it was blocked, or how many paths in how many classes got through. */
  detail: string;
  /** The baseline outcome when what-if changed it. */
  was: { outcome: Outcome; label: string; paths: Count; title: string } | null;
  change: 'better' | 'worse' | null;
  /** A campaign's chain under the row: every stage and the chain's count and blast radius (null: a single takeover, or not applicable). */
  campaign: CampaignView | null;
}

export interface CampaignStageLine {
  stage: number;
  /** "Stage 2". */
  label: string;
  name: string;
  /** "Privileged administrator". */
  target: string;
  privileged: boolean;
  workflow: string;
  outcome: StageOutcome;
  /** The outcome in words: "Takeover, undetected", "Blocked", "Not analysed". */
  outcomeLabel: string;
  tone: Tone;
  glyph: string;
  /** How many paths in how many classes, or why there are none. */
  detail: string;
  /** "gained agent_account_taken_over", empty for stage 1. */
  gained: string;
  /** Why a gain was weakened, in words; null when nothing was. */
  downgrade: string | null;
}

export interface CampaignView {
  stages: CampaignStageLine[];
  chain: {
    outcome: StageOutcome;
    label: string;
    tone: Tone;
    /** "6 campaign paths" (exact). */
    paths: string;
    /** "support console, customer records, admin console" ("none" when no stage took over). */
    blastRadius: string;
    /** The sentence the row reads as, for its title and accessible name. */
    title: string;
  };
}

const isTakeover = (o: StageOutcome) => o === 'takeover_detected' || o === 'takeover_undetected';

/** A campaign as the outcome table shows it under its scenario: each stage in words, then the chain. */
export function campaignView(c: ReportCampaign): CampaignView {
  const stages = c.stages.map((st): CampaignStageLine => {
    const o = STAGE_OUTCOMES[st.outcome];
    return {
      stage: st.stage,
      label: `Stage ${st.stage}`,
      name: st.name,
      target: className(st.targetClass),
      privileged: st.privileged,
      workflow: st.workflow,
      outcome: st.outcome,
      outcomeLabel: o.label,
      tone: o.tone,
      glyph: o.glyph,
      detail: isTakeover(st.outcome) ? `${pathsText(st.paths)} in ${plural(st.classes, 'class', 'classes')}` : (st.reason ?? o.label.toLowerCase()),
      gained: st.gained.length ? `gained ${st.gained.join(', ')}` : '',
      downgrade: st.downgraded?.length ? st.downgraded.map((d) => `${d.from} downgraded to ${d.to}: ${d.reason}`).join('; ') : null,
    };
  });
  const o = STAGE_OUTCOMES[c.outcome];
  const paths = pathsText(c.chainPaths, 'campaign path');
  const blastRadius = c.blastRadius.length ? c.blastRadius.map((b) => b.replace(/_/g, ' ')).join(', ') : 'none';
  return {
    stages,
    chain: { outcome: c.outcome, label: o.label, tone: o.tone, paths, blastRadius, title: `Campaign of ${stages.length} stages: ${o.label.toLowerCase()}, ${paths}; blast radius: ${blastRadius}` },
  };
}

function scenarioDetail(s: ReportScenario): string {
  if (s.outcome === 'not_applicable') return s.notApplicableReason ?? 'the workflow does not serve this account class';
  if (s.outcome === 'blocked') {
    // Led by a stop at a step, as the CLI does (a channel the workflow does not accept comes after).
    const { atSteps, others } = stopsAtSteps(s.blockedAt);
    const first = atSteps[0] ?? others[0];
    if (!first) return 'no takeover path';
    const more = s.blockedAt.length > 1 ? ` (+${s.blockedAt.length - 1} more)` : '';
    if (first.kind === 'controls' && first.controls.length) return `stopped at “${first.stepName}” by ${first.controls.join(', ')}${more}`;
    return first.kind === 'loop' ? `stopped at “${first.stepName}”: ${first.reason}${more}` : `${first.reason}${more}`;
  }
  const undetected = countIn(s.undetected);
  const total = countIn(s.paths);
  // The share left undetected; a repeated 22-digit count would push the rest out of the cell.
  const how = undetected === 0n ? 'all detected' : undetected === total ? (total === 1n ? 'undetected' : 'all undetected') : `${formatCount(undetected)} undetected`;
  // Only runs converted from the earlier format can be bounded; their counts are a lower bound.
  const bounded = s.search.exhaustive ? '' : ' (at least: counted by an earlier, bounded run)';
  // CONDITIONAL: takeover paths that depend on an unknown of the workflow (docs/analysis-semantics.md, "Unknowns").
  const cond = s.classes.filter((c) => c.conditional);
  const conditional = cond.length === 0 ? '' : cond.length === s.classes.length ? '; conditional on unknowns' : `; ${plural(cond.length, 'class', 'classes')} conditional on unknowns`;
  return `${pathsText(s.paths)} in ${plural(s.classes.length, 'class', 'classes')}, ${how}${bounded}${conditional}`;
}

/** The button title of a class: which class, how many paths, how it ends. */
export function classTitle(scenario: string, index: number, cls: Pick<ReportClass, 'count' | 'outcome'>): string {
  return `${scenarioCode(scenario)} class #${index + 1}: ${pathsText(cls.count)}, ${OUTCOMES[cls.outcome].short}`;
}

/** Rows of the scenario x outcome table; `baseline` marks what a what-if change moved. */
export function outcomeRows(current: ReportWorkflow, baseline: ReportWorkflow | null = null): OutcomeRow[] {
  const before = new Map(baseline?.scenarios.map((s) => [s.scenario, s]) ?? []);
  return current.scenarios.map((s) => {
    const o = OUTCOMES[s.outcome];
    const b = before.get(s.scenario);
    const now = countIn(s.paths);
    const moved = b && (b.outcome !== s.outcome || countIn(b.paths) !== now) ? b : null;
    return {
      scenario: s.scenario,
      code: scenarioCode(s.scenario),
      name: s.name,
      target: className(s.targetClass),
      targetShort: classShort(s.targetClass),
      privileged: s.privileged,
      outcome: s.outcome,
      label: o.label,
      tone: o.tone,
      glyph: o.glyph,
      classes: s.classes.map((c, i) => ({ id: c.id, label: `#${i + 1}`, count: c.count, outcome: c.outcome, title: classTitle(s.scenario, i, c) })),
      detail: scenarioDetail(s),
      was: moved
        ? {
            outcome: moved.outcome,
            label: OUTCOMES[moved.outcome].label,
            paths: moved.paths,
            title: `before the what-if changes: ${OUTCOMES[moved.outcome].label.toLowerCase()}, ${pathsText(moved.paths)}`,
          }
        : null,
      campaign: s.campaign && s.outcome !== 'not_applicable' ? campaignView(s.campaign) : null,
      change: moved
        ? OUTCOME_SEVERITY[s.outcome] < OUTCOME_SEVERITY[moved.outcome] || (s.outcome === moved.outcome && now < countIn(moved.paths))
          ? 'better'
          : 'worse'
        : null,
    };
  });
}

export interface Totals {
  paths: Count;
  undetected: Count;
  detected: Count;
  privileged: Count;
  classes: number;
  scenariosWithTakeover: number;
  scenariosAnalysed: number;
}

export function totals(w: ReportWorkflow): Totals {
  return {
    paths: w.totals.paths,
    undetected: w.totals.undetected,
    detected: w.totals.detected,
    privileged: w.totals.privilegedPaths,
    classes: w.totals.classes,
    scenariosWithTakeover: w.totals.scenariosWithTakeover,
    scenariosAnalysed: w.scenarios.filter((s) => s.outcome !== 'not_applicable').length,
  };
}

/** The table's headline: the exact total (and the baseline's, when what-if changed it) and the rest. */
export function totalsLine(t: Totals, baseline: Totals | null): { was: string | null; now: string; rest: string } {
  const changed = baseline !== null && countIn(baseline.paths) !== countIn(t.paths);
  return {
    was: changed ? pathsText(baseline.paths, 'takeover path') : null,
    now: pathsText(t.paths, 'takeover path'),
    rest: `in ${plural(t.classes, 'class', 'classes')}, ${t.scenariosWithTakeover} of ${t.scenariosAnalysed} applicable scenarios · ${formatCount(t.undetected)} undetected · ${formatCount(t.privileged)} on privileged accounts`,
  };
}

/**
 * What the graph's note says is drawn, every scenario's paths or one scenario's: short enough for
 * the corner of the graph (orders of magnitude for huge counts), exact in its title.
 */
export function drawnText(w: ReportWorkflow, scenario: string | null): { text: string; title: string } {
  const all = countIn(w.totals.paths);
  const sc = scenario ? w.scenarios.find((s) => s.scenario === scenario) : null;
  const paths = (n: bigint, noun = 'path') => `${roughCount(n)} ${noun}${n === 1n ? '' : 's'}`;
  if (!sc) return all ? { text: `Drawn: all ${paths(all, 'takeover path')}`, title: `All ${pathsText(all, 'takeover path')}` } : { text: 'No takeover path to draw', title: '' };
  const code = scenarioCode(sc.scenario);
  const n = countIn(sc.paths);
  if (!n) return { text: `${code}: no takeover path${all ? ` (${roughCount(all)} in other scenarios)` : ''}`, title: all ? `${pathsText(all, 'takeover path')} in other scenarios` : '' };
  return { text: `Drawn: ${code}, ${paths(n)} of ${roughCount(all)}`, title: `${code}: ${pathsText(n)} of ${pathsText(all, 'takeover path')}` };
}

// ---- one class of takeover paths -------------------------------------------------------------

/** Finds a class (and its scenario and position) by id. */
export function findClass(w: ReportWorkflow, classId: string | null): { scenario: ReportScenario; cls: ReportClass; index: number } | null {
  if (!classId) return null;
  for (const s of w.scenarios) {
    const index = s.classes.findIndex((c) => c.id === classId);
    if (index >= 0) return { scenario: s, cls: s.classes[index]!, index };
  }
  return null;
}

/**
 * Where a report opens when it comes on screen: the class on screen if the report still has it in
 * the scenario picked (a run again keeps what the user was reading), else that scenario's first
 * class, else the first class worth showing (an undetected takeover before a detected one). `picked`
 * says the user's scenario was kept; `scenario` is null when no scenario has a takeover path.
 */
export function openingClass(w: ReportWorkflow, scenario: string | null, classId: string | null): { scenario: string | null; cls: string | null; picked: boolean } {
  const picked = scenario ? w.scenarios.find((s) => s.scenario === scenario) : undefined;
  if (picked) {
    const kept = classId !== null && picked.classes.some((c) => c.id === classId);
    return { scenario: picked.scenario, cls: kept ? classId : (picked.classes[0]?.id ?? null), picked: true };
  }
  const withPaths = w.scenarios.filter((s) => s.classes.length > 0);
  const first = withPaths.find((s) => s.outcome === 'takeover_undetected') ?? withPaths[0];
  return { scenario: first?.scenario ?? null, cls: first?.classes[0]!.id ?? null, picked: false };
}

export interface ControlRow {
  control: string;
  name: string;
  status: GapStatus | null;
  statusLabel: string;
  statusTone: Tone;
  statusHelp: string;
}

export interface JointRow {
  controls: { id: string; name: string }[];
  /** "closes both paths", "closes 3 of the 7 paths". */
  paths: string;
}

export interface ContributingRow {
  control: string;
  name: string;
  /** "on 4 paths". */
  paths: string;
}

export interface ClassView {
  title: string;
  outcome: ClassOutcome;
  label: string;
  tone: Tone;
  /** "3 paths" (exact). */
  count: string;
  facts: { label: string; value: string }[];
  blocking: ControlRow[];
  detecting: ControlRow[];
  joint: JointRow[];
  contributing: ContributingRow[];
  /** Never credited with blocking: missing training where an honest agent was deceived (reduces likelihood). */
  reducesLikelihood: ResidualRow[];
  /** Never credited with blocking: missing session revocation where the attacker's sessions persist (limits impact). */
  limitsImpact: ResidualRow[];
  /** The paths no set of up to three catalogue controls closes, in words; null when none. */
  unclosable: string | null;
  /** CONDITIONAL: the unknowns of the workflow this class's takeover or outcome depends on, in words; null when none. */
  conditional: string | null;
}

export interface ResidualRow {
  control: string;
  name: string;
  statusLabel: string;
  why: string;
}

const residualRow = (r: { control: string; status: string; why: string }): ResidualRow => ({
  control: r.control,
  name: controlName(r.control),
  statusLabel: r.status === 'not_enforced' ? 'not enforced' : r.status,
  why: r.why,
});

function controlRow(control: string, statuses: ReportClass['statuses']): ControlRow {
  const status = (statuses[control] ?? null) as GapStatus | null;
  return {
    control,
    name: controlName(control),
    status,
    statusLabel: status ? GAP_STATUS[status].label : '',
    statusTone: status ? GAP_STATUS[status].tone : 'muted',
    statusHelp: status ? GAP_STATUS[status].help : '',
  };
}

/** How many of the class's paths a joint combination closes, in words. */
function jointPaths(closes: Count, of: Count): string {
  const n = countIn(closes);
  const all = countIn(of);
  if (n === all) return all === 1n ? 'closes the path' : all === 2n ? 'closes both paths' : `closes all ${formatCount(all)} paths`;
  return `closes ${formatCount(n)} of the ${pathsText(all)}`;
}

/** What a takeover yields, in words, and whether the attacker's objective was out of the account's reach. */
function takeoverText(t: NonNullable<ReportScenario['takeover']>): string {
  const objective = t.objective ? TAKEOVER_KINDS[t.objective].name.toLowerCase() : null;
  return t.capped && objective ? `${t.name}; the attacker's objective (${objective}) is beyond this account` : t.name;
}

/** A class as the Path tab shows it: count, outcome, and the controls that close or detect it. */
export function classView(scenario: ReportScenario, cls: ReportClass, index: number): ClassView {
  const o = OUTCOMES[cls.outcome];
  const share = countIn(scenario.paths) === countIn(cls.count) ? `all of ${scenarioCode(scenario.scenario)}'s` : `of ${scenarioCode(scenario.scenario)}'s ${formatCount(scenario.paths)}`;
  const unclosable = countIn(cls.unclosable);
  return {
    title: `${scenarioCode(scenario.scenario)} class #${index + 1}`,
    outcome: cls.outcome,
    label: o.label,
    tone: o.tone,
    count: pathsText(cls.count),
    facts: [
      { label: 'Scenario', value: scenario.name },
      { label: 'Target', value: `${className(scenario.targetClass)}${scenario.privileged ? ' (privileged)' : ''}` },
      { label: 'Paths', value: `${pathsText(cls.count)}, ${share} takeover paths` },
      ...(scenario.takeover ? [{ label: 'Yields', value: takeoverText(scenario.takeover) }] : []),
      { label: 'Detection', value: cls.detectedBy ? `${cls.detectedBy.control} after ${hours(cls.detectedBy.delayHours)}` : 'none: nobody notices the takeover' },
    ],
    blocking: cls.blocking.map((c) => controlRow(c, cls.statuses)),
    detecting: cls.detecting.map((c) => controlRow(c, cls.statuses)),
    joint: cls.joint.map((j) => ({ controls: j.controls.map((id) => ({ id, name: controlName(id) })), paths: jointPaths(j.paths, cls.count) })),
    contributing: cls.contributing.map((c) => ({ control: c.control, name: controlName(c.control), paths: `on ${pathsText(c.paths)}` })),
    reducesLikelihood: (cls.reducesLikelihood ?? []).map(residualRow),
    limitsImpact: (cls.limitsImpact ?? []).map(residualRow),
    unclosable: unclosable > 0n ? `${pathsText(unclosable)} of this class cannot be closed by any set of up to three catalogue controls.` : null,
    conditional: cls.conditional ? `Conditional: this finding holds only if ${cls.conditional.why.join('; ')} — each unknown is taken as the attacker would have it.` : null,
  };
}

export interface MappingView {
  /** The reference without the confidence mark; the panel adds "[unconfirmed]" itself. */
  label: string;
  unconfirmed: boolean;
  /** How well it fits the control (direct, partial, analogy), when the report records it. */
  fit?: 'direct' | 'partial' | 'analogy';
  /** The identifier is confirmed only through a secondary source. */
  secondary?: boolean;
  /** Tooltip: reference, fit, existence with source and version, rationale, note. */
  title: string;
}

export interface GapRow {
  control: string;
  name: string;
  effect: Effect;
  effectLabel: string;
  effectTone: Tone;
  effectHelp: string;
  status: GapStatus;
  statusLabel: string;
  statusTone: Tone;
  statusHelp: string;
  /** The gap is explained on a path that depends on an unknown of the workflow. */
  conditional: boolean;
  owner: string;
  ownerTitle: string;
  actsAt: string | null;
  why: string;
  effectReason: string;
  friction: string;
  mappings: MappingView[];
}

const CONFIDENCE: Record<string, string> = {
  C: 'confirmed in a listed source',
  C2: 'confirmed through a secondary source only',
  U: 'unconfirmed',
  D: 'our derivation',
};

/**
 * How a gap shows one framework mapping: the label, the fit as a short badge, and a tooltip with the
 * existence check (source and version) and the rationale. Reports stored before fit and existence
 * were recorded show the label and the old confidence flag only.
 */
export function mappingView(m: ReportControl['mappings'][number]): MappingView {
  const label = m.label.replace(/\s*\[unconfirmed\]$/, '');
  const unconfirmed = m.existence ? m.existence.status === 'unconfirmed' : m.confidence === 'U';
  const exists = m.existence
    ? `exists: ${m.existence.status === 'confirmed' ? 'confirmed in' : m.existence.status === 'secondary' ? 'confirmed only via' : 'not confirmed in'} ${m.existence.sourceTitle} (${m.existence.checked})`
    : (CONFIDENCE[m.confidence] ?? m.confidence);
  const title = [`${label} (${m.ref})`, m.fit ? `fit: ${m.fit}` : null, exists, m.rationale ?? null, m.note ?? null].filter(Boolean).join('; ');
  return { label, unconfirmed, ...(m.fit ? { fit: m.fit } : {}), ...(m.existence?.status === 'secondary' ? { secondary: true } : {}), title };
}

/** A control's catalogue facts as the report carries them (from its controls list, else the catalogue). */
function controlFacts(w: ReportWorkflow, control: string): Pick<ReportControl, 'name' | 'owner' | 'ownerTitle' | 'frictionMinutes' | 'legitFailShare' | 'mappings'> {
  return w.controls.find((c) => c.control === control) ?? controlEntry(control);
}

/** The explained gap of a class (on its first example), in the engine's order, with owner, friction and mappings. */
export function gapRows(w: ReportWorkflow, cls: ReportClass, stepNames: ReadonlyMap<string, string>): GapRow[] {
  return cls.gaps.map((g) => {
    const c = controlFacts(w, g.control);
    const effectLabel =
      g.effect === 'detects' && g.detectionDelayHours !== undefined
        ? `detects (${hours(g.detectionDelayHours)})`
        : g.effect === 'blocks_jointly' && g.with?.length
          ? `blocks with ${g.with.join(' + ')}`
          : EFFECTS[g.effect].label;
    return {
      control: g.control,
      name: c.name,
      effect: g.effect,
      effectLabel,
      effectTone: EFFECTS[g.effect].tone,
      effectHelp: EFFECTS[g.effect].help,
      status: g.status,
      statusLabel: GAP_STATUS[g.status].label,
      statusTone: GAP_STATUS[g.status].tone,
      statusHelp: GAP_STATUS[g.status].help,
      conditional: g.conditional === true,
      owner: c.owner,
      ownerTitle: c.ownerTitle,
      // Where it would act, unless the explanation already names that step.
      actsAt: g.actsAt && !g.why.includes(`"${stepNames.get(g.actsAt) ?? g.actsAt}"`) ? (stepNames.get(g.actsAt) ?? g.actsAt) : null,
      why: g.why,
      effectReason: g.effectReason,
      friction: `+${c.frictionMinutes} min, ${percent(c.legitFailShare)} of legitimate requests escalate`,
      mappings: c.mappings.map(mappingView),
    };
  });
}

// ---- example paths of a class ----------------------------------------------------------------

export interface ExampleTab {
  index: number;
  id: string;
  /** "Example 1". */
  label: string;
  /** "5 steps". */
  length: string;
}

/** The class's examples to choose from, shortest first (the engine's order). */
export function exampleTabs(cls: ReportClass): ExampleTab[] {
  return cls.examples.map((e, i) => ({ index: i, id: e.id, label: `Example ${i + 1}`, length: plural(e.route.length, 'step') }));
}

/** The header facts of an example path: channel, claim, exceptions, delivery, detection, containment, blast radius. */
export function exampleFacts(ex: ReportExample): { label: string; value: string }[] {
  return [
    { label: 'Channel', value: channelName(ex.channel) },
    { label: 'Claims to be', value: ex.claimedClass ? className(ex.claimedClass) : '—' },
    ...(ex.standingExceptions.length ? [{ label: 'Standing exceptions', value: ex.standingExceptions.join(', ') }] : []),
    ...(ex.exceptionsUsed.length ? [{ label: 'Exceptions used', value: ex.exceptionsUsed.join(', ') }] : []),
    { label: 'Credential', value: ex.delivery },
    {
      label: 'Detection',
      value: ex.detectedBy ? `${ex.detectedBy.control} after ${hours(ex.detectedBy.delayHours)}: ${ex.detectedBy.reason}` : 'none: nobody notices the takeover',
    },
    ...(ex.detectionNotes.length ? [{ label: 'Not detected by', value: ex.detectionNotes.join('; ') }] : []),
    { label: 'Sessions', value: ex.containment === 'revoked' ? 'revoked on detection' : 'persist after the user recovers' },
    { label: 'Blast radius', value: ex.blastRadius.map((b) => b.replace(/_/g, ' ')).join(', ') },
  ];
}

export interface TraceVerdict {
  key: string;
  control: string;
  name: string;
  verdict: Verdict;
  label: string;
  tone: Tone;
  reason: string;
  rules: string[];
}

export interface TraceStep {
  n: number;
  step: string;
  name: string;
  via: string;
  takeover: boolean;
  verdicts: TraceVerdict[];
}

export type ExampleTrace =
  | {
      ok: true;
      steps: TraceStep[];
      /** The replayed route, with verdicts, for the graph. */
      route: RouteLike;
      /** Set when replaying the example did not end as the report says (it should never). */
      mismatch: string | null;
    }
  | { ok: false; error: string };

const RESULT_LABEL: Record<TraceEntry['result'], string> = {
  passed: 'passed',
  failed_over: 'could not pass: took the on-fail branch',
  routed: 'routed',
  refused: 'refused',
  takeover: 'passed',
  closed: 'end',
};

const VIA_OF: Record<TraceEntry['result'], 'pass' | 'fail' | 'route' | 'end'> = { passed: 'pass', takeover: 'pass', failed_over: 'fail', routed: 'route', closed: 'end', refused: 'end' };

function mismatchOf(ex: ReportExample, trace: ReplayTrace): string | null {
  const o = trace.outcome;
  if (o.kind === 'blocked') {
    const at = 'step' in o ? o : o.blockedBy;
    return `Replayed through the workflow machine, this example is blocked${at ? ` at “${at.step}”: ${at.reason}` : ''}.`;
  }
  if (o.kind !== (ex.detectedBy ? 'takeover_detected' : 'takeover_undetected')) return `Replayed through the workflow machine, this example ends ${OUTCOMES[o.kind].short}, not as the analysis reported.`;
  return null;
}

/**
 * The example's trace, step by step with every control's verdict, reason and rule ids: the report
 * carries only the route, so the route is replayed (deterministically) against the workflow and the
 * scenario it was found for. `names` may rename steps (as the graph does).
 */
export function exampleTrace(wf: Workflow, scenario: Scenario, ex: ReportExample, names: ReadonlyMap<string, string> = new Map()): ExampleTrace {
  let trace: ReplayTrace;
  try {
    trace = replay(wf, scenario, {
      channel: ex.channel as AttackChannel,
      claimedClass: ex.claimedClass as AccountClass | null,
      standingExceptions: ex.standingExceptions,
      steps: ex.route,
    });
  } catch (e) {
    return { ok: false, error: `This example could not be replayed against the workflow on screen: ${e instanceof Error ? e.message : String(e)}` };
  }
  const steps: TraceStep[] = trace.entries.map((e) => ({
    n: e.seq,
    step: e.step,
    name: names.get(e.step) ?? e.stepName,
    via: RESULT_LABEL[e.result],
    takeover: e.result === 'takeover',
    verdicts: e.verdicts.map((v) => ({
      key: v.key,
      control: v.control,
      name: controlName(v.control),
      verdict: v.verdict,
      label: VERDICTS[v.verdict].label,
      tone: VERDICTS[v.verdict].tone,
      reason: v.reason,
      rules: v.means.map((m) => m.rule),
    })),
  }));
  const route: RouteLike = {
    steps: trace.entries.map((e) => ({ step: e.step, via: VIA_OF[e.result], verdicts: e.verdicts })),
    takeoverStep: ex.takeoverStep,
  };
  return { ok: true, steps, route, mismatch: mismatchOf(ex, trace) };
}

// ---- closing every path ----------------------------------------------------------------------

export interface SetView {
  /**
   * `at`: where the control goes when the set is applied ("at Verify caller, Call back", "workflow-wide"),
   * when the report records it; `settings` then its hardened parameters, the settings the set's credit rests on.
   */
  controls: { id: string; name: string; at?: string; settings?: string }[];
  summary: string;
  verified: boolean;
}

/** Steps a placement names before it counts the rest. */
const PLACED_STEPS_NAMED = 4;

/** Where a control goes when a set is applied, in words, from the report's placements (undefined for a run stored without them). */
export function placementWords(w: ReportWorkflow, control: string): string | undefined {
  const p = w.placements?.[control];
  return p ? placementPhrase(p, (s) => w.stepNames[s] ?? s, PLACED_STEPS_NAMED) : undefined;
}

/** A control set as the panel shows it (names, friction, verification; with the workflow, where each control goes). */
export function setView(set: ReportSet, w?: ReportWorkflow): SetView {
  return {
    controls: set.controls.map((id) => {
      const at = w ? placementWords(w, id) : undefined;
      if (at === undefined) return { id, name: controlName(id) };
      const settings = hardenedSettingsText(id);
      return settings ? { id, name: controlName(id), at, settings } : { id, name: controlName(id), at };
    }),
    summary: `+${minutesText(set.frictionMinutes)} min per request, ${percent(set.legitFailShare)} escalate; expected +${minutesText(set.expectedMinutes)} min`,
    verified: set.verified,
  };
}

export interface ControlCountRow {
  control: string;
  name: string;
  /** Exact counts as the table shows them ("" for none), and in full for the cell's title. */
  blocks: { text: string; title: string };
  joint: { text: string; title: string };
  detects: { text: string; title: string };
  owner: string;
  ownerTitle: string;
}

export interface FixView {
  hasPaths: boolean;
  leastFriction: SetView | null;
  /** What lint still reports with the least-friction set applied (given the workflow on screen), in words. */
  lintAfter: { text: string; clean: boolean } | null;
  /** Said instead of the least-friction set when there is none. */
  noSet: string;
  others: SetView[];
  /** The control that closes the most paths on its own: "closes 13 paths on its own". */
  highestLeverage: { control: string; name: string; text: string } | null;
  /** Why sets are missing or incomplete, in the engine's words. */
  notes: string[];
  byClass: { cls: string; name: string; set: SetView | null; notes: string[] }[];
  controls: ControlCountRow[];
}

/** Other sets listed under the least-friction one. */
const MAX_OTHER_SETS = 6;

function countCell(n: Count, what: string): { text: string; title: string } {
  const v = countIn(n);
  return v === 0n ? { text: '', title: '' } : { text: compactCount(v), title: `${what}: ${pathsText(v)}` };
}

/** Why the panel lists fewer sets than were verified. */
const moreSetsNote = (n: number) => `${n} more verified set${n === 1 ? ' is' : 's are'} not listed here; the exported report has them all`;

/** The Close-all-paths panel: verified minimal sets, per account class, leverage, notes and per-control counts. */
export function fixView(w: ReportWorkflow, wf: Workflow | null = null): FixView {
  const ms = w.minimalSets;
  const lf = ms.leastFriction;
  const lint = lf && wf && wf.id === w.id ? lintWithSet(wf, lf.controls) : null;
  const same = (s: ReportSet) => lf !== null && s.controls.join() === lf.controls.join();
  return {
    hasPaths: countIn(w.totals.paths) > 0n,
    leastFriction: lf ? setView(lf, w) : null,
    lintAfter: lint ? { text: lintAfterSetText(lint), clean: lint.errors.length === 0 } : null,
    noSet: `No verified set of up to ${ms.sizeBound} catalogue controls closes every closable path.`,
    others: ms.sets.filter((s) => !same(s)).slice(0, MAX_OTHER_SETS).map((s) => setView(s)),
    highestLeverage: ms.highestLeverage ? { control: ms.highestLeverage.control, name: controlName(ms.highestLeverage.control), text: `closes ${pathsText(ms.highestLeverage.paths)} on its own` } : null,
    notes: [...ms.notes, ...(ms.sets.length - (lf ? 1 : 0) > MAX_OTHER_SETS ? [moreSetsNote(ms.sets.length - (lf ? 1 : 0) - MAX_OTHER_SETS)] : [])],
    byClass: Object.entries(w.minimalSetsByClass).map(([cls, s]) => ({ cls, name: className(cls), set: s.leastFriction ? setView(s.leastFriction) : null, notes: s.notes })),
    controls: w.controls
      .filter((c) => countIn(c.blocksPaths) + countIn(c.jointPaths) + countIn(c.detectsPaths) > 0n)
      .map((c) => ({
        control: c.control,
        name: c.name,
        blocks: countCell(c.blocksPaths, 'Closes on its own'),
        joint: countCell(c.jointPaths, 'Closes together with other controls'),
        detects: countCell(c.detectsPaths, 'Would detect'),
        owner: c.ownerTitle.replace(/^Owner of /, ''),
        ownerTitle: c.ownerTitle,
      })),
  };
}

// ---- names and export ------------------------------------------------------------------------

/** Step id -> display name, as the report carries them. */
export function stepNames(w: ReportWorkflow): Map<string, string> {
  return new Map(Object.entries(w.stepNames));
}

/**
 * The export of what is on screen: the report document ("resetpath/analysis@2") as JSON and its
 * file name, which says when it is a what-if analysis rather than the file's. With the workspace's
 * audit head it carries that head as a witness kept outside the workspace (`audit verify --against`).
 */
/** What is on screen when a report is exported: the baseline (a run) or a what-if made from it. */
export interface ExportView {
  runId: string | null;
  stale: boolean;
  /** What-if changes (control -> on); empty for the baseline. */
  changes: ReadonlyMap<string, boolean>;
}

/**
 * The report on screen as the published JSON, labelled in the file name and in the document
 * (`view`) as the baseline or a what-if, so an exported file never passes for the other.
 */
export function reportExport(w: ReportWorkflow, view: ExportView, auditHead?: { seq: number; hash: string } | null): { fileName: string; text: string } {
  const kind = view.changes.size > 0 ? 'what-if' : 'baseline';
  const changes = [...view.changes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([control, on]) => ({ control, on }));
  const doc: AnalysisReport = {
    format: REPORT_FORMAT,
    workflows: [w],
    ...(auditHead ? { auditHead: { seq: auditHead.seq, hash: auditHead.hash } } : {}),
    view: { kind, runId: view.runId, stale: view.stale, changes },
  };
  return { fileName: `${w.id}.${kind}.analysis.json`, text: `${JSON.stringify(doc, null, 2)}\n` };
}

/** Whether a dropped file looks like a workflow file (by name; the backend validates the content). */
export function isModelFileName(name: string): boolean {
  return /\.(ya?ml|json)$/i.test(name);
}
