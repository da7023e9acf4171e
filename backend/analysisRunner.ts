// Runs analyses off the request thread: one worker thread per analysis, one analysis at a time per
// workspace, cancellable. The host keeps answering every other call while an analysis runs, and a
// cancelled or failed analysis leaves nothing behind (the worker is terminated, nothing is saved).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AnalysisProgress, AnalysisReport, AnalyzeOptions } from '../analysis/index.ts';
import { ApiError } from '../contract/index.ts';
import { analysisWorkerLimits } from './heap.ts';
import type { Workflow } from '../models/index.ts';
import type { Scenario } from '../scenarios/index.ts';

/** What a worker is given: plain data, copied to the thread. */
export interface AnalysisJob {
  workflow: Workflow;
  scenarios: Scenario[];
  options: Omit<AnalyzeOptions, 'cache' | 'onProgress'>;
}

export type WorkerReply =
  | { ok: true; report: AnalysisReport }
  | { ok: false; kind: 'limit'; message: string; file: string; path: string }
  | { ok: false; kind: 'internal'; message: string };

/** What the worker posts: progress of analysis `id` (any number of times), then its one reply. */
export type WorkerMessage = { id: number; progress: AnalysisProgress; reply?: never } | { id: number; reply: WorkerReply; progress?: never };

/** The running analysis as the UI polls it (contract key analysis.progress). */
export interface RunnerProgress {
  workflowId: string;
  done: number;
  /** Null until the worker has said how many scenarios there are. */
  total: number | null;
  scenario: { id: string; name: string } | null;
  startedAt: string;
}

/**
 * The worker's entry: the bundled out/analysis-worker.mjs next to a built host or shell, else the
 * bootstrap that loads the TypeScript sources through tsx (a checkout, the tests).
 */
export function workerEntry(here: string = import.meta.url): URL {
  if (!here.endsWith('.ts')) {
    const built = new URL('./analysis-worker.mjs', here);
    if (existsSync(fileURLToPath(built))) return built;
  }
  return new URL('./worker/analysisWorker.mjs', here.endsWith('.ts') ? here : new URL('../backend/analysisRunner.ts', here));
}

/**
 * One analysis at a time, in a worker thread kept between analyses (starting one costs far more than
 * a typical analysis); cancelling terminates the thread, and the next analysis starts a fresh one.
 */
export class AnalysisRunner {
  private worker: Worker | null = null;
  private current: { id: number; resolve: (r: AnalysisReport) => void; reject: (e: unknown) => void; progress: RunnerProgress } | null = null;
  private nextId = 1;

  /** `clock` stamps when each analysis started (the service passes its own, so tests are deterministic). */
  constructor(
    private readonly entry: URL = workerEntry(),
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get busy(): boolean {
    return this.current !== null;
  }

  /** How far the running analysis has got, or null when none runs. */
  progress(): RunnerProgress | null {
    const c = this.current;
    return c ? { ...c.progress } : null;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    // The analysis young generation (backend/heap.ts): fewer scavenges copying what the analysis holds.
    const w = new Worker(this.entry, { resourceLimits: analysisWorkerLimits() });
    // An idle worker must not keep the process alive (the CLI, tests, a host shutting down).
    w.unref();
    w.on('message', ({ id, reply, progress }: WorkerMessage) => {
      const c = this.current;
      if (!c || c.id !== id) return;
      if (progress) {
        c.progress = { ...c.progress, done: progress.done, total: progress.total, scenario: progress.scenario };
        return;
      }
      if (!reply) return;
      this.current = null;
      w.unref();
      if (reply.ok) c.resolve(reply.report);
      else if (reply.kind === 'limit') c.reject(new ApiError('invalid_model', reply.message, [{ file: reply.file, path: reply.path, message: reply.message }]));
      else c.reject(new Error(reply.message));
    });
    // A worker that dies on its own fails the analysis it was running; one that was cancelled (and
    // already replaced) has nothing left to fail.
    const lost = (e: Error) => {
      if (this.worker !== w) return;
      this.worker = null;
      const c = this.current;
      this.current = null;
      c?.reject(e);
    };
    w.on('error', lost);
    w.on('exit', (code) => lost(new Error(`the analysis worker stopped (exit code ${code}) without a result`)));
    this.worker = w;
    return w;
  }

  /** Runs the job; refuses a second one while one runs (409), rejects with a located 422 for a workflow too large to analyse. */
  run(job: AnalysisJob): Promise<AnalysisReport> {
    // Said to whoever asked, a person in the app or a client of the API: which analysis holds the
    // workspace, and what to do about it (in the app, the Cancel button by its progress).
    if (this.current) return Promise.reject(new ApiError('conflict', `an analysis of workflow "${this.current.progress.workflowId}" is already running in this workspace; wait for it to finish or cancel it, then try again`));
    const w = this.thread();
    const id = this.nextId++;
    return new Promise<AnalysisReport>((resolve, reject) => {
      this.current = { id, resolve, reject, progress: { workflowId: job.workflow.id, done: 0, total: null, scenario: null, startedAt: this.clock().toISOString() } };
      w.ref();
      w.postMessage({ id, job });
    });
  }

  /** Stops the running analysis, if any (with `workflowId`, only one of that workflow); true when one was stopped. */
  cancel(workflowId?: string): boolean {
    const c = this.current;
    if (!c || (workflowId !== undefined && c.progress.workflowId !== workflowId)) return false;
    this.current = null;
    const w = this.worker;
    this.worker = null;
    void w?.terminate();
    c.reject(new ApiError('conflict', 'the analysis was cancelled'));
    return true;
  }

  /** The heap limits the worker thread runs with (null when no thread is up). */
  heapLimits(): Worker['resourceLimits'] | null {
    return this.worker?.resourceLimits ?? null;
  }

  /** Stops any running analysis and the worker (when the workspace closes). */
  close(): void {
    this.cancel();
    void this.worker?.terminate();
    this.worker = null;
  }
}
