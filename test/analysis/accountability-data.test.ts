// The accountability report with a workspace's data: named owners per gap, remediation state with
// overdue judged against an injected date, residual-risk wording for an accepted risk, the sign-off,
// and the trend against the previous signed report of the same scope.
import { describe, expect, it } from 'vitest';
import {
  accountabilityReportSchema,
  analyzeWorkflow,
  buildAccountabilityReport,
  previousGaps,
  scopeKey,
  withAccountability,
  type AccountabilityData,
  type AccountabilityReport,
} from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';
import type { Workflow } from '../../models/index.ts';

const WEAK = 'standard-password-reset.weak';
const workflows = loadBundledWorkflows();
const scenarios = loadBundledScenarios().filter((s) => s.id === 's01-osint-vishing' || s.id === 's02-executive-pressure');
const weak = workflows.find((w) => w.id === WEAK)!;
// "The workflow changed": the hardened design saved under the weak workflow's id.
const changed: Workflow = { ...workflows.find((w) => w.id === 'standard-password-reset.hardened')!, id: WEAK };

function report(wf: Workflow, accountability?: AccountabilityData): AccountabilityReport {
  return buildAccountabilityReport([analyzeWorkflow(wf, scenarios)], {}, { generatedAt: '2026-05-01T09:00:00.000Z', toolVersion: 'test', scenarios, ...(accountability ? { accountability } : {}) });
}

const empty: AccountabilityData = { asOf: '2026-05-01T09:00:00.000Z', owners: [], remediation: [] };
const base = report(weak);
const gap = (r: AccountabilityReport, control: string) => r.gaps.find((g) => g.control === control)!;
const someControl = base.gaps[0]!.control;
const role = base.gaps[0]!.owner.role;

describe('the accountability report with workspace data', () => {
  it('is the same document without the data, and validates against its schema with it', () => {
    expect(base.accountability).toBeUndefined();
    expect(base.gaps.every((g) => g.remediation === undefined && g.owner.name === null)).toBe(true);
    const r = report(weak, empty);
    expect(accountabilityReportSchema.parse(JSON.parse(JSON.stringify(r)))).toBeTruthy();
    expect(r.accountability).toMatchObject({ asOf: '2026-05-01T09:00:00.000Z', signOff: null, trend: null, remediation: { open: r.gaps.length, overdue: 0 } });
    expect(r.gaps.every((g) => g.remediation?.status === 'open' && !g.remediation.recorded)).toBe(true);
  });

  it('names the owner of a gap, a per-workflow assignment over the workspace-wide one, else the role alone', () => {
    const wide = withAccountability(base, { ...empty, owners: [{ role, workflow: null, name: 'IAM team', contact: 'iam@example.org' }] });
    expect(gap(wide, someControl).owner).toMatchObject({ role, name: 'IAM team', assignment: 'assigned', contact: 'iam@example.org', scope: 'workspace' });
    const specific = withAccountability(base, {
      ...empty,
      owners: [
        { role, workflow: null, name: 'IAM team', contact: null },
        { role, workflow: WEAK, name: 'Desk IAM lead', contact: null },
        { role, workflow: 'other.workflow', name: 'Someone else', contact: null },
      ],
    });
    expect(gap(specific, someControl).owner).toMatchObject({ name: 'Desk IAM lead', scope: 'workflow' });
    const other = base.gaps.find((g) => g.owner.role !== role);
    if (other) expect(gap(specific, other.control).owner).toMatchObject({ name: null, assignment: 'unassigned' });
  });

  it('flags an item overdue when its due day is before the as-of date and it is neither done nor accepted', () => {
    const item = (status: 'open' | 'planned' | 'in_progress' | 'done' | 'risk_accepted', due: string | null) => ({ workflow: WEAK, control: someControl, status, due, ticket: 'SEC-7', notes: '' });
    const at = (status: Parameters<typeof item>[0], due: string | null, asOf = '2026-05-01T09:00:00.000Z') => gap(withAccountability(base, { ...empty, asOf, remediation: [item(status, due)] }), someControl).remediation!;
    expect(at('in_progress', '2026-04-30')).toMatchObject({ status: 'in_progress', due: '2026-04-30', overdue: true, ticket: 'SEC-7', recorded: true });
    expect(at('planned', '2026-05-01').overdue).toBe(false); // due today is not late yet
    expect(at('planned', '2026-05-01', '2026-05-02T00:00:01Z').overdue).toBe(true);
    expect(at('open', null).overdue).toBe(false);
    expect(at('done', '2026-01-01').overdue).toBe(false);
    expect(at('risk_accepted', '2026-01-01').overdue).toBe(false);
    const counted = withAccountability(base, { ...empty, remediation: [item('in_progress', '2026-04-30')] }).accountability!.remediation;
    expect(counted).toMatchObject({ in_progress: 1, open: base.gaps.length - 1, overdue: 1 });
  });

  it('words the residual risk of an accepted gap: what stays open and who is accountable', () => {
    const r = withAccountability(base, { ...empty, owners: [{ role, workflow: null, name: 'IAM team', contact: null }], remediation: [{ workflow: WEAK, control: someControl, status: 'risk_accepted', due: null, ticket: null, notes: 'budget' }] });
    const g = gap(r, someControl);
    expect(g.residualRisk).toMatch(new RegExp(`^Risk accepted without ${someControl.replace('.', '\\.')} \\(.+\\): \\d+ takeover paths? it would .+\\. Accountable: IAM team \\(${role}\\)\\.$`));
    expect(r.gaps.filter((x) => x.residualRisk)).toHaveLength(1);
  });

  it('carries the sign-off of the report when it is rendered signed', () => {
    const signOff = { reportId: 'rep-1', signedBy: 'Dana', signedAt: '2026-05-01T09:00:00.000Z', decision: 'accept' as const, justification: 'residual risk within appetite' };
    expect(withAccountability(base, { ...empty, signOff }).accountability!.signOff).toEqual(signOff);
  });
});

describe('the trend against the previous signed report', () => {
  it('lists the gaps closed and opened after the workflow changed, and the items overdue (newly or still)', () => {
    const due = { workflow: WEAK, control: someControl, status: 'in_progress' as const, due: '2026-04-15', ticket: null, notes: '' };
    // First sign-off on 1 April: the item is not yet due.
    const first = report(weak, { ...empty, asOf: '2026-04-01T00:00:00.000Z', remediation: [due] });
    expect(gap(first, someControl).remediation!.overdue).toBe(false);
    const stored = previousGaps(JSON.parse(JSON.stringify(first)))!;
    expect(stored).toHaveLength(first.gaps.length);
    const previous = { reportId: 'rep-1', signedBy: 'Dana', signedAt: '2026-04-01T00:00:00.000Z', decision: 'remediate' as const, gaps: stored };

    // Same workflow a month later: nothing opened or closed, the item now overdue for the first time.
    const later = report(weak, { ...empty, remediation: [due], previous });
    expect(later.accountability!.trend).toMatchObject({ previous: { reportId: 'rep-1', decision: 'remediate' }, opened: [], closed: [], unchanged: first.gaps.length });
    expect(later.accountability!.trend!.overdue).toEqual([{ workflow: WEAK, control: someControl, name: gap(first, someControl).name, due: '2026-04-15', newly: true }]);

    // After the workflow changed to the hardened design, its gaps are what the trend compares.
    const after = report(changed, { ...empty, remediation: [due], previous });
    const t = after.accountability!.trend!;
    const before = new Set(first.gaps.map((g) => g.control));
    const now = new Set(after.gaps.map((g) => g.control));
    expect(t.closed.map((g) => g.control).sort()).toEqual([...before].filter((c) => !now.has(c)).sort());
    expect(t.opened.map((g) => g.control).sort()).toEqual([...now].filter((c) => !before.has(c)).sort());
    expect(t.closed.length).toBeGreaterThan(0);
    expect(t.unchanged).toBe([...now].filter((c) => before.has(c)).length);
  });

  it('reports an overdue item as not new when the previous signed report had it overdue already', () => {
    const due = { workflow: WEAK, control: someControl, status: 'open' as const, due: '2026-03-01', ticket: null, notes: '' };
    const first = report(weak, { ...empty, asOf: '2026-04-01T00:00:00.000Z', remediation: [due] });
    const previous = { reportId: 'rep-1', signedBy: 'Dana', signedAt: '2026-04-01T00:00:00.000Z', decision: 'remediate' as const, gaps: previousGaps(JSON.parse(JSON.stringify(first)))! };
    expect(report(weak, { ...empty, remediation: [due], previous }).accountability!.trend!.overdue[0]).toMatchObject({ control: someControl, newly: false });
  });

  it('keys the scope by the workflows and scenarios, and reads no gaps from a document of another format', () => {
    expect(scopeKey(base)).toBe(`workflows=${WEAK};scenarios=${scenarios.map((s) => s.id).sort().join(',')}`);
    expect(previousGaps({ format: 'resetpath/analysis@2', gaps: [] })).toBeNull();
    expect(previousGaps('not json')).toBeNull();
  });
});

describe('the executive summary\'s top gaps', () => {
  const all = loadBundledScenarios();
  const weakOnes = workflows.filter((w) => w.variant === 'weak');
  const doc = buildAccountabilityReport(
    weakOnes.map((w) => analyzeWorkflow(w, all)),
    {},
    { generatedAt: '2026-05-01T09:00:00.000Z', toolVersion: 'test', scenarios: all },
  );

  it('break ties between equal closers in favour of the verified least-friction set, then the lower friction', () => {
    for (const w of doc.summary.perWorkflow) {
      const gaps = doc.gaps.filter((g) => g.workflow === w.workflow);
      const byId = new Map(gaps.map((g) => [g.control, g]));
      const top = w.topGaps.map((t) => byId.get(t.control)!);
      const key = (g: (typeof gaps)[number]) => `${g.blocksPaths}|${g.jointPaths}`;
      for (let i = 1; i < top.length; i++) {
        if (key(top[i - 1]!) !== key(top[i]!)) continue;
        expect(Number(top[i - 1]!.inLeastFrictionSet), `${w.workflow}: ${top[i - 1]!.control} before ${top[i]!.control}`).toBeGreaterThanOrEqual(Number(top[i]!.inLeastFrictionSet));
      }
      // A control of the least-friction set is never left out for an equal closer outside it.
      const last = top.at(-1);
      if (!last || top.length < 5) continue;
      for (const g of gaps) if (g.inLeastFrictionSet && !top.includes(g) && key(g) === key(last)) expect(last.inLeastFrictionSet, `${w.workflow}: ${g.control} left out for ${last.control}`).toBe(true);
    }
    const sa = doc.summary.perWorkflow.find((w) => w.workflow === 'service-account-key-reset.weak')!;
    expect(sa.leastFriction?.controls).toEqual(['ticket.integrity']);
    expect(sa.topGaps.map((g) => g.control)).toContain('ticket.integrity');
  });
});
