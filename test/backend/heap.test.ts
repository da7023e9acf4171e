// The heaps that run analyses get a larger young generation (backend/heap.ts): the desktop renderer
// through Chromium's js-flags, the analysis worker through its resource limits.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { analysisHeapFlag, analysisWorkerLimits, ANALYSIS_SEMI_SPACE_MB, loadBundledScenarios, loadBundledWorkflows } from '../../backend/index.ts';
import { AnalysisRunner } from '../../backend/analysisRunner.ts';

describe('the analysis heap', () => {
  it('is set by a flag this runtime\'s V8 accepts (a mistyped flag stops Node with "bad option")', () => {
    const ok = spawnSync(process.execPath, [analysisHeapFlag(), '-e', '0'], { encoding: 'utf8' });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const typo = spawnSync(process.execPath, [analysisHeapFlag().replace('semi-space', 'semispace'), '-e', '0'], { encoding: 'utf8' });
    expect(typo.status).not.toBe(0);
  });

  it('gives the analysis worker three semi-spaces of the analysis size as its young generation', async () => {
    expect(analysisWorkerLimits()).toEqual({ maxYoungGenerationSizeMb: 3 * ANALYSIS_SEMI_SPACE_MB });
    const runner = new AnalysisRunner();
    try {
      const workflow = loadBundledWorkflows().find((w) => w.id === 'standard-password-reset.weak')!;
      const scenarios = loadBundledScenarios().filter((s) => s.id === 's01-osint-vishing');
      const report = await runner.run({ workflow, scenarios, options: {} });
      expect(report.workflows[0]!.id).toBe('standard-password-reset.weak');
      expect(runner.heapLimits()?.maxYoungGenerationSizeMb).toBe(3 * ANALYSIS_SEMI_SPACE_MB);
    } finally {
      runner.close();
    }
  });
});
