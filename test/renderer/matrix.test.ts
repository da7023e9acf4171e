// The governance view's computations: the workflows x scenarios matrix from the accountability
// report (every cell says its outcome in words, rows sort by exposure) and the pivot of gaps by
// framework requirement with its coverage.
import { describe, expect, it } from 'vitest';
import { buildAccountabilityReport, countIn, withAccountability } from '../../analysis/index.ts';
import { runAnalysis } from '../../backend/index.ts';
import { byRequirement, controlClassMatrix, frameworkOf, frameworksOf, gapMatrix } from '../../renderer/compute/computeMatrix.ts';

const res = runAnalysis({ workflows: ['standard-password-reset.weak', 'standard-password-reset.hardened', 'executive-vip-reset.weak'], library: false });
if (!res.ok) throw new Error('analysis failed');
const doc = buildAccountabilityReport(res.analyses, {}, { generatedAt: '2026-06-01T00:00:00.000Z', toolVersion: 'test', scenarios: res.scenarios });

describe('the gap matrix', () => {
  it('has one column per scenario and one row per workflow, each cell its outcome in words and glyph', () => {
    const m = gapMatrix(doc, 'name');
    expect(m.columns.map((c) => c.id)).toEqual(doc.scope.scenarios.map((s) => s.id));
    expect(m.rows).toHaveLength(3);
    for (const r of m.rows) {
      const w = doc.summary.perWorkflow.find((p) => p.workflow === r.workflow)!;
      r.cells.forEach((c, j) => {
        const o = w.outcomes.find((x) => x.scenario === m.columns[j]!.id)!;
        expect(c.outcome).toBe(o.outcome);
        expect(c.label).toContain(r.name);
        if (countIn(o.paths) > 0n) expect(c.label).toMatch(/takeover paths?$/);
      });
    }
  });

  it('sorts rows by name, or with the most exposed workflow first', () => {
    expect(gapMatrix(doc, 'name').rows.map((r) => r.name)).toEqual([...doc.scope.workflows.map((w) => w.name)].sort());
    const exposed = gapMatrix(doc, 'undetected').rows;
    for (let i = 1; i < exposed.length; i++) expect(exposed[i - 1]!.undetected).toBeGreaterThanOrEqual(exposed[i]!.undetected);
    expect(exposed.at(-1)!.workflow).toBe('standard-password-reset.hardened');
  });
});

describe('gaps by framework requirement', () => {
  it('puts each gap under every requirement its control maps to, with the workflows that have such a gap', () => {
    const rows = byRequirement(doc);
    const total = doc.gaps.reduce((n, g) => n + g.references.length, 0);
    expect(rows.reduce((n, r) => n + r.gaps.length, 0)).toBe(total);
    for (const r of rows) {
      expect(r.workflows).toBe(3);
      expect(r.workflowsWithGap).toBe(new Set(r.gaps.map((g) => g.workflow)).size);
    }
    const aa02 = rows.find((r) => r.ref === 'csf:2.0:PR.AA-02');
    expect(aa02?.gaps.length).toBeGreaterThan(0);
  });

  it('filters by framework, named from the reference label without its item', () => {
    expect(frameworkOf('csf:2.0:PR.AA-02', 'CSF 2.0 PR.AA-02')).toBe('CSF 2.0');
    expect(frameworkOf('sp800-63:4:63B §4.2.1', 'SP 800-63-4 63B §4.2.1')).toBe('SP 800-63-4');
    expect(frameworkOf('hc3-2024:2024-04-03:callback-number-on-record', 'HC3 2024: call back the number on record')).toBe('HC3 2024');
    expect(frameworksOf(doc)).toContain('CSF 2.0');
    expect(byRequirement(doc, 'CSF 2.0').every((r) => r.label.startsWith('CSF 2.0 '))).toBe(true);
  });
});

describe('controls x path classes', () => {
  it('has a row per gap of the workflow and a column per class its evidence names, each cell saying what the control does', () => {
    const m = controlClassMatrix(doc, 'standard-password-reset.weak', 'classes');
    const gaps = doc.gaps.filter((g) => g.workflow === 'standard-password-reset.weak');
    expect(m.rows.map((r) => r.control).sort()).toEqual(gaps.map((g) => g.control).sort());
    const classes = new Set(gaps.flatMap((g) => g.evidence.map((e) => e.class)));
    expect(new Set(m.columns.map((c) => c.id))).toEqual(classes);
    for (const r of m.rows) {
      const g = gaps.find((x) => x.control === r.control)!;
      for (const c of r.cells) {
        const e = g.evidence.find((x) => x.class === c.classId);
        expect(c.effect).toBe(e?.effect ?? null);
        expect(c.label).toMatch(e ? /: (blocks|detects|takes)/ : /: no effect$/);
      }
    }
  });

  it('puts the classes with most paths first and sorts rows by classes blocked, paths blocked or name', () => {
    const m = controlClassMatrix(doc, 'standard-password-reset.weak', 'classes');
    for (let i = 1; i < m.columns.length; i++) expect(m.columns[i - 1]!.paths >= m.columns[i]!.paths).toBe(true);
    for (let i = 1; i < m.rows.length; i++) expect(m.rows[i - 1]!.blocksClasses).toBeGreaterThanOrEqual(m.rows[i]!.blocksClasses);
    const byPaths = controlClassMatrix(doc, 'standard-password-reset.weak', 'paths').rows;
    for (let i = 1; i < byPaths.length; i++) expect(byPaths[i - 1]!.blocksPaths >= byPaths[i]!.blocksPaths).toBe(true);
    const byName = controlClassMatrix(doc, 'standard-password-reset.weak', 'name').rows.map((r) => r.name);
    expect(byName).toEqual([...byName].sort());
  });

  it('names each control\'s owner by the role in words while no one is assigned, and shows the paths it blocks alone beside the classes it blocks', () => {
    const m = controlClassMatrix(doc, 'standard-password-reset.weak', 'paths');
    const dual = m.rows.find((r) => r.control === 'approval.dual')!;
    const gap = doc.gaps.find((g) => g.workflow === 'standard-password-reset.weak' && g.control === 'approval.dual')!;
    expect(dual.owner).toBe(`${gap.owner.title}, unassigned`);
    expect(dual.owner).not.toContain(gap.owner.role);
    expect(dual.blocksPaths).toBe(15n);
    expect(dual.blocksPathsText).toBe('15');
    // Sorted by paths blocked alone, the column shown is the one sorted on.
    expect(m.rows.map((r) => r.blocksPaths)).toEqual([...m.rows.map((r) => r.blocksPaths)].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    const named = withAccountability(doc, { asOf: '2026-06-01T00:00:00.000Z', owners: [{ role: gap.owner.role, workflow: null, name: 'IAM team', contact: null }], remediation: [] });
    expect(controlClassMatrix(named, 'standard-password-reset.weak', 'paths').rows.find((r) => r.control === 'approval.dual')!.owner).toBe('IAM team');
  });

  it('is empty for a workflow without gaps', () => {
    expect(controlClassMatrix(doc, 'standard-password-reset.hardened', 'classes')).toEqual({ columns: [], rows: [] });
  });
});
