// Documented bounds of the exact analysis (docs/analysis-semantics.md, "Limits"). A workflow whose
// analysis would exceed one is refused with a located, one-line error instead of exhausting memory.
import type { Workflow } from '../models/index.ts';

export const LIMITS = {
  /** Search states of one workflow against one scenario (all channels together). */
  statesPerScenario: 200_000,
  /**
   * Distinct path labels meeting at one search state while they are merged (labels before the root's
   * part is joined on; many project to one class at the root).
   */
  classesPerState: 20_000,
  /** Label cells kept by the path-class DP of one scenario (all states together; bounds its memory). */
  labelCellsPerScenario: 2_000_000,
  /** Path classes reported for one workflow against one scenario. */
  classesPerScenario: 2_000,
  /** Example paths kept per class (shortest first). */
  examplesPerClass: 3,
  /** Largest joint combination of controls looked for on one path (besides single controls). */
  jointSize: 3,
} as const;

/** Raised when an analysis would exceed a documented limit; names the file and where. */
export class AnalysisLimitError extends Error {
  readonly file: string;
  readonly path: string;
  constructor(wf: Workflow, path: string, message: string) {
    super(message);
    this.name = 'AnalysisLimitError';
    this.file = wf.file;
    this.path = path;
  }
}

/** The location of a step in its workflow file, for limit errors. */
export function stepPath(wf: Workflow, stepId: string): string {
  return wf.steps[stepId]?.path ?? '';
}
