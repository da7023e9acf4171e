// The analysis worker thread: runs analyses off the host's request thread, one message at a time,
// and posts back each report (or the located reason it was refused), with progress messages before
// it as the engine moves from scenario to scenario. Started by backend/analysisRunner.ts, which
// terminates the thread to cancel an analysis.
import { parentPort } from 'node:worker_threads';
import { AnalysisLimitError, analyzeWorkflow, buildAnalysisReport, type AnalysisProgress } from '../../analysis/index.ts';
import type { AnalysisJob, WorkerMessage, WorkerReply } from '../analysisRunner.ts';

const post = (message: WorkerMessage) => parentPort!.postMessage(message);

parentPort!.on('message', ({ id, job }: { id: number; job: AnalysisJob }) => {
  let reply: WorkerReply;
  try {
    const onProgress = (progress: AnalysisProgress) => post({ id, progress });
    reply = { ok: true, report: buildAnalysisReport([analyzeWorkflow(job.workflow, job.scenarios, { ...job.options, onProgress })]) };
  } catch (e) {
    reply =
      e instanceof AnalysisLimitError
        ? { ok: false, kind: 'limit', message: e.message, file: e.file, path: e.path }
        : { ok: false, kind: 'internal', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  post({ id, reply });
});
