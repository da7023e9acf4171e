// report.accountability: the accountability report through the service (what the app's gap matrix reads): the same
// document the CLI writes, built from analyses run one workflow at a time in the worker.
import { describe, expect, it } from 'vitest';
import { accountabilityReportSchema, buildAccountabilityReport } from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows, runAnalysis } from '../../backend/index.ts';
import { lintWorkflow } from '../../models/index.ts';
import { newService } from './helpers.ts';

const IDS = ['standard-password-reset.weak', 'standard-password-reset.hardened'];

describe('report.accountability', () => {
  it('answers the CLI\'s accountability report for the workflows asked, one matrix row each', async () => {
    const { service } = newService({ clock: () => new Date('2026-06-01T00:00:00Z') });
    const { accountability, ...doc } = accountabilityReportSchema.parse(await service.api['report.accountability']({ workflowIds: IDS }));
    // The workspace's owners and remediation state come with it (none yet in a new workspace).
    expect(accountability?.remediation.overdue).toBe(0);
    const res = runAnalysis({ workflows: IDS, library: false });
    if (!res.ok) throw new Error('analysis failed');
    const cli = buildAccountabilityReport(res.analyses, Object.fromEntries(res.workflows.map((w) => [w.id, lintWorkflow(w)])), { generatedAt: '2026-06-01T00:00:00.000Z', toolVersion: doc.tool.version, scenarios: res.scenarios });
    // Each gap also carries its remediation state (open, none recorded): the rest is the CLI's document.
    expect(doc.gaps.every((g) => g.remediation?.status === 'open' && g.remediation.recorded === false)).toBe(true);
    expect({ ...doc, gaps: doc.gaps.map(({ remediation: _r, ...g }) => g) }).toEqual(cli);
    expect(doc.summary.perWorkflow.map((w) => w.workflow)).toEqual(IDS);
    expect(doc.summary.perWorkflow[0]!.outcomes).toHaveLength(loadBundledScenarios().length);
  });

  it('covers the whole library when no workflow is named', async () => {
    const { service } = newService();
    const doc = await service.api['report.accountability']({});
    expect(doc.scope.workflows.map((w) => w.id).sort()).toEqual(loadBundledWorkflows().map((w) => w.id).sort());
  });

  it('names an unknown workflow, and refuses an empty list', async () => {
    const { service } = newService();
    await expect(service.api['report.accountability']({ workflowIds: ['no-such-workflow'] })).rejects.toThrow(/no workflow "no-such-workflow"/);
    expect(await service.dispatch('report.accountability', { workflowIds: [] })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/workflowIds/) } });
  });
});
