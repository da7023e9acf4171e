// Where a control of a verified set goes when the set is applied (analysis/counterfactual.ts,
// placementOf and placementPhrase): what the CLI's "Where they go", the Fix panel and the
// after-action plan say.
import { describe, expect, it } from 'vitest';
import { applyControls, analyzeWorkflow, placementOf, placementPhrase } from '../../analysis/index.ts';
import { bundledScenarios, bundledWorkflow } from '../renderer/library.ts';

describe('where a set puts an expiry on exceptions', () => {
  it('says that a standing exception no step grants is, with an expiry, never in force: in effect removed', () => {
    const wf = bundledWorkflow('executive-vip-reset.weak');
    expect(wf.exceptions.map((e) => e.id)).toEqual(['vip_skip_verification']);
    expect(Object.values(wf.steps).some((s) => s.grants === 'vip_skip_verification')).toBe(false);
    const p = placementOf(wf, 'exception.expiry');
    expect(p).toEqual({ scope: 'exception', at: ['vip_skip_verification'], lapses: ['vip_skip_verification'] });
    expect(placementPhrase(p, (s) => s, 3)).toBe('on every exception (vip_skip_verification); vip_skip_verification is granted by no step, so with an expiry it is never in force: in effect, removed');
    // So it is: with the expiry placed, the never-expiring exception scenario finds no path through it.
    const s12 = bundledScenarios().find((s) => s.id === 's12-exception-never-expires')!;
    expect(analyzeWorkflow(wf, [s12], { minimalSets: false }).scenarios[0]!.paths).toBeGreaterThan(0n);
    expect(analyzeWorkflow(applyControls(wf, ['exception.expiry']), [s12], { minimalSets: false }).scenarios[0]!.paths).toBe(0n);
  });

  it('names no lapse for an exception a step grants: the expiry only bounds it', () => {
    const wf = bundledWorkflow('executive-vip-reset.weak');
    const granted = { ...wf, steps: { ...wf.steps, grant: { ...Object.values(wf.steps)[0]!, kind: 'exception' as const, grants: 'vip_skip_verification' } } };
    expect(placementOf(granted, 'exception.expiry').lapses).toBeUndefined();
  });
});
