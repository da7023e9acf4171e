// An overview of a graph too large for its pane: every box as a small block (takeover paths and the
// selected path coloured, coarsely), and the part the pane shows as a rectangle; click or drag pans.
// Hidden from assistive technology: the steps list says the same in words, and the search field,
// arrow keys and Fit reach every step from the keyboard.
import { useRef, type PointerEvent } from 'react';
import type { Fit, MinimapFrame } from '../compute/computeViewport.ts';
import { minimapViewport } from '../compute/computeViewport.ts';

export interface MinimapBox {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** "touched" (takeover paths cross it), "selected" (on the selected path), "takeover", "found", "run". */
  marks: string[];
}

interface Props {
  frame: MinimapFrame;
  boxes: readonly MinimapBox[];
  /** Edges with takeover paths, as SVG path data in graph coordinates, and their weight. */
  hotEdges: readonly { id: string; d: string; selected: boolean }[];
  view: Fit;
  pane: { width: number; height: number };
  /** Pans the pane to centre the graph point under a minimap point. */
  onPan: (point: { x: number; y: number }) => void;
}

export function Minimap({ frame, boxes, hotEdges, view, pane, onPan }: Props) {
  const dragging = useRef(false);
  const r = minimapViewport(view, pane, frame);
  const at = (e: PointerEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  return (
    <svg
      className="minimap"
      data-testid="minimap"
      aria-hidden="true"
      width={frame.width}
      height={frame.height}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        dragging.current = true;
        e.currentTarget.setPointerCapture(e.pointerId);
        onPan(at(e));
      }}
      onPointerMove={(e) => {
        if (dragging.current) onPan(at(e));
      }}
      onPointerUp={() => (dragging.current = false)}
      onPointerCancel={() => (dragging.current = false)}
    >
      <rect className="minimap-bg" width={frame.width} height={frame.height} rx={3} />
      <g transform={`translate(${frame.x},${frame.y}) scale(${frame.scaleX},${frame.scaleY})`}>
        {hotEdges.map((e) => (
          <path key={e.id} d={e.d} className={e.selected ? 'minimap-edge is-selected' : 'minimap-edge'} vectorEffect="non-scaling-stroke" />
        ))}
        {boxes.map((b) => (
          <rect key={b.id} className={['minimap-box', ...b.marks.map((m) => `is-${m}`)].join(' ')} x={b.x} y={b.y} width={b.width} height={b.height} vectorEffect="non-scaling-stroke" />
        ))}
      </g>
      <rect className="minimap-view" x={r.x} y={r.y} width={Math.max(4, r.width)} height={Math.max(4, r.height)} />
    </svg>
  );
}
