// Comparing two workflows, or two revisions of one: which steps and controls were added, removed
// or changed, and, per scenario, which takeover path classes the change opened or closed. A class
// is told apart across versions by its outcome and the controls that would close or detect it
// (ClassMark.key): the same attack pattern, stopped by the same controls, is the same class.
import { formatCount } from '../../analysis/index.ts';
import type { ControlInstance, Workflow } from '../../models/index.ts';
import type { ClassMark, LiveSummary } from './computeLive.ts';

const OUTCOME_TEXT: Record<ClassMark['outcome'], string> = { takeover_undetected: 'undetected takeover', takeover_detected: 'detected takeover' };

export type Change = { sign: '+' | '−' | '~'; text: string };

const controlText = (c: ControlInstance) => `${c.control} (${c.enforcementUnknown ? 'enforcement unknown' : c.enforcement})`;

function paramsText(c: ControlInstance): string {
  return Object.entries(c.params)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
}

function controlChanges(where: string, a: readonly ControlInstance[], b: readonly ControlInstance[]): Change[] {
  const out: Change[] = [];
  const before = new Map(a.map((c) => [c.control, c]));
  const after = new Map(b.map((c) => [c.control, c]));
  for (const [id, c] of after) if (!before.has(id)) out.push({ sign: '+', text: `${controlText(c)} ${where}` });
  for (const [id, c] of before) if (!after.has(id)) out.push({ sign: '−', text: `${controlText(c)} ${where}` });
  for (const [id, c] of after) {
    const old = before.get(id);
    if (!old) continue;
    if (old.enforcement !== c.enforcement || !!old.enforcementUnknown !== !!c.enforcementUnknown) out.push({ sign: '~', text: `${id} ${where}: ${old.enforcementUnknown ? 'unknown' : old.enforcement} → ${c.enforcementUnknown ? 'unknown' : c.enforcement}` });
    if (paramsText(old) !== paramsText(c)) out.push({ sign: '~', text: `${id} ${where}: ${paramsText(old)} → ${paramsText(c)}` });
  }
  return out;
}

/** Steps and controls added, removed or changed from `a` to `b`, in file order. */
export function structureDiff(a: Workflow, b: Workflow): { steps: Change[]; controls: Change[] } {
  const steps: Change[] = [];
  const controls: Change[] = [];
  for (const id of b.stepOrder) if (!a.steps[id]) steps.push({ sign: '+', text: `${id} (${b.steps[id]!.kind}): ${b.steps[id]!.name}` });
  for (const id of a.stepOrder) if (!b.steps[id]) steps.push({ sign: '−', text: `${id} (${a.steps[id]!.kind}): ${a.steps[id]!.name}` });
  for (const id of b.stepOrder) {
    const x = a.steps[id];
    const y = b.steps[id]!;
    if (!x) {
      controls.push(...controlChanges(`on new step ${id}`, [], y.controls));
      continue;
    }
    const fields: [string, string | undefined, string | undefined][] = [
      ['kind', x.kind, y.kind],
      ['name', x.name, y.name],
      ['next', x.next, y.next],
      ['on failure', x.onFail, y.onFail],
      ['actor', x.actor, y.actor],
    ];
    for (const [f, u, v] of fields) if (u !== v) steps.push({ sign: '~', text: `${id} ${f}: ${u ?? '(none)'} → ${v ?? '(none)'}` });
    controls.push(...controlChanges(`on ${id}`, x.controls, y.controls));
  }
  for (const id of a.stepOrder) if (!b.steps[id]) controls.push(...controlChanges(`on removed step ${id}`, a.steps[id]!.controls, []));
  controls.push(...controlChanges('workflow-wide', a.controls, b.controls));
  if (a.start !== b.start) steps.push({ sign: '~', text: `start: ${a.start} → ${b.start}` });
  return { steps, controls };
}

/** Per scenario, the classes only in `b` (opened) and only in `a` (closed). */
export interface ScenarioClassDiff {
  scenario: string;
  opened: ClassMark[];
  closed: ClassMark[];
  kept: number;
}

export function classDiff(a: LiveSummary, b: LiveSummary): { scenarios: ScenarioClassDiff[]; opened: number; closed: number } {
  const ids = [...new Set([...Object.keys(a.marks), ...Object.keys(b.marks)])].sort();
  const scenarios: ScenarioClassDiff[] = [];
  for (const id of ids) {
    const before = a.marks[id] ?? [];
    const after = b.marks[id] ?? [];
    const was = new Set(before.map((m) => m.key));
    const now = new Set(after.map((m) => m.key));
    const opened = after.filter((m) => !was.has(m.key));
    const closed = before.filter((m) => !now.has(m.key));
    if (opened.length || closed.length) scenarios.push({ scenario: id, opened, closed, kept: after.length - opened.length });
  }
  return { scenarios, opened: scenarios.reduce((n, s) => n + s.opened.length, 0), closed: scenarios.reduce((n, s) => n + s.closed.length, 0) };
}

/** A class in words: its outcome, its path count and what would close it. */
export function markText(m: ClassMark): string {
  const closes = m.blocking.length ? `closed by ${m.blocking.join(' or ')}` : 'no single control closes it';
  return `${OUTCOME_TEXT[m.outcome]}, ${formatCount(m.paths)} path${m.paths === '1' ? '' : 's'}; ${closes}`;
}
