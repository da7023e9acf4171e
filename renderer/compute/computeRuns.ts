// The stored runs of a workflow as the Runs tab and the status line show them: when, on what, how
// many paths, whether the workflow has changed since, and what the workspace takes on disk.
import type { ApiResponse } from '../../contract/index.ts';
import { plural, roughCount } from './format.ts';

export type StoredRun = ApiResponse<'analysis.list'>['runs'][number];

/** A run's time as the run list shows it: local time, to the second (two runs a minute apart must differ). */
export function runDate(iso: string, tz?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', ...(tz ? { timeZone: tz } : {}) }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** A size in bytes for people: "812 B", "14.2 kB", "1.35 GB" (powers of 1000, as disks are sold). */
export function bytesText(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

export interface RunRow {
  id: string;
  when: string;
  /** "19 scenarios", with "exhaustive" or a warning that a search was bounded. */
  scope: string;
  /** The headline counts: paths, undetected, on privileged accounts. */
  headline: string;
  /** "made on revision 2", "made on the bundled file". */
  madeOn: string;
  stale: boolean;
  size: string;
  onScreen: boolean;
  /** What a screen reader hears for the row's buttons, naming the run. */
  label: string;
  /** Where the run's stored data is damaged (it cannot be opened, only deleted), or null. */
  damaged: string | null;
}

/** Rows of the run list, newest first as the backend lists them; `onScreen` is the run shown. */
export function runRows(runs: readonly StoredRun[], onScreen: string | null, tz?: string): RunRow[] {
  return runs.map((r) => {
    const when = runDate(r.createdAt, tz);
    const search = r.exhaustive === null ? '' : r.exhaustive ? ', exhaustive' : ', search bounded (counts are lower bounds)';
    const paths = `${roughCount(r.paths)} takeover path${BigInt(r.paths) === 1n ? '' : 's'}`;
    const parts = [paths, ...(r.undetected !== null ? [`${roughCount(r.undetected)} undetected`] : []), `${roughCount(r.privilegedPaths)} on privileged accounts`];
    return {
      id: r.id,
      when,
      scope: `${plural(r.scenarioIds.length, 'scenario')}${search}`,
      // A damaged run's counts were not read: say so rather than show zeros.
      headline: r.damaged !== undefined ? 'Its stored data is damaged: it cannot be opened, only deleted.' : parts.join(' · '),
      madeOn: r.workflowRevision === null ? 'made on the bundled file' : `made on revision ${r.workflowRevision}`,
      stale: r.stale,
      size: bytesText(r.resultBytes),
      onScreen: r.id === onScreen,
      label: `run of ${when}${r.stale ? ' (stale)' : ''}${r.damaged !== undefined ? ' (damaged)' : ''}`,
      damaged: r.damaged ?? null,
    };
  });
}

/** The status line under the title when the report on screen was opened from the workspace (a stale run also gets a banner). */
export function keptRunStatus(kept: { createdAt: string }, scenarios: number, tz?: string): string {
  return `Last stored run, ${runDate(kept.createdAt, tz)} · ${plural(scenarios, 'scenario')}`;
}

/** The banner over a stale run: which version it was made on, and that the results may no longer hold. */
export function staleText(workflowRevision: number | null): string {
  return `made on ${workflowRevision === null ? 'the bundled file' : `revision ${workflowRevision}`} of this workflow, which has changed since: these results may no longer hold.`;
}

/** The workspace's size line under the run list. */
export function sizeText(size: { bytes: number; runs: number; runResultBytes: number }): string {
  return `Workspace on disk: ${bytesText(size.bytes)}, holding ${plural(size.runs, 'stored run')} (${bytesText(size.runResultBytes)} of results before compression)`;
}
