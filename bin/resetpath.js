#!/usr/bin/env node
// Entry point of the `resetpath` command. Runs the CLI bundle in out/cli/ with plain node; when
// the bundle is missing or older than its sources it builds it first (about 0.3 s, once), so a
// checkout never runs old code. If it cannot be built (no esbuild, out/ not writable) it says so
// in one line on stderr and runs the TypeScript sources through tsx instead, which starts slower.
// RESETPATH_FROM_SOURCE=1 always runs the sources through tsx (the benchmark compares the two).
import { pathToFileURL } from 'node:url';
import { buildBundle, buildError, bundledSimulationWorker, freshBundle } from '../scripts/cli-bundle.mjs';

const fromSource = process.env.RESETPATH_FROM_SOURCE === '1';
let entry = fromSource ? null : freshBundle();
if (!entry && !fromSource) {
  try {
    entry = await buildBundle();
  } catch (e) {
    process.stderr.write(`resetpath: could not build the CLI bundle (${buildError(e)}); running from source through tsx, which starts slower\n`);
  }
}
let main;
if (entry) {
  // Simulation threads start from the bundle's own worker module (backend/simulation.ts reads this).
  const worker = bundledSimulationWorker();
  if (worker) process.env.RESETPATH_SIMULATION_WORKER = worker;
  ({ main } = await import(pathToFileURL(entry).href));
}
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
process.exitCode = await main(process.argv);
