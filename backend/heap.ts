// The young generation the analysis runs in. An analysis makes many short-lived objects (a what-if
// toggle on a 60-step workflow about 14 MB: state graphs, labels' scaffolding, classes, the report),
// and keeps its scenarios' graphs alive until its control sets are verified. With V8's default
// semi-space (16 MB on 64-bit) about one scavenge falls inside every toggle and copies what the
// analysis holds at that moment: some 5 ms of a 30 ms toggle on one core. A 64 MB semi-space lets
// four or five toggles go by per scavenge (docs/benchmarks.md, "The analysis heap"). Where the
// analysis runs, the heap is set: the desktop app's renderer (the what-if) through Chromium's
// js-flags, and the analysis worker through its resource limits. The CLI and the browser mode keep
// their runtime's defaults.

/** Semi-space size, in MiB, of the heaps that run analyses. */
export const ANALYSIS_SEMI_SPACE_MB = 64;

/** The V8 flag that gives a heap the analysis semi-space (Electron: `app.commandLine.appendSwitch('js-flags', …)`). */
export function analysisHeapFlag(): string {
  return `--max-semi-space-size=${ANALYSIS_SEMI_SPACE_MB}`;
}

/**
 * Resource limits for a worker thread that runs analyses: V8 sizes the young generation as three
 * semi-spaces (two and the young large-object space), so this gives the worker the analysis semi-space.
 */
export function analysisWorkerLimits(): { maxYoungGenerationSizeMb: number } {
  return { maxYoungGenerationSizeMb: 3 * ANALYSIS_SEMI_SPACE_MB };
}
