// The live analysis of the text in the editor: what the worker is asked and answers, and the
// headline it gives, against the saved revision's.
import { formatCount, type ReportWorkflow } from '../../analysis/index.ts';

/** To the worker: the scenarios once, then a text to analyse (the newest only), or two texts to compare. */
export type LiveRequest =
  | { type: 'scenarios'; files: { text: string; fileName: string }[] }
  | { type: 'analyse'; seq: number; text: string; fileName: string }
  | { type: 'compare'; seq: number; a: { text: string; fileName: string }; b: { text: string; fileName: string } };

/** From the worker: the headline of an analysis, or why there is none; both sides of a comparison. */
export type LiveResponse =
  | { type: 'result'; seq: number; ms: number; summary: LiveSummary }
  | { type: 'failed'; seq: number; message: string }
  | { type: 'compared'; seq: number; a: LiveSummary; b: LiveSummary }
  | { type: 'compareFailed'; seq: number; message: string };

/** A path class as a comparison tells it apart: its outcome and the controls that would close or detect it. */
export interface ClassMark {
  /** outcome|blocking controls|detecting controls, each list sorted: the class's identity across versions. */
  key: string;
  outcome: 'takeover_detected' | 'takeover_undetected';
  blocking: string[];
  detecting: string[];
  /** Exact path count, as a decimal string. */
  paths: string;
}

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
  /** Scenario id → its classes, for comparing two versions. */
  marks: Record<string, ClassMark[]>;
}

/** The headline of an analysis report of one workflow. */
export function liveSummary(r: ReportWorkflow): LiveSummary {
  const classesByScenario: Record<string, number> = {};
  const marks: Record<string, ClassMark[]> = {};
  for (const s of r.scenarios) {
    if (!s.classes.length) continue;
    classesByScenario[s.scenario] = s.classes.length;
    marks[s.scenario] = s.classes.map((c) => {
      const blocking = [...c.blocking].sort();
      const detecting = [...c.detecting].sort();
      return { key: `${c.outcome}|${blocking.join('+')}|${detecting.join('+')}`, outcome: c.outcome, blocking, detecting, paths: String(c.count) };
    });
  }
  return {
    marks,
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
  const headline = `${now.scenariosWithTakeover} of ${now.scenarios} scenarios ${now.scenariosWithTakeover === 1 ? 'ends' : 'end'} in a takeover · ${formatCount(now.classes)} path class${now.classes === 1 ? '' : 'es'} · ${formatCount(now.paths)} takeover path${now.paths === '1' ? '' : 's'} (${formatCount(now.undetected)} undetected), counted exactly`;
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
