// The contract's accountability keys over a workspace: owners, remediation items and report
// sign-offs, with bad payloads refused naming the field, and every change in the audit chain.
import { describe, expect, it } from 'vitest';
import type { AppService } from '../../backend/index.ts';
import type { ApiKey } from '../../contract/index.ts';
import { Workspace } from '../../storage/index.ts';
import { newService, newWorkspace } from './helpers.ts';

const WEAK = 'standard-password-reset.weak';
const SCENARIOS = ['s01-osint-vishing'];

async function refusal(service: AppService, key: ApiKey, payload: unknown): Promise<string> {
  const r = await service.dispatch(key, payload);
  expect(r.ok, JSON.stringify(payload)).toBe(false);
  if (r.ok) return '';
  expect(r.error.code).toBe('bad_request');
  return r.error.message;
}

describe('owners.set and owners.list', () => {
  it('assign a person to an owner role for the workspace and for one workflow, and remove one with null', async () => {
    const { service } = newService();
    await service.api['owners.set']({ role: 'proofing_standards_owner', name: 'IAM standards', contact: 'iam@example.org', reason: 'org chart 2026' });
    await service.api['owners.set']({ role: 'proofing_standards_owner', workflowId: WEAK, name: 'Desk lead' });
    expect((await service.api['owners.list']({})).owners.map((o) => [o.role, o.workflow, o.name, o.contact])).toEqual([
      ['proofing_standards_owner', null, 'IAM standards', 'iam@example.org'],
      ['proofing_standards_owner', WEAK, 'Desk lead', null],
    ]);
    const removed = await service.api['owners.set']({ role: 'proofing_standards_owner', workflowId: WEAK, name: null });
    expect(removed.owner).toBeNull();
    expect((await service.api['owners.list']({})).owners).toHaveLength(1);
    expect((await service.api['audit.verify']({})).ok).toBe(true);
  });

  it('refuse bad payloads, naming the field', async () => {
    const { service } = newService();
    expect(await refusal(service, 'owners.set', { role: 'ceo', name: 'X' })).toBe('owners.set: role: must be an owner role of the catalogue');
    expect(await refusal(service, 'owners.set', { role: 'detection_owner', name: 'Eve\u202egnp.exe' })).toMatch(/^owners\.set: name: contains bidirectional-override characters/);
    expect(await refusal(service, 'owners.set', { role: 'detection_owner', name: '   ' })).toMatch(/^owners\.set: name: /);
    expect(await refusal(service, 'owners.set', { role: 'detection_owner', name: 'SOC', admin: true })).toMatch(/^owners\.set: payload: .*admin/);
    expect(await refusal(service, 'owners.set', { role: 'detection_owner', name: 'SOC', workflowId: '../etc' })).toMatch(/^owners\.set: workflowId: must be lowercase/);
  });
});

describe('remediation.set and remediation.list', () => {
  it('record status, due date, ticket and notes per gap, each change audited', async () => {
    const { service } = newService();
    const before = (await service.api['audit.verify']({})).entries;
    await service.api['remediation.set']({ workflowId: WEAK, controlId: 'callback.number_on_file', status: 'planned', due: '2026-06-30', ticket: 'SEC-12', notes: 'Q2 budget\napproved' });
    await service.api['remediation.set']({ workflowId: WEAK, controlId: 'callback.number_on_file', status: 'in_progress', due: '2026-06-30', ticket: 'SEC-12', notes: 'Q2 budget\napproved', reason: 'started' });
    const { items } = await service.api['remediation.list']({ workflowId: WEAK });
    expect(items).toEqual([expect.objectContaining({ workflow: WEAK, control: 'callback.number_on_file', status: 'in_progress', due: '2026-06-30', ticket: 'SEC-12', notes: 'Q2 budget\napproved' })]);
    expect((await service.api['audit.verify']({})).entries).toBe(before + 2);
  });

  it('refuse bad payloads, naming the field', async () => {
    const { service } = newService();
    const ok = { workflowId: WEAK, controlId: 'callback.number_on_file', status: 'planned' };
    expect(await refusal(service, 'remediation.set', { ...ok, status: 'closed' })).toMatch(/^remediation\.set: status: /);
    expect(await refusal(service, 'remediation.set', { ...ok, due: '2026-02-30' })).toBe('remediation.set: due: must be a calendar date that exists');
    expect(await refusal(service, 'remediation.set', { ...ok, due: '30/06/2026' })).toBe('remediation.set: due: must be a date YYYY-MM-DD');
    expect(await refusal(service, 'remediation.set', { ...ok, notes: 'ok\u0007' })).toMatch(/^remediation\.set: notes: contains control characters/);
    expect(await refusal(service, 'remediation.set', { ...ok, controlId: 'Callback Number' })).toBe('remediation.set: controlId: must be a control id of the catalogue');
    expect(await refusal(service, 'remediation.set', { ...ok, notes: 'x'.repeat(10_001) })).toMatch(/^remediation\.set: notes: /);
  });
});

describe('report.signoff and report.list', () => {
  it('stores the report and its sign-off; the next sign-off of the same scope carries the trend', async () => {
    const { service, path } = newService({ analysis: 'inline' });
    await service.api['remediation.set']({ workflowId: WEAK, controlId: 'callback.number_on_file', status: 'in_progress', due: '2026-01-01' });
    const first = await service.api['report.signoff']({ workflowIds: [WEAK], scenarioIds: SCENARIOS, signedBy: 'Dana, CISO', decision: 'remediate', justification: 'fund the call-back' });
    expect(first.trend).toBeNull();
    expect(first.gaps).toBeGreaterThan(0);
    expect(first.overdue).toBe(1); // the test clock reads 2026-03-01
    expect(first.signOff).toMatchObject({ reportId: first.reportId, signedBy: 'Dana, CISO', decision: 'remediate', justification: 'fund the call-back' });
    const second = await service.api['report.signoff']({ workflowIds: [WEAK], scenarioIds: SCENARIOS, signedBy: 'Dana, CISO', decision: 'accept', justification: 'no change' });
    expect(second.trend).toEqual({ previousReportId: first.reportId, opened: 0, closed: 0, overdue: 1 });
    const { reports } = await service.api['report.list']({ signedOnly: true });
    expect(reports.map((r) => [r.id, r.format, r.signOff?.decision])).toEqual([
      [second.reportId, 'json', 'accept'],
      [first.reportId, 'json', 'remediate'],
    ]);
    expect((await service.api['audit.verify']({})).ok).toBe(true);
    service.close();
    const ws = Workspace.open(path, { readOnly: true });
    const stored = JSON.parse(ws.getReportSnapshot(first.reportId)!.content) as { format: string; accountability: { remediation: { overdue: number } } };
    expect(stored.format).toBe('resetpath/accountability@1');
    expect(stored.accountability.remediation.overdue).toBe(1);
    ws.close();
  });

  it('refuses a sign-off in a read-only workspace with conflict, and bad payloads naming the field', async () => {
    const path = newWorkspace();
    const { service } = newService({ workspacePath: path, readOnly: true });
    const r = await service.dispatch('report.signoff', { workflowIds: [WEAK], signedBy: 'Dana', decision: 'accept', justification: 'ok' });
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const ok = { workflowIds: [WEAK], signedBy: 'Dana', decision: 'accept', justification: 'ok' };
    expect(await refusal(service, 'report.signoff', { ...ok, decision: 'ignore' })).toMatch(/^report\.signoff: decision: /);
    expect(await refusal(service, 'report.signoff', { ...ok, justification: '  ' })).toBe('report.signoff: justification: must say why');
    expect(await refusal(service, 'report.signoff', { ...ok, workflowIds: [] })).toMatch(/^report\.signoff: workflowIds: /);
    expect(await refusal(service, 'report.signoff', { ...ok, signedBy: 'Dana\u202e' })).toMatch(/^report\.signoff: signedBy: contains bidirectional-override/);
  });

  it('refuses a sign-off of an unknown workflow with not_found, storing nothing', async () => {
    const { service } = newService({ analysis: 'inline' });
    const r = await service.dispatch('report.signoff', { workflowIds: ['no-such-workflow'], signedBy: 'Dana', decision: 'accept', justification: 'ok' });
    expect(r).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await service.api['report.list']({})).reports).toEqual([]);
  });
});
