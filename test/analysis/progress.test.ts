// The engine says how far an analysis has got (the worker forwards it to the UI): before each
// scenario, then once when every scenario is done and the control sets are next.
import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, type AnalysisProgress } from '../../analysis/index.ts';
import { loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';

describe('analysis progress', () => {
  it('tells each scenario as it starts, in order, then that all are done, and leaves the result unchanged', () => {
    const wf = loadBundledWorkflows().find((w) => w.id === 'standard-password-reset.weak')!;
    const scenarios = loadBundledScenarios().slice(0, 3);
    const told: AnalysisProgress[] = [];
    const withProgress = analyzeWorkflow(wf, scenarios, { onProgress: (p) => told.push(p) });
    expect(told).toEqual([
      ...scenarios.map((s, i) => ({ done: i, total: 3, scenario: { id: s.id, name: s.name } })),
      { done: 3, total: 3, scenario: null },
    ]);
    expect(withProgress.totals).toEqual(analyzeWorkflow(wf, scenarios).totals);
  });

  it('tells only that all are done when there are no scenarios', () => {
    const wf = loadBundledWorkflows()[0]!;
    const told: AnalysisProgress[] = [];
    analyzeWorkflow(wf, [], { onProgress: (p) => told.push(p) });
    expect(told).toEqual([{ done: 0, total: 0, scenario: null }]);
  });
});
