// The gap matrix of the governance view, from the accountability report: workflows x scenarios by
// outcome (sortable rows), and the gaps pivoted by framework requirement with their coverage.
import { countIn, type AccountabilityEffect, type AccountabilityReport } from '../../analysis/index.ts';
import { OUTCOMES, roughCount, scenarioCode, type Outcome } from './format.ts';

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

/** What a control does to a path class, as a cell: a glyph and words, never colour alone. */
const EFFECT_LOOK: Record<AccountabilityEffect, { glyph: string; tone: string; words: string }> = {
  blocks: { glyph: '■', tone: 'good', words: 'blocks every path of the class on its own' },
  blocks_jointly: { glyph: '◧', tone: 'info', words: 'blocks the class together with one or two other controls' },
  detects: { glyph: '◉', tone: 'warn', words: 'detects the class\'s paths' },
  contributes: { glyph: '·', tone: 'muted', words: 'takes a means away from the class\'s paths' },
};

export type ControlSort = 'classes' | 'paths' | 'name';

export interface ControlClassCell {
  classId: string;
  scenario: string;
  effect: AccountabilityEffect | null;
  glyph: string;
  tone: string;
  label: string;
}

export interface ControlClassRow {
  control: string;
  name: string;
  owner: string;
  /** Classes the control blocks on its own or jointly. */
  blocksClasses: number;
  /** Paths it would block on its own (exact), and that count in a few characters (exact in its title). */
  blocksPaths: bigint;
  blocksPathsText: string;
  cells: ControlClassCell[];
}

/**
 * One workflow's controls x takeover path classes, from the report's evidence: each column a class
 * (its scenario and exact count; most paths first), each row a gap's control with what it does to
 * each class. Sorted by the classes it blocks, by the paths it blocks, or by name.
 */
export function controlClassMatrix(doc: AccountabilityReport, workflow: string, sort: ControlSort): { columns: { id: string; scenario: string; code: string; title: string; paths: bigint }[]; rows: ControlClassRow[] } {
  const gaps = doc.gaps.filter((g) => g.workflow === workflow);
  const scenarioName = new Map(doc.scope.scenarios.map((s) => [s.id, s.name]));
  const classes = new Map<string, { id: string; scenario: string; paths: bigint }>();
  for (const g of gaps) for (const e of g.evidence) if (!classes.has(e.class)) classes.set(e.class, { id: e.class, scenario: e.scenario, paths: countIn(e.paths) });
  const columns = [...classes.values()]
    .sort((a, b) => (a.paths === b.paths ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.paths > b.paths ? -1 : 1))
    .map((c) => {
      const n = c.id.slice(c.id.lastIndexOf('#'));
      const code = `${scenarioCode(c.scenario)}${n}`;
      return { ...c, code, title: `${code}: ${scenarioName.get(c.scenario) ?? c.scenario}, ${c.paths.toLocaleString('en-US')} takeover path${c.paths === 1n ? '' : 's'}` };
    });
  const rows = gaps.map((g): ControlClassRow => {
    const by = new Map(g.evidence.map((e) => [e.class, e.effect]));
    const blocksPaths = countIn(g.blocksPaths);
    const cells = columns.map((c): ControlClassCell => {
      const effect = by.get(c.id) ?? null;
      const look = effect ? EFFECT_LOOK[effect] : null;
      return {
        classId: c.id,
        scenario: c.scenario,
        effect,
        glyph: look?.glyph ?? '',
        tone: look?.tone ?? 'none',
        label: `${g.name} on ${c.title}: ${look ? look.words : 'no effect'}`,
      };
    });
    return {
      control: g.control,
      name: g.name,
      // The named owner, else the role in words (not its id), said to be unassigned.
      owner: g.owner.name ?? `${g.owner.title}, unassigned`,
      blocksClasses: cells.filter((c) => c.effect === 'blocks' || c.effect === 'blocks_jointly').length,
      blocksPaths,
      blocksPathsText: roughCount(blocksPaths),
      cells,
    };
  });
  const byName = (a: ControlClassRow, b: ControlClassRow) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const byPaths = (a: ControlClassRow, b: ControlClassRow) => (a.blocksPaths === b.blocksPaths ? 0 : a.blocksPaths > b.blocksPaths ? -1 : 1);
  rows.sort(sort === 'name' ? byName : sort === 'paths' ? (a, b) => byPaths(a, b) || b.blocksClasses - a.blocksClasses || byName(a, b) : (a, b) => b.blocksClasses - a.blocksClasses || byPaths(a, b) || byName(a, b));
  return { columns, rows };
}

/** The legend of the controls x classes table, in the order of strength. */
export const EFFECT_LEGEND = (Object.keys(EFFECT_LOOK) as AccountabilityEffect[]).map((e) => ({ effect: e, ...EFFECT_LOOK[e] }));
