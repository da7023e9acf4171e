// Wires model files to the analysis engine: resolves workflow and scenario references (bundled ids
// or file paths), runs the analysis and returns the report, or the located issues of bad input.
import { existsSync } from 'node:fs';
import { AnalysisLimitError, analyzeWorkflow, buildAnalysisReport, campaignWorkflowIds, type AnalysisReport, type AnalyzeOptions, type WorkflowAnalysis } from '../analysis/index.ts';
import type { ModelIssue, Workflow } from '../models/index.ts';
import type { Scenario } from '../scenarios/index.ts';
import { loadBundledScenarios, loadBundledWorkflows, loadScenarioFile, loadWorkflowFile } from './library.ts';

export interface AnalysisRequest {
  /** Workflow file paths or bundled workflow ids. */
  workflows: string[];
  /** Add every bundled workflow. */
  library?: boolean;
  /** Scenario file paths or bundled scenario ids; empty means every bundled scenario. */
  scenarios?: string[];
  options?: AnalyzeOptions;
}

/** On success, the analyses and their report, with the workflows and scenarios they were run on. */
export type AnalysisResponse = { ok: true; analyses: WorkflowAnalysis[]; report: AnalysisReport; workflows: Workflow[]; scenarios: Scenario[] } | { ok: false; issues: ModelIssue[] };

/**
 * Adds a model to those resolved: the same one named twice is kept once (its paths would count
 * twice); two different models with one id are refused, naming both files, as results (classes,
 * counts, reports) are keyed by id and would merge or double.
 */
function addOnce<T extends { id: string; file: string }>(out: T[], item: T, kind: 'workflow' | 'scenario', ref: string, issues: ModelIssue[]): void {
  const same = out.find((x) => x.id === item.id);
  if (!same) out.push(item);
  else if (same !== item) issues.push({ file: ref, path: 'id', message: `${kind} id "${item.id}" is already given by ${same.file}: each ${kind} of one analysis needs its own id` });
}

/** Resolves workflow references: a bundled id, or a path to a file. */
export function resolveWorkflows(refs: readonly string[], library: boolean): { workflows: Workflow[]; issues: ModelIssue[] } {
  const issues: ModelIssue[] = [];
  const bundled = library || refs.some((r) => !existsSync(r)) ? loadBundledWorkflows() : [];
  const out: Workflow[] = library ? [...bundled] : [];
  for (const ref of refs) {
    const hit = bundled.find((w) => w.id === ref);
    if (hit && !existsSync(ref)) {
      addOnce(out, hit, 'workflow', ref, issues);
      continue;
    }
    const r = loadWorkflowFile(ref);
    if (!r.ok) issues.push(...r.issues);
    else addOnce(out, r.value, 'workflow', ref, issues);
  }
  return { workflows: out, issues };
}

/** Resolves scenario references: a bundled id, or a path to a file; none means the whole library. */
export function resolveScenarios(refs: readonly string[]): { scenarios: Scenario[]; issues: ModelIssue[] } {
  const bundled = loadBundledScenarios();
  if (refs.length === 0) return { scenarios: bundled, issues: [] };
  const issues: ModelIssue[] = [];
  const out: Scenario[] = [];
  for (const ref of refs) {
    const hit = bundled.find((s) => s.id === ref);
    if (hit && !existsSync(ref)) {
      addOnce(out, hit, 'scenario', ref, issues);
      continue;
    }
    if (!existsSync(ref)) {
      issues.push({ file: ref, path: '', message: `no bundled scenario has this id and no such file exists (bundled ids: ${bundled.map((s) => s.id).join(', ')})` });
      continue;
    }
    const r = loadScenarioFile(ref);
    if (!r.ok) issues.push(...r.issues);
    else addOnce(out, r.value, 'scenario', ref, issues);
  }
  return { scenarios: out, issues };
}

/** Runs an analysis request end to end. */
export function runAnalysis(req: AnalysisRequest): AnalysisResponse {
  const w = resolveWorkflows(req.workflows, req.library ?? false);
  const s = resolveScenarios(req.scenarios ?? []);
  const issues = [...w.issues, ...s.issues];
  if (issues.length > 0) return { ok: false, issues };
  if (w.workflows.length === 0) return { ok: false, issues: [{ file: '(arguments)', path: '', message: 'no workflow given: pass workflow files or --library' }] };
  // Campaign stages may go through other workflows: those given, else the bundled ones (loaded only when needed).
  const stageIds = campaignWorkflowIds(s.scenarios);
  const available = new Map(w.workflows.map((wf) => [wf.id, wf]));
  if (stageIds.some((id) => !available.has(id))) for (const b of loadBundledWorkflows()) if (!available.has(b.id)) available.set(b.id, b);
  const options: AnalyzeOptions = { ...req.options, workflows: new Map(stageIds.flatMap((id) => (available.has(id) ? [[id, available.get(id)!] as const] : []))) };
  try {
    const analyses = w.workflows.map((wf) => analyzeWorkflow(wf, s.scenarios, options));
    return { ok: true, analyses, report: buildAnalysisReport(analyses), workflows: w.workflows, scenarios: s.scenarios };
  } catch (e) {
    // A workflow too large to analyse is bad input, located like any other.
    if (e instanceof AnalysisLimitError) return { ok: false, issues: [{ file: e.file, path: e.path, message: e.message }] };
    throw e;
  }
}
