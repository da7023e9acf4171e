// The workflow as a directed graph, laid out with dagre: steps become boxes sized from their text
// (estimated from fixed per-character widths, so the layout is pure and testable without a DOM),
// controls become chips inside them, and next / on_fail / route transitions become edge paths.
// Here in models/ rather than in the renderer because two drawers share it: the workbench (React,
// renderer/) and the HTML report (cli/), which may not import each other. Pure: no d3 (the
// pure-folder rule), so the B-spline d3's curveBasis draws is written out below, to the same path.
import dagre from '@dagrejs/dagre';
import { getControl } from './catalogue/controls.ts';
import { belowHardened as isBelowHardened } from './catalogue/types.ts';
import { ROUTING_STEP_NAME, type StepKind } from './vocabulary.ts';
import type { ControlInstance, Step, Workflow } from './workflow/types.ts';

export type EdgeKind = 'next' | 'on_fail' | 'route';

export interface GraphChip {
  key: string;
  control: string;
  label: string;
  enforcement: 'system' | 'procedural';
  /** Parameters set below the catalogue's hardened value ("method=kbv"). */
  belowHardened: string[];
  /** Tooltip text: name, enforcement, parameters. */
  title: string;
  /** Position relative to the node's top-left corner. */
  x: number;
  y: number;
  width: number;
}

export interface GraphNode {
  id: string;
  kind: StepKind;
  kindLabel: string;
  /** Wrapped step name, at most three lines. */
  lines: string[];
  fullName: string;
  actor: string | null;
  x: number;
  y: number;
  width: number;
  height: number;
  chips: GraphChip[];
  isStart: boolean;
  /** Where a credential is handed over (a takeover happens at execution steps). */
  isExecution: boolean;
}

export interface GraphEdge {
  /** "<from>><to>><kind>", the key path overlays count on. */
  id: string;
  from: string;
  to: string;
  kind: EdgeKind;
  label: string | null;
  /** Width of the label's box, centred on `mid` (0 without a label). */
  labelWidth: number;
  /** SVG path data. */
  d: string;
  /** A point on the edge for its label and path-count badge. */
  mid: { x: number; y: number };
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Workflow-scope controls, drawn above the graph. */
  workflowChips: GraphChip[];
}

export const NODE_WIDTH = 220;
const PAD_X = 10;
const INNER = NODE_WIDTH - 2 * PAD_X;
/** Approximate advance of the 12 px sans-serif used for step names (DejaVu/Liberation, Segoe, SF). */
const NAME_CHAR_PX = 6.9;
/** Advance of the 12 px monospace used in chips (DejaVu Sans Mono: 7.22 px); 12 px is the smallest text drawn, readable on a projector. */
const CHIP_CHAR_PX = 7.3;
const CHIP_PAD = 12;
export const CHIP_H = 18;
const CHIP_GAP = 4;

const KIND_LABEL: Record<StepKind, string> = {
  intake: 'Intake',
  routing: 'Routing',
  proofing: 'Identity proofing',
  step_up: 'Step-up',
  callback: 'Call-back',
  approval: 'Approval',
  exception: 'Exception',
  execution: 'Execution',
  notification: 'Notification',
  logging: 'Logging',
  review: 'Review',
  end: 'End',
};

/** Wraps text into lines of at most `maxChars`, keeping at most `maxLines` (the last one ellipsed). */
export function wrapText(text: string, maxChars: number, maxLines: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = '';
  for (const w0 of words) {
    let w = w0;
    while (w.length > maxChars) {
      if (cur) {
        lines.push(cur);
        cur = '';
      }
      lines.push(w.slice(0, maxChars - 1) + '-');
      w = w.slice(maxChars - 1);
    }
    if (!cur) cur = w;
    else if (cur.length + 1 + w.length <= maxChars) cur += ` ${w}`;
    else {
      lines.push(cur);
      cur = w;
    }
  }
  if (cur) lines.push(cur);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1]!;
  kept[maxLines - 1] = (last.length >= maxChars ? last.slice(0, maxChars - 1) : last).replace(/[\s-]+$/, '') + '…';
  return kept;
}

function paramText(v: unknown): string {
  return Array.isArray(v) ? `[${v.join(', ')}]` : String(v);
}

/** The chips of a list of control instances, flowed into rows of `width`. */
export function layoutChips(instances: readonly ControlInstance[], width: number, top: number, left: number): { chips: GraphChip[]; bottom: number } {
  const chips: GraphChip[] = [];
  let x = left;
  let y = top;
  for (const inst of instances) {
    const def = getControl(inst.control);
    const maxChars = Math.floor((width - CHIP_PAD) / CHIP_CHAR_PX);
    const label = inst.control.length > maxChars ? `${inst.control.slice(0, maxChars - 1)}…` : inst.control;
    const w = Math.ceil(label.length * CHIP_CHAR_PX + CHIP_PAD);
    if (x > left && x + w > left + width) {
      x = left;
      y += CHIP_H + CHIP_GAP;
    }
    const belowHardened = Object.entries(def.params)
      .filter(([name, spec]) => isBelowHardened(spec, inst.params[name]))
      .map(([name]) => `${name}=${paramText(inst.params[name])}`);
    const params = Object.entries(inst.params).map(([k, v]) => `${k}=${paramText(v)}`);
    const title = [
      `${inst.control} — ${def.name}`,
      inst.enforcement === 'system' ? 'Enforced by the system' : 'Procedural: an agent can skip it under pressure',
      params.length ? `Parameters: ${params.join('; ')}` : null,
      belowHardened.length ? `Below the hardened setting: ${belowHardened.join('; ')}` : null,
    ]
      .filter(Boolean)
      .join('\n');
    chips.push({ key: inst.key, control: inst.control, label, enforcement: inst.enforcement, belowHardened, title, x, y, width: w });
    x += w + CHIP_GAP;
  }
  return { chips, bottom: instances.length ? y + CHIP_H : top };
}

function nodeBox(wf: Workflow, step: Step): Omit<GraphNode, 'x' | 'y'> {
  const unnamed = !step.name || step.name === step.id;
  const name = unnamed ? (step.kind === 'routing' ? ROUTING_STEP_NAME : step.id.replace(/_/g, ' ')) : step.name;
  const lines = wrapText(name, Math.floor(INNER / NAME_CHAR_PX), 3);
  const actorDef = step.actor ? wf.actors[step.actor] : undefined;
  // A routing step has no actor; what it trusts (the directory or the caller's word) is what matters.
  const actor = step.kind === 'routing' ? (step.basis === 'caller_claim' ? "on the caller's claim" : 'from the directory') : actorDef ? actorDef.name : null;
  let y = 22 + lines.length * 15;
  if (actor) y += 15;
  const { chips, bottom } = layoutChips(step.controls, INNER, y + 4, PAD_X);
  const height = Math.max(step.controls.length ? bottom + 9 : y + 6, 46);
  return {
    id: step.id,
    kind: step.kind,
    kindLabel: KIND_LABEL[step.kind] ?? step.kind,
    lines,
    fullName: name,
    actor,
    width: NODE_WIDTH,
    height,
    chips,
    isStart: step.id === wf.start,
    isExecution: step.kind === 'execution',
  };
}

/** The transitions of a workflow as edges (route entries to one target are merged). */
export function workflowEdges(wf: Workflow): { id: string; from: string; to: string; kind: EdgeKind; label: string | null }[] {
  const out: { id: string; from: string; to: string; kind: EdgeKind; label: string | null }[] = [];
  for (const sid of wf.stepOrder) {
    const s = wf.steps[sid]!;
    if (s.next) out.push({ id: `${sid}>${s.next}>next`, from: sid, to: s.next, kind: 'next', label: null });
    if (s.onFail) out.push({ id: `${sid}>${s.onFail}>on_fail`, from: sid, to: s.onFail, kind: 'on_fail', label: 'on fail' });
    const byTarget = new Map<string, string[]>();
    for (const r of s.routes) byTarget.set(r.to, [...(byTarget.get(r.to) ?? []), ...r.classes]);
    for (const [to, classes] of byTarget) {
      const names = classes.map(classShort);
      const label = names.length > 3 ? `${names.slice(0, 2).join(', ')} +${names.length - 2}` : names.join(', ');
      out.push({ id: `${sid}>${to}>route`, from: sid, to, kind: 'route', label });
    }
  }
  return out;
}

const CLASS_SHORT: Record<string, string> = {
  standard_employee: 'employee',
  privileged_admin: 'admin',
  executive: 'executive',
  developer: 'developer',
  remote_staff: 'remote',
  vendor: 'vendor',
  shared_mailbox: 'shared mailbox',
  service_account: 'service acct',
  support_agent: 'desk agent',
};

/** Short name of an account class for tight places (edge labels, chips). */
export function classShort(c: string): string {
  return CLASS_SHORT[c] ?? c.replace(/_/g, ' ');
}

/** A coordinate as d3-shape 3.2 writes it (line.digits() 3): rounded to three decimals. */
const num = (v: number) => String(Math.round(v * 1000) / 1000);

/**
 * SVG path data of the uniform cubic B-spline through `pts` (clamped at both ends), exactly as
 * d3's line().curve(curveBasis) writes it, so the workbench's edges did not move when this left d3.
 */
export function basisPath(pts: readonly { x: number; y: number }[]): string {
  if (pts.length === 0) return '';
  const out: string[] = [];
  const bez = (x0: number, y0: number, x1: number, y1: number, x: number, y: number) =>
    out.push(`C${num((2 * x0 + x1) / 3)},${num((2 * y0 + y1) / 3)},${num((x0 + 2 * x1) / 3)},${num((y0 + 2 * y1) / 3)},${num((x0 + 4 * x1 + x) / 6)},${num((y0 + 4 * y1 + y) / 6)}`);
  let x0 = NaN;
  let y0 = NaN;
  let x1 = NaN;
  let y1 = NaN;
  pts.forEach(({ x, y }, i) => {
    if (i === 0) out.push(`M${num(x)},${num(y)}`);
    else if (i >= 2) {
      if (i === 2) out.push(`L${num((5 * x0 + x1) / 6)},${num((5 * y0 + y1) / 6)}`);
      bez(x0, y0, x1, y1, x, y);
    }
    x0 = x1;
    y0 = y1;
    x1 = x;
    y1 = y;
  });
  if (pts.length >= 3) bez(x0, y0, x1, y1, x1, y1);
  if (pts.length >= 2) out.push(`L${num(x1)},${num(y1)}`);
  else out.push('Z');
  return out.join('');
}

/** A box to place and the edges between boxes, for `placeGraph`. */
export interface PlaceBox {
  id: string;
  width: number;
  height: number;
}

export interface PlaceEdge {
  id: string;
  from: string;
  to: string;
  kind: EdgeKind;
  label: string | null;
}

/**
 * Places boxes and edges top to bottom with dagre (top-left corners; coordinates start at (0, 0)).
 * Shared by the workflow layout and the workbench's collapsed view of long linear runs, so both
 * look alike.
 */
export function placeGraph(boxes: readonly PlaceBox[], edges: readonly PlaceEdge[]): Placement {
  // A placement is a function of the boxes' sizes and the edges alone, in their order: a what-if
  // toggle or an edit that leaves every box its size (a control added beside others in a chip row,
  // a workflow-wide control, the workflow's name) is placed as before, without running dagre again.
  const shape = JSON.stringify([boxes.map((b) => [b.id, b.width]), edges.map((e) => [e.id, e.from, e.to, e.kind, e.label])]);
  const key = `${shape}|${boxes.map((b) => b.height).join(',')}`;
  const hit = placements.get(key);
  if (hit) {
    stats.reused++;
    return keep(placements, key, hit);
  }
  // Boxes that only grew or shrank in height (a chip row more or less: a control toggled on a
  // step) are re-placed from the last dagre run of the same graph, without running it again.
  const before = byShape.get(shape);
  let raw = before ? reflow(before, boxes, edges) : null;
  if (raw) stats.reflowed++;
  else {
    raw = placeWithDagre(boxes, edges);
    stats.dagre++;
  }
  const placed = fromRaw(raw, boxes, edges);
  keep(placements, key, placed);
  keep(byShape, shape, raw);
  return placed;
}

/** Where `placeGraph` put boxes and edges. Shared by every layout of the same boxes and edges: read-only. */
export interface Placement {
  readonly width: number;
  readonly height: number;
  readonly positions: ReadonlyMap<string, { readonly x: number; readonly y: number }>;
  readonly edges: readonly GraphEdge[];
}

/** How placements were made since the module loaded: by dagre, re-placed from one (heights only), or found. */
export function placementStats(): { dagre: number; reflowed: number; reused: number } {
  return { ...stats };
}
const stats = { dagre: 0, reflowed: 0, reused: 0 };

/** Recent placements kept (a workflow, its what-if variants and its collapsed views). */
const PLACEMENTS_KEPT = 8;
const placements = new Map<string, Placement>();
/** The last placement of each graph (boxes' ids and widths, and edges), unrounded, to re-place it from. */
const byShape = new Map<string, RawPlacement>();

/** Keeps `value` as the most recently used entry of a memo of PLACEMENTS_KEPT (the oldest goes). */
function keep<T>(memo: Map<string, T>, key: string, value: T): T {
  memo.delete(key);
  memo.set(key, value);
  if (memo.size > PLACEMENTS_KEPT) memo.delete(memo.keys().next().value!);
  return value;
}

/** A placement as dagre gives it: box centres, box heights, each edge's points and label box (in the edges' order), size. */
interface RawPlacement {
  width: number;
  height: number;
  centres: ReadonlyMap<string, { x: number; y: number }>;
  heights: ReadonlyMap<string, number>;
  edges: readonly { points: readonly { x: number; y: number }[]; label: { x: number; y: number; width: number; height: number } | null }[];
}

const MARGIN = 16;
const LABEL_H = 16;

function placeWithDagre(boxes: readonly PlaceBox[], edges: readonly PlaceEdge[]): RawPlacement {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 30, ranksep: 30, edgesep: 16, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  for (const b of boxes) g.setNode(b.id, { width: b.width, height: b.height });
  for (const e of edges) {
    const labelW = e.label ? Math.ceil(e.label.length * 6.2 + 12) : 0;
    g.setEdge(e.from, e.to, { width: labelW, height: e.label ? LABEL_H : 0, labelpos: 'c', minlen: 1, weight: e.kind === 'next' ? 2 : 1 }, e.id);
  }
  dagre.layout(g);
  const centres = new Map<string, { x: number; y: number }>();
  for (const b of boxes) {
    const n = g.node(b.id) as { x: number; y: number };
    centres.set(b.id, { x: n.x, y: n.y });
  }
  const laid = edges.map((e) => {
    const le = g.edge({ v: e.from, w: e.to, name: e.id }) as { points: { x: number; y: number }[]; x?: number; y?: number; width: number; height: number };
    const label = e.label && le.x !== undefined && le.y !== undefined ? { x: le.x, y: le.y, width: le.width, height: le.height } : null;
    return { points: le.points.map((p) => ({ x: p.x, y: p.y })), label };
  });
  const gl = g.graph() as { width?: number; height?: number };
  return { width: gl.width ?? 0, height: gl.height ?? 0, centres, heights: new Map(boxes.map((b) => [b.id, b.height])), edges: laid };
}

/**
 * The placement dagre would make of the same graph with boxes of new heights, from its placement of
 * the old ones; null when it cannot be worked out so (a self-loop, whose drawing follows its box).
 *
 * Dagre's ranks, order within ranks and horizontal positions read the graph and the boxes' widths,
 * never their heights: heights only set each rank's vertical place (its centre is the previous
 * rank's bottom, a rank gap, and half its tallest member), where edges meet their boxes, and the
 * graph's extent. So every member of a rank (box, bend of an edge, edge label) keeps its x; a
 * rank's centre moves by the change in half its own tallest member and in half the one above; the
 * ends of edges are met again on the resized boxes; and the whole is moved to the margins as dagre
 * does. A test compares the result with dagre's own on every control toggled on every bundled
 * workflow and on generated ones.
 */
function reflow(before: RawPlacement, boxes: readonly PlaceBox[], edges: readonly PlaceEdge[]): RawPlacement | null {
  if (edges.some((e) => e.from === e.to)) return null;
  // Ranks by their centre in the old placement (every member of a rank has the same centre), with
  // the tallest member of each in the old and the new boxes.
  const ranks = new Map<number, { before: number; after: number }>();
  const member = (y: number, hBefore: number, hAfter: number) => {
    const r = ranks.get(y);
    if (!r) ranks.set(y, { before: hBefore, after: hAfter });
    else {
      if (hBefore > r.before) r.before = hBefore;
      if (hAfter > r.after) r.after = hAfter;
    }
  };
  for (const b of boxes) member(before.centres.get(b.id)!.y, before.heights.get(b.id)!, b.height);
  for (const e of before.edges) {
    for (let i = 1; i < e.points.length - 1; i++) member(e.points[i]!.y, 0, 0);
    if (e.label) member(e.label.y, e.label.height, e.label.height);
  }
  const ys = [...ranks.keys()].sort((a, b) => a - b);
  const moved = new Map<number, number>();
  let prev = 0;
  ys.forEach((y, i) => {
    const r = ranks.get(y)!;
    if (i === 0) prev = r.after / 2;
    else {
      const p = ranks.get(ys[i - 1]!)!;
      prev += y - ys[i - 1]! - p.before / 2 - r.before / 2 + p.after / 2 + r.after / 2;
    }
    moved.set(y, prev);
  });
  // Moved to the margins as dagre does: the top of the highest box or label at the top margin.
  const height = new Map(boxes.map((b) => [b.id, b.height]));
  const width = new Map(boxes.map((b) => [b.id, b.width]));
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  const extent = (y: number, h: number) => {
    minY = Math.min(minY, y - h / 2);
    maxY = Math.max(maxY, y + h / 2);
  };
  for (const b of boxes) extent(moved.get(before.centres.get(b.id)!.y)!, b.height);
  for (const e of before.edges) if (e.label) extent(moved.get(e.label.y)!, e.label.height);
  const top = minY - MARGIN;
  const at = (y: number) => moved.get(y)! - top;
  const centres = new Map<string, { x: number; y: number }>();
  for (const b of boxes) {
    const c = before.centres.get(b.id)!;
    centres.set(b.id, { x: c.x, y: at(c.y) });
  }
  const box = (id: string) => ({ ...centres.get(id)!, width: width.get(id)!, height: height.get(id)! });
  const laid = edges.map((e, i) => {
    const old = before.edges[i]!;
    const inner = old.points.slice(1, -1).map((p) => ({ x: p.x, y: at(p.y) }));
    const from = box(e.from);
    const to = box(e.to);
    const points = [meetBox(from, inner[0] ?? to), ...inner, meetBox(to, inner[inner.length - 1] ?? from)];
    return { points, label: old.label ? { ...old.label, y: at(old.label.y) } : null };
  });
  return { width: before.width, height: maxY - top + MARGIN, centres, heights: height, edges: laid };
}

/** Where the line from a box's centre towards a point leaves the box (dagre's end of an edge). */
function meetBox(b: { x: number; y: number; width: number; height: number }, p: { x: number; y: number }): { x: number; y: number } {
  const dx = p.x - b.x;
  const dy = p.y - b.y;
  let w = b.width / 2;
  let h = b.height / 2;
  // Through the top or bottom side when the line is steeper than the box's diagonal.
  if (dx === 0 || Math.abs(dy) * w > Math.abs(dx) * h) {
    if (dy < 0) h = -h;
    return { x: b.x + (h * dx) / dy, y: b.y + h };
  }
  if (dx < 0) w = -w;
  return { x: b.x + w, y: b.y + (w * dy) / dx };
}

/** The placement as drawn: boxes' top-left corners and edges' paths, in whole pixels. */
function fromRaw(raw: RawPlacement, boxes: readonly PlaceBox[], edges: readonly PlaceEdge[]): Placement {
  const positions = new Map<string, { x: number; y: number }>();
  for (const b of boxes) {
    const c = raw.centres.get(b.id)!;
    positions.set(b.id, { x: Math.round(c.x - b.width / 2), y: Math.round(c.y - b.height / 2) });
  }
  const laid: GraphEdge[] = edges.map((e, i) => {
    const { points: pts, label } = raw.edges[i]!;
    const midPt = label ?? pts[Math.floor(pts.length / 2)]!;
    return { id: e.id, from: e.from, to: e.to, kind: e.kind, label: e.label, labelWidth: e.label ? Math.ceil(e.label.length * 7 + 10) : 0, d: basisPath(pts), mid: { x: Math.round(midPt.x), y: Math.round(midPt.y) } };
  });
  return { width: Math.ceil(raw.width), height: Math.ceil(raw.height), positions, edges: laid };
}

/** Lays out a workflow top to bottom; coordinates start at (0, 0). */
export function computeGraphLayout(wf: Workflow): GraphLayout {
  const boxes = new Map(wf.stepOrder.map((sid) => [sid, nodeBox(wf, wf.steps[sid]!)]));
  const placed = placeGraph([...boxes.values()], workflowEdges(wf));
  const nodes: GraphNode[] = wf.stepOrder.map((sid) => ({ ...boxes.get(sid)!, ...placed.positions.get(sid)! }));
  const workflowChips = layoutChips(wf.controls, 10_000, 0, 0).chips;
  // The placed edges are shared with every layout of the same placement (placeGraph): a list of its own.
  return { width: placed.width, height: placed.height, nodes, edges: [...placed.edges], workflowChips };
}
