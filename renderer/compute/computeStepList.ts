// The workflow graph as a list, for screen readers and keyboard users: each step with its kind, name,
// actor and controls (and any set below its hardened value), where it leads, and, once analysed, how
// many of the drawn takeover paths cross it, the verdict of each control on the selected path, and
// its place on that path. Says in words what the SVG says by position, colour and badges.
import { formatCount } from '../../analysis/index.ts';
import type { GraphLayout } from './computeGraphLayout.ts';
import type { Overlay } from './computeOverlay.ts';
import { VERDICTS } from './format.ts';

export interface StepItem {
  id: string;
  /** "Identity proofing step 3: Tier-1 agent verifies the caller" */
  heading: string;
  actor: string | null;
  /** "proofing.ial2 (procedural, below hardened: method=kbv; defeated on the selected path)" */
  controls: string[];
  /** "next: Reset the password; on failure: Refuse" */
  leadsTo: string;
  /** "3 takeover paths cross this step" (of the drawn ones), null before an analysis. */
  paths: string | null;
  /** "Step 2 of the selected path, where the takeover happens" */
  onPath: string | null;
}

const KIND_WORDS = { next: 'next', on_fail: 'on failure', route: 'routes to' } as const;

/**
 * Takeover paths crossing each step: the paths entering it, or leaving it for the first step (which
 * nothing enters). A route that walks a step twice counts there twice, as the edge counts do.
 */
export function stepCrossings(layout: GraphLayout, overlay: Overlay): Map<string, bigint> {
  const into = new Map<string, bigint>();
  const out = new Map<string, bigint>();
  for (const e of layout.edges) {
    const c = overlay.edges.get(e.id)?.count ?? 0n;
    into.set(e.to, (into.get(e.to) ?? 0n) + c);
    out.set(e.from, (out.get(e.from) ?? 0n) + c);
  }
  const m = new Map<string, bigint>();
  for (const n of layout.nodes) {
    const i = into.get(n.id) ?? 0n;
    const o = out.get(n.id) ?? 0n;
    m.set(n.id, i > o ? i : o);
  }
  return m;
}

/** "3 takeover paths cross this step" */
export function pathsWords(count: bigint, what = 'this step'): string {
  return `${formatCount(count)} takeover ${count === 1n ? 'path crosses' : 'paths cross'} ${what}`;
}

export function stepItems(layout: GraphLayout, overlay: Overlay | null, analysed: boolean): StepItem[] {
  const names = new Map(layout.nodes.map((n) => [n.id, n.fullName]));
  const crossings = analysed && overlay ? stepCrossings(layout, overlay) : null;
  return layout.nodes.map((n, i) => {
    const so = overlay?.steps.get(n.id);
    const controls = n.chips.map((c) => {
      const v = overlay?.chipVerdicts.get(c.key);
      const notes = [c.enforcement, c.belowHardened.length ? `below hardened: ${c.belowHardened.join('; ')}` : null, v ? `${VERDICTS[v].label} on the selected path` : null].filter(Boolean);
      return `${c.control} (${notes.join(', ')})`;
    });
    const exits = layout.edges.filter((e) => e.from === n.id).map((e) => `${KIND_WORDS[e.kind]}${e.label ? ` (${e.label})` : ''}: ${names.get(e.to) ?? e.to}`);
    const count = crossings ? (crossings.get(n.id) ?? 0n) : null;
    return {
      id: n.id,
      heading: `${n.kindLabel} step ${i + 1}${n.isStart ? ' (start)' : ''}: ${n.fullName}`,
      actor: n.actor,
      controls,
      leadsTo: exits.length ? exits.join('; ') : 'ends the workflow',
      paths: count === null ? null : pathsWords(count),
      onPath: so?.order.length ? `Step ${so.order.join(' and ')} of the selected path${so.takeover ? ', where the takeover happens' : ''}` : null,
    };
  });
}
