// Types of scripts/cli-bundle.mjs for the TypeScript that imports it (the simulation benchmark).
/** The absolute path of the bundle's entry module when it exists and is fresh, else null. */
export function freshBundle(root?: string): string | null;
/** The simulation worker's entry module of a fresh bundle (absolute path), or null. */
export function bundledSimulationWorker(root?: string): string | null;
/** Builds the bundle into out/cli/ and returns the entry module's absolute path. */
export function buildBundle(root?: string): Promise<string>;
/** Why a build failed, in one line. */
export function buildError(e: unknown): string;
