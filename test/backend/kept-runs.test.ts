// Runs are kept and shown (issue 11, item 4): the run list carries what the UI shows without
// opening a result (date, scenarios, exhaustive, headline counts, size), says when a run was made
// on another version of its workflow, and deletes a run through the audit log and nothing else;
// the workspace reports its size.
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../storage/index.ts';
import { workflowYaml } from '../storage/fixtures/models.ts';
import { raw } from '../storage/helpers.ts';
import { auditLength, deterministic, newService } from './helpers.ts';

const WEAK = 'standard-password-reset.weak';
const S01 = 's01-osint-vishing';

describe('kept analysis runs', () => {
  it('lists runs newest first with their scenarios, headline counts, exhaustive search and stored size, current when the workflow has not changed', async () => {
    const { service } = newService({ analysis: 'inline' });
    const first = await service.api['analysis.run']({ workflowId: WEAK, scenarioIds: [S01], save: true });
    const second = await service.api['analysis.run']({ workflowId: WEAK, save: true });
    const { runs } = await service.api['analysis.list']({ workflowId: WEAK });
    expect(runs.map((r) => r.id)).toEqual([second.runId, first.runId]);
    const totals = second.report.workflows[0]!.totals;
    expect(runs[0]).toMatchObject({
      workflowId: WEAK,
      workflowRevision: null,
      paths: totals.paths,
      undetected: totals.undetected,
      privilegedPaths: totals.privilegedPaths,
      scenariosWithTakeover: totals.scenariosWithTakeover,
      exhaustive: true,
      stale: false,
    });
    expect(runs[0]!.scenarioIds.length).toBe(second.report.workflows[0]!.scenarios.length);
    expect(runs[1]!.scenarioIds).toEqual([S01]);
    expect(runs[0]!.resultBytes).toBeGreaterThan(runs[1]!.resultBytes);
  });

  it('marks a run stale once its workspace workflow has a newer revision, and analysis.get says so too', async () => {
    const { service } = newService({ analysis: 'inline' });
    await service.api['workflow.save']({ fileName: 'a.yaml', text: workflowYaml('wf.a') });
    const run = await service.api['analysis.run']({ workflowId: 'wf.a', scenarioIds: [S01], save: true });
    expect((await service.api['analysis.get']({ runId: run.runId! })).run.stale).toBe(false);
    await service.api['workflow.save']({ fileName: 'a.yaml', text: workflowYaml('wf.a', 'A', 'changed') });
    expect((await service.api['analysis.list']({ workflowId: 'wf.a' })).runs[0]).toMatchObject({ workflowRevision: 1, stale: true });
    expect((await service.api['analysis.get']({ runId: run.runId! })).run.stale).toBe(true);
    // A run on the new revision is current while the old one stays stale.
    await service.api['analysis.run']({ workflowId: 'wf.a', scenarioIds: [S01], save: true });
    expect((await service.api['analysis.list']({ workflowId: 'wf.a' })).runs.map((r) => [r.workflowRevision, r.stale])).toEqual([
      [2, false],
      [1, true],
    ]);
  });

  it('marks a run of a bundled workflow stale once the workspace shadows it with its own revision', async () => {
    const { service } = newService({ analysis: 'inline' });
    await service.api['analysis.run']({ workflowId: WEAK, scenarioIds: [S01], save: true });
    const bundled = await service.api['workflow.get']({ id: WEAK });
    await service.api['workflow.save']({ fileName: bundled.fileName, text: bundled.text.replace('(as found)', '(as found, edited)') });
    expect((await service.api['analysis.list']({ workflowId: WEAK })).runs[0]!.stale).toBe(true);
  });

  it('marks a run of a bundled workflow stale when the bundled file it was made on has changed (another hash)', async () => {
    const { service, path } = newService({ analysis: 'inline' });
    const run = await service.api['analysis.run']({ workflowId: WEAK, scenarioIds: [S01], save: true });
    expect((await service.api['analysis.list']({})).runs[0]!.stale).toBe(false);
    service.close();
    const db = raw(path);
    db.prepare('UPDATE runs SET workflow_sha256 = ? WHERE id = ?').run('0'.repeat(64), run.runId);
    db.close();
    const { service: again } = newService({ workspacePath: path, analysis: 'inline' });
    expect((await again.api['analysis.list']({})).runs[0]!.stale).toBe(true);
  });

  it('lists a run stored before the headline counts were kept with nulls, not invented numbers', async () => {
    const { service, path } = newService({ analysis: 'inline' });
    const fresh = await service.api['analysis.run']({ workflowId: WEAK, scenarioIds: [S01], save: false });
    service.close();
    const ws = Workspace.open(path, deterministic());
    ws.saveRun({ kind: 'analysis', workflow: { id: WEAK, revision: null }, scenarioIds: [S01], summary: { paths: 1, privilegedPaths: 0 }, result: fresh.report });
    ws.close();
    const { service: again } = newService({ workspacePath: path, analysis: 'inline' });
    expect((await again.api['analysis.list']({})).runs[0]).toMatchObject({ paths: 1, undetected: null, scenariosWithTakeover: null, exhaustive: null });
  });

  it('deletes a run with one audit entry naming it and the reason, and loses nothing else: other runs, workflows and the chain stay whole', async () => {
    const { service } = newService({ analysis: 'inline' });
    await service.api['workflow.save']({ fileName: 'a.yaml', text: workflowYaml('wf.a') });
    const keep = await service.api['analysis.run']({ workflowId: 'wf.a', scenarioIds: [S01], save: true });
    const gone = await service.api['analysis.run']({ workflowId: WEAK, scenarioIds: [S01], save: true });
    const before = await auditLength(service);
    const r = await service.api['analysis.delete']({ runId: gone.runId!, reason: 'superseded by the hardened design' });
    expect(r.deleted).toBe(gone.runId);
    expect(r.auditHead.seq).toBe(before + 1);
    expect(await auditLength(service)).toBe(before + 1);
    const last = (await service.api['audit.log']({})).entries.at(-1)!;
    expect(last).toMatchObject({ entityType: 'run', entityId: gone.runId, action: 'delete', reason: 'superseded by the hardened design', user: 'alice' });
    expect((await service.api['analysis.list']({})).runs.map((x) => x.id)).toEqual([keep.runId]);
    expect((await service.api['analysis.get']({ runId: keep.runId! })).report).toEqual(keep.report);
    expect(await service.dispatch('analysis.get', { runId: gone.runId! })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await service.api['workflow.history']({ id: 'wf.a' })).revisions).toHaveLength(1);
    expect(await service.api['audit.verify']({})).toMatchObject({ ok: true, firstBad: null });
  });

  it('deletes a run whose stored result is damaged, since the result is never read to delete it', async () => {
    const { service, path } = newService({ analysis: 'inline' });
    const run = await service.api['analysis.run']({ workflowId: WEAK, scenarioIds: [S01], save: true });
    service.close();
    const db = raw(path);
    db.prepare("UPDATE run_results SET result_json = 'gzip;base64,AAAA' WHERE run_id = ?").run(run.runId);
    db.close();
    const { service: again } = newService({ workspacePath: path, analysis: 'inline' });
    expect((await again.dispatch('analysis.get', { runId: run.runId! })).ok).toBe(false);
    await again.api['analysis.delete']({ runId: run.runId! });
    expect((await again.api['analysis.list']({})).runs).toEqual([]);
  });

  it('lists a run whose stored summary is not JSON as damaged (naming the column) beside the others, and deletes it', async () => {
    const { service, path } = newService({ analysis: 'inline' });
    const keep = await service.api['analysis.run']({ workflowId: WEAK, scenarioIds: [S01], save: true });
    const bad = await service.api['analysis.run']({ workflowId: WEAK, scenarioIds: [S01], save: true });
    service.close();
    const db = raw(path);
    db.prepare("UPDATE runs SET summary_json = '{bad' WHERE id = ?").run(bad.runId);
    db.close();
    const { service: again } = newService({ workspacePath: path, analysis: 'inline' });
    const { runs } = await again.api['analysis.list']({});
    expect(runs.map((r) => [r.id, r.damaged === undefined])).toEqual([
      [bad.runId, false],
      [keep.runId, true],
    ]);
    expect(runs[0]!.damaged).toContain(`runs row "${bad.runId}": summary_json is not JSON`);
    expect(await again.dispatch('analysis.get', { runId: bad.runId! })).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('summary_json is not JSON') } });
    await again.api['analysis.delete']({ runId: bad.runId! });
    expect((await again.api['analysis.list']({})).runs.map((r) => r.id)).toEqual([keep.runId]);
  });

  it('refuses invalid deletion requests with an error naming the field, and an unknown run as not found, writing nothing', async () => {
    const { service } = newService({ analysis: 'inline' });
    const before = await auditLength(service);
    expect(await service.dispatch('analysis.delete', {})).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/^analysis\.delete: runId: /) } });
    expect(await service.dispatch('analysis.delete', { runId: '' })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/^analysis\.delete: runId: /) } });
    expect(await service.dispatch('analysis.delete', { runId: 'x'.repeat(65) })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/^analysis\.delete: runId: /) } });
    expect(await service.dispatch('analysis.delete', { runId: 'r', force: true })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('force') } });
    expect(await service.dispatch('analysis.delete', { runId: 'r', reason: 'a\u202Eb' })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/^analysis\.delete: reason: /) } });
    expect(await service.dispatch('analysis.delete', { runId: 'no-such-run' })).toMatchObject({ ok: false, error: { code: 'not_found', message: 'no analysis run "no-such-run" in this workspace' } });
    expect(await auditLength(service)).toBe(before);
  });

  it('refuses to delete a run from a workspace open read-only, keeping the run', async () => {
    const { service, path } = newService({ analysis: 'inline' });
    const run = await service.api['analysis.run']({ workflowId: WEAK, scenarioIds: [S01], save: true });
    service.close();
    const { service: ro } = newService({ workspacePath: path, analysis: 'inline', readOnly: true });
    expect(await ro.dispatch('analysis.delete', { runId: run.runId! })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await ro.api['analysis.list']({})).runs).toHaveLength(1);
  });

  it('reports the workspace size on disk and how many runs and result bytes it holds, before and after a run is deleted', async () => {
    const { service } = newService({ analysis: 'inline' });
    const empty = await service.api['workspace.size']({});
    expect(empty.bytes).toBeGreaterThan(0);
    expect(empty).toMatchObject({ runs: 0, runResultBytes: 0 });
    const run = await service.api['analysis.run']({ workflowId: WEAK, save: true });
    const listed = (await service.api['analysis.list']({})).runs[0]!;
    const one = await service.api['workspace.size']({});
    expect(one).toMatchObject({ runs: 1, runResultBytes: listed.resultBytes });
    expect(one.bytes).toBeGreaterThan(empty.bytes);
    await service.api['analysis.delete']({ runId: run.runId! });
    expect(await service.api['workspace.size']({})).toMatchObject({ runs: 0, runResultBytes: 0 });
  });
});
