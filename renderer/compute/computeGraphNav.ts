// Moving the keyboard focus between the boxes of the workflow graph with the arrow keys: the nearest
// box in the pressed direction, as the eye would move, rather than the file's step order.

export interface NavBox {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export type NavDirection = 'up' | 'down' | 'left' | 'right';

/** Arrow key names as KeyboardEvent.key gives them. */
export const ARROW_DIRECTIONS: Readonly<Record<string, NavDirection>> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

/**
 * The box nearest to `fromId` in `dir`: among the boxes whose centre lies that way, the one with the
 * smallest distance along the direction plus twice the sideways offset (so a box straight below
 * wins over a nearer one far to the side). Null when nothing lies that way.
 */
export function neighbourInDirection(boxes: readonly NavBox[], fromId: string, dir: NavDirection): string | null {
  const from = boxes.find((b) => b.id === fromId);
  if (!from) return null;
  const cx = from.x + from.width / 2;
  const cy = from.y + from.height / 2;
  let best: { id: string; score: number } | null = null;
  for (const b of boxes) {
    if (b.id === fromId) continue;
    const dx = b.x + b.width / 2 - cx;
    const dy = b.y + b.height / 2 - cy;
    const [along, side] = dir === 'down' ? [dy, dx] : dir === 'up' ? [-dy, dx] : dir === 'right' ? [dx, dy] : [-dx, dy];
    if (along <= 1) continue;
    const score = along + 2 * Math.abs(side);
    if (!best || score < best.score) best = { id: b.id, score };
  }
  return best?.id ?? null;
}

/** The box the graph's keyboard focus starts on: the start step when drawn, else the top-left box. */
export function firstBox(boxes: readonly NavBox[], startId: string | null): string | null {
  if (startId && boxes.some((b) => b.id === startId)) return startId;
  const sorted = [...boxes].sort((a, b) => a.y - b.y || a.x - b.x);
  return sorted[0]?.id ?? null;
}
