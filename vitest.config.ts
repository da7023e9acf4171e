import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    include: ['test/**/*.test.ts', '**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 60_000,
    // Set-up hooks run whole tools (electronegativity over electron/, Chromium): the same minute as a test.
    hookTimeout: 60_000,
  },
});
