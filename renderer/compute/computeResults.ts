// What the results panel says, derived from an analysis report: the scenario x outcome table (with
// the change against a baseline during what-if), a path's step-by-step trace, its gap list, and
// the least-friction control set.
import type { AnalysisReport } from '../../analysis/index.ts';
import { findControl } from '../../models/index.ts';
import { className, classShort, EFFECTS, GAP_STATUS, hours, OUTCOME_SEVERITY, OUTCOMES, percent, plural, scenarioCode, VERDICTS, type GapStatus, type Outcome, type Tone, type Verdict } from './format.ts';

export type ReportWorkflow = AnalysisReport['workflows'][number];
export type ReportScenario = ReportWorkflow['scenarios'][number];
export type ReportPath = ReportScenario['paths'][number];
export type ReportGap = ReportPath['gaps'][number];
export type ReportSet = NonNullable<ReportWorkflow['minimalSets']['leastFriction']>;

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
  paths: { id: string; label: string; outcome: Outcome }[];
  /** One line saying why: where it was blocked, or how many paths got through. */
  detail: string;
  /** The baseline outcome when what-if changed it. */
  was: { outcome: Outcome; label: string; paths: number } | null;
  change: 'better' | 'worse' | null;
}

function blockedDetail(s: ReportScenario): string {
  if (s.outcome === 'not_applicable') return s.notApplicableReason ?? 'the workflow does not serve this account class';
  if (s.outcome === 'blocked') {
    const first = s.blockedAt[0];
    if (!first) return 'no takeover path';
    const more = s.blockedAt.length > 1 ? ` (+${s.blockedAt.length - 1} more)` : '';
    return first.kind === 'controls' && first.controls.length ? `stopped at “${first.stepName}” by ${first.controls.join(', ')}${more}` : `${first.reason}${more}`;
  }
  const undetected = s.paths.filter((p) => p.outcome === 'takeover_undetected').length;
  const detected = s.paths.length - undetected;
  const parts = [undetected ? `${undetected} undetected` : null, detected ? `${detected} detected` : null].filter(Boolean);
  return `${plural(s.paths.length, 'path')}: ${parts.join(', ')}${s.exhaustive ? '' : ' (search bounded)'}`;
}

/** Rows of the scenario x outcome table; `baseline` marks what a what-if change moved. */
export function outcomeRows(current: ReportWorkflow, baseline: ReportWorkflow | null = null): OutcomeRow[] {
  const before = new Map(baseline?.scenarios.map((s) => [s.scenario, s]) ?? []);
  return current.scenarios.map((s) => {
    const o = OUTCOMES[s.outcome];
    const b = before.get(s.scenario);
    const moved = b && (b.outcome !== s.outcome || b.paths.length !== s.paths.length) ? b : null;
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
      paths: s.paths.map((p, i) => ({ id: p.id, label: `#${i + 1}`, outcome: p.outcome })),
      detail: blockedDetail(s),
      was: moved ? { outcome: moved.outcome, label: OUTCOMES[moved.outcome].label, paths: moved.paths.length } : null,
      change: moved
        ? OUTCOME_SEVERITY[s.outcome] < OUTCOME_SEVERITY[moved.outcome] || (s.outcome === moved.outcome && s.paths.length < moved.paths.length)
          ? 'better'
          : 'worse'
        : null,
    };
  });
}

export interface Totals {
  paths: number;
  undetected: number;
  detected: number;
  privileged: number;
  scenariosWithTakeover: number;
  scenariosAnalysed: number;
}

export function totals(w: ReportWorkflow): Totals {
  return {
    paths: w.totals.paths,
    undetected: w.totals.undetected,
    detected: w.totals.detected,
    privileged: w.totals.privilegedPaths,
    scenariosWithTakeover: w.totals.scenariosWithTakeover,
    scenariosAnalysed: w.scenarios.filter((s) => s.outcome !== 'not_applicable').length,
  };
}

/** Finds a path (and its scenario) by id. */
export function findPath(w: ReportWorkflow, pathId: string | null): { scenario: ReportScenario; path: ReportPath } | null {
  if (!pathId) return null;
  for (const s of w.scenarios) {
    const p = s.paths.find((x) => x.id === pathId);
    if (p) return { scenario: s, path: p };
  }
  return null;
}

export interface TraceVerdict {
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

const VIA_LABEL = { pass: 'passed', fail: 'could not pass: took the on-fail branch', route: 'routed', end: 'end' } as const;

/** The selected path step by step, with every control's verdict, reason and rules; `names` may rename steps (as the graph does). */
export function pathTrace(path: ReportPath, names: ReadonlyMap<string, string> = new Map()): TraceStep[] {
  return path.steps.map((s, i) => ({
    n: i + 1,
    step: s.step,
    name: names.get(s.step) ?? s.name,
    via: VIA_LABEL[s.via],
    takeover: s.step === path.takeoverStep && s.via === 'pass' && !path.steps.slice(0, i).some((x) => x.step === path.takeoverStep && x.via === 'pass'),
    verdicts: s.verdicts.map((v) => ({
      control: v.control,
      name: findControl(v.control)?.name ?? v.control,
      verdict: v.verdict,
      label: VERDICTS[v.verdict].label,
      tone: VERDICTS[v.verdict].tone,
      reason: v.reason,
      rules: v.rules,
    })),
  }));
}

export interface PathSummary {
  title: string;
  outcome: Outcome;
  label: string;
  tone: Tone;
  facts: { label: string; value: string }[];
}

/** The header facts of a path: channel, claim, delivery, detection, containment, blast radius. */
export function pathSummary(scenario: ReportScenario, path: ReportPath): PathSummary {
  const o = OUTCOMES[path.outcome];
  const n = scenario.paths.indexOf(path) + 1;
  const facts = [
    { label: 'Target', value: `${className(scenario.targetClass)}${scenario.privileged ? ' (privileged)' : ''}` },
    { label: 'Channel', value: path.channel.replace(/_/g, ' ') },
    { label: 'Claims to be', value: path.claimedClass ? className(path.claimedClass) : '—' },
    ...(path.exceptionsUsed.length ? [{ label: 'Exceptions used', value: path.exceptionsUsed.join(', ') }] : []),
    { label: 'Credential', value: path.delivery },
    {
      label: 'Detection',
      value: path.detectedBy ? `${path.detectedBy.control} after ${hours(path.detectedBy.delayHours)}: ${path.detectedBy.reason}` : 'none: nobody notices the takeover',
    },
    { label: 'Sessions', value: path.containment === 'revoked' ? 'revoked on detection' : 'persist after the user recovers' },
    { label: 'Blast radius', value: path.blastRadius.map((b) => b.replace(/_/g, ' ')).join(', ') },
  ];
  return { title: `${scenarioCode(scenario.scenario)} path #${n}`, outcome: path.outcome, label: o.label, tone: o.tone, facts };
}

export interface MappingView {
  label: string;
  unconfirmed: boolean;
  /** Tooltip: confidence and note. */
  title: string;
}

export interface GapRow {
  control: string;
  name: string;
  effect: 'blocks' | 'detects';
  effectLabel: string;
  effectTone: Tone;
  status: GapStatus;
  statusLabel: string;
  statusTone: Tone;
  statusHelp: string;
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

/** The gap list of a path, in the engine's order (blocking before detecting, failed before absent, cheapest first). */
export function gapRows(path: ReportPath, stepNames: ReadonlyMap<string, string>): GapRow[] {
  return path.gaps.map((g) => ({
    control: g.control,
    name: g.name,
    effect: g.effect,
    effectLabel: g.effect === 'detects' && g.detectionDelayHours !== undefined ? `detects (${hours(g.detectionDelayHours)})` : EFFECTS[g.effect].label,
    effectTone: EFFECTS[g.effect].tone,
    status: g.status,
    statusLabel: GAP_STATUS[g.status].label,
    statusTone: GAP_STATUS[g.status].tone,
    statusHelp: GAP_STATUS[g.status].help,
    owner: g.owner,
    ownerTitle: g.ownerTitle,
    // Where it would act, unless the explanation already names that step.
    actsAt: g.actsAt && !g.why.includes(`"${stepNames.get(g.actsAt) ?? g.actsAt}"`) ? (stepNames.get(g.actsAt) ?? g.actsAt) : null,
    why: g.why,
    effectReason: g.effectReason,
    friction: `+${g.frictionMinutes} min, ${percent(g.legitFailShare)} of legitimate requests escalate`,
    mappings: g.mappings.map((m) => ({
      label: m.label,
      unconfirmed: m.confidence === 'U',
      title: `${m.label} (${m.ref}): ${CONFIDENCE[m.confidence] ?? m.confidence}${m.note ? `; ${m.note}` : ''}`,
    })),
  }));
}

export interface SetView {
  controls: { id: string; name: string }[];
  summary: string;
  verified: boolean | null;
}

/** A control set as the panel shows it (names, friction, verification). */
export function setView(set: ReportSet): SetView {
  return {
    controls: set.controls.map((id) => ({ id, name: findControl(id)?.name ?? id })),
    summary: `+${set.frictionMinutes} min per request, ${percent(set.legitFailShare)} escalate; expected +${set.expectedMinutes} min`,
    verified: set.verified,
  };
}

/** Step id -> display name, from any path of the report (the report carries names on steps). */
export function stepNames(w: ReportWorkflow): Map<string, string> {
  const m = new Map<string, string>();
  for (const s of w.scenarios) for (const p of s.paths) for (const st of p.steps) m.set(st.step, st.name);
  for (const s of w.scenarios) for (const b of s.blockedAt) m.set(b.step, b.stepName);
  return m;
}

/** The export of an analysis: the report document ("resetpath/analysis@1") as JSON, and its file name. */
export function reportExport(w: ReportWorkflow): { fileName: string; text: string } {
  const doc: AnalysisReport = { format: 'resetpath/analysis@1', workflows: [w] };
  return { fileName: `${w.id}.analysis.json`, text: `${JSON.stringify(doc, null, 2)}\n` };
}

/** Whether a dropped file looks like a workflow file (by name; the backend validates the content). */
export function isModelFileName(name: string): boolean {
  return /\.(ya?ml|json)$/i.test(name);
}
