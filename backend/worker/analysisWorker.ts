// The analysis worker thread: runs analyses off the host's request thread, one message at a time,
// and posts back each report (or the located reason it was refused). Started by
// backend/analysisRunner.ts, which terminates the thread to cancel an analysis.
import { parentPort } from 'node:worker_threads';
import { AnalysisLimitError, analyzeWorkflow, buildAnalysisReport } from '../../analysis/index.ts';
import type { AnalysisJob, WorkerReply } from '../analysisRunner.ts';

parentPort!.on('message', ({ id, job }: { id: number; job: AnalysisJob }) => {
  let reply: WorkerReply;
  try {
    reply = { ok: true, report: buildAnalysisReport([analyzeWorkflow(job.workflow, job.scenarios, job.options)]) };
  } catch (e) {
    reply =
      e instanceof AnalysisLimitError
        ? { ok: false, kind: 'limit', message: e.message, file: e.file, path: e.path }
        : { ok: false, kind: 'internal', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  parentPort!.postMessage({ id, reply });
});
