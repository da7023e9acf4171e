// The live analysis of the text in the editor: what the worker is asked and answers, and the
// headline it gives, against the saved revision's.
import { formatCount, type ReportWorkflow } from '../../analysis/index.ts';

/** To the worker: the scenarios once, then a text to analyse (the newest only). */
export type LiveRequest = { type: 'scenarios'; files: { text: string; fileName: string }[] } | { type: 'analyse'; seq: number; text: string; fileName: string };

/** From the worker: the headline of an analysis, or why there is none. */
export type LiveResponse = { type: 'result'; seq: number; ms: number; summary: LiveSummary } | { type: 'failed'; seq: number; message: string };

/** What the editor shows of an analysis: exact totals and the classes per scenario. */
export interface LiveSummary {
  scenarios: number;
  scenariosWithTakeover: number;
  classes: number;
  /** Exact counts as decimal strings (they pass 2^53 on large workflows). */
  paths: string;
  undetected: string;
  /** Scenario id → number of takeover path classes. */
  classesByScenario: Record<string, number>;
}

/** The headline of an analysis report of one workflow. */
export function liveSummary(r: ReportWorkflow): LiveSummary {
  const classesByScenario: Record<string, number> = {};
  for (const s of r.scenarios) if (s.classes.length) classesByScenario[s.scenario] = s.classes.length;
  return {
    scenarios: r.scenarios.length,
    scenariosWithTakeover: r.totals.scenariosWithTakeover,
    classes: r.totals.classes,
    paths: String(r.totals.paths),
    undetected: String(r.totals.undetected),
    classesByScenario,
  };
}

/** The headline in words, and what changed against the saved revision's analysis. */
export function liveText(now: LiveSummary, saved: LiveSummary | null): { headline: string; change: string | null; closed: string[]; opened: string[] } {
  const headline = `${now.scenariosWithTakeover} of ${now.scenarios} scenarios end in a takeover · ${formatCount(now.classes)} path class${now.classes === 1 ? '' : 'es'} · ${formatCount(now.paths)} takeover path${now.paths === '1' ? '' : 's'} (${formatCount(now.undetected)} undetected), counted exactly`;
  if (!saved) return { headline, change: null, closed: [], opened: [] };
  const closed: string[] = [];
  const opened: string[] = [];
  for (const id of new Set([...Object.keys(saved.classesByScenario), ...Object.keys(now.classesByScenario)])) {
    const a = saved.classesByScenario[id] ?? 0;
    const b = now.classesByScenario[id] ?? 0;
    if (b < a) closed.push(`${id}: ${a - b} class${a - b === 1 ? '' : 'es'} closed`);
    if (b > a) opened.push(`${id}: ${b - a} class${b - a === 1 ? '' : 'es'} opened`);
  }
  const d = now.classes - saved.classes;
  const change = d === 0 && !closed.length && !opened.length ? 'Same path classes as the saved revision.' : `${d < 0 ? `${-d} fewer` : d > 0 ? `${d} more` : 'as many'} path class${Math.abs(d) === 1 ? '' : 'es'} than the saved revision (${saved.classes}).`;
  return { headline, change, closed, opened };
}
