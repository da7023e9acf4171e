// Vite builds for browser mode.
//   `vite build` (npm run build:web): the renderer, root renderer/, into out/renderer, with relative
//     asset URLs so the same files load from the loopback host or a custom protocol.
//   `vite build --mode host`: the browser-mode host (backend/serve.ts) bundled into out/serve.mjs,
//     so `npm start` spawns plain node instead of compiling TypeScript at every start (about 0.4 s
//     to the URL instead of 1.2 s here). It sits one folder below the checkout, like backend/'s own
//     files, because backend/ finds package.json and the bundled library relative to itself.
//     Dependencies (better-sqlite3, zod, yaml, xstate) stay in node_modules.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

const renderer: UserConfig = {
  root: here('./renderer'),
  base: './',
  publicDir: here('./renderer/public'),
  plugins: [react()],
  build: {
    outDir: here('./out/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // Source maps stay out of the shipped build; the analysis code is readable in the repository.
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: { host: '127.0.0.1', strictPort: false },
};

const host: UserConfig = {
  root: here('.'),
  publicDir: false,
  logLevel: 'warn',
  // The bundled library's summaries, keyed by content hash, so the host lists the library without
  // parsing every file cold at start (backend/bundledLibrary.ts; a stale entry is simply ignored).
  plugins: [
    {
      name: 'resetpath-library-index',
      async closeBundle() {
        const { writeLibraryIndex } = await import('./backend/bundledLibrary.ts');
        writeLibraryIndex();
        // Analyses run in a worker thread started from out/analysis-worker.mjs (backend/analysisRunner.ts).
        const { buildAnalysisWorker } = await import('./scripts/build-worker.mjs');
        await buildAnalysisWorker(here('.'));
      },
    },
  ],
  build: {
    ssr: here('./backend/serve.ts'),
    outDir: here('./out'),
    emptyOutDir: false,
    target: 'node20',
    sourcemap: false,
    minify: false,
    // One file: a chunk in a subfolder would see a different import.meta.url.
    rolldownOptions: { output: { entryFileNames: 'serve.mjs', format: 'es', codeSplitting: false } },
  },
};

export default defineConfig(({ mode }) => (mode === 'host' ? host : renderer));
