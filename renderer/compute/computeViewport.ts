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
