// What the workbench shows while an analysis runs (the progress bar, its words) and which side
// panels are open; pure, so the words and the stored form are tested without a browser.
import type { ApiResponse } from '../../contract/index.ts';
import { plural } from './format.ts';

export type AnalysisProgress = NonNullable<ApiResponse<'analysis.progress'>['progress']>;

/** The progress bar of a running analysis: its ARIA values (null while indeterminate) and its words. */
export interface ProgressView {
  now: number | null;
  max: number | null;
  /** Fraction done, 0 to 1, for the bar's width; null while indeterminate. */
  fraction: number | null;
  /** "3 of 19 scenarios". */
  text: string;
  /** What the engine is on: a scenario's name, the control sets, or starting. */
  detail: string;
}

/** The bar for the progress the backend last reported (null: none reported yet) and the seconds since Run was pressed. */
export function progressView(progress: AnalysisProgress | null, elapsedMs: number | null): ProgressView {
  const took = elapsedMs !== null && elapsedMs >= 1000 ? ` · ${Math.floor(elapsedMs / 1000)} s` : '';
  if (!progress || progress.total === null) return { now: null, max: null, fraction: null, text: 'Starting the analysis…', detail: `preparing the scenarios${took}` };
  const { done, total } = progress;
  const detail = progress.scenario ? `now: ${progress.scenario.name}` : done >= total ? 'finding the minimal control sets' : 'between scenarios';
  return { now: Math.min(done, total), max: total, fraction: total > 0 ? Math.min(done, total) / total : 1, text: `${done} of ${plural(total, 'scenario')}`, detail: `${detail}${took}` };
}

/** Which side panels of the workbench are open. */
export interface Panels {
  library: boolean;
  inspector: boolean;
}

export const OPEN_PANELS: Panels = { library: true, inspector: true };

/** The sessionStorage key the workbench keeps its panels under (for the tab's session only). */
export const PANELS_KEY = 'resetpath.panels';

/** The panels as stored in the session; both open when nothing, or something unreadable, is stored. */
export function readPanels(raw: string | null | undefined): Panels {
  if (!raw) return OPEN_PANELS;
  try {
    const v = JSON.parse(raw) as Partial<Record<keyof Panels, unknown>> | null;
    if (!v || typeof v !== 'object') return OPEN_PANELS;
    return { library: v.library !== false, inspector: v.inspector !== false };
  } catch {
    return OPEN_PANELS;
  }
}

/** The stored form of the panels. */
export function writePanels(p: Panels): string {
  return JSON.stringify({ library: p.library, inspector: p.inspector });
}

/** The grid columns class of the workbench for its open panels ("" when both are open). */
export function panelsClass(p: Panels): string {
  return `${p.library ? '' : ' no-library'}${p.inspector ? '' : ' no-inspector'}`;
}
