// What-if in the renderer: catalogue controls switched on (placed hardened and system-enforced at
// every attach point) or off (removed everywhere) on the open workflow, then the workflow is
// re-analysed against the same scenarios with the pure engine. A first pass computes paths and
// outcomes only (what the graph and the table draw, about a millisecond); a second pass adds gap
// attribution and minimal control sets.
import { analyzeWorkflow, buildAnalysisReport, countIn, hasAttachPoint, pathsText, toggleControl, type AnalysisCache } from '../../analysis/index.ts';
import { belowHardened, CONTROLS, OWNER_ROLES, type ControlDef, type ControlRole, type Workflow } from '../../models/index.ts';
import type { Scenario } from '../../scenarios/index.ts';
import type { ReportWorkflow } from './computeResults.ts';
import { compactCount } from './format.ts';

/** Control id -> switched on (true) or off (false); controls not listed keep the file's setting. */
export type WhatIfChanges = ReadonlyMap<string, boolean>;

/** The workflow with the what-if changes applied, in catalogue order (so the result is stable). */
export function applyWhatIf(wf: Workflow, changes: WhatIfChanges): Workflow {
  let out = wf;
  for (const c of CONTROLS) {
    const on = changes.get(c.id);
    if (on !== undefined) out = toggleControl(out, c.id, on);
  }
  return out;
}

export type WhatIfPhase = 'paths' | 'full';

/**
 * Re-analyses a workflow: paths and outcomes only, or with attribution and minimal sets. `workflows`
 * resolves the other workflows campaign stages name (a stage through the open workflow uses it with
 * the what-if changes).
 */
export function analyseWhatIf(wf: Workflow, scenarios: readonly Scenario[], phase: WhatIfPhase, cache?: AnalysisCache, workflows?: ReadonlyMap<string, Workflow>): ReportWorkflow {
  const options = phase === 'paths' ? { attribute: false, minimalSets: false } : {};
  // The session cache keeps every step evaluation and attribution label of the open workflow's
  // earlier analyses: a toggle re-evaluates only what it changed.
  const analysis = analyzeWorkflow(wf, scenarios, { ...options, ...(cache ? { cache } : {}), ...(workflows ? { workflows } : {}) });
  return buildAnalysisReport([analysis]).workflows[0]!;
}

export interface ControlPresence {
  instances: number;
  enforcement: 'system' | 'procedural' | 'mixed';
  /** Some instance is procedural or set below the catalogue's hardened parameters. */
  weakened: boolean;
}

export interface WhatIfRow {
  id: string;
  name: string;
  summary: string;
  role: ControlRole;
  ownerTitle: string;
  /** In the original file. */
  original: ControlPresence | null;
  /** After the what-if changes. */
  current: ControlPresence | null;
  change: boolean | undefined;
  /** The workflow has a place for it (a step of a kind it attaches to, or workflow scope). */
  placeable: boolean;
  /** In the least-friction set of the analysis the tags are read off. */
  inLeastFriction: boolean;
  /** Exact takeover paths of that analysis the control closes on its own, or would detect. */
  blocksPaths: bigint;
  detectsPaths: bigint;
  /** "blocks 13", "detects 1.0e22", with the exact count in the title. */
  tags: { text: string; title: string }[];
  /** What the row says about its state, in words. */
  state: string;
}

export interface WhatIfGroup {
  role: ControlRole;
  title: string;
  rows: WhatIfRow[];
}

const ROLE_TITLES: Record<ControlRole, string> = {
  guard: 'Guards: a requester must pass them',
  modifier: 'Modifiers: harden other controls',
  detector: 'Detectors: turn a takeover into a detected one',
  responder: 'Responders: limit what a detected takeover keeps',
  deterrent: 'Deterrents: never credited with blocking',
};
const ROLE_ORDER: ControlRole[] = ['guard', 'modifier', 'detector', 'responder', 'deterrent'];

function presence(wf: Workflow, def: ControlDef): ControlPresence | null {
  const all = [...wf.controls, ...wf.exceptions.flatMap((e) => e.controls), ...wf.stepOrder.flatMap((s) => wf.steps[s]!.controls)].filter((c) => c.control === def.id);
  if (all.length === 0) return null;
  const kinds = new Set(all.map((c) => c.enforcement));
  const below = all.some((c) => Object.entries(def.params).some(([k, spec]) => belowHardened(spec, c.params[k])));
  return {
    instances: all.length,
    enforcement: kinds.size > 1 ? 'mixed' : (all[0]!.enforcement as 'system' | 'procedural'),
    weakened: below || kinds.has('procedural'),
  };
}

function stateText(original: ControlPresence | null, change: boolean | undefined, placeable: boolean): string {
  if (change === true) return original ? 'hardened and enforced (what-if)' : 'added, hardened (what-if)';
  if (change === false) return 'removed (what-if)';
  if (!original) return placeable ? 'not in the workflow' : 'no step it can sit on';
  const where = `${original.instances > 1 ? `${original.instances}× ` : ''}${original.enforcement}`;
  return original.weakened ? `in the workflow (${where}, below hardened)` : `in the workflow (${where})`;
}

/**
 * The what-if panel's rows: every catalogue control with its state, grouped by role. Its tags (what
 * a control closes or detects on its own, whether it is in the least-friction set) are read off
 * `report`: the what-if analysis once there are changes, so they say what is left to close with
 * the changes made, like the graph and the table; the file's analysis before any.
 */
export function whatIfRows(original: Workflow, changes: WhatIfChanges, current: Workflow, report: ReportWorkflow | null, source: 'file' | 'what-if' = 'file'): WhatIfGroup[] {
  const of = source === 'file' ? "of the file's analysis" : 'of the what-if analysis';
  const least = new Set(report?.minimalSets.leastFriction?.controls ?? []);
  const summary = new Map(report?.controls.map((c) => [c.control, c]) ?? []);
  const rows: WhatIfRow[] = CONTROLS.map((def) => {
    const o = presence(original, def);
    const change = changes.get(def.id);
    const placeable = hasAttachPoint(original, def.id, original.stepOrder);
    const c = summary.get(def.id);
    const blocksPaths = c ? countIn(c.blocksPaths) : 0n;
    const detectsPaths = c ? countIn(c.detectsPaths) : 0n;
    return {
      id: def.id,
      name: def.name,
      summary: def.summary,
      role: def.role,
      ownerTitle: OWNER_ROLES[def.owner],
      original: o,
      current: presence(current, def),
      change,
      placeable,
      inLeastFriction: least.has(def.id),
      blocksPaths,
      detectsPaths,
      tags: [
        ...(blocksPaths ? [{ text: `blocks ${compactCount(blocksPaths)}`, title: `Closes ${pathsText(blocksPaths)} ${of} on its own` }] : []),
        ...(detectsPaths ? [{ text: `detects ${compactCount(detectsPaths)}`, title: `Would detect ${pathsText(detectsPaths)} ${of}` }] : []),
      ],
      state: stateText(o, change, placeable),
    };
  });
  return ROLE_ORDER.map((role) => ({ role, title: ROLE_TITLES[role], rows: rows.filter((r) => r.role === role) })).filter((g) => g.rows.length > 0);
}

/** The change a click on a row makes: on when absent (or weakened), off when present. */
export function nextChanges(changes: WhatIfChanges, row: Pick<WhatIfRow, 'id' | 'original' | 'change'>, action: 'toggle' | 'harden' | 'undo'): Map<string, boolean> {
  const next = new Map(changes);
  if (action === 'undo') next.delete(row.id);
  else if (action === 'harden') next.set(row.id, true);
  else {
    const present = row.change === undefined ? row.original !== null : row.change;
    // Switching back to the file's own state drops the change instead of recording a no-op.
    if (present) {
      if (row.original) next.set(row.id, false);
      else next.delete(row.id);
    } else if (row.original) next.delete(row.id);
    else next.set(row.id, true);
  }
  return next;
}
