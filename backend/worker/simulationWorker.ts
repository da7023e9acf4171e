// A simulation worker: runs the replications (or trade-off units) it is given and posts each result as it finishes.
import { parentPort } from 'node:worker_threads';
import { runReplications, runTradeoffUnits } from '../../analysis/index.ts';
import type { SimulationJob } from '../simulation.ts';

parentPort!.once('message', (job: SimulationJob) => {
  try {
    if (job.kind === 'tradeoff') runTradeoffUnits(job.input, job.candidates, job.seed, job.units, (unit) => parentPort!.postMessage({ result: unit }));
    else runReplications(job.input, job.seed, job.indices, (result) => parentPort!.postMessage({ result }));
    parentPort!.postMessage({ done: true });
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error).stack ?? String(e) });
  }
});
