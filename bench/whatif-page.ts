// The what-if benchmark in a Chromium page (bench/run.ts builds this for the browser and loads it):
// the renderer calls `analyseWhatIf` in Chromium's V8, not in Node's, so the target is also read
// there. Workflows and scenarios arrive as file texts and are loaded with the pure loaders, as the
// renderer loads what the host sends it.
import { loadWorkflowOrThrow } from '../models/index.ts';
import { loadScenarioOrThrow } from '../scenarios/index.ts';
import { whatIfSession } from './whatif-session.ts';

export interface PageBenchInput {
  workflows: { text: string; file: string }[];
  scenarios: { text: string; file: string }[];
  /** Sessions run one after the other in the page: a workflow (by its place above), warm-up and timed toggles. */
  sessions: { workflow: number; warm: number; runs: number }[];
}

/** Per session (in the order given): the workflow's id and step count, and the timed toggles. */
export type PageBenchOutput = { id: string; steps: number; warm: number; samples: number[] }[];

(globalThis as unknown as { resetpathWhatIfBench: (input: PageBenchInput) => PageBenchOutput }).resetpathWhatIfBench = (input) => {
  const scenarios = input.scenarios.map((s) => ({ ...loadScenarioOrThrow(s.text, s.file), file: s.file }));
  const workflows = input.workflows.map((w) => ({ ...loadWorkflowOrThrow(w.text, w.file), file: w.file }));
  return input.sessions.map((s) => {
    const wf = workflows[s.workflow]!;
    return { id: wf.id, steps: wf.stepOrder.length, warm: s.warm, samples: whatIfSession(wf, scenarios, s.warm, s.runs) };
  });
};
