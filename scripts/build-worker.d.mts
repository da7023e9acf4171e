/** Builds out/analysis-worker.mjs from the sources of the checkout at `root`. */
export function buildAnalysisWorker(root?: string): Promise<void>;
