// The accountability report (analysis/accountability.ts) as one self-contained HTML document: the
// sections of the Markdown report, plus each workflow's graph and the gap matrix (workflows x
// scenarios by outcome) as inline SVG, with print styles so a browser or Chromium prints it to PDF.
//
// Safety rests on three things, each checked by a test: the document loads nothing and runs nothing
// (no script element, no event attribute, no link that leaves it; a Content-Security-Policy that
// allows only inline styles and data: images is the first element of <head>); every string that
// comes from a model, a file or a user passes `esc` (text and attribute values alike), which applies
// the display-text rule and then escapes HTML's five special characters; and every such string is
// capped (`clip`), so a 100,000-character name takes one line, not forty pages.
import { EFFECT_TEXT, formatCount, minutesText, type AccountabilityGap, type AccountabilityOutcome, type AccountabilityReport, type Count, type ReportMapping } from '../../analysis/index.ts';
import { computeGraphLayout, htmlText, type GraphLayout, type Workflow } from '../../models/index.ts';
import { chains, EVIDENCE_LIMIT, GAP_COUNTS_NOTE, ownerText, remediationText, statusCellText, statusText, yieldsByKind } from './markdown.ts';
import { clip, TEXT_LIMIT } from './text.ts';

export { clip, TEXT_LIMIT };

/** Steps of an example trace shown; a longer trace shows its first and last steps. */
export const TRACE_LIMIT = 14;

/** The one escape of this file (models/displayText.ts): HTML text and quoted attribute values, scheme colons inert. */
export function esc(s: string): string {
  return htmlText(s);
}

/** Text from a model or a file, capped and escaped: what every interpolation of such text uses. */
const t = (s: string, max = TEXT_LIMIT) => esc(clip(s, max));
/** A person's text that may hold line breaks (notes, a justification): escaped, its lines kept as `<br>`. */
const lines = (s: string, max: number) => htmlText(clip(s.trim(), max), { multiline: true }).replace(/\r?\n/g, '<br>');
/** A count as the Markdown report writes it (exact, grouped; powers of ten for long ones). */
const n = (c: Count | bigint | number) => esc(formatCount(typeof c === 'number' ? BigInt(c) : c));
const plural = (c: Count | number, noun: string) => `${n(c)} ${noun}${BigInt(c) === 1n ? '' : 's'}`;

/**
 * A table with fixed column widths (percentages of the page), so a long id wraps inside its column
 * instead of squeezing the others, and the same table fits A4 and Letter.
 */
function table(head: readonly string[], widths: readonly number[], rows: readonly (readonly string[])[], cls = ''): string {
  return `<table${cls ? ` class="${cls}"` : ''}><colgroup>${widths.map((w) => `<col style="width:${w}%">`).join('')}</colgroup><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

const code = (s: string) => `<code>${t(s)}</code>`;

/** Outcome of a scenario against a workflow: its words, the letter the matrix prints, its colour. */
export const OUTCOME_LOOK: Record<AccountabilityOutcome, { label: string; mark: string; fill: string; ink: string }> = {
  takeover_undetected: { label: 'takeover, undetected', mark: 'U', fill: '#b3261e', ink: '#ffffff' },
  takeover_detected: { label: 'takeover, detected', mark: 'D', fill: '#f2b84b', ink: '#1b1b1b' },
  blocked: { label: 'blocked', mark: 'B', fill: '#2e7d32', ink: '#ffffff' },
  not_applicable: { label: 'not applicable', mark: '–', fill: '#eeeeee', ink: '#555555' },
};

const CSS = `
:root { --ink:#1b1b1b; --muted:#5c5c5c; --rule:#d0d0d0; --band:#f4f5f7; --accent:#1f4e79; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 10.5pt/1.45 "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; color: var(--ink); margin: 0 auto; max-width: 190mm; padding: 12mm 0; }
h1 { font-size: 20pt; margin: 0 0 2mm; color: var(--accent); }
h2 { font-size: 14pt; margin: 8mm 0 3mm; padding-bottom: 1mm; border-bottom: 2px solid var(--accent); color: var(--accent); }
h3 { font-size: 11.5pt; margin: 5mm 0 2mm; }
p, ul { margin: 0 0 2.5mm; }
.meta, .note { color: var(--muted); font-size: 9pt; }
code { font: 8.5pt "DejaVu Sans Mono", "Liberation Mono", Consolas, monospace; overflow-wrap: anywhere; }
table { border-collapse: collapse; table-layout: fixed; width: 100%; margin: 0 0 3mm; font-size: 8.5pt; }
th, td { border: 1px solid var(--rule); padding: 1mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: var(--band); font-weight: 600; }
table.compact td { padding: 0.5mm 1.5mm; }
td.num, th.num { text-align: right; white-space: nowrap; }
.ref { white-space: normal; }
.tag { display: inline-block; font-size: 7.5pt; padding: 0 1mm; border: 1px solid var(--rule); border-radius: 2px; white-space: nowrap; }
.tag.u { border-color: #b3261e; color: #b3261e; font-weight: 600; }
.tag.c2, .c2 { border-color: #8a6d00; color: #8a6d00; }
.c2 { font-size: 7.5pt; }
.figures { display: flex; flex-wrap: wrap; gap: 3mm; margin: 0 0 4mm; }
.figure { flex: 1 1 38mm; border: 1px solid var(--rule); border-left: 3px solid var(--accent); padding: 2mm 3mm; }
.figure b { display: block; font-size: 15pt; }
.figure span { color: var(--muted); font-size: 8.5pt; }
figure { margin: 0 0 4mm; }
figcaption { color: var(--muted); font-size: 8.5pt; margin-top: 1mm; }
svg { max-width: 100%; height: auto; display: block; }
svg text { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
svg .mono { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; }
nav ol { columns: 2; font-size: 9.5pt; margin: 0 0 4mm; }
nav a { color: var(--accent); text-decoration: none; }
.legend { display: flex; flex-wrap: wrap; gap: 4mm; font-size: 8.5pt; margin: 1mm 0 0; }
.swatch { display: inline-block; width: 4mm; height: 4mm; vertical-align: -0.8mm; margin-right: 1mm; border: 1px solid #888; text-align: center; font-size: 7pt; line-height: 4mm; font-weight: 700; }
@page { margin: 14mm 12mm 16mm; }
@media print {
  body { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  h2.page { break-before: page; }
  tr, figure, .figure, li { break-inside: avoid; }
  table.gaps tr, table.evidence tr { break-inside: auto; }
  thead { display: table-header-group; }
}
`;

/**
 * "CSF 2.0 PR.AA-05 (direct)": a reference with its fit, and [U] when the identifier is not
 * confirmed in the pinned framework version ([C2]: confirmed through a secondary source only).
 */
function referenceHtml(m: ReportMapping): string {
  const st = m.existence?.status;
  const mark = st === 'unconfirmed' ? ' <span class="tag u">[U]</span>' : st === 'secondary' ? ' <span class="c2">[C2]</span>' : st === 'confirmed' ? '' : ' <span class="note">(existence not recorded)</span>';
  return `${t(m.label)}${m.fit ? ` <i>(${t(m.fit)})</i>` : ''}${mark}`;
}

function referencesHtml(refs: readonly ReportMapping[]): string {
  return refs.length ? refs.map((m) => `<span class="ref">${referenceHtml(m)}</span>`).join('; ') : '<span class="note">none recorded</span>';
}

/** What the control would have done: its effect with the exact path counts behind it. */
function effectHtml(g: AccountabilityGap): string {
  const parts: string[] = [];
  if (BigInt(g.blocksPaths) > 0n) parts.push(`blocks ${plural(g.blocksPaths, 'path')} on its own`);
  if (BigInt(g.jointPaths) > 0n) parts.push(`blocks ${plural(g.jointPaths, 'path')} jointly`);
  if (BigInt(g.detectsPaths) > 0n) parts.push(`detects ${plural(g.detectsPaths, 'path')}`);
  if (BigInt(g.contributesPaths) > 0n) parts.push(`contributes on ${plural(g.contributesPaths, 'path')}`);
  return `<b>${esc(EFFECT_TEXT[g.effect])}</b><br>${parts.join('<br>')}`;
}

/** A trace of step names, long ones shortened to their first and last steps with the count between. */
function traceHtml(trace: readonly string[]): string {
  if (trace.length <= TRACE_LIMIT) return trace.map((s) => t(s, 80)).join(' → ');
  const head = trace.slice(0, TRACE_LIMIT - 3).map((s) => t(s, 80));
  const tail = trace.slice(-2).map((s) => t(s, 80));
  return `${head.join(' → ')} → … ${trace.length - head.length - tail.length} more steps … → ${tail.join(' → ')}`;
}

/** The gap matrix: one row per workflow, one column per scenario, each cell its outcome in colour and letter. */
export function gapMatrixSvg(r: AccountabilityReport): string {
  const rows = r.summary.perWorkflow;
  const cols = r.scope.scenarios;
  const cell = 18;
  // Row labels are workflow ids and column heads scenario ids, in 9 and 8.5 px monospace (about
  // 5.5 and 5.2 px a character); column heads run upwards, so they take height, not width.
  const labelW = Math.ceil(12 + 5.5 * Math.max(8, ...rows.map((w) => Math.min(w.workflow.length, 44))));
  const headH = Math.ceil(12 + 5.2 * Math.max(6, ...cols.map((s) => Math.min(s.id.length, 40))));
  const width = Math.ceil(labelW + cols.length * cell + 4);
  const height = Math.ceil(headH + rows.length * cell + 4);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Gap matrix: workflows by scenarios, each cell the scenario's outcome">`);
  cols.forEach((s, j) => {
    const x = labelW + j * cell + cell / 2 + 3;
    out.push(`<text x="${x}" y="${headH - 4}" font-size="8.5" class="mono" transform="rotate(-90 ${x} ${headH - 4})"><title>${t(s.name)}</title>${t(s.id, 40)}</text>`);
  });
  rows.forEach((w, i) => {
    const y = headH + i * cell;
    out.push(`<text x="${labelW - 6}" y="${y + cell / 2 + 3}" font-size="9" text-anchor="end" class="mono">${t(w.workflow, 44)}</text>`);
    const by = new Map(w.outcomes.map((o) => [o.scenario, o]));
    cols.forEach((s, j) => {
      const o = by.get(s.id);
      const look = OUTCOME_LOOK[o?.outcome ?? 'not_applicable'];
      const x = labelW + j * cell;
      const tip = `${w.workflow} × ${s.id}: ${look.label}${o && BigInt(o.paths) > 0n ? `, ${formatCount(o.paths)} takeover path${BigInt(o.paths) === 1n ? '' : 's'} (${formatCount(o.undetectedPaths)} undetected)` : ''}`;
      out.push(`<g><title>${t(tip, 400)}</title><rect x="${x + 1}" y="${y + 1}" width="${cell - 2}" height="${cell - 2}" fill="${look.fill}" stroke="#ffffff"/><text x="${x + cell / 2}" y="${y + cell / 2 + 3.5}" font-size="9.5" font-weight="700" text-anchor="middle" fill="${look.ink}">${esc(look.mark)}</text></g>`);
    });
  });
  out.push('</svg>');
  return out.join('');
}

function legendHtml(): string {
  return `<div class="legend">${Object.values(OUTCOME_LOOK)
    .map((l) => `<span><span class="swatch" style="background:${l.fill};color:${l.ink}">${esc(l.mark)}</span>${esc(l.label)}</span>`)
    .join('')}</div>`;
}

const KIND_FILL: Record<string, string> = { execution: '#fde7e4', end: '#eef0f2', intake: '#e8f0fa', routing: '#eef0f2' };

/** A workflow's graph as SVG (the workbench's dagre layout); steps, controls as chips, transitions. */
export function workflowGraphSvg(layout: GraphLayout, label: string, idPrefix = 'g'): string {
  const chipTop = layout.workflowChips.length ? 26 : 0;
  const w = Math.max(layout.width, 200);
  const h = layout.height + chipTop;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${t(label)}">`);
  out.push(`<defs><marker id="${esc(idPrefix)}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#555555"/></marker></defs>`);
  if (layout.workflowChips.length) {
    out.push(`<text x="16" y="14" font-size="9" fill="#5c5c5c">Whole workflow:</text>`);
    for (const c of layout.workflowChips) out.push(chipSvg(c, 96, 3));
  }
  out.push(`<g transform="translate(0 ${chipTop})">`);
  for (const e of layout.edges) {
    const dash = e.kind === 'on_fail' ? ' stroke-dasharray="5 3"' : '';
    const colour = e.kind === 'on_fail' ? '#b3261e' : '#555555';
    out.push(`<path d="${esc(e.d)}" fill="none" stroke="${colour}" stroke-width="1.3"${dash} marker-end="url(#${esc(idPrefix)}-arrow)"/>`);
  }
  for (const e of layout.edges) {
    if (!e.label) continue;
    out.push(`<rect x="${e.mid.x - e.labelWidth / 2}" y="${e.mid.y - 8}" width="${e.labelWidth}" height="15" rx="3" fill="#ffffff" stroke="#d0d0d0"/><text x="${e.mid.x}" y="${e.mid.y + 3}" font-size="9" text-anchor="middle" fill="${e.kind === 'on_fail' ? '#b3261e' : '#333333'}">${t(e.label, 40)}</text>`);
  }
  layout.nodes.forEach((node, index) => {
    const fill = KIND_FILL[node.kind] ?? '#ffffff';
    const stroke = node.isExecution ? '#b3261e' : node.isStart ? '#1f4e79' : '#8a8a8a';
    // The layout estimates text widths; a name of wide letters (or one whose escapes lengthen it)
    // is clipped at the box's edge rather than drawn across its neighbours.
    const clipId = `${esc(idPrefix)}-n${index}`;
    out.push(`<g transform="translate(${node.x} ${node.y})"><title>${t(node.fullName)}</title>`);
    out.push(`<clipPath id="${clipId}"><rect x="2" y="2" width="${node.width - 4}" height="${node.height - 4}"/></clipPath>`);
    out.push(`<rect width="${node.width}" height="${node.height}" rx="5" fill="${fill}" stroke="${stroke}" stroke-width="${node.isExecution || node.isStart ? 1.8 : 1}"/>`);
    out.push(`<g clip-path="url(#${clipId})">`);
    out.push(`<text x="10" y="14" font-size="8.5" fill="#5c5c5c" letter-spacing="0.4">${esc(node.kindLabel.toUpperCase())}${node.isStart ? ' · START' : ''}</text>`);
    node.lines.forEach((l, i) => out.push(`<text x="10" y="${30 + i * 15}" font-size="12" font-weight="600">${t(l, 60)}</text>`));
    if (node.actor) out.push(`<text x="10" y="${30 + node.lines.length * 15}" font-size="9.5" fill="#5c5c5c">${t(node.actor, 40)}</text>`);
    for (const c of node.chips) out.push(chipSvg(c, 0, 0));
    out.push('</g></g>');
  });
  out.push('</g></svg>');
  return out.join('');
}

function chipSvg(c: GraphLayout['nodes'][number]['chips'][number], dx: number, dy: number): string {
  const procedural = c.enforcement === 'procedural';
  const weak = c.belowHardened.length > 0;
  // The tooltip's lines (name, enforcement, parameters) joined on one line: a title is no place for a break.
  return `<g><title>${t(c.title.replace(/\n/g, ' · '), 400)}</title><rect x="${c.x + dx}" y="${c.y + dy}" width="${c.width}" height="16" rx="3" fill="${weak ? '#fff4e0' : '#f4f5f7'}" stroke="${weak ? '#b36b00' : '#9aa3ad'}"${procedural ? ' stroke-dasharray="3 2"' : ''}/><text x="${c.x + dx + 6}" y="${c.y + dy + 11.5}" font-size="10" class="mono">${t(c.label, 40)}</text></g>`;
}

/** Whether the identifier exists in the pinned version: confirmed, [C2] secondary source, [U] unconfirmed. */
function existsTag(m: ReportMapping): string {
  const st = m.existence?.status;
  return st === 'unconfirmed' ? '<span class="tag u">[U] unconfirmed</span>' : st === 'secondary' ? '<span class="tag c2">[C2] secondary</span>' : st === 'confirmed' ? '<span class="tag">confirmed</span>' : '<span class="tag">not recorded</span>';
}

/** Items grouped by a key, groups in first-seen order. */
function groupBy<T>(xs: readonly T[], key: (x: T) => string): [string, T[]][] {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return [...m];
}

/** Each framework reference the gaps cite, in label order (grouped by source when drawn), with the controls under it (fit, workflows). */
export function referencePivot(r: AccountabilityReport): { mapping: ReportMapping; controls: { control: string; fit: string | undefined; workflows: string[] }[] }[] {
  const by = new Map<string, { mapping: ReportMapping; controls: Map<string, { control: string; fit: string | undefined; workflows: string[] }> }>();
  for (const g of r.gaps)
    for (const m of g.references) {
      const entry = by.get(m.ref) ?? { mapping: m, controls: new Map() };
      by.set(m.ref, entry);
      const c = entry.controls.get(g.control) ?? { control: g.control, fit: m.fit, workflows: [] };
      entry.controls.set(g.control, c);
      if (!c.workflows.includes(g.workflow)) c.workflows.push(g.workflow);
    }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  // "CIS v8 5.4" before "CIS v8 15.2": numbers in labels compare as numbers.
  const natural = new Intl.Collator('en', { numeric: true }).compare;
  return [...by.values()]
    .sort((a, b) => natural(a.mapping.label, b.mapping.label) || cmp(a.mapping.ref, b.mapping.ref))
    .map((e) => ({ mapping: e.mapping, controls: [...e.controls.values()].sort((a, b) => cmp(a.control, b.control)) }));
}

export interface HtmlOptions {
  /** The workflows the report covers, by id, for their graphs (a workflow not given is drawn without one). */
  workflows?: readonly Workflow[];
}

/** The accountability report as one self-contained HTML document (no script, nothing loaded from outside). */
export function accountabilityHtml(r: AccountabilityReport, options: HtmlOptions = {}): string {
  const names = new Map(r.scope.workflows.map((w) => [w.id, w.name]));
  const wfTitle = (id: string) => `${t(names.get(id) ?? id)} <code>${t(id)}</code>`;
  const graphs = new Map((options.workflows ?? []).map((w) => [w.id, w]));
  const s = r.summary;
  const body: string[] = [];

  body.push('<header><h1>ResetPath accountability report</h1>');
  body.push(`<p class="meta">Generated ${t(r.generatedAt)} by ResetPath ${t(r.tool.version)} (<code>${t(r.format)}</code>, from <code>${t(r.tool.analysisFormat)}</code>). ${plural(s.workflows, 'workflow')}, ${plural(r.scope.scenarios.length, 'scenario')}.</p></header>`);
  body.push(
    '<nav aria-label="Contents"><ol>' +
      [
        ['scope', 'Scope and assumptions'],
        ['summary', 'Executive summary'],
        ...(r.accountability ? [['trend', 'Trend since the previous sign-off']] : []),
        ['gaps', 'Gaps and owners'],
        ['references', 'Framework references'],
        ['least-friction', 'Least-friction control set'],
        ['residual', 'Residual risk'],
        ...(r.accountability ? [['remediation', 'Remediation']] : []),
        ['evidence', 'Evidence'],
        ['lint', 'Lint findings'],
        ...(r.accountability ? [['signoff', 'Sign-off']] : []),
      ]
        .map(([id, title]) => `<li><a href="#${id}">${title}</a></li>`)
        .join('') +
      '</ol></nav>',
  );

  body.push('<section id="scope"><h2>Scope and assumptions</h2>');
  body.push(table(['Workflow', 'Name', 'Variant', 'File'], [28, 32, 10, 30], r.scope.workflows.map((w) => [code(w.id), t(w.name), t(w.variant), t(w.file)])));
  body.push(
    table(
      ['Scenario', 'Name', 'Target class', 'Attacker capabilities', 'Time to objective', 'Retries'],
      [16, 22, 18, 24, 11, 9],
      r.scope.scenarios.map((x) => [code(x.id), t(x.name), `${t(x.targetClass)}${x.privileged ? ' <b>(privileged)</b>' : ''}`, x.capabilities.map((c) => t(c, 60)).join(', '), x.timeToObjectiveHours === null ? 'no bound' : `${esc(String(x.timeToObjectiveHours))} h`, x.retries === null ? 'n/a' : esc(String(x.retries))]),
    ),
  );
  body.push(`<p>${r.scope.exhaustive ? '<b>Exhaustive:</b> yes, every takeover path of every scenario was counted.' : '<b>Exhaustive:</b> no, some counts are of a bounded search (converted runs).'} Minimal control sets were looked for up to size ${esc(String(r.scope.maxControlSetSize))}.</p>`);
  body.push(`<ul>${r.scope.assumptions.map((a) => `<li>${t(a, 600)}</li>`).join('')}</ul></section>`);

  body.push('<section id="summary"><h2 class="page">Executive summary</h2>');
  body.push(
    `<div class="figures"><div class="figure"><b>${n(s.scenariosWithTakeover)}</b><span>workflow-scenario runs with a takeover path</span></div><div class="figure"><b>${n(s.scenariosUndetected)}</b><span>with undetected takeover paths</span></div><div class="figure"><b>${n(s.privilegedScenariosWithTakeover)}</b><span>against a privileged account class</span></div><div class="figure"><b>${n(s.paths)}</b><span>takeover paths, ${n(s.undetectedPaths)} undetected</span></div></div>`,
  );
  body.push(`<figure>${gapMatrixSvg(r)}<figcaption>Gap matrix: each workflow (row) against each scenario (column). The letter says the outcome, so the matrix reads without colour.</figcaption>${legendHtml()}</figure>`);
  for (const w of s.perWorkflow) {
    body.push(`<h3>${wfTitle(w.workflow)}</h3><ul>`);
    body.push(`<li>${n(w.scenariosWithTakeover)} of ${plural(w.scenarios, 'scenario')} ${BigInt(w.scenariosWithTakeover) === 1n ? 'ends' : 'end'} in a takeover (${n(w.privilegedScenariosWithTakeover)} privileged, ${n(w.scenariosUndetected)} with undetected paths); ${plural(w.paths, 'takeover path')}, ${n(w.undetectedPaths)} undetected, ${n(w.privilegedPaths)} against privileged classes.</li>`);
    if (w.topGaps.length) body.push(`<li>Top gaps by paths they would close: ${w.topGaps.map((g) => `${code(g.control)} ${t(g.name)} (${n(g.blocksPaths)} alone, ${n(g.jointPaths)} jointly)`).join('; ')}.</li>`);
    body.push(`<li>Least-friction verified set: ${w.leastFriction ? `${w.leastFriction.controls.map(code).join(' + ')} (≈${esc(minutesText(w.leastFriction.expectedMinutes))} min per legitimate request, escalations included, by the catalogue's friction estimates)` : 'none needed or none found'}.</li>`);
    if (BigInt(w.unclosablePaths) > 0n) body.push(`<li>Residual: ${plural(w.unclosablePaths, 'path')} no set of up to three catalogue controls closes.</li>`);
    const yields = yieldsByKind(w);
    if (yields.length) body.push(`<li>What the takeovers yield: ${yields.map((y) => `${t(y.yields)} (${y.scenarios.map(code).join(', ')})`).join('; ')}.</li>`);
    for (const c of chains(w)) body.push(`<li>Chained takeover ${code(c.scenario)}: ${t(c.text, 1200)}.</li>`);
    body.push('</ul>');
  }
  body.push('</section>');

  const a = r.accountability;
  if (a) {
    body.push('<section id="trend"><h2>Trend since the previous sign-off</h2>');
    if (!a.trend) body.push('<p>No earlier signed report of this scope (the same workflows and scenarios): this report is the baseline.</p>');
    else {
      const tr = a.trend;
      body.push(`<p>Against report ${code(tr.previous.reportId)}, signed by ${t(tr.previous.signedBy)} on ${t(tr.previous.signedAt)} (decision: ${esc(tr.previous.decision)}).</p>`);
      body.push(
        `<div class="figures"><div class="figure"><b>${n(tr.opened.length)}</b><span>gaps opened</span></div><div class="figure"><b>${n(tr.closed.length)}</b><span>gaps closed</span></div><div class="figure"><b>${n(tr.overdue.length)}</b><span>overdue (${n(tr.overdue.filter((o) => o.newly).length)} newly)</span></div><div class="figure"><b>${n(tr.unchanged)}</b><span>unchanged</span></div></div>`,
      );
      const rows = [
        ...tr.opened.map((g) => ['opened', wfTitle(g.workflow), `${code(g.control)} ${t(g.name)}`, '']),
        ...tr.closed.map((g) => ['closed', wfTitle(g.workflow), `${code(g.control)} ${t(g.name)}`, '']),
        ...tr.overdue.map((g) => [g.newly ? '<b>overdue (new)</b>' : '<b>overdue</b>', wfTitle(g.workflow), `${code(g.control)} ${t(g.name)}`, t(g.due)]),
      ];
      if (rows.length) body.push(table(['Change', 'Workflow', 'Control', 'Due'], [15, 35, 35, 15], rows, 'compact'));
    }
    body.push('</section>');
  }

  body.push('<section id="gaps"><h2 class="page">Gaps and owners</h2>');
  body.push('<p class="note">Per gap: the control, its accountable owner role, what it would have blocked or detected (exact path counts), its status on the paths found, the friction it adds to a legitimate request, and its framework references with their fit; <span class="tag u">[U]</span> marks an identifier not confirmed in the pinned framework version, <span class="c2">[C2]</span> one confirmed only through a secondary source.</p>');
  body.push(`<p class="note">${esc(GAP_COUNTS_NOTE)}</p>`);
  for (const [index, w] of r.scope.workflows.entries()) {
    const gaps = r.gaps.filter((g) => g.workflow === w.id);
    body.push(`<h3>${wfTitle(w.id)}</h3>`);
    const wf = graphs.get(w.id);
    if (wf) body.push(`<figure>${workflowGraphSvg(computeGraphLayout(wf), `Workflow graph of ${w.name}`, `g${index}`)}<figcaption>The workflow's steps and transitions (dashed red: on fail); chips are the controls in place, dashed when procedural, amber when below their hardened setting; execution steps, where a credential is handed over, have a red border.</figcaption></figure>`);
    if (!gaps.length) {
      body.push('<p>No control would close or detect a takeover path: none was found.</p>');
      continue;
    }
    body.push(
      table(
        ['Control', 'Owner', 'Would have', 'Status on the paths', 'Friction', 'Framework references'],
        [17, 13, 14, 10, 11, 35],
        gaps.map((g) => [
          `${code(g.control)}<br>${t(g.name)}${g.inLeastFrictionSet ? '<br><span class="tag">in least-friction set</span>' : ''}`,
          `${t(g.owner.title)}<br><span class="note">${t(ownerText(g))}</span>${g.remediation ? `<br><span class="tag">${t(remediationText(g))}</span>` : ''}`,
          effectHtml(g),
          t(statusCellText(g)),
          `${esc(minutesText(g.frictionMinutes))} min<br><span class="note">fails ${esc(`${Math.round(g.legitFailShare * 1000) / 10}`)}% of legitimate requests</span>`,
          referencesHtml(g.references),
        ]),
        'gaps',
      ),
    );
  }
  body.push('</section>');

  body.push('<section id="references"><h2>Framework references</h2>');
  body.push('<p class="note">By framework requirement: each reference a gap cites, whether its identifier is confirmed in the pinned framework version, and the gaps under it with how well each fits. The one-line rationale of every mapping is in <code>--format md</code> and <code>--format json</code>.</p>');
  const pivot = referencePivot(r);
  if (!pivot.length) body.push('<p>No gap, so no reference.</p>');
  for (const [source, rows] of groupBy(pivot, (p) => (p.mapping.existence ? `${p.mapping.existence.sourceTitle} (${p.mapping.existence.checked})` : 'Existence not recorded'))) {
    body.push(`<h3>${t(source, 300)}</h3>`);
    body.push(
      table(
        ['Reference', 'Exists', 'Gaps under it: control, fit, workflows'],
        [20, 15, 65],
        rows.map((p) => [t(p.mapping.label), existsTag(p.mapping), p.controls.map((c) => `${code(c.control)} <span class="tag">${t(c.fit ?? 'fit not recorded')}</span>${c.workflows.length === 1 ? ` <span class="note">${t(c.workflows[0]!, 80)}</span>` : ` <span class="note">${n(c.workflows.length)} workflows</span>`}`).join('; ')]),
        'compact',
      ),
    );
  }
  body.push('</section>');

  body.push('<section id="least-friction"><h2>Least-friction control set</h2><ul>');
  for (const w of s.perWorkflow) {
    const lf = w.leastFriction;
    body.push(
      `<li>${wfTitle(w.workflow)}: ${lf ? `${lf.controls.map(code).join(' + ')}, ≈${esc(minutesText(lf.expectedMinutes))} min per legitimate request (escalations included; the catalogue's friction estimates, not measurements); ${lf.verified ? 'verified by an exact count: no closable path survives it' : '<b>not verified</b>'}` : 'no set (no closable path)'}; ${plural(w.closablePaths, 'closable path')}, ${n(w.unclosablePaths)} unclosable.</li>`,
    );
  }
  body.push('</ul></section>');

  body.push('<section id="residual"><h2>Residual risk</h2>');
  body.push(r.residual.length ? table(['Workflow', 'Scenario', 'Class', 'Unclosable paths'], [30, 28, 24, 18], r.residual.map((x) => [code(x.workflow), code(x.scenario), code(x.class), n(x.unclosablePaths)])) : '<p>No takeover path found is left unclosable: each is closed by some combination of up to three catalogue controls, and the verified sets above close them all. Risk remains wherever the assumptions in the scope do not hold (other attackers, defeats the catalogue does not know).</p>');
  body.push('</section>');

  if (a) {
    body.push('<section id="remediation"><h2>Remediation</h2>');
    const c = a.remediation;
    body.push(`<p>As of ${t(a.asOf.slice(0, 10))}: ${n(c.open)} open, ${n(c.planned)} planned, ${n(c.in_progress)} in progress, ${n(c.done)} done, ${n(c.risk_accepted)} risk accepted; <b>${n(c.overdue)} overdue</b>.</p>`);
    if (r.gaps.length)
      body.push(
        table(
          ['Workflow', 'Control', 'Owner', 'Status', 'Due', 'Ticket', 'Notes'],
          [16, 16, 16, 12, 10, 10, 20],
          r.gaps.map((g) => [
            code(g.workflow),
            code(g.control),
            t(ownerText(g)),
            t(statusText(g)),
            g.remediation?.due ? `${t(g.remediation.due)}${g.remediation.overdue ? ' <b>OVERDUE</b>' : ''}` : '',
            t(g.remediation?.ticket ?? ''),
            lines(g.remediation?.notes ?? '', 1000),
          ]),
          'compact',
        ),
      );
    const accepted = r.gaps.filter((g) => g.residualRisk);
    if (accepted.length) body.push(`<h3>Accepted risks</h3><ul>${accepted.map((g) => `<li>${wfTitle(g.workflow)}: ${t(g.residualRisk!, 600)}${g.remediation?.notes ? ` <span class="note">Notes: ${lines(g.remediation.notes, 1000)}</span>` : ''}</li>`).join('')}</ul>`);
    body.push('</section>');
  }

  body.push('<section id="evidence"><h2 class="page">Evidence</h2>');
  body.push(`<p class="note">Per gap, up to ${EVIDENCE_LIMIT} of the path classes behind it (strongest effect and most paths first), each with its first example path and the steps it walked; <code>resetpath replay</code> re-runs an example step by step, and <code>--format json</code> lists every class.</p>`);
  for (const g of r.gaps) {
    body.push(`<h3>${code(g.control)} in ${wfTitle(g.workflow)}</h3>`);
    const shown = g.evidence.slice(0, EVIDENCE_LIMIT);
    body.push(
      table(
        ['Path class (scenario#class)', 'Paths', 'Effect', 'Example path: the steps it walked'],
        [22, 8, 15, 55],
        shown.map((e) => [code(e.class), n(e.paths), `${esc(EFFECT_TEXT[e.effect])}${e.conditional.length ? ` <b>(CONDITIONAL: ${e.conditional.map((c) => t(c, 300)).join('; ')})</b>` : ''}`, `${code(e.example.id)}, ${plural(e.example.steps, 'step')}: ${traceHtml(e.example.trace)}`]),
        'evidence',
      ),
    );
    const left = g.evidence.length - shown.length;
    if (left > 0) body.push(`<p class="note">${n(left)} more class${left === 1 ? '' : 'es'} not shown (${n(g.evidence.slice(EVIDENCE_LIMIT).reduce((sum, e) => sum + BigInt(e.paths), 0n))} paths); all are in <code>--format json</code>.</p>`);
  }
  body.push('</section>');

  body.push('<section id="lint"><h2>Lint findings</h2>');
  for (const l of r.lint) {
    body.push(`<h3>${wfTitle(l.workflow)}</h3>`);
    body.push(l.findings.length ? table(['Rule', 'Severity', 'Step', 'Finding', 'Fixes'], [20, 9, 13, 40, 18], l.findings.map((f) => [`${code(f.rule)} ${t(f.name)}`, esc(f.severity), t(f.step ?? ''), t(f.message, 600), f.fixes.map(code).join(', ')])) : '<p>No findings.</p>');
  }
  body.push('</section>');

  if (a) {
    body.push('<section id="signoff"><h2>Sign-off</h2>');
    const so = a.signOff;
    body.push(
      so
        ? table(['Signed by', 'When', 'Decision', 'Justification', 'Stored report'], [18, 18, 12, 36, 16], [[t(so.signedBy), t(so.signedAt), esc(so.decision), lines(so.justification, 2000), code(so.reportId)]])
        : '<p>Not signed off. <code>resetpath report … --workspace &lt;file&gt; --sign-off "&lt;name&gt;" --decision accept|remediate|transfer --justification "&lt;text&gt;"</code> stores this report with a sign-off.</p>',
    );
    body.push('</section>');
  }

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="ResetPath ${esc(r.tool.version)}">
<title>ResetPath accountability report</title>
<style>${CSS}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}
