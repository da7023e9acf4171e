// One what-if session as the benchmarks measure it, shared by bench/run.ts (in Node) and
// bench/whatif-page.ts (in a Chromium page, the renderer's engine): the workflow analysed, `warm`
// toggles (JIT and cache, as a user's first clicks would be), then `runs` timed toggles, each on a
// workflow object of its own made before it is timed, through the renderer's own function with its
// session cache. Pure apart from `performance.now()`, which both runtimes have.
import { AnalysisCache, toggleControl } from '../analysis/index.ts';
import type { Workflow } from '../models/index.ts';
import { analyseWhatIf } from '../renderer/compute/computeWhatIf.ts';
import type { Scenario } from '../scenarios/index.ts';

/** The controls toggled, in turn, on (even toggles) and off (odd ones). */
export const WHATIF_TOGGLES = ['sim_swap.signal', 'callback.number_on_file', 'notify.out_of_band', 'approval.dual', 'agent.mfa', 'proofing.no_pii_kbv'];

/** The timed toggles' wall times, in milliseconds, in the order they ran. */
export function whatIfSession(wf: Workflow, scenarios: readonly Scenario[], warm: number, runs: number): number[] {
  const cache = new AnalysisCache();
  const toggled = (i: number) => toggleControl(wf, WHATIF_TOGGLES[i % WHATIF_TOGGLES.length]!, i % 2 === 0);
  analyseWhatIf(wf, scenarios, 'full', cache);
  for (let i = 0; i < warm; i++) analyseWhatIf(toggled(i), scenarios, 'full', cache);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const changed = toggled(i);
    const t0 = performance.now();
    analyseWhatIf(changed, scenarios, 'full', cache);
    samples.push(performance.now() - t0);
  }
  return samples;
}
