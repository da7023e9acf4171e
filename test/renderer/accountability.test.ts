// The accountability screen's computations: gap rows with their owner and remediation state, the
// remediation line, the trend against the previous sign-off, the owner roles with their people, and
// an exported PDF turned back into bytes.
import { describe, expect, it } from 'vitest';
import { buildAccountabilityReport, withAccountability } from '../../analysis/index.ts';
import { runAnalysis } from '../../backend/index.ts';
import { REPORT_FORMATS } from '../../contract/index.ts';
import { OWNER_ROLES } from '../../models/index.ts';
import { EXPORT_CHOICES, exportedContent, gapRows, ownerRows, remediationLine, trendView } from '../../renderer/compute/computeAccountability.ts';

const WEAK = 'standard-password-reset.weak';
const res = runAnalysis({ workflows: [WEAK], library: false });
if (!res.ok) throw new Error('analysis failed');
const base = buildAccountabilityReport(res.analyses, {}, { generatedAt: '2026-06-01T00:00:00.000Z', toolVersion: 'test', scenarios: res.scenarios });
const [first, second] = base.gaps;
if (!first || !second) throw new Error('the weak workflow has at least two gaps');

const doc = withAccountability(base, {
  asOf: '2026-06-01T00:00:00.000Z',
  owners: [
    { role: first.owner.role, workflow: null, name: 'IAM standards', contact: null },
    { role: first.owner.role, workflow: WEAK, name: 'Desk lead', contact: 'desk@example.org' },
  ],
  remediation: [{ workflow: WEAK, control: second.control, status: 'planned', due: '2026-05-01', ticket: 'SEC-7', notes: 'budget' }],
  previous: {
    reportId: 'r-1',
    signedBy: 'Dana Lee',
    signedAt: '2026-03-01T10:00:00.000Z',
    decision: 'remediate',
    gaps: [
      { workflow: WEAK, control: first.control, name: first.name, overdue: false },
      { workflow: WEAK, control: 'old.control', name: 'A control since fixed', overdue: false },
    ],
  },
});

describe('the accountability screen', () => {
  it('shows each gap with its named owner (the workflow\'s own first), what it would do, and its remediation state', () => {
    const rows = gapRows(doc);
    expect(rows).toHaveLength(doc.gaps.length);
    const a = rows.find((r) => r.control === first.control)!;
    expect(a).toMatchObject({ owner: 'Desk lead', ownerScope: 'workflow', status: 'open', statusText: 'open', due: null });
    expect(a.impact).toMatch(/^(blocks|detects|narrows) [\d,]+ paths?/);
    const b = rows.find((r) => r.control === second.control)!;
    expect(b).toMatchObject({ status: 'planned', statusText: 'planned', due: '2026-05-01', overdue: true, ticket: 'SEC-7' });
    expect(rows.filter((r) => r.owner === null).every((r) => r.ownerScope === null)).toBe(true);
  });

  it('counts the remediation state in one line, overdue included', () => {
    const n = doc.gaps.length;
    expect(remediationLine(doc)).toBe(`${n} gaps: ${n - 1} open, 1 planned; 1 overdue`);
    expect(remediationLine({ ...doc, gaps: [] })).toMatch(/^No gaps/);
  });

  it('lists the gaps opened, closed and overdue since the previous signed report, naming who signed it', () => {
    const t = trendView(doc)!;
    expect(t.previous).toBe('Against the report signed off by Dana Lee on 2026-03-01 (decision: remediate)');
    expect(t.closed).toEqual(['A control since fixed (old.control)']);
    expect(t.opened).toHaveLength(doc.gaps.length - 1);
    expect(t.overdue).toEqual([`${second.name} (${second.control}): due 2026-05-01 (newly overdue)`]);
    const two = { ...doc, scope: { ...doc.scope, workflows: [...doc.scope.workflows, { ...doc.scope.workflows[0]!, id: 'other' }] } };
    expect(trendView(two)!.closed).toEqual([`A control since fixed (old.control) in ${WEAK}`]);
    expect(t.unchanged).toBe('1 gap unchanged');
    expect(trendView(base)).toBeNull();
  });

  it('lists every owner role of the catalogue with its people, the roles with gaps first', () => {
    const rows = ownerRows(
      [
        { role: first.owner.role, workflow: null, name: 'IAM standards', contact: null, updatedAt: '', updatedBy: '' },
        { role: first.owner.role, workflow: WEAK, name: 'Desk lead', contact: null, updatedAt: '', updatedBy: '' },
      ],
      doc,
    );
    expect(rows.map((r) => r.role).sort()).toEqual(Object.keys(OWNER_ROLES).sort());
    const withGaps = rows.filter((r) => r.gaps > 0).length;
    expect(rows.slice(0, withGaps).every((r) => r.gaps > 0)).toBe(true);
    expect(rows.find((r) => r.role === first.owner.role)).toMatchObject({ workspace: { name: 'IAM standards' }, perWorkflow: [{ workflow: WEAK, name: 'Desk lead' }] });
  });

  it('offers every form of the report for export, and turns an exported PDF back into its bytes', () => {
    expect(EXPORT_CHOICES.map((c) => c.format)).toEqual([...REPORT_FORMATS]);
    const bytes = exportedContent({ encoding: 'base64', content: Buffer.from([0x25, 0x50, 0x44, 0x46, 0xff, 0x00]).toString('base64') });
    expect([...(bytes as Uint8Array)]).toEqual([0x25, 0x50, 0x44, 0x46, 0xff, 0x00]);
    expect(exportedContent({ encoding: 'utf8', content: '# Report' })).toBe('# Report');
  });
});
