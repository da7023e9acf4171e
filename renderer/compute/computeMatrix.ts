// The gap matrix of the governance view, from the accountability report: workflows x scenarios by
// outcome (sortable rows), and the gaps pivoted by framework requirement with their coverage.
import { countIn, type AccountabilityReport } from '../../analysis/index.ts';
import { OUTCOMES, scenarioCode, type Outcome } from './format.ts';

export type MatrixSort = 'name' | 'takeovers' | 'undetected';

export interface MatrixCell {
  scenario: string;
  outcome: Outcome;
  glyph: string;
  tone: string;
  /** Everything the cell says, for its tooltip and screen readers. */
  label: string;
}

export interface MatrixRow {
  workflow: string;
  name: string;
  variant: string;
  takeovers: number;
  undetected: number;
  cells: MatrixCell[];
}

/** The matrix: one column per scenario (with its short code), one row per workflow, sorted. */
export function gapMatrix(doc: AccountabilityReport, sort: MatrixSort): { columns: { id: string; code: string; name: string }[]; rows: MatrixRow[] } {
  const names = new Map(doc.scope.workflows.map((w) => [w.id, w]));
  const columns = doc.scope.scenarios.map((s) => ({ id: s.id, code: scenarioCode(s.id), name: s.name }));
  const rows = doc.summary.perWorkflow.map((w): MatrixRow => {
    const info = names.get(w.workflow);
    const by = new Map(w.outcomes.map((o) => [o.scenario, o]));
    return {
      workflow: w.workflow,
      name: info?.name ?? w.workflow,
      variant: info?.variant ?? '',
      takeovers: w.scenariosWithTakeover,
      undetected: w.scenariosUndetected,
      cells: columns.map((c) => {
        const o = by.get(c.id);
        const outcome = (o?.outcome ?? 'not_applicable') as Outcome;
        const look = OUTCOMES[outcome];
        const paths = o ? countIn(o.paths) : 0n;
        return {
          scenario: c.id,
          outcome,
          glyph: look.glyph,
          tone: look.tone,
          label: `${info?.name ?? w.workflow} against ${c.code} ${c.name}: ${look.label}${paths > 0n ? `, ${paths.toLocaleString('en-US')} takeover path${paths === 1n ? '' : 's'}` : ''}`,
        };
      }),
    };
  });
  const byName = (a: MatrixRow, b: MatrixRow) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  rows.sort(sort === 'name' ? byName : sort === 'takeovers' ? (a, b) => b.takeovers - a.takeovers || b.undetected - a.undetected || byName(a, b) : (a, b) => b.undetected - a.undetected || b.takeovers - a.takeovers || byName(a, b));
  return { columns, rows };
}

export interface RequirementRow {
  ref: string;
  label: string;
  /** Gaps whose control maps to the requirement: workflow, control, owner, effect. */
  gaps: { workflow: string; control: string; name: string; owner: string; effect: string; fit: string | null; confirmed: boolean }[];
  /** Workflows with at least one such gap. */
  workflowsWithGap: number;
  /** Workflows analysed: the requirement is met, as far as these scenarios show, in the others. */
  workflows: number;
}

/**
 * The "by framework requirement" pivot: every requirement a gap maps to, with the gaps under it and
 * its coverage (in how many workflows a gap maps to it); most workflows with a gap first.
 */
export function byRequirement(doc: AccountabilityReport, framework: string | null = null): RequirementRow[] {
  const rows = new Map<string, RequirementRow>();
  for (const g of doc.gaps) {
    for (const m of g.references) {
      if (framework && frameworkOf(m.ref, m.label) !== framework) continue;
      let r = rows.get(m.ref);
      if (!r) rows.set(m.ref, (r = { ref: m.ref, label: m.label, gaps: [], workflowsWithGap: 0, workflows: doc.scope.workflows.length }));
      r.gaps.push({ workflow: g.workflow, control: g.control, name: g.name, owner: g.owner.name ?? g.owner.title, effect: g.effect, fit: m.fit ?? null, confirmed: (m.existence?.status ?? 'confirmed') === 'confirmed' && m.confidence !== 'U' });
    }
  }
  for (const r of rows.values()) r.workflowsWithGap = new Set(r.gaps.map((g) => g.workflow)).size;
  return [...rows.values()].sort((a, b) => b.workflowsWithGap - a.workflowsWithGap || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** The frameworks the gaps' references name ("CSF 2.0", "SP 800-63-4", "ATT&CK v18", ...). */
export function frameworksOf(doc: AccountabilityReport): string[] {
  const out = new Set<string>();
  for (const g of doc.gaps) for (const m of g.references) out.add(frameworkOf(m.ref, m.label));
  return [...out].sort();
}

/**
 * The framework of a reference: its label without the item id ("CSF 2.0 PR.AA-02" -> "CSF 2.0"), or,
 * for guidance whose label is a sentence ("HC3 2024: call back ..."), the part before the colon.
 */
export function frameworkOf(ref: string, label: string): string {
  const item = ref.split(':').slice(2).join(':');
  if (item && label.endsWith(` ${item}`)) return label.slice(0, -item.length - 1);
  const colon = label.indexOf(':');
  return colon > 0 ? label.slice(0, colon) : label;
}
