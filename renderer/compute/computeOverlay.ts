// Takeover paths drawn over the workflow graph: how many paths use each edge (the report's exact
// per-transition counts, for the edge's weight and its count badge), which edges and steps the
// selected example walks, and the verdict each control on it received when it was replayed.
import { countIn, formatCount, type Count } from '../../analysis/index.ts';
import type { EdgeKind, GraphLayout } from './computeGraphLayout.ts';
import { compactCount, type Verdict } from './format.ts';

/** A walked route: each step and how it was left; verdicts when the route has been replayed. */
export interface RouteLike {
  steps: { step: string; via: 'pass' | 'fail' | 'route' | 'end'; verdicts?: readonly { key: string; verdict: Verdict }[] }[];
  takeoverStep?: string;
}

/** A transition of the report with its exact number of takeover paths. */
export interface TransitionCount {
  /** "from>to>next|on_fail|route", the id of the layout's edge. */
  transition: string;
  paths: Count;
}

const VIA_KIND: Record<'pass' | 'fail' | 'route', EdgeKind> = { pass: 'next', fail: 'on_fail', route: 'route' };

/** The edge ids a route walks, in order (each step's exit into the next step of the route). */
export function pathEdgeIds(route: RouteLike): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < route.steps.length; i++) {
    const s = route.steps[i]!;
    if (s.via === 'end') continue;
    out.push(`${s.step}>${route.steps[i + 1]!.step}>${VIA_KIND[s.via]}`);
  }
  return out;
}

export interface EdgeOverlay {
  /** Exact takeover paths through the edge. */
  count: bigint;
  /** The count as its badge shows it ("13", "1.0e22"). */
  label: string;
  /** The exact count in words, for the badge's tooltip. */
  title: string;
  /** Width of the badge that holds the label (a pill, at least round for one or two digits). */
  badgeWidth: number;
  /** Centre of the badge relative to the edge's mid point: beside the edge (or its label), on whichever side is free. */
  badgeX: number;
  /** Stroke width for the path-count layer (0 when no path uses the edge). */
  weight: number;
  selected: boolean;
}

export interface StepOverlay {
  /** 1-based positions of the step on the selected route (a step can be walked more than once). */
  order: number[];
  selected: boolean;
  /** The takeover happens here on the selected route. */
  takeover: boolean;
  /** Some takeover path (of the counted set) enters or leaves the step. */
  touched: boolean;
}

export interface Overlay {
  edges: Map<string, EdgeOverlay>;
  steps: Map<string, StepOverlay>;
  /** Verdict per control instance key on the selected route (the worst one, when walked twice). */
  chipVerdicts: Map<string, Verdict>;
  maxCount: bigint;
}

const VERDICT_RANK: Record<Verdict, number> = { satisfied: 0, unmet: 0, not_applicable: 0, waived: 1, skipped: 2, defeated: 3 };

/** Advance of a digit in the badge's 10 px bold figures, and the badge's padding. */
const BADGE_DIGIT = 7.4;
const BADGE_PAD = 10;
const BADGE_MIN = 22;

/** Thinnest and thickest stroke of the path-count layer. */
const MIN_WEIGHT = 2;
const MAX_WEIGHT = 7;

/**
 * Stroke width for a count relative to the largest: the square root of the share, so the area of
 * the stroke follows the count; computed on BigInts, since counts go far past 2^53.
 */
function weightOf(count: bigint, max: bigint): number {
  if (count <= 0n || max <= 0n) return 0;
  const share = Number((count * 1_000_000n) / max) / 1_000_000;
  return Math.max(MIN_WEIGHT, Math.sqrt(share) * MAX_WEIGHT);
}

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

const BADGE_H = 18;
/** Space between a badge and the edge line or label it belongs to. */
const BADGE_GAP = 1;
const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * Puts each count badge beside its edge: right of the edge's label (or line) by default, left when
 * the right side would cover another badge, label or step box (parallel next and on-fail edges sit
 * close together, and wide badges like "9.4e21" would run into each other). Unlabelled edges are
 * placed first since they have less room to move. Returns the badge centre relative to the mid.
 */
function placeBadges(layout: { nodes: readonly { x: number; y: number; width: number; height: number }[]; edges: GraphLayout['edges'] }, widths: ReadonlyMap<string, number>): Map<string, number> {
  // The boxes already placed, filed by horizontal band so a badge is tested only against boxes at
  // its height (a 200-step graph has hundreds of boxes; testing each badge against all of them made
  // this a tenth of a what-if's time). The answer is the same as testing them all.
  const BAND = 64;
  const bands = new Map<number, Box[]>();
  const take = (b: Box) => {
    for (let k = Math.floor(b.y0 / BAND); k <= Math.floor(b.y1 / BAND); k++) {
      const list = bands.get(k);
      if (list) list.push(b);
      else bands.set(k, [b]);
    }
  };
  const free = (b: Box) => {
    for (let k = Math.floor(b.y0 / BAND); k <= Math.floor(b.y1 / BAND); k++) for (const t of bands.get(k) ?? []) if (overlaps(b, t)) return false;
    return true;
  };
  for (const n of layout.nodes) take({ x0: n.x, x1: n.x + n.width, y0: n.y, y1: n.y + n.height });
  for (const e of layout.edges) if (e.labelWidth > 0) take({ x0: e.mid.x - e.labelWidth / 2, x1: e.mid.x + e.labelWidth / 2, y0: e.mid.y - BADGE_H / 2, y1: e.mid.y + BADGE_H / 2 });
  const out = new Map<string, number>();
  const order = layout.edges.filter((e) => widths.has(e.id)).sort((a, b) => (a.labelWidth > 0 ? 1 : 0) - (b.labelWidth > 0 ? 1 : 0));
  for (const e of order) {
    const w = widths.get(e.id)!;
    const reach = (e.labelWidth > 0 ? e.labelWidth / 2 : 2) + BADGE_GAP + w / 2;
    const at = (dx: number): Box => ({ x0: e.mid.x + dx - w / 2, x1: e.mid.x + dx + w / 2, y0: e.mid.y - BADGE_H / 2, y1: e.mid.y + BADGE_H / 2 });
    const right = at(reach);
    const left = at(-reach);
    const dx = free(right) ? reach : free(left) ? -reach : reach;
    out.set(e.id, dx);
    take(dx === reach ? right : left);
  }
  return out;
}

/** Combines the transition counts and the selected route into what the graph draws. */
export function computeOverlay(layout: GraphLayout, transitions: readonly TransitionCount[], selected: RouteLike | null): Overlay {
  const counts = new Map<string, bigint>();
  for (const t of transitions) counts.set(t.transition, countIn(t.paths));
  let maxCount = 0n;
  for (const n of counts.values()) if (n > maxCount) maxCount = n;
  const selectedEdges = new Set(selected ? pathEdgeIds(selected) : []);
  const badgeWidth = (label: string) => Math.max(BADGE_MIN, Math.ceil(label.length * BADGE_DIGIT + BADGE_PAD));
  const widths = new Map(layout.edges.filter((e) => (counts.get(e.id) ?? 0n) > 0n).map((e) => [e.id, badgeWidth(compactCount(counts.get(e.id)!))]));
  const badgeX = placeBadges(layout, widths);
  const edges = new Map<string, EdgeOverlay>();
  const touched = new Set<string>();
  for (const e of layout.edges) {
    const count = counts.get(e.id) ?? 0n;
    if (count > 0n) touched.add(e.from).add(e.to);
    const label = compactCount(count);
    edges.set(e.id, {
      count,
      label,
      badgeWidth: badgeWidth(label),
      badgeX: badgeX.get(e.id) ?? 0,
      title: `${formatCount(count)} takeover path${count === 1n ? '' : 's'} use${count === 1n ? 's' : ''} this transition`,
      weight: weightOf(count, maxCount),
      selected: selectedEdges.has(e.id),
    });
  }
  const steps = new Map<string, StepOverlay>();
  for (const n of layout.nodes) steps.set(n.id, { order: [], selected: false, takeover: false, touched: touched.has(n.id) });
  const chipVerdicts = new Map<string, Verdict>();
  if (selected) {
    selected.steps.forEach((s, i) => {
      const o = steps.get(s.step);
      if (o) {
        o.order.push(i + 1);
        o.selected = true;
        if (selected.takeoverStep === s.step) o.takeover = true;
      }
      for (const v of s.verdicts ?? []) {
        const prev = chipVerdicts.get(v.key);
        if (!prev || VERDICT_RANK[v.verdict] > VERDICT_RANK[prev]) chipVerdicts.set(v.key, v.verdict);
      }
    });
  }
  return { edges, steps, chipVerdicts, maxCount };
}

/**
 * The overlay moved onto a layout that draws some steps as collapsed run boxes: every transition
 * still drawn keeps its exact count and selection, its badge placed again beside the edge as now
 * drawn (clear of the run boxes too); steps keep their state.
 */
export function overlayOnLayout(full: Overlay, layout: Pick<GraphLayout, 'nodes' | 'edges'>, extraBoxes: readonly { x: number; y: number; width: number; height: number }[]): Overlay {
  const widths = new Map<string, number>();
  for (const e of layout.edges) {
    const o = full.edges.get(e.id);
    if (o && o.count > 0n) widths.set(e.id, o.badgeWidth);
  }
  const badgeX = placeBadges({ nodes: [...layout.nodes, ...extraBoxes], edges: layout.edges }, widths);
  const edges = new Map<string, EdgeOverlay>();
  for (const e of layout.edges) {
    const o = full.edges.get(e.id);
    if (o) edges.set(e.id, { ...o, badgeX: badgeX.get(e.id) ?? 0 });
  }
  return { ...full, edges };
}
