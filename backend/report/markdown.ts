// Renders the accountability report (analysis/accountability.ts) for people and spreadsheets:
// Markdown for a wiki or a ticket, CSV of the gaps for a tracker. Every string from a model file
// passes the display-text rule (models/displayText.ts): `markdownText` in Markdown; in CSV `shown`, then a
// leading formula character neutralised, then RFC 4180 quoting. The JSON form is `reportJson` of the
// document itself.
import { EFFECT_TEXT, formatCount, mappingText, minutesText, REMEDIATION_TEXT, stageText, type AccountabilityGap, type AccountabilityReport, type Count, type ReportMapping } from '../../analysis/index.ts';
import { displayText as shown, markdownText } from '../../models/index.ts';
import { clip } from './text.ts';

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

/**
 * The gap table's Status cell: the statuses with their counts, or, for a control that only blocks
 * jointly or contributes (statuses are counted where a control blocks alone or detects), that.
 */
export function statusCellText(g: AccountabilityGap): string {
  return statusesText(g) || 'not counted (blocks only jointly or contributes)';
}

/** How to read the gap table's counts, under it in Markdown and HTML. */
export const GAP_COUNTS_NOTE =
  'Blocks, Jointly, Detects and Contributes each count the exact takeover paths on which the control, placed hardened and enforced, would have that effect; one path can count under more than one (a control may block a path together with another and also take a means from it). Status counts the paths where it blocks alone or detects. The Evidence lists each path class once, under the control\'s strongest effect on it, with all the class\'s paths.';

/** "CSF 2.0 PR.AA-05 (direct)": each reference with its fit and, when not confirmed, how it exists. */
export function referencesText(refs: readonly ReportMapping[]): string {
  return refs.map(mappingText).join('; ');
}

type WorkflowSummary = AccountabilityReport['summary']['perWorkflow'][number];
export type Campaign = NonNullable<WorkflowSummary['outcomes'][number]['campaign']>;

/** A chained scenario's stages and what the chain unlocks, in words (plain text: each format escapes it). */
export function chainText(c: Campaign): string {
  const stages = c.stages.map((st) => `${stageText(st)}${BigInt(st.paths) > 0n ? ` (${plural(st.paths, 'path')}${st.yields ? `, yields ${st.yields}` : ''})` : ''}`);
  const unlocks = c.blastRadius.length ? `; the chain unlocks ${c.blastRadius.join(', ')}` : '';
  return `${stages.join(' → ')}; ${plural(c.chainPaths, 'complete chain')}${unlocks}`;
}

/**
 * The workflow's chained takeovers (scenarios whose own takeover leads to a later stage), each with
 * its words and its campaign (for a format that also writes the stages, chain count and blast radius
 * as data, as OSCAL does).
 */
export function chains(w: WorkflowSummary): { scenario: string; text: string; campaign: Campaign }[] {
  const taken = (o: Campaign['stages'][number] | undefined) => o?.outcome === 'takeover_undetected' || o?.outcome === 'takeover_detected';
  return w.outcomes.filter((o) => o.campaign && o.campaign.stages.length > 1 && taken(o.campaign.stages[0])).map((o) => ({ scenario: o.scenario, text: chainText(o.campaign!), campaign: o.campaign! }));
}

/** What the workflow's takeovers yield, each kind with the scenarios that reach it. */
export function yieldsByKind(w: WorkflowSummary): { yields: string; scenarios: string[] }[] {
  const by = new Map<string, string[]>();
  for (const o of w.outcomes) if (o.yields) by.set(o.yields, [...(by.get(o.yields) ?? []), o.scenario]);
  return [...by].map(([yields, scenarios]) => ({ yields, scenarios }));
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
    out.push(`- ${formatCount(w.scenariosWithTakeover)} of ${plural(w.scenarios, 'scenario')} ${BigInt(w.scenariosWithTakeover) === 1n ? 'ends' : 'end'} in a takeover (${formatCount(w.privilegedScenariosWithTakeover)} privileged, ${formatCount(w.scenariosUndetected)} with undetected paths); ${plural(w.paths, 'takeover path')}, ${formatCount(w.undetectedPaths)} undetected, ${formatCount(w.privilegedPaths)} against privileged classes.`);
    if (w.topGaps.length) out.push(`- Top gaps by paths they would close: ${w.topGaps.map((g) => `${mdCode(g.control)} ${md(g.name)} (${formatCount(g.blocksPaths)} alone, ${formatCount(g.jointPaths)} jointly)`).join('; ')}.`);
    out.push(`- Least-friction verified set: ${w.leastFriction ? `${w.leastFriction.controls.map(mdCode).join(' + ')} (≈${minutesText(w.leastFriction.expectedMinutes)} min per legitimate request, escalations included, by the catalogue's friction estimates)` : 'none needed or none found'}.`);
    if (BigInt(w.unclosablePaths) > 0n) out.push(`- Residual: ${plural(w.unclosablePaths, 'path')} no set of up to three catalogue controls closes.`);
    const yields = yieldsByKind(w);
    if (yields.length) out.push(`- What the takeovers yield: ${yields.map((y) => `${md(y.yields)} (${y.scenarios.map(mdCode).join(', ')})`).join('; ')}.`);
    for (const c of chains(w)) out.push(`- Chained takeover ${mdCode(c.scenario)}: ${md(c.text)}.`);
    out.push('');
  }

  if (r.accountability) out.push(...trendMarkdown(r, wfTitle));

  out.push('## Gaps and owners', '', GAP_COUNTS_NOTE, '');
  for (const w of r.scope.workflows) {
    const gaps = r.gaps.filter((g) => g.workflow === w.id);
    out.push(`### ${wfTitle(w.id)}`, '');
    if (!gaps.length) {
      out.push('No control would close or detect a takeover path: none was found.', '');
      continue;
    }
    out.push(
      mdTable(
        ['Control', 'Name', 'Owner role', 'Owner', 'Effect', 'Blocks', 'Jointly', 'Detects', 'Contributes', 'Status', 'Friction', 'Framework references', ...(r.accountability ? ['Remediation'] : [])],
        gaps.map((g) => [
          mdCode(g.control),
          md(g.name),
          md(g.owner.title),
          md(ownerText(g)),
          EFFECT_TEXT[g.effect],
          formatCount(g.blocksPaths),
          formatCount(g.jointPaths),
          formatCount(g.detectsPaths),
          formatCount(g.contributesPaths),
          md(statusCellText(g)),
          `${g.frictionMinutes} min`,
          md(referencesText(g.references)),
          ...(r.accountability ? [md(remediationText(g))] : []),
        ]),
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
    out.push(`- ${wfTitle(w.workflow)}: ${lf ? `${lf.controls.map(mdCode).join(' + ')}, ≈${minutesText(lf.expectedMinutes)} min per legitimate request (escalations included; the catalogue's friction estimates, not measurements); ${lf.verified ? 'verified by an exact count: no closable path survives it' : 'not verified'}` : 'no set (no closable path)'}; ${plural(w.closablePaths, 'closable path')}, ${formatCount(w.unclosablePaths)} unclosable.`);
  }
  out.push('');

  out.push('## Residual risk', '');
  out.push(
    r.residual.length ? mdTable(['Workflow', 'Scenario', 'Class', 'Unclosable paths'], r.residual.map((x) => [mdCode(x.workflow), mdCode(x.scenario), mdCode(x.class), formatCount(x.unclosablePaths)])) : 'No takeover path found is left unclosable: each is closed by some combination of up to three catalogue controls, and the verified sets above close them all. Risk remains wherever the assumptions in the scope do not hold (other attackers, defeats the catalogue does not know).',
    '',
  );

  if (r.accountability) {
    const accepted = r.gaps.filter((g) => g.residualRisk);
    if (accepted.length) {
      out.push('### Accepted risks', '');
      for (const g of accepted) out.push(`- ${wfTitle(g.workflow)}: ${md(g.residualRisk!)}${g.remediation?.notes ? ` Notes: ${md(noteLine(g.remediation.notes))}` : ''}`);
      out.push('');
    }
    out.push(...remediationMarkdown(r));
  }

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
  if (r.accountability) out.push(...signOffMarkdown(r));
  return `${out.join('\n').trimEnd()}\n`;
}

/** The named owner with how to reach them, or "unassigned". */
export function ownerText(g: AccountabilityGap): string {
  if (g.owner.name === null) return 'unassigned';
  return `${g.owner.name}${g.owner.contact ? ` (${g.owner.contact})` : ''}`;
}

/** A remediation status in words; "done" is qualified, since the gap is in the report because the analysis still finds it. */
export function statusText(g: AccountabilityGap): string {
  const m = g.remediation;
  if (!m) return '';
  return m.status === 'done' ? 'done (the analysis still finds this gap)' : REMEDIATION_TEXT[m.status];
}

/** "in progress, due 2026-04-01 (OVERDUE), SEC-1": a gap's remediation state on one line. */
export function remediationText(g: AccountabilityGap): string {
  const m = g.remediation;
  if (!m) return '';
  const pending = m.status === 'open' || m.status === 'planned' || m.status === 'in_progress';
  return [statusText(g), m.due ? `due ${m.due}${m.overdue ? ' (OVERDUE)' : ''}` : pending ? 'no due date' : '', m.ticket ?? ''].filter(Boolean).join(', ');
}

/** Notes on one line for a table cell: line breaks become " / ". */
export function noteLine(s: string): string {
  return s.trim().replace(/\s*\r?\n\s*/g, ' / ');
}

function trendMarkdown(r: AccountabilityReport, wfTitle: (id: string) => string): string[] {
  const a = r.accountability!;
  const out = ['## Trend since the previous sign-off', ''];
  if (!a.trend) {
    out.push('No earlier signed report of this scope (the same workflows and scenarios): this report is the baseline.', '');
    return out;
  }
  const t = a.trend;
  out.push(`Against report ${mdCode(t.previous.reportId)}, signed by ${md(t.previous.signedBy)} on ${md(t.previous.signedAt)} (decision: ${t.previous.decision}).`, '');
  out.push(`- Gaps opened: ${formatCount(t.opened.length)}; closed: ${formatCount(t.closed.length)}; unchanged: ${formatCount(t.unchanged)}; overdue: ${formatCount(t.overdue.length)} (${formatCount(t.overdue.filter((o) => o.newly).length)} newly).`, '');
  const rows = [
    ...t.opened.map((g) => ['opened', wfTitle(g.workflow), mdCode(g.control), md(g.name), '']),
    ...t.closed.map((g) => ['closed', wfTitle(g.workflow), mdCode(g.control), md(g.name), '']),
    ...t.overdue.map((g) => [g.newly ? 'overdue (new)' : 'overdue', wfTitle(g.workflow), mdCode(g.control), md(g.name), md(g.due)]),
  ];
  if (rows.length) out.push(mdTable(['Change', 'Workflow', 'Control', 'Name', 'Due'], rows), '');
  return out;
}

function remediationMarkdown(r: AccountabilityReport): string[] {
  const a = r.accountability!;
  const c = a.remediation;
  const out = ['## Remediation', ''];
  out.push(`As of ${md(a.asOf.slice(0, 10))}: ${formatCount(c.open)} open, ${formatCount(c.planned)} planned, ${formatCount(c.in_progress)} in progress, ${formatCount(c.done)} done, ${formatCount(c.risk_accepted)} risk accepted; **${formatCount(c.overdue)} overdue**.`, '');
  if (r.gaps.length)
    out.push(
      mdTable(
        ['Workflow', 'Control', 'Owner', 'Status', 'Due', 'Ticket', 'Notes'],
        r.gaps.map((g) => [mdCode(g.workflow), mdCode(g.control), md(ownerText(g)), md(statusText(g)), g.remediation?.due ? `${md(g.remediation.due)}${g.remediation.overdue ? ' **OVERDUE**' : ''}` : '', md(g.remediation?.ticket ?? ''), md(noteLine(g.remediation?.notes ?? ''))]),
      ),
      '',
    );
  return out;
}

function signOffMarkdown(r: AccountabilityReport): string[] {
  const s = r.accountability!.signOff;
  const out = ['## Sign-off', ''];
  if (!s) {
    out.push('Not signed off. `resetpath report ... --workspace <file> --sign-off "<name>" --decision accept|remediate|transfer --justification "<text>"` stores this report with a sign-off.', '');
    return out;
  }
  out.push(mdTable(['Signed by', 'When', 'Decision', 'Justification', 'Stored report'], [[md(s.signedBy), md(s.signedAt), s.decision, md(noteLine(s.justification)), mdCode(s.reportId)]]), '');
  return out;
}

/** Characters a spreadsheet reads as the start of a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: capped below Excel's cell limit (with the count left out), display-safe on one line
 * (`shown`; `multiline` keeps a note's line breaks, inside the quotes), a leading formula character neutralised with an apostrophe, and quoted by RFC 4180 when
 * it holds a quote, comma, CR or LF.
 */
export function csvCell(raw0: string, opts: { multiline?: boolean } = {}): string {
  const raw = clip(raw0, CSV_CELL_LIMIT);
  const safe = FORMULA_START.test(raw) ? `'${raw}` : raw;
  const v = shown(safe, opts);
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
  const extra = r.accountability !== undefined;
  const rows = r.gaps.map((g) => [
    ...gapCells(g, names),
    ...(extra ? [g.owner.contact ?? '', g.remediation?.status ?? '', g.remediation?.due ?? '', g.remediation?.overdue ? 'yes' : 'no', g.remediation?.ticket ?? '', doneButStillFound(g)] : []),
  ]);
  const head: readonly string[] = extra ? [...CSV_COLUMNS, ...CSV_ACCOUNTABILITY_COLUMNS] : CSV_COLUMNS;
  return [head, ...rows].map((row) => row.map((cell) => csvCell(cell)).join(',')).join(eol) + eol;
}

/**
 * "yes" when the gap's item is marked done and the analysis still finds the gap (every gap of the
 * report is one it finds, so: when it is marked done), else "no": what Markdown and HTML say as
 * "done (the analysis still finds this gap)" and the POA&M as `remediating`, in a column of its own
 * so a spreadsheet filtered on the status does not read such an item as closed.
 */
function doneButStillFound(g: AccountabilityGap): 'yes' | 'no' {
  return g.remediation?.status === 'done' ? 'yes' : 'no';
}

/** Columns the gap CSV adds when the report was made with a workspace (done_but_still_found last, added after the others). */
export const CSV_ACCOUNTABILITY_COLUMNS = ['owner_contact', 'remediation_status', 'due', 'overdue', 'ticket', 'done_but_still_found'] as const;

/** The remediation CSV's columns, in order (done_but_still_found last, added after the others). */
export const REMEDIATION_CSV_COLUMNS = ['workflow', 'control', 'control_name', 'owner_role', 'owner_name', 'owner_contact', 'status', 'due', 'overdue', 'ticket', 'notes', 'recorded', 'residual_risk', 'as_of', 'done_but_still_found'] as const;

/**
 * The remediation items as CSV: one row per gap of the report with its remediation state (status
 * open, not recorded, when the workspace holds no item). Cells are neutralised like the gap CSV.
 */
export function remediationCsv(r: AccountabilityReport, eol: '\r\n' | '\n' = '\r\n'): string {
  const asOf = r.accountability?.asOf ?? '';
  const rows = r.gaps.map((g) => [
    g.workflow,
    g.control,
    g.name,
    g.owner.role,
    g.owner.name ?? 'unassigned',
    g.owner.contact ?? '',
    g.remediation?.status ?? 'open',
    g.remediation?.due ?? '',
    g.remediation?.overdue ? 'yes' : 'no',
    g.remediation?.ticket ?? '',
    g.remediation?.notes ?? '',
    g.remediation?.recorded ? 'yes' : 'no',
    g.residualRisk ?? '',
    asOf,
    doneButStillFound(g),
  ]);
  const notes = REMEDIATION_CSV_COLUMNS.indexOf('notes');
  return [REMEDIATION_CSV_COLUMNS as readonly string[], ...rows].map((row) => row.map((cell, i) => csvCell(cell, { multiline: i === notes })).join(',')).join(eol) + eol;
}

function gapCells(g: AccountabilityGap, names: Map<string, string>): string[] {
  return [
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
  ];
}
