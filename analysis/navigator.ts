// An ATT&CK Navigator layer (layer file format v4.5) of an analysis: every ATT&CK Enterprise
// technique the analysed scenarios cite, scored by what the workflows did to those scenarios, with
// the controls that block them (or close the takeover's paths, with exact counts: closingText) and
// their owner roles in the comment.
// Built from the analysis report document (buildAnalysisReport), never by analysing again. Pure: the
// clock and the tool version are passed in, so the same inputs give the same layer.
//
// Score of a technique, over every (workflow, scenario) run whose scenario cites it and applies to
// the workflow: 100 when some run has an undetected takeover path, 50 when runs have takeover paths
// and every one is detected, 0 when every run is blocked. A technique whose scenarios apply to none
// of the workflows is listed unscored and disabled. Only ATT&CK Enterprise ids of the catalogue's
// ATT&CK version go in (a layer has one domain and one ATT&CK version); the description names every
// cited id left out and why (an ATT&CK Mobile technique, an id of another ATT&CK version).
import { ATTACK_ALIASES, CONTROLS, displayText, findControl, FRAMEWORKS, OWNER_ROLES } from '../models/index.ts';
import type { Scenario } from '../scenarios/index.ts';
import { countIn, stageText, type AnalysisReport, type ReportScenario, type ReportWorkflow } from './report.ts';

/** The layer file format written (docs: attack-navigator layerformat v4.5). */
export const NAVIGATOR_LAYER_VERSION = '4.5';
/** The first Navigator release that reads layer format 4.5; the format requires at least "4.9.0". */
export const NAVIGATOR_APP_VERSION = '4.9.0';
/** The ATT&CK version of the layer: the catalogue's ("v18" -> "18"). */
export const NAVIGATOR_ATTACK_VERSION = FRAMEWORKS.attack.version.replace(/^v/, '');

/** What a technique scores, by the worst outcome of a scenario that cites it. */
export const NAVIGATOR_SCORES = { blocked: 0, takeover_detected: 50, takeover_undetected: 100 } as const;

const GREEN = '#8ec843';
const AMBER = '#ffe766';
const RED = '#ff6666';
const GREY = '#dddddd';

export interface NavigatorMetadata {
  name: string;
  value: string;
}
export interface NavigatorDivider {
  divider: boolean;
}

export interface NavigatorTechnique {
  techniqueID: string;
  score?: number;
  comment: string;
  enabled: boolean;
  metadata: (NavigatorMetadata | NavigatorDivider)[];
  showSubtechniques?: boolean;
}

export interface NavigatorLayer {
  name: string;
  versions: { attack: string; navigator: string; layer: string };
  domain: 'enterprise-attack';
  description: string;
  sorting: number;
  layout: { layout: 'side'; showID: boolean; showName: boolean; expandedSubtechniques: 'annotated' };
  hideDisabled: boolean;
  techniques: NavigatorTechnique[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: { label: string; color: string }[];
  metadata: (NavigatorMetadata | NavigatorDivider)[];
}

export interface NavigatorOptions {
  /** When the layer was generated (ISO 8601), passed in so the layer is deterministic. */
  generatedAt: string;
  /** The ResetPath version that wrote it. */
  toolVersion: string;
  /** The scenarios the analyses ran, for the ATT&CK techniques each cites. */
  scenarios: readonly Pick<Scenario, 'id' | 'attackTechniques'>[];
}

/**
 * ATT&CK Mobile technique ids, as the catalogue files them ("attack-mobile:v18:T1451"). Scenarios
 * file them so too; one cited under the Enterprise prefix ("attack:v18:T1451", as bundled scenarios
 * did before) is still told by this set. A Mobile id the catalogue never maps would be taken for an
 * Enterprise one.
 */
const MOBILE = new Set(CONTROLS.flatMap((c) => c.mappings.filter((m) => m.framework === 'attack-mobile').map((m) => m.id)));
const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

/** One line of display-safe text (a name from a file). */
const t = (s: string) => displayText(s);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const plural = (n: number | string, word: string) => `${n} ${word}${String(n) === '1' ? '' : 's'}`;

/**
 * Where a cited reference ("attack:v18:T1656") goes: its technique id in this layer, or why it is
 * left out.
 */
function placeOf(ref: string): { id: string } | { excluded: string; why: string } {
  const [framework = '', version = '', id = ''] = ref.split(':');
  if (!TECHNIQUE_ID.test(id)) return { excluded: ref, why: 'not an ATT&CK technique id' };
  if (framework === 'attack-mobile' || MOBILE.has(id)) return { excluded: id, why: 'an ATT&CK Mobile technique; an enterprise-attack layer cannot hold it' };
  if (framework !== 'attack') return { excluded: ref, why: 'not an ATT&CK Enterprise technique' };
  if (version !== FRAMEWORKS.attack.version) {
    const alias = version === 'v19' ? Object.entries(ATTACK_ALIASES).find(([, a]) => a.v19 === id)?.[0] : undefined;
    return { excluded: id, why: `an ATT&CK ${version} id; this layer is ATT&CK ${NAVIGATOR_ATTACK_VERSION}${alias ? ` (the ${version} id of ${alias}, which the layer scores)` : ''}` };
  }
  return { id };
}

/** A control as a comment names it, "Name (id)", noted in `named` for the comment's owners line. */
function controlText(w: ReportWorkflow, id: string, named: Map<string, string>): string {
  const inReport = w.controls.find((c) => c.control === id);
  const def = findControl(id);
  const name = inReport?.name ?? def?.name;
  const title = inReport?.ownerTitle ?? (def ? OWNER_ROLES[def.owner] : undefined);
  const text = name ? `${t(name)} (${t(id)})` : t(id);
  named.set(text, title ? t(title) : 'unknown (not in the catalogue)');
  return text;
}

/** A path count against the scenario's total: "1 of 2 paths", "1 of 1 path". */
const ofPaths = (n: bigint, total: bigint) => `${n} of ${plural(total.toString(), 'path')}`;

/**
 * What closes a takeover run, in words, from its classes. A class's `blocking` controls each close
 * every path of that class (classes are grouped by them), so a control closes, on its own, exactly
 * the paths of the classes that list it: every path of the scenario when every class lists it. Those
 * are named as closing it; each other control is given with the exact number of the scenario's paths
 * it closes on its own. Only when no control closes every path are the joint combinations given,
 * each with the paths it closes (those of the classes where one of its controls closes them on its
 * own, and those it closes jointly), and the workflow's verified least-friction set, which closes
 * every path some set of up to three controls closes.
 */
function closingText(w: ReportWorkflow, s: ReportScenario, ctl: (c: string) => string): string {
  const total = countIn(s.paths);
  const alone = new Map<string, bigint>();
  for (const k of s.classes) for (const c of k.blocking) alone.set(c, (alone.get(c) ?? 0n) + countIn(k.count));
  const byCount = (a: [string, bigint], b: [string, bigint]) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : cmp(a[0], b[0]));
  const every = [...alone.keys()].filter((c) => s.classes.every((k) => k.blocking.includes(c))).sort(cmp);
  const some = [...alone].filter(([c]) => !every.includes(c)).sort(byCount);
  const parts: string[] = [];
  if (every.length === 1) parts.push(`${ctl(every[0]!)} closes every path on its own`);
  else if (every.length > 1) parts.push(`any one of these closes every path on its own: ${every.map(ctl).join(', ')}`);
  else if (alone.size) parts.push('no control closes every path on its own');
  if (some.length) parts.push(`on its own, ${some.map(([c, n]) => `${ctl(c)} closes ${ofPaths(n, total)}`).join(', ')}`);
  if (every.length) return parts.join('; ');
  // Joint combinations, each counted exactly where the classes allow it: in a class one of its
  // controls closes on its own, every path; in another, the paths the combination closes jointly,
  // unless a smaller combination of it also closes paths of that class jointly (a three-control
  // combination whose paths may overlap its pair's: not countable from the classes, left out).
  const combos = new Map(s.classes.flatMap((k) => k.joint.map((j) => [j.controls.join('\u0000'), j.controls] as const)));
  const joint: [string[], bigint][] = [];
  for (const combo of combos.values()) {
    let n: bigint | null = 0n;
    for (const k of s.classes) {
      if (combo.some((c) => k.blocking.includes(c))) n += countIn(k.count);
      else {
        const within = k.joint.filter((j) => j.controls.every((c) => combo.includes(c)) && countIn(j.paths) > 0n);
        if (within.some((j) => j.controls.length < combo.length)) {
          n = null;
          break;
        }
        n += within.reduce((a, j) => a + countIn(j.paths), 0n);
      }
    }
    if (n !== null) joint.push([combo, n]);
  }
  joint.sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : cmp(a[0].join(' '), b[0].join(' '))));
  if (!alone.size && combos.size) parts.push('no control closes every path on its own');
  if (joint.length) parts.push(`together, ${joint.map(([combo, n]) => `${combo.map(ctl).join(' with ')} close ${ofPaths(n, total)}`).join(', ')}`);
  if (!parts.length) return 'no set of up to three catalogue controls closes it';
  const unclosable = s.classes.reduce((a, k) => a + countIn(k.unclosable), 0n);
  if (unclosable > 0n) parts.push(`${ofPaths(unclosable, total)} no set of up to three catalogue controls closes`);
  const least = w.minimalSets.leastFriction;
  if (least?.verified && least.controls.length) parts.push(`the workflow's verified least-friction set closes ${unclosable > 0n ? 'every other path' : 'them all'}: ${least.controls.map(ctl).join(' + ')}`);
  return parts.join('; ');
}

/** The outcome of one applicable run in words, with the controls that block it or would close it. */
function runText(w: ReportWorkflow, s: ReportScenario, named: Map<string, string>): string {
  const ctl = (c: string) => controlText(w, c, named);
  if (s.outcome === 'blocked') {
    const at = s.blockedAt.map((b) => (b.controls.length ? `at "${t(b.stepName)}" by ${b.controls.map(ctl).join(', ')}` : `at "${t(b.stepName)}": ${t(b.reason)}`));
    return `blocked ${at.join('; ') || '(no step recorded)'}`;
  }
  const how = s.outcome === 'takeover_undetected' ? `takeover, ${s.undetected} of ${plural(s.paths, 'path')} undetected` : `takeover, ${plural(s.paths, 'path')}, every one detected`;
  return `${how}; ${closingText(w, s, ctl)}${chainText(s)}`;
}

/** For a scenario whose takeover leads on to later stages: each later stage and what the chain unlocks. */
function chainText(s: ReportScenario): string {
  const c = s.campaign;
  if (!c || c.stages.length < 2) return '';
  const later = c.stages.slice(1).map(stageText);
  return `; then ${later.join(', then ')}${c.blastRadius.length ? `; the chain unlocks ${c.blastRadius.join(', ')}` : ''}`;
}

interface Run {
  workflow: ReportWorkflow;
  scenario: ReportScenario;
}

const scoreOf = (r: Run) => NAVIGATOR_SCORES[r.scenario.outcome as keyof typeof NAVIGATOR_SCORES];

/**
 * A technique of the layer from the runs of the scenarios citing it (in workflow, then scenario
 * order). The comment has one line per applicable run, worst outcome first, then one line for the
 * runs that do not apply, then the owner role of every control named.
 */
function techniqueOf(id: string, runs: readonly Run[], withSubs: ReadonlySet<string>): NavigatorTechnique {
  const applicable = runs.filter((r) => r.scenario.outcome !== 'not_applicable');
  const notApplicable = runs.filter((r) => r.scenario.outcome === 'not_applicable');
  const named = new Map<string, string>();
  const lines = [...applicable]
    .sort((a, b) => scoreOf(b) - scoreOf(a))
    .map((r) => `${t(r.scenario.name)} (${t(r.scenario.scenario)}) on ${t(r.workflow.name)} (${t(r.workflow.id)}): ${runText(r.workflow, r.scenario, named)}`);
  if (!applicable.length) lines.unshift('No scenario citing it applies to these workflows.');
  if (notApplicable.length) {
    const by = new Map<string, Run[]>();
    for (const r of notApplicable) by.set(r.scenario.scenario, [...(by.get(r.scenario.scenario) ?? []), r]);
    const groups = [...by].sort((a, b) => cmp(a[0], b[0])).map(([sid, rs]) => {
      const reasons = [...new Set(rs.map((r) => r.scenario.notApplicableReason).filter((x) => x !== undefined))].sort(cmp).map(t);
      return `${t(sid)} on ${plural(rs.length, 'workflow')}${reasons.length ? ` (${reasons.join('; ')})` : ''}`;
    });
    lines.push(`Not applicable: ${groups.join('; ')}`);
  }
  if (named.size) lines.push(`Owners: ${[...named].sort((a, b) => cmp(a[0], b[0])).map(([c, title]) => `${c}: ${title}`).join('; ')}`);
  const metadata: NavigatorTechnique['metadata'] = [];
  applicable.forEach((r, i) => {
    if (i > 0) metadata.push({ divider: true });
    metadata.push({ name: 'workflow', value: t(r.workflow.id) }, { name: 'scenario', value: t(r.scenario.scenario) }, { name: 'outcome', value: r.scenario.outcome });
  });
  if (notApplicable.length) {
    if (metadata.length) metadata.push({ divider: true });
    metadata.push({ name: 'not applicable', value: [...new Set(notApplicable.map((r) => t(r.scenario.scenario)))].join(', ') });
  }
  const scores = applicable.map(scoreOf);
  return {
    techniqueID: id,
    ...(scores.length ? { score: Math.max(...scores) } : {}),
    comment: lines.join('\n'),
    enabled: scores.length > 0,
    metadata,
    ...(withSubs.has(id) ? { showSubtechniques: true } : {}),
  };
}

/**
 * The ATT&CK Navigator layer (format v4.5, domain enterprise-attack) of an analysis report: the
 * techniques its scenarios cite, scored and commented as the header says. Techniques are sorted by
 * id, runs by workflow then scenario id.
 */
export function navigatorLayer(report: AnalysisReport, options: NavigatorOptions): NavigatorLayer {
  const cites = new Map(options.scenarios.map((s) => [s.id, s.attackTechniques]));
  const runsBy = new Map<string, Run[]>();
  const excluded = new Map<string, Set<string>>();
  const workflows = [...report.workflows].sort((a, b) => cmp(a.id, b.id));
  const scenarioIds = new Set<string>();
  for (const w of workflows)
    for (const s of [...w.scenarios].sort((a, b) => cmp(a.scenario, b.scenario))) {
      scenarioIds.add(s.scenario);
      for (const ref of cites.get(s.scenario) ?? []) {
        const p = placeOf(ref);
        if ('id' in p) {
          const runs = runsBy.get(p.id) ?? [];
          if (!runs.some((r) => r.workflow === w && r.scenario === s)) runs.push({ workflow: w, scenario: s });
          runsBy.set(p.id, runs);
        } else excluded.set(`${p.excluded}: ${p.why}`, (excluded.get(`${p.excluded}: ${p.why}`) ?? new Set()).add(s.scenario));
      }
    }
  const ids = [...runsBy.keys()].sort(cmp);
  const withSubs = new Set(ids.filter((id) => id.includes('.')).map((id) => id.split('.')[0]!));
  const techniques = ids.map((id) => techniqueOf(id, runsBy.get(id)!, withSubs));
  const left = [...excluded].sort((a, b) => cmp(a[0], b[0])).map(([what, by]) => `${t(what)} (cited by ${[...by].sort(cmp).map(t).join(', ')})`);
  const wfNames = workflows.map((w) => `${t(w.name)} (${t(w.id)})`);
  const description = [
    `ResetPath ${t(options.toolVersion)}: the ATT&CK Enterprise ${NAVIGATOR_ATTACK_VERSION} techniques cited by ${plural(scenarioIds.size, 'scenario')} run against ${plural(workflows.length, 'workflow')}: ${wfNames.join(', ')}.`,
    `Score: ${NAVIGATOR_SCORES.blocked} when every applicable scenario citing the technique is blocked on every workflow; ${NAVIGATOR_SCORES.takeover_detected} when some has takeover paths and every one is detected; ${NAVIGATOR_SCORES.takeover_undetected} when some takeover path ends undetected. Unscored and disabled: no scenario citing it applies to these workflows.`,
    'The comment names, per workflow and scenario (worst outcome first), the outcome and the controls that block it; for a takeover, the controls that close every one of its paths on its own, and how many of its paths each other control closes on its own; where no control closes every path, the combinations that close paths together and the workflow\'s verified least-friction set; for a chained takeover, what each later stage did and what the chain unlocks. Then the scenarios that do not apply, then each control\'s owner role.',
    ...(left.length ? [`Not in this layer: ${left.join('; ')}.`] : []),
  ].join('\n');
  return {
    name: workflows.length === 1 ? `ResetPath: ${t(workflows[0]!.name)}` : `ResetPath: ${plural(workflows.length, 'workflow')}`,
    versions: { attack: NAVIGATOR_ATTACK_VERSION, navigator: NAVIGATOR_APP_VERSION, layer: NAVIGATOR_LAYER_VERSION },
    domain: 'enterprise-attack',
    description,
    sorting: 3,
    layout: { layout: 'side', showID: true, showName: true, expandedSubtechniques: 'annotated' },
    hideDisabled: false,
    techniques,
    gradient: { colors: [GREEN, AMBER, RED], minValue: NAVIGATOR_SCORES.blocked, maxValue: NAVIGATOR_SCORES.takeover_undetected },
    legendItems: [
      { label: `${NAVIGATOR_SCORES.blocked}: blocked on every workflow`, color: GREEN },
      { label: `${NAVIGATOR_SCORES.takeover_detected}: takeover, every path detected`, color: AMBER },
      { label: `${NAVIGATOR_SCORES.takeover_undetected}: takeover with an undetected path`, color: RED },
      { label: 'unscored: no scenario citing it applies', color: GREY },
    ],
    metadata: [
      { name: 'generated', value: t(options.generatedAt) },
      { name: 'tool', value: `resetpath ${t(options.toolVersion)}` },
      { name: 'analysis format', value: t(report.format) },
      ...workflows.map((w) => ({ name: 'workflow', value: t(w.id) })),
      ...[...scenarioIds].sort(cmp).map((s) => ({ name: 'scenario', value: t(s) })),
    ],
  };
}
