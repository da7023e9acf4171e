// A simulation worker: runs the replications (or trade-off units) of each job it is given and posts
// each result as it finishes, tagged with the job's id. The CLI gives a thread one job and stops it;
// the app's pool (backend/simulation.ts, SimulationPool) keeps a thread for job after job.
import { parentPort } from 'node:worker_threads';
import { runReplications, runTradeoffUnits } from '../../analysis/index.ts';
import type { SimulationJob } from '../simulation.ts';

parentPort!.on('message', (job: SimulationJob) => {
  const id = job.id;
  try {
    if (job.kind === 'tradeoff') runTradeoffUnits(job.input, job.candidates, job.seed, job.units, (unit) => parentPort!.postMessage({ id, result: unit }));
    else runReplications(job.input, job.seed, job.indices, (result) => parentPort!.postMessage({ id, result }));
    parentPort!.postMessage({ id, done: true });
  } catch (e) {
    parentPort!.postMessage({ id, error: (e as Error).stack ?? String(e) });
  }
});
