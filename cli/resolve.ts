// What `replay` and `exercise plan` both start from: one workflow and one scenario, by bundled id or
// file, with every problem printed as a located line and exit 2 when either does not load.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolveScenarios, resolveWorkflows, WORKFLOW_LIBRARY_DIR } from '../backend/index.ts';
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

/**
 * The file a workflow reference names: the path itself when it exists, else the bundled workflow of
 * that id (as `analyze` and `replay` resolve one), written relative to the working directory when
 * it lies below it. An unknown reference is returned as given, so its error names it.
 */
export function workflowFileOf(ref: string): string {
  if (existsSync(ref) || !/^[\w.-]+$/.test(ref)) return ref;
  const bundled = join(WORKFLOW_LIBRARY_DIR, `${ref}.yaml`);
  if (!existsSync(bundled)) return ref;
  const rel = relative(process.cwd(), bundled);
  return rel.startsWith('..') ? bundled : rel;
}
