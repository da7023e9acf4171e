// Starts the analysis worker from the TypeScript sources (a checkout running under tsx or vitest):
// registers tsx's loader in this thread, then loads the worker. Built runs use out/analysis-worker.mjs.
import { register } from 'tsx/esm/api';

register();
await import('./analysisWorker.ts');
