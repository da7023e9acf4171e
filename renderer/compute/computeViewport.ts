// The zoom transform that fits a laid-out graph into the visible pane (d3-zoom's k, x, y).

export interface Fit {
  k: number;
  x: number;
  y: number;
}

/**
 * Scale and offset that show the whole graph centred in the pane, never enlarging past `maxScale`
 * (small workflows stay at reading size) nor shrinking below `minScale`, where step names would
 * become too small to read: a taller graph is then shown from its top and panned. `topInset` keeps
 * a band at the top of the pane free (for what is drawn over it: the paths note, the tools).
 */
export function fitTransform(graph: { width: number; height: number }, pane: { width: number; height: number }, padding = 16, maxScale = 1, minScale = 0.8, topInset = 0): Fit {
  const w = Math.max(1, graph.width);
  const h = Math.max(1, graph.height);
  const availW = Math.max(1, pane.width - 2 * padding);
  const availH = Math.max(1, pane.height - topInset - 2 * padding);
  const k = Math.min(maxScale, Math.max(minScale, Math.min(availW / w, availH / h)));
  const x = (pane.width - w * k) / 2;
  const y = h * k <= availH ? topInset + (pane.height - topInset - h * k) / 2 : topInset + padding;
  return { k, x: Math.round(x), y: Math.round(y) };
}

/**
 * The smallest pan (same scale) that brings a box of the graph into the pane, or null when it is
 * already in view. A box taller or wider than the pane is shown from its top or left edge. The
 * band `topInset` at the top of the pane counts as out of view.
 */
export function revealTransform(t: Fit, box: { x: number; y: number; width: number; height: number }, pane: { width: number; height: number }, padding = 24, topInset = 0): Fit | null {
  const axis = (pos: number, size: number, offset: number, paneSize: number, inset: number): number => {
    const start = pos * t.k + offset;
    const end = (pos + size) * t.k + offset;
    const first = inset + padding;
    if (size * t.k > paneSize - first - padding) return offset + (first - start);
    if (start < first) return offset + (first - start);
    if (end > paneSize - padding) return offset - (end - (paneSize - padding));
    return offset;
  };
  const x = axis(box.x, box.width, t.x, pane.width, 0);
  const y = axis(box.y, box.height, t.y, pane.height, topInset);
  return x === t.x && y === t.y ? null : { k: t.k, x: Math.round(x), y: Math.round(y) };
}

/** Zoom floor of the graph view when the graph fits at a larger scale: below it, step names are unreadable anyway. */
export const READABLE_FLOOR = 0.2;

/** The scale at which the whole graph just fits the pane (with padding and the top band), uncapped. */
export function wholeScale(graph: { width: number; height: number }, pane: { width: number; height: number }, padding = 16, topInset = 0): number {
  const availW = Math.max(1, pane.width - 2 * padding);
  const availH = Math.max(1, pane.height - topInset - 2 * padding);
  return Math.min(availW / Math.max(1, graph.width), availH / Math.max(1, graph.height));
}

/**
 * The smallest zoom the view allows: the usual floor, or lower when the graph is so large that only
 * a lower scale shows all of it, so zooming out and Fit always reach the whole graph.
 */
export function zoomFloor(graph: { width: number; height: number }, pane: { width: number; height: number }, padding = 16, topInset = 0): number {
  return Math.min(READABLE_FLOOR, wholeScale(graph, pane, padding, topInset));
}

/**
 * Below this share of reading scale a whole graph is more than a scroll or two away: only then does
 * an overview (the minimap, the step search) earn the room it takes over the graph. A workflow that
 * overflows the pane a little is scrolled.
 */
export const OVERVIEW_BELOW = 0.5;

/** The graph needs an overview: showing all of it would take a scale under `below` (reading scale is 1). */
export function needsOverview(graph: { width: number; height: number }, pane: { width: number; height: number }, padding = 16, topInset = 0, below = 1): boolean {
  return pane.width > 0 && pane.height > 0 && wholeScale(graph, pane, padding, topInset) < below;
}

/** How the whole graph is drawn in the minimap: its scale on each axis and the offset of its corner. */
export interface MinimapFrame {
  scaleX: number;
  scaleY: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The minimap's frame: the graph scaled to fit `max`, the minimap shrunk to the graph's shape. A
 * graph so tall and narrow (a 200-step column) that it would be a sliver is stretched sideways to
 * `minSide`, and a very wide one downwards: an overview of where things are, not a scale drawing.
 */
export function minimapFrame(graph: { width: number; height: number }, max: { width: number; height: number }, padding = 4, minSide = 48): MinimapFrame {
  const w = Math.max(1, graph.width);
  const h = Math.max(1, graph.height);
  const availW = Math.max(1, max.width - 2 * padding);
  const availH = Math.max(1, max.height - 2 * padding);
  const s = Math.min(availW / w, availH / h);
  const scaleX = Math.max(s, Math.min(availW, minSide) / w);
  const scaleY = Math.max(s, Math.min(availH, minSide) / h);
  return { scaleX, scaleY, x: padding, y: padding, width: Math.ceil(w * scaleX + 2 * padding), height: Math.ceil(h * scaleY + 2 * padding) };
}

/** The part of the graph the pane shows, as a rectangle in minimap coordinates (clipped to the minimap). */
export function minimapViewport(t: Fit, pane: { width: number; height: number }, frame: MinimapFrame): { x: number; y: number; width: number; height: number } {
  const gx0 = -t.x / t.k;
  const gy0 = -t.y / t.k;
  const gx1 = gx0 + pane.width / t.k;
  const gy1 = gy0 + pane.height / t.k;
  const clamp = (v: number, max: number) => Math.min(max, Math.max(0, v));
  const x0 = clamp(frame.x + gx0 * frame.scaleX, frame.width);
  const y0 = clamp(frame.y + gy0 * frame.scaleY, frame.height);
  const x1 = clamp(frame.x + gx1 * frame.scaleX, frame.width);
  const y1 = clamp(frame.y + gy1 * frame.scaleY, frame.height);
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

/** The pan (same scale) that centres the pane on the graph point under a minimap point. */
export function minimapPan(point: { x: number; y: number }, frame: MinimapFrame, t: Fit, pane: { width: number; height: number }): Fit {
  const gx = (point.x - frame.x) / frame.scaleX;
  const gy = (point.y - frame.y) / frame.scaleY;
  return { k: t.k, x: Math.round(pane.width / 2 - gx * t.k), y: Math.round(pane.height / 2 - gy * t.k) };
}

/**
 * Where the view goes to show a step the user asked for (a search match): at reading scale at
 * least, so its name can be read, with the step centred when the scale changes; otherwise the
 * smallest pan that brings it into view (none when it already is).
 */
export function jumpTransform(t: Fit, box: { x: number; y: number; width: number; height: number }, pane: { width: number; height: number }, minScale = 1, topInset = 0): Fit | null {
  if (t.k < minScale) {
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    return { k: minScale, x: Math.round(pane.width / 2 - cx * minScale), y: Math.round(topInset + (pane.height - topInset) / 2 - cy * minScale) };
  }
  return revealTransform(t, box, pane, 24, topInset);
}
