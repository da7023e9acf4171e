// Runs the service-desk simulation (analysis/simulation/) for the CLI: desk profiles from disk,
// replications spread over worker threads. Replication i is seeded from (seed, i) and the report
// summarises replications in index order, so the worker count changes the speed, never the result.
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadDeskProfileText, runReplications, runTradeoffUnits, simulationReport, tradeoffPlan, tradeoffReport, tradeoffUnits, type DeskProfile, type ReplicationResult, type SimulationInput, type SimulationReport, type TradeoffReport, type TradeoffUnitResult } from '../analysis/index.ts';
import type { LoadResult } from '../models/index.ts';
import { libraryFiles, readModelFile } from './library.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DESK_PROFILE_DIR = join(ROOT, 'analysis', 'simulation', 'profiles');
export const DEFAULT_DESK = 'in-house-20';

/** Loads a desk profile file from disk. */
export function loadDeskProfileFile(path: string): LoadResult<DeskProfile> {
  const t = readModelFile(path);
  return t.ok ? loadDeskProfileText(t.value, path) : t;
}

/** The bundled desk profiles; a broken bundled file is a bug, so this throws. */
export function loadBundledDeskProfiles(): DeskProfile[] {
  return libraryFiles(DESK_PROFILE_DIR).map((f) => {
    const r = loadDeskProfileFile(f);
    if (!r.ok) throw new Error(r.issues.map((i) => `${i.file}: ${i.message}`).join('\n'));
    return { ...r.value, file: `analysis/simulation/profiles/${basename(f)}` };
  });
}

/** A desk profile by bundled id or file path. */
export function resolveDeskProfile(ref: string): LoadResult<DeskProfile> {
  if (!existsSync(ref)) {
    const bundled = loadBundledDeskProfiles();
    const hit = bundled.find((p) => p.id === ref);
    if (hit) return { ok: true, value: hit };
    return { ok: false, issues: [{ file: ref, path: '', message: `no bundled desk profile has this id and no such file exists (bundled: ${bundled.map((p) => p.id).join(', ')})` }] };
  }
  return loadDeskProfileFile(ref);
}

export interface SimulationRun {
  runs: number;
  seed: number;
  /** Worker threads (0: run in this thread). */
  workers: number;
  /** Called after each replication with the number done. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * The worker's entry: the CLI bundle's worker module when `bin/resetpath.js` runs the bundle (it
 * names it in RESETPATH_SIMULATION_WORKER), the bundled out/simulation-worker.mjs next to a built
 * host or shell (the app's trade-off), else the bootstrap that loads the TypeScript sources through
 * tsx (a checkout, the tests).
 */
export function simulationWorkerEntry(here: string = import.meta.url, env: NodeJS.ProcessEnv = process.env): URL {
  const named = env['RESETPATH_SIMULATION_WORKER'];
  if (named && named.endsWith('.mjs') && existsSync(named)) return pathToFileURL(named);
  if (!here.endsWith('.ts')) {
    const built = new URL('./simulation-worker.mjs', here);
    if (existsSync(fileURLToPath(built))) return built;
  }
  return new URL('./worker/simulationWorker.mjs', new URL('../backend/simulation.ts', here));
}

/** Message a simulation worker receives: replications of one simulation, or (candidate, replication) units of a trade-off. */
export type SimulationJob = (
  | { kind?: 'replications'; input: SimulationInput; seed: number; indices: number[] }
  | { kind: 'tradeoff'; input: SimulationInput; seed: number; candidates: string[][]; units: { candidate: number; index: number }[] }
) & {
  /** Set by a pool, whose threads take one job after another; echoed on every reply. */
  id?: number;
};

/** Runs the simulation and resolves to its report; with workers > 0 the replications run in that many threads. */
export async function runSimulation(input: SimulationInput, run: SimulationRun): Promise<SimulationReport> {
  const total = run.runs;
  let done = 0;
  const tick = () => run.onProgress?.(++done, total);
  const all = Array.from({ length: total }, (_, i) => i);
  if (run.workers <= 0) return simulationReport(input, run.seed, runReplications(input, run.seed, all, tick));
  const n = Math.min(run.workers, total);
  // Round-robin shares: every worker gets early and late indices alike.
  const shares = Array.from({ length: n }, (_, w) => all.filter((i) => i % n === w));
  const results = await inWorkers<ReplicationResult>(
    shares.map((indices) => ({ input, seed: run.seed, indices })),
    tick,
  );
  return simulationReport(input, run.seed, results);
}

/** Options of a trade-off run beyond those of a simulation. */
export interface TradeoffRun extends SimulationRun {
  /** Threads kept between runs (the app); without one, `workers` fresh threads start and stop with the run (the CLI). */
  pool?: SimulationPool;
  maxCandidates?: number;
  /** Takeovers per 1000 days, by account class. */
  targets?: Record<string, number>;
  /** Target of classes not in `targets`. */
  defaultTarget?: number;
}

/**
 * The risk-versus-friction trade-off: every (candidate, replication) unit spread round-robin over
 * `workers` threads (0: this thread). A unit is fixed by (candidate, seed, replication index), and
 * the report summarises in candidate and index order, so the worker count never changes the result.
 */
export async function runTradeoff(input: SimulationInput, run: TradeoffRun): Promise<TradeoffReport> {
  const plan = tradeoffPlan(input, run.maxCandidates);
  const all = tradeoffUnits(plan.candidates.length, run.runs);
  let done = 0;
  const tick = () => run.onProgress?.(++done, all.length);
  let results: TradeoffUnitResult[];
  if (run.workers <= 0 && !run.pool) results = runTradeoffUnits(input, plan.candidates, run.seed, all, tick);
  else {
    const n = Math.min(run.pool?.size ?? run.workers, plan.candidates.length);
    // Candidates dealt round-robin, each with all its replications: a worker builds a candidate's
    // workflow and desk once, and early (small) and late (larger) candidates are spread evenly.
    const shares = Array.from({ length: n }, (_, w) => all.filter((u) => u.candidate % n === w));
    const jobs = shares.map((units) => ({ kind: 'tradeoff' as const, input, seed: run.seed, candidates: plan.candidates, units }));
    results = run.pool ? await run.pool.run<TradeoffUnitResult>(jobs, tick) : await inWorkers<TradeoffUnitResult>(jobs, tick);
  }
  return tradeoffReport(input, plan, run.seed, run.runs, results, run.targets, run.defaultTarget);
}

/** Runs one job per worker thread and collects every result the workers post. */
async function inWorkers<R>(jobs: SimulationJob[], tick: () => void): Promise<R[]> {
  const results: R[] = [];
  await Promise.all(
    jobs.map(
      (job) =>
        new Promise<void>((resolvePromise, reject) => {
          const w = new Worker(simulationWorkerEntry());
          w.on('message', (m: { result?: R; done?: true; error?: string }) => {
            if (m.result) {
              results.push(m.result);
              tick();
            }
            if (m.error) {
              reject(new Error(m.error));
              void w.terminate();
            }
            if (m.done) {
              resolvePromise();
              void w.terminate();
            }
          });
          w.on('error', reject);
          w.on('exit', (code) => (code === 0 || code === 1 ? undefined : reject(new Error(`simulation worker exited with code ${code}`))));
          w.postMessage(job);
        }),
    ),
  );
  return results;
}

/**
 * Simulation threads kept between runs (the app's trade-off): starting a thread loads the engine's
 * sources, which costs more than a small trade-off, so the threads are started once — `warm()` when
 * the simulation screen opens — and reused. Idle threads do not keep the process alive. A thread that
 * fails is dropped and the next run starts a fresh one. One run at a time (the caller ensures it).
 */
export class SimulationPool {
  private workers: Worker[] = [];
  private nextId = 1;

  constructor(
    readonly size: number,
    private readonly entry: URL = simulationWorkerEntry(),
  ) {}

  /** Starts the threads now, so the first run does not wait for them. */
  warm(): void {
    while (this.workers.length < this.size) {
      const w = new Worker(this.entry);
      w.unref();
      const drop = () => {
        this.workers = this.workers.filter((x) => x !== w);
      };
      w.on('error', drop);
      w.on('exit', drop);
      this.workers.push(w);
    }
  }

  /** Runs one job per thread (at most `size` jobs) and collects every result posted. */
  async run<R>(jobs: SimulationJob[], tick: () => void): Promise<R[]> {
    this.warm();
    const results: R[] = [];
    await Promise.all(
      jobs.map((job, k) => {
        const w = this.workers[k]!;
        const id = this.nextId++;
        return new Promise<void>((resolvePromise, reject) => {
          const onMessage = (m: { id?: number; result?: R; done?: true; error?: string }) => {
            if (m.id !== id) return;
            if (m.result) {
              results.push(m.result);
              tick();
            }
            if (m.error || m.done) {
              w.off('message', onMessage);
              w.off('error', onError);
              w.unref();
              if (m.error) {
                void w.terminate();
                reject(new Error(m.error));
              } else resolvePromise();
            }
          };
          const onError = (e: Error) => {
            w.off('message', onMessage);
            reject(e);
          };
          w.ref();
          w.on('message', onMessage);
          w.once('error', onError);
          w.postMessage({ ...job, id });
        });
      }),
    );
    return results;
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    const ws = this.workers;
    this.workers = [];
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
