// The desktop build (`npm run build:electron`): main process, preload and renderer, into out/.
// The browser build of the same renderer is vite.config.ts.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  main: {
    build: {
      // out/main.js, one folder below the app root like backend/'s own files: backend/ finds
      // package.json and the bundled model library relative to itself. out/ also holds preload/
      // and renderer/, so this build must not empty it.
      outDir: here('./out'),
      emptyOutDir: false,
      lib: { entry: here('./electron/main/index.ts'), formats: ['es'] },
      // One file: a chunk in a subfolder would see a different import.meta.url.
      rolldownOptions: { output: { entryFileNames: 'main.js', codeSplitting: false } },
      // Dependencies (better-sqlite3, zod, xstate, yaml) load from node_modules at run time.
      externalizeDeps: true,
    },
    plugins: [
      {
        // Analyses run in a worker thread started from out/analysis-worker.mjs (backend/analysisRunner.ts).
        name: 'resetpath-analysis-worker',
        async closeBundle() {
          const { buildAnalysisWorker } = await import('./scripts/build-worker.mjs');
          await buildAnalysisWorker(here('.'));
        },
      },
    ],
  },
  preload: {
    build: {
      outDir: here('./out/preload'),
      lib: { entry: here('./electron/preload/index.ts'), formats: ['cjs'] },
      // A sandboxed preload can require nothing but electron and a few Node shims, so the contract
      // and zod are bundled in, in one file.
      externalizeDeps: false,
      rolldownOptions: { output: { entryFileNames: 'index.cjs', codeSplitting: false } },
    },
  },
  renderer: {
    root: here('./renderer'),
    publicDir: here('./renderer/public'),
    plugins: [react()],
    build: {
      outDir: here('./out/renderer'),
      emptyOutDir: true,
      rolldownOptions: { input: here('./renderer/index.html') },
      sourcemap: false,
      chunkSizeWarningLimit: 1500,
    },
  },
});
