// Owners, remediation items and sign-offs in the workspace: round trip, audit entries, and
// sign-offs that stay as signed.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../storage/index.ts';
import { deterministic, raw, tempDir } from './helpers.ts';

function fresh(): { ws: Workspace; path: string } {
  const path = join(tempDir(), 'acc.resetpath');
  return { ws: Workspace.create(path, deterministic()), path };
}

const signed = (ws: Workspace, scope = 'workflows=wf.one') =>
  ws.signReport({ report: { title: 'Q1', format: 'json', content: '{"gaps":[]}' }, scope, signedBy: 'Dana CISO', decision: 'remediate', justification: 'fund the call-back\nby Q2' });

describe('owner assignments', () => {
  it('round-trip workspace-wide and per workflow, and a per-workflow one is its own row', () => {
    const { ws } = fresh();
    ws.setOwner({ role: 'service_desk_manager', name: 'Desk leads', contact: 'desk@example.org', reason: 'org chart' });
    ws.setOwner({ role: 'service_desk_manager', workflow: 'wf.one', name: 'Tier 2 desk' });
    expect(ws.listOwners()).toEqual([
      { role: 'service_desk_manager', workflow: null, name: 'Desk leads', contact: 'desk@example.org', updatedAt: expect.any(String), updatedBy: 'alice' },
      { role: 'service_desk_manager', workflow: 'wf.one', name: 'Tier 2 desk', contact: null, updatedAt: expect.any(String), updatedBy: 'alice' },
    ]);
    const log = ws.auditLog({ entityType: 'owner' });
    expect(log.map((e) => [e.entityId, e.action, e.after, e.reason])).toEqual([
      ['service_desk_manager@*', 'set', { name: 'Desk leads', contact: 'desk@example.org' }, 'org chart'],
      ['service_desk_manager@wf.one', 'set', { name: 'Tier 2 desk', contact: null }, null],
    ]);
    expect(ws.verifyAudit().ok).toBe(true);
    ws.close();
  });

  it('writes nothing when set to the same value, and logs a removal with what was removed', () => {
    const { ws } = fresh();
    ws.setOwner({ role: 'iam_engineering', name: 'IAM' });
    const before = ws.auditHead().seq;
    ws.setOwner({ role: 'iam_engineering', name: 'IAM' });
    expect(ws.auditHead().seq).toBe(before);
    expect(ws.removeOwner('iam_engineering', null, { reason: 'team dissolved' })).toBe(true);
    expect(ws.removeOwner('iam_engineering', null)).toBe(false);
    expect(ws.auditLog({ limit: 1 })[0]).toMatchObject({ entityType: 'owner', action: 'delete', before: { name: 'IAM', contact: null }, reason: 'team dissolved' });
    expect(ws.listOwners()).toEqual([]);
    expect(ws.verifyAudit().ok).toBe(true);
    ws.close();
  });

  it('refuses a name with control or bidirectional-override characters', () => {
    const { ws } = fresh();
    expect(() => ws.setOwner({ role: 'iam_engineering', name: 'Eve\u202egnp.exe' })).toThrow(/owner name contains bidirectional-override characters/);
    expect(() => ws.setOwner({ role: 'iam_engineering', name: '  ' })).toThrow(/owner name must be non-empty text/);
    ws.close();
  });
});

describe('remediation items', () => {
  it('round-trip per gap with status, due date, ticket and notes, every change logged with before and after', () => {
    const { ws } = fresh();
    ws.setRemediation({ workflow: 'wf.one', control: 'ctl.callback', status: 'planned', due: '2026-04-01', ticket: 'SEC-1', notes: 'budgeted' });
    ws.setRemediation({ workflow: 'wf.one', control: 'ctl.callback', status: 'in_progress', due: '2026-04-01', ticket: 'SEC-1', notes: 'budgeted', reason: 'work started' });
    ws.setRemediation({ workflow: 'wf.two', control: 'ctl.hr-number', status: 'risk_accepted', notes: 'legacy desk, retired in Q3' });
    expect(ws.listRemediation()).toEqual([
      { workflow: 'wf.one', control: 'ctl.callback', status: 'in_progress', due: '2026-04-01', ticket: 'SEC-1', notes: 'budgeted', updatedAt: expect.any(String), updatedBy: 'alice' },
      { workflow: 'wf.two', control: 'ctl.hr-number', status: 'risk_accepted', due: null, ticket: null, notes: 'legacy desk, retired in Q3', updatedAt: expect.any(String), updatedBy: 'alice' },
    ]);
    expect(ws.listRemediation({ workflowId: 'wf.two' }).map((r) => r.control)).toEqual(['ctl.hr-number']);
    const second = ws.auditLog({ entityType: 'remediation', entityId: 'wf.one#ctl.callback' })[1]!;
    expect(second).toMatchObject({ action: 'set', before: { status: 'planned' }, after: { status: 'in_progress', due: '2026-04-01' }, reason: 'work started' });
    expect(ws.verifyAudit().ok).toBe(true);
    ws.close();
  });

  it('refuses an unknown status and a due date that is not a calendar day', () => {
    const { ws } = fresh();
    expect(() => ws.setRemediation({ workflow: 'wf.one', control: 'c', status: 'closed' as never })).toThrow(/remediation status must be one of open, planned, in_progress, done, risk_accepted/);
    expect(() => ws.setRemediation({ workflow: 'wf.one', control: 'c', status: 'open', due: '2026-02-30' })).toThrow(/due date must be a calendar date YYYY-MM-DD/);
    expect(() => ws.setRemediation({ workflow: 'wf.one', control: 'c', status: 'open', due: 'tomorrow' })).toThrow(/YYYY-MM-DD/);
    expect(ws.listRemediation()).toEqual([]);
    ws.close();
  });
});

describe('sign-offs', () => {
  it('store the report snapshot and the sign-off in one change, two audit entries', () => {
    const { ws } = fresh();
    const head = ws.auditHead().seq;
    const { report, signOff } = signed(ws);
    expect(ws.auditHead().seq).toBe(head + 2);
    expect(ws.getReportSnapshot(report.id)?.content).toBe('{"gaps":[]}');
    expect(signOff).toMatchObject({ reportId: report.id, scope: 'workflows=wf.one', signedBy: 'Dana CISO', decision: 'remediate', justification: 'fund the call-back\nby Q2', recordedBy: 'alice' });
    expect(ws.listSignOffs()).toEqual([signOff]);
    expect(ws.listSignOffs({ scope: 'workflows=wf.two' })).toEqual([]);
    expect(ws.auditLog({ limit: 1 })[0]).toMatchObject({ entityType: 'signoff', entityId: signOff.id, action: 'create', after: { reportId: report.id, decision: 'remediate' } });
    expect(ws.verifyAudit().ok).toBe(true);
    ws.close();
  });

  it('list the newest first within a scope', () => {
    const { ws } = fresh();
    const a = signed(ws).signOff;
    const b = signed(ws).signOff;
    signed(ws, 'workflows=other');
    expect(ws.listSignOffs({ scope: 'workflows=wf.one' }).map((s) => s.id)).toEqual([b.id, a.id]);
    ws.close();
  });

  it('are final: SQL cannot edit or delete one, and its signed report cannot be deleted', () => {
    const { ws, path } = fresh();
    const { report } = signed(ws);
    expect(() => ws.deleteReportSnapshot(report.id)).toThrow(/is signed off; a signed report is kept/);
    ws.close();
    const db = raw(path);
    expect(() => db.exec(`UPDATE report_signoffs SET decision = 'accept'`)).toThrow(/sign-offs are final/);
    expect(() => db.exec(`DELETE FROM report_signoffs`)).toThrow(/sign-offs are final/);
    expect(() => db.exec(`UPDATE report_snapshots SET title = 'x'`)).toThrow(/report snapshots are immutable/);
    db.close();
  });

  it('refuse a decision outside accept, remediate, transfer and an empty justification, writing nothing', () => {
    const { ws } = fresh();
    const head = ws.auditHead().seq;
    expect(() => ws.signReport({ report: { title: 'Q1', format: 'json', content: '{}' }, scope: 's', signedBy: 'Dana', decision: 'ignore' as never, justification: 'x' })).toThrow(/decision must be one of accept, remediate, transfer/);
    expect(() => ws.signReport({ report: { title: 'Q1', format: 'json', content: '{}' }, scope: 's', signedBy: 'Dana', decision: 'accept', justification: ' ' })).toThrow(/justification must be non-empty text/);
    expect(ws.auditHead().seq).toBe(head);
    expect(ws.listReportSnapshots()).toEqual([]);
    ws.close();
  });

  it('are refused in a workspace opened read-only', () => {
    const { ws, path } = fresh();
    ws.close();
    const ro = Workspace.open(path, { readOnly: true });
    expect(() => signed(ro)).toThrow(/is open read-only/);
    expect(() => ro.setOwner({ role: 'r', name: 'n' })).toThrow(/is open read-only/);
    expect(ro.listSignOffs()).toEqual([]);
    ro.close();
  });
});
