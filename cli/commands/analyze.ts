// `resetpath analyze`: the takeover paths of the given workflows under the scenarios, counted exactly
// and grouped into classes, the controls that would have closed them with their owners and framework
// references, and the least-friction set that closes them all.
import { Option, type Command } from 'commander';
import { countIn, formatCount, hardenedSettingsText, lintAfterSetText, SYSTEM_ENFORCED, lintWithSet, mappingText, minutesText, pathsText, placementPhrase, stopsAtSteps, type AnalysisReport, type LintAfterSet, type ReportStage } from '../../analysis/index.ts';
import { runAnalysis } from '../../backend/index.ts';
import { formatIssue, TAKEOVER_KINDS, type TakeoverKind } from '../../models/index.ts';
import { EXIT, type CommandIO } from '../io.ts';
import { table } from '../table.ts';
import { jsonOut, markdownText, shown } from '../text.ts';

type Workflows = AnalysisReport['workflows'];
type Scenario = Workflows[number]['scenarios'][number];

const OUTCOME_LABEL: Record<string, string> = {
  not_applicable: 'n/a',
  blocked: 'blocked',
  takeover_detected: 'TAKEOVER (detected)',
  takeover_undetected: 'TAKEOVER (undetected)',
  not_analysed: 'not analysed',
};

/** Registers the analyze command. */
export function register(program: Command, io: CommandIO): void {
  program
    .command('analyze')
    .description('count every takeover path, by class, and name the missing controls behind it')
    .argument('[workflows...]', 'workflow files (YAML/JSON) or bundled workflow ids')
    .option('--library', 'analyse every bundled workflow')
    .addOption(new Option('-s, --scenario <id|file>', 'scenario id or file (repeatable)').argParser(collect).default([], 'the whole bundled library'))
    .option('-f, --format <format>', 'table | json | md', 'table')
    .option('--fail-on <condition>', 'exit 1 when a takeover path exists for: privileged | any')
    .option('--max-set-size <n>', 'largest minimal control set to enumerate (1 to 6)', '4')
    .action((workflows: string[], opts: { library?: boolean; scenario: string[]; format: string; failOn?: string; maxSetSize: string }) => {
      if (!['table', 'json', 'md'].includes(opts.format)) return bad(io, `--format must be table, json or md (got "${opts.format}")`);
      if (opts.failOn !== undefined && !['privileged', 'any'].includes(opts.failOn)) return bad(io, `--fail-on must be privileged or any (got "${opts.failOn}")`);
      const size = Number(opts.maxSetSize);
      if (!Number.isInteger(size) || size < 1 || size > 6) return bad(io, `--max-set-size must be an integer from 1 to 6 (got "${opts.maxSetSize}")`);
      const res = runAnalysis({ workflows, library: opts.library ?? false, scenarios: opts.scenario, options: { sizeBound: size } });
      if (!res.ok) {
        for (const i of res.issues) io.err(`${formatIssue(i)}\n`);
        io.setExitCode(EXIT.badInput);
        return;
      }
      const report = res.report;
      // What lint still says with each workflow's least-friction set applied (the text formats print it beside the set).
      const lintAfter = new Map(report.workflows.flatMap((w, i) => (w.minimalSets.leastFriction ? [[w.id, lintWithSet(res.workflows[i]!, w.minimalSets.leastFriction.controls)] as const] : [])));
      if (opts.format === 'json') io.out(jsonOut(report));
      else if (opts.format === 'md') io.out(analysisMarkdown(report.workflows, lintAfter));
      else io.out(analysisText(report.workflows, lintAfter));
      if (opts.failOn) failOn(io, report, opts.failOn as 'privileged' | 'any');
    });
}

/** `--fail-on`: exit 1, with one line on stderr, when a takeover path exists at the threshold. */
export function failOn(io: CommandIO, report: AnalysisReport, threshold: 'privileged' | 'any'): void {
  // A campaign's later stages are takeovers too: a privileged account reached in stage 2 counts.
  const stageHit = (s: Scenario) => (s.campaign?.stages ?? []).some((st) => countIn(st.paths) > 0n && (threshold === 'any' || st.privileged));
  const hit = report.workflows.some((w) => w.scenarios.some((s) => (countIn(s.paths) > 0n && (threshold === 'any' || s.privileged)) || stageHit(s)));
  if (hit) {
    io.err(`resetpath: takeover paths exist for ${threshold === 'any' ? 'at least one' : 'a privileged'} account class (--fail-on ${threshold})\n`);
    io.setExitCode(EXIT.findings);
  }
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

function bad(io: CommandIO, msg: string): void {
  io.err(`resetpath analyze: ${shown(msg)}\n`);
  io.setExitCode(EXIT.badInput);
}

function outcomeDetail(s: Workflows[number]['scenarios'][number]): string {
  if (s.outcome === 'not_applicable') return s.notApplicableReason ?? '';
  if (s.outcome === 'blocked') {
    const b = stopsAtSteps(s.blockedAt).atSteps;
    // A step of the real account holder stops an attacker who cannot direct them: say so, not a
    // control. What no control does (a delivery elsewhere, a loop) says its reason.
    const why = (x: (typeof b)[number]) => (x.controls.length ? ` (${x.controls.join(', ')})` : x.kind === 'holder' ? ' (the account holder does not act for this attacker)' : x.reason ? ` (${x.reason})` : '');
    return b.length ? `stopped at ${[...new Set(b.map((x) => `${x.stepName}${why(x)}`))].slice(0, 3).join('; ')}` : s.blockedAt[0]?.reason ?? '';
  }
  const undetected = countIn(s.undetected);
  const fastest = s.classes.map((c) => c.detectedBy).filter((d) => d !== null).sort((a, b) => a.delayHours - b.delayHours)[0];
  const yields = s.takeover ? `; yields ${s.takeover.name.toLowerCase()}${s.takeover.capped && s.takeover.objective ? ` (objective ${s.takeover.objective} out of reach)` : ''}` : '';
  return `${pathsText(s.paths)} in ${s.classes.length} class${s.classes.length === 1 ? '' : 'es'}${undetected ? `, ${formatCount(undetected)} undetected` : ''}${fastest ? `; detected by ${fastest.control} in ${fastest.delayHours} h` : ''}${yields}${conditionalText(s)}`;
}

/**
 * CONDITIONAL: how many of the scenario's paths depend on an unknown of the workflow, and which
 * unknowns (docs/analysis-semantics.md, "Unknowns"). Empty when none does.
 */
function conditionalText(s: Scenario): string {
  const cond = s.classes.filter((c) => c.conditional);
  if (cond.length === 0) return '';
  const n = cond.reduce((t, c) => t + countIn(c.count), 0n);
  const why = [...new Set(cond.flatMap((c) => c.conditional!.why))];
  const every = n === countIn(s.paths);
  return `; CONDITIONAL: ${every ? 'every path depends' : `${pathsText(n)} depend${n === 1n ? 's' : ''}`} on unknowns (${why.join('; ')})`;
}

/** The outcome as the table shows it: CONDITIONAL when every takeover path depends on an unknown. */
function outcomeLabel(s: Scenario): string {
  const all = s.classes.length > 0 && s.classes.every((c) => c.conditional);
  return `${OUTCOME_LABEL[s.outcome]!}${all ? ' (CONDITIONAL)' : ''}`;
}

/** A takeover kind as the tables print it ("customer data viewed or exported"). */
const kindText = (k: TakeoverKind | undefined) => (k ? TAKEOVER_KINDS[k].name.toLowerCase() : '');

/** A campaign stage in one line: the workflow it went through, its paths or why none, what it gained. */
function stageDetail(st: ReportStage): string {
  const what = st.outcome === 'takeover_detected' || st.outcome === 'takeover_undetected' ? `${pathsText(st.paths)} in ${st.classes} class${st.classes === 1 ? '' : 'es'}${st.takeoverKind ? ` (yields ${kindText(st.takeoverKind)})` : ''}` : (st.reason ?? '');
  const gained = st.gained.length ? `; gained ${st.gained.join(', ')}` : '';
  const down = [...(st.downgraded ?? []).map((d) => ` (downgraded from ${d.from}: ${d.reason})`), ...(st.derived ?? []).map((d) => ` (${d.capability}: ${d.reason})`)].join('');
  const when = st.afterDays !== undefined ? ` (${st.afterDays} day${st.afterDays === 1 ? '' : 's'} later${st.contactAgeDays !== undefined ? `; the changed contact is ${st.contactAgeDays} days old` : ''})` : '';
  return `${st.workflow}${when}: ${what}${gained}${down}`;
}

/** The rows a campaign adds under its scenario: one per stage, then the chain's count and blast radius. */
function campaignRows(s: Scenario): string[][] {
  const c = s.campaign;
  if (!c || s.outcome === 'not_applicable') return [];
  return [
    ...c.stages.map((st) => [`  stage ${st.stage}`, st.targetClass, OUTCOME_LABEL[st.outcome]!, stageDetail(st)]),
    ['  chain', '', OUTCOME_LABEL[c.outcome]!, `${pathsText(c.chainPaths, 'campaign path')}; blast radius: ${c.blastRadius.join(', ') || 'none'}${c.takeoverKind ? `; yields at most ${kindText(c.takeoverKind)}` : ''}`],
  ];
}

/** The scenario table's rows: each scenario, and under a campaign its stages and chain. */
function scenarioRows(w: Workflows[number]): string[][] {
  return w.scenarios.flatMap((s) => [[s.scenario, s.targetClass, outcomeLabel(s), outcomeDetail(s)], ...campaignRows(s)]);
}

/**
 * A control's statuses with their path counts. A *misplaced* control is in the file but not where it
 * would act on the path: the status names the steps where it would (read off the classes' gaps), so
 * an architect hardens it there and not where it already sits.
 */
const statusText = (c: Workflows[number]['controls'][number], w?: Workflows[number]) =>
  Object.entries(c.statuses)
    .map(([k, v]) => {
      const text = `${k.replace('_', ' ')} ${formatCount(v)}`;
      if (k !== 'misplaced' || !w) return text;
      const at = new Set<string>();
      for (const s of w.scenarios) for (const cls of s.classes) for (const g of cls.gaps) if (g.control === c.control && g.status === 'misplaced' && g.actsAt) at.add(w.stepNames[g.actsAt] ?? g.actsAt);
      return at.size ? `${text} (would act at ${[...at].join(', ')})` : text;
    })
    .join(', ');

/** The controls a report names as closing, jointly closing, detecting or contributing, busiest first. */
function namedControls(w: Workflows[number]) {
  const n = (c: Workflows[number]['controls'][number]) =>
    countIn(c.blocksPaths) + countIn(c.jointPaths) + countIn(c.detectsPaths) + countIn(c.contributesPaths) + countIn(c.reducesLikelihoodPaths ?? 0) + countIn(c.limitsImpactPaths ?? 0);
  const by = (a: bigint, b: bigint) => (a > b ? -1 : a < b ? 1 : 0);
  return w.controls
    .filter((c) => n(c) > 0n)
    .sort((a, b) => by(countIn(a.blocksPaths), countIn(b.blocksPaths)) || by(countIn(a.detectsPaths), countIn(b.detectsPaths)) || by(n(a), n(b)) || a.control.localeCompare(b.control));
}

function gapRows(w: Workflows[number]): string[][] {
  return namedControls(w).map((c) => [c.control, c.ownerTitle.split(' (')[0]!, formatCount(c.blocksPaths), formatCount(c.jointPaths), formatCount(c.detectsPaths), formatCount(c.contributesPaths), formatCount(c.reducesLikelihoodPaths ?? 0), formatCount(c.limitsImpactPaths ?? 0), statusText(c, w)]);
}

function summaryLine(w: Workflows[number]): string {
  const t = w.totals;
  return `${pathsText(t.paths, 'takeover path')} in ${t.classes} class${t.classes === 1 ? '' : 'es'} (${formatCount(t.undetected)} undetected, ${formatCount(t.detected)} detected; ${formatCount(t.privilegedPaths)} against privileged classes)`;
}

/** How a control set is meant: what an architect must put in the file for the set to hold. */
const SET_PLACEMENT = `Each control of a set is placed at its hardened parameters and enforced by the system wherever it can sit; one already in the workflow as a procedure or below hardened counts only once made so. ${SYSTEM_ENFORCED}`;

/** Steps named in a placement before the rest are counted. */
const PLACED_STEPS_NAMED = 6;

/**
 * Where a set's controls go, in words ('callback.number_on_file at “Verify caller”, “Call back”;
 * agent.mfa workflow-wide'), from the report's placements; null for a run stored without them.
 */
function placementText(w: Workflows[number], controls: readonly string[]): string | null {
  const placements = w.placements;
  if (!placements) return null;
  return controls.map((c) => {
    const settings = hardenedSettingsText(c);
    return `${c}${settings ? ` (${settings})` : ''}${placements[c] ? ` ${placementPhrase(placements[c], (s) => `“${w.stepNames[s] ?? s}”`, PLACED_STEPS_NAMED)}` : ''}`;
  }).join('; ');
}

/** What an architect must put in the file for the least-friction set to hold: where each control goes, and how. */
function setPlacementLine(w: Workflows[number], controls: readonly string[]): string {
  const where = placementText(w, controls);
  return where === null ? SET_PLACEMENT : `${controls.length === 1 ? 'Where it goes' : 'Where they go'}, at hardened parameters and enforced by the system: ${where}. One already there as a procedure or below hardened counts only once made so. ${SYSTEM_ENFORCED}`;
}

/**
 * The least-friction set of each account class the workflow serves that has takeover paths (the
 * question an architect asks per class), or why it has none.
 */
function byClassLines(w: Workflows[number]): string[] {
  const entries = Object.entries(w.minimalSetsByClass).filter(([, v]) => countIn(v.closablePaths) + countIn(v.unclosablePaths) > 0n);
  if (!entries.length) return [];
  return [
    'Least-friction set per account class with takeover paths:',
    ...entries.map(([cls, v]) =>
      `  ${cls}: ${v.leastFriction ? `${v.leastFriction.controls.join(' + ')} (≈${minutesText(v.leastFriction.expectedMinutes)} min per legitimate request; ${v.leastFriction.verified ? 'verified' : 'not verified'})` : 'no set found'}${countIn(v.unclosablePaths) > 0n ? `; ${pathsText(v.unclosablePaths)} no set of up to ${v.sizeBound} controls closes` : ''}`,
    ),
  ];
}

/** The analysis as the terminal table; names and file names are written display-safe. */
export function analysisText(ws: Workflows, lintAfter: ReadonlyMap<string, LintAfterSet> = new Map()): string {
  const out: string[] = [];
  for (const w of ws) {
    out.push(`\n${shown(`${w.name}  [${w.id}]  ${w.file}`)}`);
    out.push(`  ${summaryLine(w)}; every path counted (loops back up to each scenario's retries)\n`);
    out.push(indent(table(['scenario', 'target', 'outcome', 'detail'], scenarioRows(w))));
    const rows = gapRows(w);
    if (rows.length) {
      out.push('\n  Controls that would have closed or detected these paths (exact path counts):');
      out.push(indent(table(['control', 'accountable owner', 'blocks', 'jointly', 'detects', 'contributes', 'reduces likelihood', 'limits impact', 'status where it blocks or detects'], rows)));
    }
    const ms = w.minimalSets;
    if (ms.leastFriction) {
      out.push(`\n  Least-friction set closing every closable path: ${shown(ms.leastFriction.controls.join(' + '))} (≈${minutesText(ms.leastFriction.expectedMinutes)} min per legitimate request incl. escalations; verified by an exact count: no closable path survives it)`);
      out.push(`  ${shown(setPlacementLine(w, ms.leastFriction.controls))}`);
      const lint = lintAfter.get(w.id);
      if (lint) out.push(`  ${shown(lintAfterSetText(lint))}`);
    }
    if (ms.highestLeverage) out.push(`  Highest-leverage control: ${ms.highestLeverage.control} (closes ${pathsText(ms.highestLeverage.paths)} on its own); ${ms.sets.length} verified minimal set${ms.sets.length === 1 ? '' : 's'} up to size ${ms.sizeBound}`);
    for (const line of byClassLines(w)) out.push(`  ${shown(line)}`);
    for (const note of ms.notes) out.push(`  Note: ${shown(note)}`);
  }
  return `${out.join('\n')}\n`;
}

function indent(s: string): string {
  return s
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');
}

/** A cell or heading of the Markdown report: the text as it reads, never markup (cli/text.ts). */
const mdCell = markdownText;
/** An id as inline code when it is one (ids of loaded files always are), else as escaped text. */
const mdCode = (id: string) => (/^[\w.:-]+$/.test(id) ? `\`${id}\`` : mdCell(id));

function mdTable(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map((c) => mdCell(c)).join(' | ')} |`)].join('\n');
}

/** The analysis as Markdown. */
export function analysisMarkdown(ws: Workflows, lintAfter: ReadonlyMap<string, LintAfterSet> = new Map()): string {
  const out: string[] = ['# ResetPath analysis', ''];
  for (const w of ws) {
    out.push(`## ${mdCell(w.name)} (${mdCode(w.id)})`, '');
    out.push(`${summaryLine(w)}. Every path is counted (loops back up to each scenario's retries).`, '');
    out.push(mdTable(['Scenario', 'Target', 'Outcome', 'Detail'], scenarioRows(w).map((r) => (r[0]!.startsWith('  ') ? [`↳ ${r[0]!.trim()}`, ...r.slice(1)] : r))), '');
    const named = namedControls(w);
    if (named.length) {
      out.push('### Controls that would have closed or detected the paths', '');
      out.push(mdTable(['Control', 'Accountable owner', 'Blocks', 'Jointly', 'Detects', 'Contributes', 'Reduces likelihood', 'Limits impact', 'Status where it blocks or detects', 'Framework references'], named.map((c) => [c.control, c.ownerTitle.split(' (')[0]!, formatCount(c.blocksPaths), formatCount(c.jointPaths), formatCount(c.detectsPaths), formatCount(c.contributesPaths), formatCount(c.reducesLikelihoodPaths ?? 0), formatCount(c.limitsImpactPaths ?? 0), statusText(c, w), c.mappings.map(mappingText).join('; ')])), '');
    }
    const ms = w.minimalSets;
    if (ms.leastFriction) {
      const lint = lintAfter.get(w.id);
      out.push(`**Least-friction set:** ${ms.leastFriction.controls.map(mdCode).join(' + ')} (≈${minutesText(ms.leastFriction.expectedMinutes)} min per legitimate request, escalations included; verified by an exact count). ${mdCell(setPlacementLine(w, ms.leastFriction.controls))}${lint ? ` ${mdCell(lintAfterSetText(lint))}` : ''}`, '');
    }
    if (ms.highestLeverage) out.push(`**Highest-leverage control:** ${mdCode(ms.highestLeverage.control)} (closes ${pathsText(ms.highestLeverage.paths)} on its own); ${ms.sets.length} verified minimal set${ms.sets.length === 1 ? '' : 's'} up to size ${ms.sizeBound}.`, '');
    const byClass = byClassLines(w);
    if (byClass.length) out.push(...byClass.map((l) => `- ${mdCell(l)}`), '');
    for (const note of w.minimalSets.notes) out.push(`> ${mdCell(note)}`, '');
  }
  return `${out.join('\n')}\n`;
}
