// Browser-mode build of the renderer (`npm run build:web`): root renderer/, output out/renderer,
// relative asset URLs so the same files load from the loopback host or a custom protocol.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
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
});
