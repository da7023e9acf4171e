// What `replay` and `exercise plan` both start from: one workflow and one scenario, by bundled id or
// file, with every problem printed as a located line and exit 2 when either does not load.
import { resolveScenarios, resolveWorkflows } from '../backend/index.ts';
import { formatIssue, type Workflow } from '../models/index.ts';
import type { Scenario } from '../scenarios/index.ts';
import { EXIT, type CommandIO } from './io.ts';

/** The workflow and the scenario named, or null after printing why they do not load. */
export function resolvePair(io: CommandIO, workflow: string, scenario: string): { wf: Workflow; sc: Scenario } | null {
  const w = resolveWorkflows([workflow], false);
  const s = resolveScenarios([scenario]);
  const issues = [...w.issues, ...s.issues];
  if (issues.length) {
    for (const i of issues) io.err(`${formatIssue(i)}\n`);
    io.setExitCode(EXIT.badInput);
    return null;
  }
  return { wf: w.workflows[0]!, sc: s.scenarios[0]! };
}
