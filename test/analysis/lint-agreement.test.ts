// Lint and the analysis must not disagree on the bundled library: a workflow lint passes must not
// let any bundled scenario take an account over, and every hardened workflow is both lint-clean
// and free of takeover paths (the library's promise, docs/workflow-library.md).
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow } from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/library.ts';
import { lintWorkflow } from '../../models/index.ts';

const scenarios = loadBundledScenarios();
const workflows = loadBundledWorkflows();

describe('lint and the analysis on the bundled library', () => {
  it.each(workflows.map((w) => [w.id, w] as const))('%s: lint passes it only if no bundled scenario takes an account over through it', (_id, wf) => {
    const errors = lintWorkflow(wf).filter((f) => f.severity === 'error');
    const a = analyzeWorkflow(wf, scenarios, { attribute: false, minimalSets: false });
    const takeovers = a.scenarios.filter((s) => s.paths > 0n).map((s) => s.scenario);
    if (errors.length === 0) expect(takeovers, `${wf.id} passes lint`).toEqual([]);
    if (takeovers.length > 0) expect(errors.length, `${wf.id} lets ${takeovers.join(', ')} through`).toBeGreaterThan(0);
  });

  it('finds every hardened workflow lint-clean and without a takeover path against every bundled scenario', () => {
    const hardened = workflows.filter((w) => w.variant === 'hardened');
    expect(hardened.length).toBeGreaterThan(0);
    for (const wf of hardened) {
      expect(lintWorkflow(wf).map((f) => `${f.rule} ${f.message}`), wf.id).toEqual([]);
      expect(analyzeWorkflow(wf, scenarios, { attribute: false, minimalSets: false }).totals.paths, wf.id).toBe(0n);
    }
  });
});
