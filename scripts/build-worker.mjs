// Bundles the analysis worker (backend/worker/analysisWorker.ts) into out/analysis-worker.mjs for
// built hosts: the browser-mode host (vite build --mode host) and the Electron main process
// (electron-vite build) start it from next to their own bundle. Dependencies stay in node_modules.
import { fileURLToPath } from 'node:url';

/** Builds out/analysis-worker.mjs and out/simulation-worker.mjs (the simulation's trade-off in the app) from the sources of the checkout at `root`. */
export async function buildAnalysisWorker(root = fileURLToPath(new URL('..', import.meta.url))) {
  const esbuild = await import('esbuild');
  for (const [entry, out] of [
    ['analysisWorker', 'analysis-worker'],
    ['simulationWorker', 'simulation-worker'],
  ]) {
    await esbuild.build({
      entryPoints: [`${root}/backend/worker/${entry}.ts`],
      outfile: `${root}/out/${out}.mjs`,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
      legalComments: 'none',
    });
  }
}
