// Replications and their report. Replication i is seeded from (seed, i) alone, so the report is the
// same whether the replications run here in sequence or spread over worker threads (backend/).
import { analyzeWorkflow } from '../analyze.ts';
import { runReplication, type ReplicationResult, type SimulationInput } from './desk.ts';
import { HostileDesk } from './hostile.ts';
import { summarise, type SimulationSummary } from './stats.ts';

/** What `resetpath simulate --format json` writes. */
export interface SimulationReport {
  format: 'resetpath/simulation@1';
  workflow: { id: string; name: string };
  desk: { id: string; name: string; file: string; assumptions: { field: string; statement: string; source: string }[] };
  days: number;
  runs: number;
  seed: number;
  loadFactor: number;
  /**
   * Scenarios the desk met (playable against the workflow, without campaign stages), with the
   * exhaustive analysis's verdict: `analysisPaths` takeover paths in the worst case. A simulated
   * takeover of a scenario the analysis reports closed came through a loaded agent's skip alone.
   */
  scenarios: { id: string; name: string; targetClass: string; routes: number; pushesAgent: boolean; analysisPaths: string }[];
  notes: string[];
  /**
   * Exceptions of the workflow no step grants and no expiry ends: standing, in force for every
   * request of their classes throughout (docs/analysis-semantics.md, "Exceptions"). The desk's
   * counts (`summary.exceptions`) are of exceptions granted at exception steps.
   */
  standingExceptions: { id: string; appliesTo: string[] | null }[];
  summary: SimulationSummary<Omit<ReplicationResult, 'index'>>;
}

/** Runs replications `from`..`to`-1 in sequence (what one worker does with its share). */
export function runReplications(input: SimulationInput, seed: number, indices: readonly number[], onDone?: (r: ReplicationResult) => void): ReplicationResult[] {
  const desk = new HostileDesk(input.workflow, input.scenarios);
  return indices.map((i) => {
    const r = runReplication(input, seed, i, desk);
    onDone?.(r);
    return r;
  });
}

/** The report of replications (any order in; summarised in index order). */
export function simulationReport(input: SimulationInput, seed: number, reps: readonly ReplicationResult[]): SimulationReport {
  const ordered = [...reps].sort((a, b) => a.index - b.index);
  const desk = new HostileDesk(input.workflow, input.scenarios);
  const notes: string[] = [];
  const unserved = input.profile.arrivals.filter((a) => !input.workflow.accountClasses.includes(a.accountClass)).map((a) => a.accountClass);
  if (unserved.length) notes.push(`the workflow does not serve ${unserved.join(', ')}: those arrivals of the desk profile are left out`);
  const left = input.scenarios.filter((s) => !desk.attacks.some((a) => a.scenario === s));
  if (left.length) notes.push(`${left.length} scenario(s) cannot be played against the workflow (wrong class, no open channel) or have campaign stages, and are left out of hostile arrivals`);
  if (desk.attacks.length === 0) notes.push('no scenario can be played against the workflow: no hostile attempts');
  const exact = analyzeWorkflow(input.workflow, desk.attacks.map((a) => a.scenario), { attribute: false, minimalSets: false });
  return {
    format: 'resetpath/simulation@1',
    workflow: { id: input.workflow.id, name: input.workflow.name },
    desk: { id: input.profile.id, name: input.profile.name, file: input.profile.file, assumptions: input.profile.assumptions },
    days: input.days,
    runs: ordered.length,
    seed,
    loadFactor: input.loadFactor ?? 1,
    scenarios: desk.attacks.map((a) => ({
      id: a.scenario.id,
      name: a.scenario.name,
      targetClass: a.scenario.target.accountClass,
      routes: a.routes.length,
      pushesAgent: a.pushes,
      analysisPaths: String(exact.scenarios.find((r) => r.scenario === a.scenario.id)?.paths ?? 0n),
    })),
    notes,
    standingExceptions: input.workflow.exceptions
      .filter((x) => !x.controls.some((c) => c.control === 'exception.expiry') && !Object.values(input.workflow.steps).some((st) => st.grants === x.id))
      .map((x) => ({ id: x.id, appliesTo: x.appliesTo ? [...x.appliesTo] : null })),
    summary: summarise(ordered.map(({ index: _index, ...r }) => r)),
  };
}

/** The whole simulation in this thread: `runs` replications under `seed`. */
export function simulate(input: SimulationInput, runs: number, seed: number): SimulationReport {
  return simulationReport(input, seed, runReplications(input, seed, Array.from({ length: runs }, (_, i) => i)));
}
