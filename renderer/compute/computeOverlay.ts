// Takeover paths drawn over the workflow graph: how many paths use each edge (for the edge's
// weight and its count badge), which edges and steps the selected path walks, and the verdict each
// control on the selected path received.
import { scaleSqrt } from 'd3';
import type { EdgeKind, GraphLayout } from './computeGraphLayout.ts';
import type { Verdict } from './format.ts';

export interface PathLike {
  id: string;
  steps: { step: string; via: 'pass' | 'fail' | 'route' | 'end'; verdicts: { key: string; verdict: Verdict; control: string }[] }[];
}

const VIA_KIND: Record<'pass' | 'fail' | 'route', EdgeKind> = { pass: 'next', fail: 'on_fail', route: 'route' };

/** The edge ids a path walks, in order (each step's exit into the next step of the path). */
export function pathEdgeIds(path: PathLike): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < path.steps.length; i++) {
    const s = path.steps[i]!;
    if (s.via === 'end') continue;
    out.push(`${s.step}>${path.steps[i + 1]!.step}>${VIA_KIND[s.via]}`);
  }
  return out;
}

/** How many of the given paths walk each edge (a path walking an edge twice counts once). */
export function edgeCounts(paths: readonly PathLike[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of paths) for (const id of new Set(pathEdgeIds(p))) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

export interface EdgeOverlay {
  count: number;
  /** Stroke width for the path-count layer (0 when no path uses the edge). */
  weight: number;
  selected: boolean;
}

export interface StepOverlay {
  /** 1-based positions of the step on the selected path (a step can be walked more than once). */
  order: number[];
  selected: boolean;
  /** The takeover happens here on the selected path. */
  takeover: boolean;
  /** Paths (of the counted set) that pass through the step. */
  count: number;
}

export interface Overlay {
  edges: Map<string, EdgeOverlay>;
  steps: Map<string, StepOverlay>;
  /** Verdict per control instance key on the selected path (the worst one, when walked twice). */
  chipVerdicts: Map<string, Verdict>;
  maxCount: number;
}

const VERDICT_RANK: Record<Verdict, number> = { satisfied: 0, unmet: 0, waived: 1, skipped: 2, defeated: 3 };

/** Combines the counted paths and the selected one into what the graph draws. */
export function computeOverlay(layout: GraphLayout, paths: readonly PathLike[], selected: (PathLike & { takeoverStep?: string }) | null): Overlay {
  const counts = edgeCounts(paths);
  const maxCount = Math.max(0, ...counts.values());
  const width = scaleSqrt().domain([0, Math.max(1, maxCount)]).range([0, 7]);
  const selectedEdges = new Set(selected ? pathEdgeIds(selected) : []);
  const edges = new Map<string, EdgeOverlay>();
  for (const e of layout.edges) {
    const count = counts.get(e.id) ?? 0;
    edges.set(e.id, { count, weight: count > 0 ? Math.max(2, width(count)) : 0, selected: selectedEdges.has(e.id) });
  }
  const stepCounts = new Map<string, number>();
  for (const p of paths) for (const sid of new Set(p.steps.map((s) => s.step))) stepCounts.set(sid, (stepCounts.get(sid) ?? 0) + 1);
  const steps = new Map<string, StepOverlay>();
  for (const n of layout.nodes) steps.set(n.id, { order: [], selected: false, takeover: false, count: stepCounts.get(n.id) ?? 0 });
  const chipVerdicts = new Map<string, Verdict>();
  if (selected) {
    selected.steps.forEach((s, i) => {
      const o = steps.get(s.step);
      if (o) {
        o.order.push(i + 1);
        o.selected = true;
        if (selected.takeoverStep === s.step) o.takeover = true;
      }
      for (const v of s.verdicts) {
        const prev = chipVerdicts.get(v.key);
        if (!prev || VERDICT_RANK[v.verdict] > VERDICT_RANK[prev]) chipVerdicts.set(v.key, v.verdict);
      }
    });
  }
  return { edges, steps, chipVerdicts, maxCount };
}
