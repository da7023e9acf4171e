// A blocked outcome must say where the attack stopped (the issue's "blocked: at which step, by which
// control"), including when a route ends the request without any reset — a refusal or referral end.
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow } from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/library.ts';

const workflows = loadBundledWorkflows();
const scenarios = loadBundledScenarios();

describe('where a blocked attack stopped', () => {
  it('names the refusal end when directory routing refers a privileged target elsewhere', () => {
    const wf = workflows.find((w) => w.id === 'mfa-reenrollment-phone.hardened')!;
    const r = analyzeWorkflow(wf, scenarios.filter((s) => s.id === 's16-privileged-mfa-reset-idp-takeover'), { minimalSets: false }).scenarios[0]!;
    expect(r.outcome).toBe('blocked');
    expect(r.blockedAt).toEqual([expect.objectContaining({ step: 'refer_privileged', kind: 'refused', controls: [] })]);
    expect(r.blockedAt[0]!.reason).toContain('without a reset');
  });

  it('is recorded for every blocked workflow x scenario of the bundled library', () => {
    for (const wf of workflows) {
      for (const r of analyzeWorkflow(wf, scenarios, { attribute: false }).scenarios) {
        if (r.outcome === 'blocked') expect(r.blockedAt.length, `${wf.id} x ${r.scenario}`).toBeGreaterThan(0);
      }
    }
  });
});
