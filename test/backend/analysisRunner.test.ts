// Analyses run off the request thread: the host answers other calls while one runs, refuses a
// second one, can cancel it (saving nothing), and refuses a workflow too large to analyse with a
// located error, after which it keeps working.
import { describe, expect, it } from 'vitest';
import { generateWorkflowText } from '../../bench/generate.ts';
import { countIn } from '../../analysis/index.ts';
import { hostileWorkflow } from '../fixtures/hostile.ts';
import { auditLength, newService } from './helpers.ts';
import { GENERATED_200_PATHS } from '../fixtures/generated-counts.ts';

/** Saves a 200-step generated workflow (an analysis of about a second or more) and returns its id. */
async function bigWorkflow(service: ReturnType<typeof newService>['service']): Promise<string> {
  const text = generateWorkflowText(200, 25, 42);
  const r = await service.api['workflow.save']({ fileName: 'big.yaml', text });
  return r.id;
}

const settle = <T>(p: Promise<T>) => {
  const state = { done: false };
  p.then(
    () => (state.done = true),
    () => (state.done = true),
  );
  return state;
};

describe('analyses in a worker thread', () => {
  it('answers other calls while an analysis runs, and refuses a second analysis meanwhile', async () => {
    const { service } = newService();
    const id = await bigWorkflow(service);
    const run = service.dispatch('analysis.run', { workflowId: id, save: true });
    const state = settle(run);
    const info = await service.dispatch('app.info', {});
    expect(info.ok).toBe(true);
    const list = await service.dispatch('library.list', {});
    expect(list.ok).toBe(true);
    expect(state.done, 'the analysis was still running while the host answered').toBe(false);
    const second = await service.dispatch('analysis.run', { workflowId: id });
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict', message: `an analysis of workflow "${id}" is already running in this workspace; wait for it to finish or cancel it, then try again` } });
    const r = await run;
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.runId).not.toBeNull();
      expect(r.value.report.workflows[0]!.totals.paths).toBe(String(GENERATED_200_PATHS));
    }
  });

  it('cancels a running analysis: the call fails as cancelled, nothing is saved, and the next analysis runs', async () => {
    const { service } = newService();
    const id = await bigWorkflow(service);
    const before = await auditLength(service);
    const run = service.dispatch('analysis.run', { workflowId: id, save: true });
    const cancel = await service.dispatch('analysis.cancel', {});
    expect(cancel).toEqual({ ok: true, value: { cancelled: true } });
    expect(await run).toMatchObject({ ok: false, error: { code: 'conflict', message: 'the analysis was cancelled' } });
    expect((await service.api['analysis.list']({})).runs).toEqual([]);
    expect(await auditLength(service)).toBe(before);
    expect(await service.dispatch('analysis.cancel', {})).toEqual({ ok: true, value: { cancelled: false } });
    const again = await service.dispatch('analysis.run', { workflowId: 'standard-password-reset.weak', scenarioIds: ['s01-osint-vishing'] });
    expect(again.ok).toBe(true);
  });

  it('cancels by workflow only the analysis of that workflow: a screen that moved on never stops another workflow\'s run', async () => {
    const { service } = newService();
    const id = await bigWorkflow(service);
    const run = service.dispatch('analysis.run', { workflowId: id, save: true });
    // Asked in the same turn as the run: the worker has not answered yet, so the run is still going.
    expect(await service.dispatch('analysis.cancel', { workflowId: 'standard-password-reset.weak' })).toEqual({ ok: true, value: { cancelled: false } });
    expect(await service.dispatch('analysis.cancel', { workflowId: id })).toEqual({ ok: true, value: { cancelled: true } });
    expect(await run).toMatchObject({ ok: false, error: { code: 'conflict', message: 'the analysis was cancelled' } });
    expect((await service.api['analysis.list']({})).runs).toEqual([]);
    const bad = await service.dispatch('analysis.cancel', { workflowId: '../etc' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('reports progress scenario by scenario while a long analysis runs, and none once it is over', async () => {
    const { service } = newService();
    const id = await bigWorkflow(service);
    const scenarios = (await service.api['library.list']({})).scenarios.map((s) => s.id);
    expect(await service.api['analysis.progress']({})).toEqual({ progress: null });
    const run = service.dispatch('analysis.run', { workflowId: id });
    const state = settle(run);
    const seen: NonNullable<Awaited<ReturnType<typeof service.api['analysis.progress']>>['progress']>[] = [];
    // Poll as the UI does, without assuming how long the analysis takes: until it is over.
    while (!state.done) {
      const { progress } = await service.api['analysis.progress']({});
      if (progress) seen.push(progress);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect((await run).ok).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen.map((p) => p.workflowId))).toEqual(new Set([id]));
    // One start time, from the service's clock, for the whole analysis.
    expect(new Set(seen.map((p) => p.startedAt)).size).toBe(1);
    expect(seen[0]!.startedAt).toMatch(/^2026-03-01T09:\d\d:\d\d\.000Z$/);
    const dones = seen.map((p) => p.done);
    expect(dones, 'done never goes back').toEqual([...dones].sort((a, b) => a - b));
    expect(new Set(dones).size, 'progress advanced while the analysis ran').toBeGreaterThan(1);
    for (const p of seen) {
      if (p.total === null) continue;
      expect(p.total).toBe(scenarios.length);
      // The scenario named is the one after those done, in the order analysed; none once all are done.
      expect(p.scenario?.id ?? null).toBe(p.done < p.total ? scenarios[p.done] : null);
      if (p.scenario) expect(p.scenario.name.length).toBeGreaterThan(0);
    }
    expect(await service.api['analysis.progress']({})).toEqual({ progress: null });
  });

  it('cancels a long analysis once it has made progress: progress is gone, and a new analysis reports its own', async () => {
    const { service } = newService();
    const id = await bigWorkflow(service);
    const run = service.dispatch('analysis.run', { workflowId: id, save: true });
    const state = settle(run);
    let progress: Awaited<ReturnType<typeof service.api['analysis.progress']>>['progress'] = null;
    while (!state.done && !(progress && progress.done >= 1)) {
      progress = (await service.api['analysis.progress']({})).progress;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(progress?.done).toBeGreaterThanOrEqual(1);
    expect(await service.dispatch('analysis.cancel', {})).toEqual({ ok: true, value: { cancelled: true } });
    expect(await run).toMatchObject({ ok: false, error: { code: 'conflict', message: 'the analysis was cancelled' } });
    expect(await service.api['analysis.progress']({})).toEqual({ progress: null });
    expect((await service.api['analysis.list']({})).runs).toEqual([]);
    const next = service.dispatch('analysis.run', { workflowId: 'standard-password-reset.weak', scenarioIds: ['s01-osint-vishing'] });
    const now = (await service.api['analysis.progress']({})).progress;
    // Started this instant: nothing of the cancelled analysis is carried over.
    if (now) expect(now).toMatchObject({ workflowId: 'standard-password-reset.weak', done: 0 });
    expect((await next).ok).toBe(true);
  });

  it('refuses a workflow too large to analyse with a located error, and keeps serving', async () => {
    const { service } = newService();
    // Twenty exception steps the attacker may pass or skip: 2^20 combinations of active exceptions.
    const k = 20;
    const steps = Array.from({ length: k }, (_, i) => `  - { id: e${i}, kind: exception, actor: tier1, grants: x${i}, next: ${i + 1 < k ? `e${i + 1}` : 'reset'}, on_fail: ${i + 1 < k ? `e${i + 1}` : 'reset'} }`);
    const exceptions = Array.from({ length: k }, (_, i) => `  - { id: x${i}, bypasses: [reset], controls: [{ control: exception.expiry }] }`);
    const text = `resetpath: workflow/1\nid: too-many-exceptions\nname: Too many exceptions\naccount_classes: [standard_employee]\nactors: [{ id: tier1, kind: agent }]\nexceptions:\n${exceptions.join('\n')}\nstart: intake\nsteps:\n  - { id: intake, kind: intake, actor: tier1, channels: [phone], next: e0 }\n${steps.join('\n')}\n  - { id: reset, kind: execution, actor: tier1, action: password_reset, next: done }\n  - { id: done, kind: end }\n`;
    await service.api['workflow.save']({ fileName: 'too-many-exceptions.yaml', text });
    await service.api['scenario.save']({
      fileName: 'asks-for-exceptions.yaml',
      text: `resetpath: scenario/1\nid: asks-for-exceptions\nname: Asks for every exception\nattacker: { name: x, capabilities: [osint_personal_data] }\ntarget: { account_class: standard_employee }\nstrategy: { channels: [phone], exceptions: [request], moves: [{ move: contact }] }\n`,
    });
    const r = await service.dispatch('analysis.run', { workflowId: 'too-many-exceptions', scenarioIds: ['asks-for-exceptions'] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_model');
      expect(r.error.message).toContain('exceeds 200,000 states');
      expect(r.error.issues?.[0]?.path).toMatch(/^steps\[\d+\]$/);
    }
    expect((await service.dispatch('app.info', {})).ok).toBe(true);
  });

  it('analyses the hostile workflow that once exhausted memory, in the worker, exactly', async () => {
    const { service } = newService();
    await service.api['workflow.save']({ fileName: 'hostile-24.yaml', text: hostileWorkflow(24) });
    const r = await service.api['analysis.run']({ workflowId: 'hostile-24', scenarioIds: ['s01-osint-vishing'] });
    expect(r.report.workflows[0]!.scenarios[0]!.search.exhaustive).toBe(true);
    expect(BigInt(r.report.workflows[0]!.totals.paths) > 2n ** 24n).toBe(true);
  });
});
