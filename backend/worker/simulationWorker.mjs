// Starts the simulation worker from the TypeScript sources: registers tsx's loader in this thread,
// then loads the worker (as backend/worker/analysisWorker.mjs does for the analysis worker).
import { register } from 'tsx/esm/api';

register();
await import('./simulationWorker.ts');
