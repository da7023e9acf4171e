import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Workspace, WorkspaceError } from '../../storage/index.ts';
import { scenarioYaml, workflowJson, workflowYaml } from './fixtures/models.ts';
import { deterministic, raw, tempDir } from './helpers.ts';

function fresh(opts = deterministic()): { ws: Workspace; path: string } {
  const path = join(tempDir(), 'w.resetpath');
  return { ws: Workspace.create(path, opts), path };
}

describe('a workspace file', () => {
  it('is created in WAL mode with foreign keys on and every migration applied', () => {
    const { ws, path } = fresh();
    expect(ws.schemaVersion).toBe(6);
    ws.close();
    const db = raw(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('application_id', { simple: true })).toBe(0x52535054);
    expect(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1, name: 'audit-log-and-settings' },
      { version: 2, name: 'workflows-and-scenarios' },
      { version: 3, name: 'runs-and-reports' },
      { version: 4, name: 'tabletop-sessions' },
      { version: 5, name: 'tabletop-exercises' },
      { version: 6, name: 'accountability' },
    ]);
    db.close();
  });

  it('enforces foreign keys: a run cannot cite a workflow revision that does not exist', () => {
    const { ws } = fresh();
    expect(() => ws.saveRun({ kind: 'analysis', workflow: { id: 'nope', revision: 3 }, result: {} })).toThrow(/no workflow "nope" revision 3/);
    expect(ws.countRuns()).toBe(0);
    ws.close();
  });

  it('refuses to create over an existing file', () => {
    const { ws, path } = fresh();
    ws.close();
    expect(() => Workspace.create(path)).toThrow(/already exists; open it instead/);
  });

  it('leaves no temporary or half-made file after creation', () => {
    const dir = tempDir();
    const ws = Workspace.create(join(dir, 'a.resetpath'), deterministic());
    ws.close();
    expect(existsSync(join(dir, `a.resetpath.creating-${process.pid}`))).toBe(false);
  });

  it('stamps every change with the injected clock and user', () => {
    const { ws } = fresh(deterministic('bob'));
    const r = ws.saveWorkflowRevision({ text: workflowYaml('wf.one') });
    expect(r.author).toBe('bob');
    expect(r.createdAt).toMatch(/^2026-03-01T09:00:\d\d\.000Z$/);
    expect(ws.auditLog().every((e) => e.actor === 'bob')).toBe(true);
    ws.close();
  });
});

describe('workflow and scenario history', () => {
  it('keeps every revision with its text, format, name, time and author', () => {
    const { ws } = fresh();
    const a = ws.saveWorkflowRevision({ text: workflowYaml('wf.one', 'First name'), file: 'dir/wf.one.yaml', message: 'initial' });
    const b = ws.saveWorkflowRevision({ text: workflowYaml('wf.one', 'Second name') });
    expect([a.revision, b.revision]).toEqual([1, 2]);
    expect(ws.listWorkflowRevisions('wf.one').map((r) => [r.revision, r.name, r.format, r.file, r.message])).toEqual([
      [1, 'First name', 'yaml', 'wf.one.yaml', 'initial'],
      [2, 'Second name', 'yaml', null, null],
    ]);
    expect(ws.getWorkflow('wf.one')?.name).toBe('Second name');
    expect(ws.getWorkflow('wf.one', 1)?.text).toBe(workflowYaml('wf.one', 'First name'));
    expect(ws.getWorkflow('wf.one', 9)).toBeUndefined();
    expect(ws.listWorkflows().map((w) => [w.id, w.latestRevision, w.name])).toEqual([['wf.one', 2, 'Second name']]);
    ws.close();
  });

  it('records the JSON format of a JSON workflow', () => {
    const { ws } = fresh();
    expect(ws.saveWorkflowRevision({ text: workflowJson('wf.json') }).format).toBe('json');
    ws.close();
  });

  it('does not create a revision when the text is unchanged', () => {
    const { ws } = fresh();
    ws.saveWorkflowRevision({ text: workflowYaml('wf.one') });
    const before = ws.auditHead();
    const again = ws.saveWorkflowRevision({ text: workflowYaml('wf.one') });
    expect(again).toMatchObject({ revision: 1, unchanged: true });
    expect(ws.auditHead()).toEqual(before);
    ws.close();
  });

  it('refuses a save whose text names another workflow than the editor expects', () => {
    const { ws } = fresh();
    expect(() => ws.saveWorkflowRevision({ text: workflowYaml('wf.two'), expectId: 'wf.one' })).toThrow(/is workflow "wf.two", not "wf.one"; nothing was saved/);
    expect(ws.listWorkflows()).toEqual([]);
    ws.close();
  });

  it('refuses an invalid workflow with the loader\'s located issue', () => {
    const { ws } = fresh();
    const text = workflowYaml('wf.bad').replace('next: done', 'next: nowhere');
    const err = (() => {
      try {
        ws.saveWorkflowRevision({ text, file: 'bad.yaml' });
      } catch (e) {
        return e as WorkspaceError;
      }
      throw new Error('expected a refusal');
    })();
    expect(err).toBeInstanceOf(WorkspaceError);
    expect(err.message).toMatch(/^bad\.yaml:\d+:\d+: next step "nowhere" is not a step of this workflow \(dangling transition\) \(at steps\[2\]\.next\); nothing was saved$/);
    expect(ws.listWorkflows()).toEqual([]);
    ws.close();
  });

  it('hides a deleted workflow but keeps its history, and restores it on the next save', () => {
    const { ws } = fresh();
    ws.saveWorkflowRevision({ text: workflowYaml('wf.one') });
    ws.deleteWorkflow('wf.one', { reason: 'superseded' });
    expect(ws.listWorkflows()).toEqual([]);
    expect(ws.listWorkflows({ includeDeleted: true }).map((w) => w.deleted)).toEqual([true]);
    expect(ws.getWorkflow('wf.one', 1)).toBeDefined();
    const r = ws.saveWorkflowRevision({ text: workflowYaml('wf.one') });
    expect(r.revision).toBe(2);
    expect(ws.auditLog({ limit: 2 }).map((e) => [e.action, e.reason])).toEqual([
      ['delete', 'superseded'],
      ['restore', null],
    ]);
    ws.close();
  });

  it('keeps custom scenarios with the same history as workflows', () => {
    const { ws } = fresh();
    ws.saveScenarioRevision({ text: scenarioYaml('sc.one', 'One') });
    ws.saveScenarioRevision({ text: scenarioYaml('sc.one', 'One, revised') });
    expect(ws.listScenarios().map((s) => [s.id, s.latestRevision, s.name])).toEqual([['sc.one', 2, 'One, revised']]);
    expect(ws.listScenarioRevisions('sc.one')).toHaveLength(2);
    expect(ws.getScenario('sc.one', 1)?.text).toBe(scenarioYaml('sc.one', 'One'));
    ws.close();
  });

  it('refuses to rewrite a stored revision even through SQL', () => {
    const { ws, path } = fresh();
    ws.saveWorkflowRevision({ text: workflowYaml('wf.one') });
    ws.close();
    const db = raw(path);
    expect(() => db.prepare("UPDATE workflow_revisions SET name = 'x'").run()).toThrow(/immutable/);
    db.close();
  });
});

describe('runs, tabletop sessions, reports and settings', () => {
  it('stores analysis runs with their results and lists them newest first without results', () => {
    const { ws } = fresh();
    const wf = ws.saveWorkflowRevision({ text: workflowYaml('wf.one') });
    const r1 = ws.saveRun({ kind: 'analysis', workflow: { id: wf.id, revision: wf.revision }, scenarioIds: ['s01'], summary: { paths: 2 }, result: { paths: [{ id: 1 }, { id: 2 }] } });
    const r2 = ws.saveRun({ kind: 'analysis', label: 'bundled', workflow: { id: 'standard-password-reset.weak' }, result: [] });
    expect(ws.listRuns().map((r) => r.id)).toEqual([r2.id, r1.id]);
    expect(ws.listRuns({ workflowId: 'wf.one' }).map((r) => r.id)).toEqual([r1.id]);
    expect(ws.listRuns()[1]).not.toHaveProperty('result');
    expect(ws.getRun(r1.id)).toMatchObject({ summary: { paths: 2 }, result: { paths: [{ id: 1 }, { id: 2 }] }, workflow: { id: 'wf.one', revision: 1, sha256: wf.sha256 } });
    expect(ws.countRuns()).toBe(2);
    ws.deleteRun(r2.id, { reason: 'noise' });
    expect(ws.listRuns().map((r) => r.id)).toEqual([r1.id]);
    ws.close();
  });

  it('refuses a result that is not JSON', () => {
    const { ws } = fresh();
    expect(() => ws.saveRun({ kind: 'analysis', workflow: { id: 'x' }, result: undefined })).toThrow(/run result cannot be stored as JSON/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => ws.saveRun({ kind: 'analysis', workflow: { id: 'x' }, result: cyclic })).toThrow(/cannot be stored as JSON/);
    ws.close();
  });

  it('records tabletop decisions in order and freezes them when the session closes', () => {
    const { ws } = fresh();
    const s = ws.createTabletopSession({ title: 'Q3 exercise', scenario: { id: 's01-osint-vishing' }, facilitator: 'Dana' });
    ws.recordTabletopDecision(s.id, { atMinute: 5, injectTitle: 'Caller escalates', prompt: 'Reset now?', choice: 'No, call back', decidedBy: 'desk lead' });
    ws.recordTabletopDecision(s.id, { atMinute: 12, prompt: 'Notify security?', choice: 'Yes' });
    ws.setTabletopNotes(s.id, 'Room hesitated at the call-back.');
    ws.closeTabletopSession(s.id);
    const got = ws.getTabletopSession(s.id)!;
    expect(got.status).toBe('closed');
    expect(got.notes).toBe('Room hesitated at the call-back.');
    expect(got.decisions.map((d) => [d.seq, d.atMinute, d.choice])).toEqual([
      [1, 5, 'No, call back'],
      [2, 12, 'Yes'],
    ]);
    expect(() => ws.recordTabletopDecision(s.id, { atMinute: 20, prompt: 'p', choice: 'c' })).toThrow(/is closed/);
    expect(ws.listTabletopSessions().map((x) => x.id)).toEqual([s.id]);
    ws.close();
  });

  it('keeps report snapshots immutable and refuses to delete a run a report cites', () => {
    const { ws } = fresh();
    const run = ws.saveRun({ kind: 'analysis', workflow: { id: 'x' }, result: {} });
    const rep = ws.saveReportSnapshot({ title: 'Quarterly', format: 'markdown', content: '# Findings\n', runId: run.id });
    expect(ws.getReportSnapshot(rep.id)?.content).toBe('# Findings\n');
    expect(() => ws.deleteRun(run.id)).toThrow(/cited by report snapshot/);
    ws.deleteReportSnapshot(rep.id, { reason: 'draft' });
    ws.deleteRun(run.id);
    expect(ws.listReportSnapshots()).toEqual([]);
    ws.close();
  });

  it('stores settings as JSON and writes nothing when a value is set again', () => {
    const { ws } = fresh();
    ws.setSetting('ui.theme', { dark: true, accent: 'teal' });
    const head = ws.auditHead();
    ws.setSetting('ui.theme', { accent: 'teal', dark: true });
    expect(ws.auditHead()).toEqual(head);
    expect(ws.getSetting('ui.theme')).toEqual({ dark: true, accent: 'teal' });
    expect(ws.getSetting('missing')).toBeUndefined();
    expect(ws.deleteSetting('ui.theme')).toBe(true);
    expect(ws.listSettings()).toEqual({});
    ws.close();
  });
});

describe('the audit log', () => {
  it('records every change with before, after and reason in the same transaction', () => {
    const { ws } = fresh();
    ws.saveWorkflowRevision({ text: workflowYaml('wf.one', 'A'), reason: 'new policy' });
    ws.saveWorkflowRevision({ text: workflowYaml('wf.one', 'B') });
    ws.setSetting('k', 1);
    ws.setSetting('k', 2, { reason: 'tuning' });
    const log = ws.auditLog();
    expect(log.map((e) => `${e.entityType}:${e.action}`)).toEqual([
      'workspace:migrate',
      'workspace:migrate',
      'workspace:migrate',
      'workspace:migrate',
      'workspace:migrate',
      'workspace:migrate',
      'workspace:create',
      'workflow:create',
      'workflow:revise',
      'setting:set',
      'setting:set',
    ]);
    const revise = log[8]!;
    expect(revise.before).toMatchObject({ revision: 1, name: 'A' });
    expect(revise.after).toMatchObject({ revision: 2, name: 'B' });
    expect(log[7]!.reason).toBe('new policy');
    expect(log[10]).toMatchObject({ before: 1, after: 2, reason: 'tuning' });
    expect(ws.verifyAudit()).toMatchObject({ ok: true, entries: 11 });
    ws.close();
  });

  it('writes no audit entry when the change fails', () => {
    const { ws } = fresh();
    const head = ws.auditHead();
    expect(() => ws.deleteWorkflow('nope')).toThrow(/no workflow "nope"/);
    expect(ws.auditHead()).toEqual(head);
    ws.close();
  });

  it('returns the last N entries in order', () => {
    const { ws } = fresh();
    for (let i = 0; i < 5; i++) ws.setSetting('n', i);
    expect(ws.auditLog({ limit: 2 }).map((e) => e.after)).toEqual([3, 4]);
    expect(ws.auditLog({ entityType: 'setting', entityId: 'n' })).toHaveLength(5);
    ws.close();
  });
});

describe('read-only access', () => {
  it('reads a workspace while a writer has it open, and refuses changes', () => {
    const { ws, path } = fresh();
    ws.saveWorkflowRevision({ text: workflowYaml('wf.one') });
    const ro = Workspace.open(path, { readOnly: true });
    expect(ro.readOnly).toBe(true);
    expect(ro.listWorkflows().map((w) => w.id)).toEqual(['wf.one']);
    expect(() => ro.setSetting('x', 1)).toThrow(/is open read-only; open it for writing to change it/);
    ws.saveWorkflowRevision({ text: workflowYaml('wf.two') });
    expect(ro.listWorkflows().map((w) => w.id)).toEqual(['wf.one', 'wf.two']);
    ro.close();
    ws.close();
  });

  it('refuses every call after close with a clear message', () => {
    const { ws } = fresh();
    ws.close();
    ws.close();
    expect(() => ws.listWorkflows()).toThrow(/the workspace is closed/);
  });
});
