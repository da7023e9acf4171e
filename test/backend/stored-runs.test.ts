// Stored analysis runs: a run holds the report (classes with counts), not every path, so even a
// 200-step workflow's run stays small in the workspace; runs stored by the earlier enumerating
// engine (resetpath/analysis@1) still open, as @2; a damaged stored result is reported, not served.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analysisReportSchema, countIn } from '../../analysis/index.ts';
import { generateWorkflowText } from '../../bench/generate.ts';
import { Workspace } from '../../storage/index.ts';
import { raw } from '../storage/helpers.ts';
import { newService } from './helpers.ts';
import { GENERATED_200_PATHS } from '../fixtures/generated-counts.ts';

const V1 = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'analysis-v1.mfa-reenrollment-phone.weak.json'), 'utf8')) as unknown;

describe('stored analysis runs', () => {
  it('keeps the run of a 200-step workflow (about 10^29 takeover paths) under 1 MB in the workspace, and returns it whole', async () => {
    const { service, path } = newService({ analysis: 'inline' });
    const { id } = await service.api['workflow.save']({ fileName: 'big.yaml', text: generateWorkflowText(200, 25, 42) });
    const run = await service.api['analysis.run']({ workflowId: id, save: true });
    const db = raw(path);
    const stored = (db.prepare('SELECT result_json FROM run_results WHERE run_id = ?').get(run.runId) as { result_json: string }).result_json;
    db.close();
    expect(Buffer.byteLength(stored, 'utf8')).toBeLessThan(1_000_000);
    const back = await service.api['analysis.get']({ runId: run.runId! });
    expect(back.report).toEqual(run.report);
    expect(back.run.paths).toBe(String(GENERATED_200_PATHS));
    expect((await service.api['audit.verify']({})).ok).toBe(true);
  });

  it('opens a run stored as resetpath/analysis@1 as @2: its listed paths grouped into classes, counted, and said to be converted', async () => {
    const { service, path } = newService({ analysis: 'inline' });
    service.close();
    const ws = Workspace.open(path, { user: 'alice' });
    const saved = ws.saveRun({ kind: 'analysis', workflow: { id: 'mfa-reenrollment-phone.weak', revision: null }, scenarioIds: ['s01-osint-vishing'], summary: { paths: 7, privilegedPaths: 2 }, result: V1 });
    ws.close();
    const { service: again } = newService({ workspacePath: path, analysis: 'inline' });
    const r = await again.api['analysis.get']({ runId: saved.id });
    expect(analysisReportSchema.safeParse(r.report).success).toBe(true);
    const w = r.report.workflows[0]!;
    expect(r.report.format).toBe('resetpath/analysis@2');
    expect(w.totals.paths).toBe(7);
    const s04 = w.scenarios.find((s) => s.scenario === 's04-sim-swap-sspr')!;
    expect(s04.classes.reduce((n, c) => n + Number(c.count), 0)).toBe(Number(s04.paths));
    expect(s04.search.note).toContain('converted from a resetpath/analysis@1 run');
    expect(s04.classes[0]!.examples[0]!.route.length).toBeGreaterThan(2);
    expect(r.run.paths).toBe(7);
  });

  it('opens a run stored as @2 before mappings carried fit, rationale and existence, with its mappings as stored', async () => {
    const { service, path } = newService({ analysis: 'inline' });
    const fresh = await service.api['analysis.run']({ workflowId: 'standard-password-reset.weak', scenarioIds: ['s01-osint-vishing'], save: false });
    service.close();
    const older = JSON.parse(JSON.stringify(fresh.report), (k, v: unknown) => (k === 'fit' || k === 'rationale' || k === 'existence' ? undefined : v)) as typeof fresh.report;
    const mapping = older.workflows[0]!.controls[0]!.mappings[0]!;
    expect(Object.keys(mapping).sort()).toEqual(['confidence', 'label', 'ref']);
    const ws = Workspace.open(path, { user: 'alice' });
    const saved = ws.saveRun({ kind: 'analysis', workflow: { id: 'standard-password-reset.weak', revision: null }, scenarioIds: ['s01-osint-vishing'], summary: { paths: 1, privilegedPaths: 0 }, result: older });
    ws.close();
    const { service: again } = newService({ workspacePath: path, analysis: 'inline' });
    const r = await again.api['analysis.get']({ runId: saved.id });
    expect(analysisReportSchema.safeParse(r.report).success).toBe(true);
    expect(r.report.workflows[0]!.controls[0]!.mappings[0]).toEqual(mapping);
    expect(fresh.report.workflows[0]!.controls[0]!.mappings[0]).toMatchObject({ ...mapping, fit: expect.any(String), existence: { status: expect.any(String), checked: expect.any(String) } });
  });

  it('reports a stored result damaged on disk instead of serving it, and audit verification names it', async () => {
    const { service, path } = newService({ analysis: 'inline' });
    const run = await service.api['analysis.run']({ workflowId: 'standard-password-reset.weak', scenarioIds: ['s01-osint-vishing'], save: true });
    service.close();
    const db = raw(path);
    db.prepare("UPDATE run_results SET result_json = 'gzip;base64,AAAA' WHERE run_id = ?").run(run.runId);
    db.close();
    const { service: again } = newService({ workspacePath: path, analysis: 'inline' });
    const r = await again.dispatch('analysis.get', { runId: run.runId! });
    expect(r.ok).toBe(false);
    const v = await again.api['audit.verify']({});
    expect(v.ok).toBe(false);
    expect(v.firstBad?.problem).toContain(`the stored result of run "${run.runId}" is damaged`);
  });
});
