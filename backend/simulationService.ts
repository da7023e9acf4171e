// The simulation keys of the contract: the bundled desk profiles, and the risk-versus-friction
// trade-off of a workflow, run in the simulation workers (backend/simulation.ts) so the host keeps
// answering other calls; the threads are kept between runs and started when the screen opens. One
// trade-off at a time per workspace: a second is refused (409) rather than left to halve the first
// one's cores.
import { availableParallelism } from 'node:os';
import { DEFAULT_RISK_TARGET, type TradeoffReport } from '../analysis/index.ts';
import { ApiError, type ApiResponse, type ApiTradeoff } from '../contract/index.ts';
import type { Workflow } from '../models/index.ts';
import type { Scenario } from '../scenarios/index.ts';
import { DEFAULT_DESK, loadBundledDeskProfiles, runTradeoff, SimulationPool } from './simulation.ts';
import type { DeskProfile } from '../analysis/index.ts';

export interface SimulationDeps {
  workflow: (id: string) => Workflow;
  scenarios: (ids?: readonly string[]) => Scenario[];
  /** Worker threads (0: the calling thread, for tests that want no threads). */
  workers: number;
}

type Run = (req: {
  workflowId: string;
  deskId?: string | undefined;
  scenarioIds?: string[] | undefined;
  days?: number | undefined;
  runs?: number | undefined;
  seed?: number | undefined;
  maxCandidates?: number | undefined;
  riskTarget?: number | undefined;
  riskTargets?: Partial<Record<string, number>> | undefined;
}) => Promise<ApiTradeoff>;

/** Default app run: small, so it finishes in a few seconds on two cores. */
export const APP_TRADEOFF_DEFAULTS = { days: 7, runs: 5, maxCandidates: 24, seed: 1 } as const;

/** The handlers of the simulation keys. */
export function simulationHandlers(deps: SimulationDeps): { handlers: { 'simulation.desks': () => ApiResponse<'simulation.desks'>; 'simulation.run': Run }; close: () => void } {
  let desks: DeskProfile[] | null = null;
  const bundled = () => (desks ??= loadBundledDeskProfiles());
  let running = false;
  const pool = deps.workers > 0 ? new SimulationPool(deps.workers) : null;
  const handlers: { 'simulation.desks': () => ApiResponse<'simulation.desks'>; 'simulation.run': Run } = {
    // The screen asks for the desks when it opens: the threads start loading then, not on the first run.
    'simulation.desks': () => (pool?.warm(), { desks: bundled().map((d) => ({ id: d.id, name: d.name, description: d.description, agents: d.agents.reduce((s, g) => s + g.count, 0) })) }),
    'simulation.run': async (req) => {
      const profile = bundled().find((d) => d.id === (req.deskId ?? DEFAULT_DESK));
      if (!profile) throw new ApiError('not_found', `no bundled desk profile "${req.deskId}" (bundled: ${bundled().map((d) => d.id).join(', ')})`);
      const workflow = deps.workflow(req.workflowId);
      const scenarios = deps.scenarios(req.scenarioIds);
      if (running) throw new ApiError('conflict', 'a simulation is already running; wait for it to finish');
      running = true;
      try {
        const targets = Object.fromEntries(Object.entries(req.riskTargets ?? {}).filter((e): e is [string, number] => e[1] !== undefined));
        const report = await runTradeoff(
          { workflow, scenarios, profile, days: req.days ?? APP_TRADEOFF_DEFAULTS.days },
          {
            runs: req.runs ?? APP_TRADEOFF_DEFAULTS.runs,
            seed: req.seed ?? APP_TRADEOFF_DEFAULTS.seed,
            workers: deps.workers,
            ...(pool ? { pool } : {}),
            maxCandidates: req.maxCandidates ?? APP_TRADEOFF_DEFAULTS.maxCandidates,
            targets,
            defaultTarget: req.riskTarget ?? DEFAULT_RISK_TARGET,
          },
        );
        return tradeoffForApi(report);
      } finally {
        running = false;
      }
    },
  };
  return { handlers, close: () => void pool?.close() };
}

/** Worker threads for the app's trade-off: the cores available, at most four. */
export function appSimulationWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** The report as the contract sends it: a class's recovery median when no request recovered is null, not NaN. */
export function tradeoffForApi(r: TradeoffReport): ApiTradeoff {
  const num = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    ...r,
    points: r.points.map((p) => ({
      ...p,
      legit: Object.fromEntries(Object.entries(p.legit).map(([cls, l]) => [cls, { recoveryMedianMinutes: num(l.recoveryMedianMinutes.mean), failureRate: num(l.failureRate.mean) }])),
    })),
  };
}
