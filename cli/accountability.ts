// Renders the accountability report (analysis/accountability.ts) for people and spreadsheets:
// Markdown for a wiki or a ticket, CSV of the gaps for a tracker. Every string from a model file
// passes the display-text rule (cli/text.ts): `markdownText` in Markdown; in CSV `shown`, then a
// leading formula character neutralised, then RFC 4180 quoting. The JSON form is `jsonOut` of the
// document itself.
import { EFFECT_TEXT, formatCount, mappingText, minutesText, type AccountabilityGap, type AccountabilityReport, type Count, type ReportMapping } from '../analysis/index.ts';
import { clip, markdownText, shown } from './text.ts';

/** Longest text the Markdown report writes from a model or a file (prose included); the rest is counted. */
const MD_TEXT_LIMIT = 1000;
/** Longest CSV cell: Excel keeps 32,767 characters of a cell and silently drops the rest. */
const CSV_CELL_LIMIT = 32_000;

const md = (s: string) => markdownText(clip(s, MD_TEXT_LIMIT));

/**
 * Evidence rows (path classes) the Markdown and HTML reports show per gap; the others are counted.
 * A gap of a library-wide report can stand on dozens of classes, and a reader needs the strongest
 * few to see the pattern, not every one (JSON keeps them all).
 */
export const EVIDENCE_LIMIT = 5;
/** An id as inline code when it is one (catalogue and bundled ids always are), else as escaped text. */
const mdCode = (id: string) => (/^[\w.:#-]+$/.test(id) ? `\`${id}\`` : md(id));

function mdTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const plural = (n: Count | number, noun: string) => `${formatCount(n)} ${noun}${BigInt(n) === 1n ? '' : 's'}`;

/** "absent 15, weak 2": a control's statuses with their exact path counts. */
export function statusesText(g: AccountabilityGap): string {
  return Object.entries(g.statuses)
    .map(([k, v]) => `${k.replace(/_/g, ' ')} ${formatCount(v)}`)
    .join(', ');
}

/** "CSF 2.0 PR.AA-05 (direct)": each reference with its fit and, when not confirmed, how it exists. */
export function referencesText(refs: readonly ReportMapping[]): string {
  return refs.map(mappingText).join('; ');
}

const existsText = (m: ReportMapping) => (m.existence ? `${m.existence.status} (${m.existence.sourceTitle}, ${m.existence.checked})` : 'not recorded');

/** The accountability report as Markdown; every name, file name and text from a model is escaped. */
export function accountabilityMarkdown(r: AccountabilityReport): string {
  const names = new Map(r.scope.workflows.map((w) => [w.id, w.name]));
  const wfTitle = (id: string) => `${md(names.get(id) ?? id)} (${mdCode(id)})`;
  const out: string[] = ['# ResetPath accountability report', ''];
  out.push(`Generated ${md(r.generatedAt)} by ResetPath ${md(r.tool.version)} (\`${r.format}\`, from \`${r.tool.analysisFormat}\`).`, '');

  out.push('## Scope and assumptions', '');
  out.push(mdTable(['Workflow', 'Name', 'Variant', 'File'], r.scope.workflows.map((w) => [mdCode(w.id), md(w.name), md(w.variant), md(w.file)])), '');
  out.push(
    mdTable(
      ['Scenario', 'Name', 'Target class', 'Attacker capabilities', 'Time to objective', 'Retries'],
      r.scope.scenarios.map((s) => [mdCode(s.id), md(s.name), `${md(s.targetClass)}${s.privileged ? ' (privileged)' : ''}`, s.capabilities.map(md).join(', '), s.timeToObjectiveHours === null ? 'no bound' : `${s.timeToObjectiveHours} h`, s.retries === null ? 'n/a' : String(s.retries)]),
    ),
    '',
  );
  out.push(r.scope.exhaustive ? '**Exhaustive:** yes, every takeover path of every scenario was counted.' : '**Exhaustive:** no, some counts are of a bounded search (converted runs).', '');
  out.push(`Minimal control sets were looked for up to size ${r.scope.maxControlSetSize}.`, '');
  for (const a of r.scope.assumptions) out.push(`- ${md(a)}`);
  out.push('');

  out.push('## Executive summary', '');
  const s = r.summary;
  out.push(
    `${plural(s.workflows, 'workflow')} analysed: ${plural(s.scenariosWithTakeover, 'workflow-scenario run')} with a takeover path (${formatCount(s.privilegedScenariosWithTakeover)} against a privileged class, ${formatCount(s.scenariosUndetected)} with undetected paths); ${plural(s.paths, 'takeover path')}, ${formatCount(s.undetectedPaths)} undetected.`,
    '',
  );
  for (const w of s.perWorkflow) {
    out.push(`### ${wfTitle(w.workflow)}`, '');
    out.push(`- ${formatCount(w.scenariosWithTakeover)} of ${plural(w.scenarios, 'scenario')} end in a takeover (${formatCount(w.privilegedScenariosWithTakeover)} privileged, ${formatCount(w.scenariosUndetected)} with undetected paths); ${plural(w.paths, 'takeover path')}, ${formatCount(w.undetectedPaths)} undetected, ${formatCount(w.privilegedPaths)} against privileged classes.`);
    if (w.topGaps.length) out.push(`- Top gaps by paths they would close: ${w.topGaps.map((g) => `${mdCode(g.control)} ${md(g.name)} (${formatCount(g.blocksPaths)} alone, ${formatCount(g.jointPaths)} jointly)`).join('; ')}.`);
    out.push(`- Least-friction verified set: ${w.leastFriction ? `${w.leastFriction.controls.map(mdCode).join(' + ')} (≈${minutesText(w.leastFriction.expectedMinutes)} min per legitimate request)` : 'none needed or none found'}.`);
    if (BigInt(w.unclosablePaths) > 0n) out.push(`- Residual: ${plural(w.unclosablePaths, 'path')} no set of up to three catalogue controls closes.`);
    out.push('');
  }

  out.push('## Gaps and owners', '');
  for (const w of r.scope.workflows) {
    const gaps = r.gaps.filter((g) => g.workflow === w.id);
    out.push(`### ${wfTitle(w.id)}`, '');
    if (!gaps.length) {
      out.push('No control would close or detect a takeover path: none was found.', '');
      continue;
    }
    out.push(
      mdTable(
        ['Control', 'Name', 'Owner role', 'Owner', 'Effect', 'Blocks', 'Jointly', 'Detects', 'Contributes', 'Status', 'Friction', 'Framework references'],
        gaps.map((g) => [mdCode(g.control), md(g.name), md(g.owner.title), md(g.owner.name ?? 'unassigned'), EFFECT_TEXT[g.effect], formatCount(g.blocksPaths), formatCount(g.jointPaths), formatCount(g.detectsPaths), formatCount(g.contributesPaths), md(statusesText(g)), `${g.frictionMinutes} min`, md(referencesText(g.references))]),
      ),
      '',
    );
  }

  out.push('## Framework references', '');
  const seen = new Set<string>();
  const refRows: string[][] = [];
  for (const g of r.gaps) {
    if (seen.has(g.control)) continue;
    seen.add(g.control);
    for (const m of g.references) refRows.push([mdCode(g.control), md(m.label), md(m.fit ?? 'not recorded'), md(existsText(m)), md(m.rationale ?? '')]);
  }
  out.push(refRows.length ? mdTable(['Control', 'Reference', 'Fit', 'Exists', 'Rationale'], refRows) : 'No gap, so no reference.', '');

  out.push('## Least-friction control set', '');
  for (const w of s.perWorkflow) {
    const lf = w.leastFriction;
    out.push(`- ${wfTitle(w.workflow)}: ${lf ? `${lf.controls.map(mdCode).join(' + ')}, ≈${minutesText(lf.expectedMinutes)} min per legitimate request (escalations included); ${lf.verified ? 'verified by an exact count: no closable path survives it' : 'not verified'}` : 'no set (no closable path)'}; ${plural(w.closablePaths, 'closable path')}, ${formatCount(w.unclosablePaths)} unclosable.`);
  }
  out.push('');

  out.push('## Residual risk', '');
  out.push(
    r.residual.length ? mdTable(['Workflow', 'Scenario', 'Class', 'Unclosable paths'], r.residual.map((x) => [mdCode(x.workflow), mdCode(x.scenario), mdCode(x.class), formatCount(x.unclosablePaths)])) : 'Every takeover path found is closed by some set of up to three catalogue controls.',
    '',
  );

  out.push('## Evidence', '');
  out.push(`Per gap, up to ${EVIDENCE_LIMIT} of the path classes behind it (strongest effect and most paths first); \`--format json\` lists every class.`, '');
  for (const g of r.gaps) {
    out.push(`### ${mdCode(g.control)} in ${wfTitle(g.workflow)}`, '');
    const left = g.evidence.slice(EVIDENCE_LIMIT);
    out.push(mdTable(['Scenario', 'Class', 'Paths', 'Effect', 'Example', 'Steps walked'], g.evidence.slice(0, EVIDENCE_LIMIT).map((e) => [mdCode(e.scenario), mdCode(e.class), formatCount(e.paths), `${EFFECT_TEXT[e.effect]}${e.conditional.length ? ` (CONDITIONAL: ${e.conditional.map(md).join('; ')})` : ''}`, mdCode(e.example.id), `${e.example.steps}: ${e.example.trace.map(md).join(' → ')}`])), '');
    if (left.length) out.push(`${formatCount(left.length)} more class${left.length === 1 ? '' : 'es'} not shown (${formatCount(left.reduce((n, e) => n + BigInt(e.paths), 0n))} paths).`, '');
  }

  out.push('## Lint findings', '');
  for (const l of r.lint) {
    out.push(`### ${wfTitle(l.workflow)}`, '');
    out.push(l.findings.length ? mdTable(['Rule', 'Severity', 'Step', 'Finding', 'Fixes'], l.findings.map((f) => [`${mdCode(f.rule)} ${md(f.name)}`, f.severity, md(f.step ?? ''), md(f.message), f.fixes.map(mdCode).join(', ')])) : 'No findings.', '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** Characters a spreadsheet reads as the start of a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: capped below Excel's cell limit (with the count left out), display-safe on one line
 * (`shown`), a leading formula character neutralised with an apostrophe, and quoted by RFC 4180 when
 * it holds a quote, comma, CR or LF.
 */
export function csvCell(raw0: string): string {
  const raw = clip(raw0, CSV_CELL_LIMIT);
  const safe = FORMULA_START.test(raw) ? `'${raw}` : raw;
  const v = shown(safe);
  const cell = FORMULA_START.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** The CSV's columns, in order. */
export const CSV_COLUMNS = [
  'workflow',
  'workflow_name',
  'control',
  'control_name',
  'owner_role',
  'owner_role_title',
  'owner_name',
  'effect',
  'blocks_paths',
  'joint_paths',
  'detects_paths',
  'contributes_paths',
  'statuses',
  'friction_minutes',
  'legit_fail_share',
  'in_least_friction_set',
  'framework_references',
  'evidence_classes',
  'evidence_examples',
] as const;

/**
 * The gaps as CSV, one row per workflow and control, with a header row. Counts are exact decimal
 * strings. Records end in CRLF (RFC 4180) in a file; `eol` lets stdout use LF, which the terminal
 * rule would otherwise write as a visible `\u{d}`.
 */
export function accountabilityCsv(r: AccountabilityReport, eol: '\r\n' | '\n' = '\r\n'): string {
  const names = new Map(r.scope.workflows.map((w) => [w.id, w.name]));
  const rows = r.gaps.map((g) => [
    g.workflow,
    names.get(g.workflow) ?? g.workflow,
    g.control,
    g.name,
    g.owner.role,
    g.owner.title,
    g.owner.name ?? 'unassigned',
    EFFECT_TEXT[g.effect],
    String(g.blocksPaths),
    String(g.jointPaths),
    String(g.detectsPaths),
    String(g.contributesPaths),
    Object.entries(g.statuses)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join('; '),
    String(g.frictionMinutes),
    String(g.legitFailShare),
    g.inLeastFrictionSet ? 'yes' : 'no',
    referencesText(g.references),
    g.evidence.map((e) => e.class).join('; '),
    g.evidence.map((e) => `${e.class}: ${e.example.id} (${e.example.steps} steps: ${e.example.trace.join(' > ')})${e.conditional.length ? ' CONDITIONAL' : ''}`).join('; '),
  ]);
  return [CSV_COLUMNS as readonly string[], ...rows].map((row) => row.map(csvCell).join(',')).join(eol) + eol;
}
