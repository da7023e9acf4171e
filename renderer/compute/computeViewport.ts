// The zoom transform that fits a laid-out graph into the visible pane (d3-zoom's k, x, y).

export interface Fit {
  k: number;
  x: number;
  y: number;
}

/**
 * Scale and offset that show the whole graph centred in the pane, never enlarging past `maxScale`
 * (small workflows stay at reading size) nor shrinking below `minScale`, where step names would
 * become too small to read: a taller graph is then shown from its top and panned.
 */
export function fitTransform(graph: { width: number; height: number }, pane: { width: number; height: number }, padding = 16, maxScale = 1, minScale = 0.8): Fit {
  const w = Math.max(1, graph.width);
  const h = Math.max(1, graph.height);
  const availW = Math.max(1, pane.width - 2 * padding);
  const availH = Math.max(1, pane.height - 2 * padding);
  const k = Math.min(maxScale, Math.max(minScale, Math.min(availW / w, availH / h)));
  const x = (pane.width - w * k) / 2;
  const y = h * k <= availH ? (pane.height - h * k) / 2 : padding;
  return { k, x: Math.round(x), y: Math.round(y) };
}
