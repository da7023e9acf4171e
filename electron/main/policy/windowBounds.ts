// Restores the window where the user left it, unless that place no longer exists: a monitor was
// unplugged, the resolution shrank, or the settings file holds nonsense. A window restored off
// screen is a window the user cannot reach, so the stored bounds are only a wish.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What the settings file remembers about the window. */
export interface StoredWindowState extends Rect {
  maximized: boolean;
}

/** Bounds to create the window with; without x/y Electron centres it on the primary display. */
export interface WindowPlacement {
  bounds: { width: number; height: number; x?: number; y?: number };
  maximized: boolean;
}

export const DEFAULT_WINDOW_SIZE = Object.freeze({ width: 1280, height: 820 });
export const MIN_WINDOW_SIZE = Object.freeze({ width: 720, height: 480 });
/** How much of the window's top strip must be on a display for the user to grab it. */
const GRAB_WIDTH = 120;
const GRAB_HEIGHT = 32;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e6;

/** Reads stored window state from untrusted JSON; null when any field is missing or absurd. */
export function readStoredWindowState(value: unknown): StoredWindowState | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (!isInt(v.x) || !isInt(v.y) || !isInt(v.width) || !isInt(v.height)) return null;
  if (v.width <= 0 || v.height <= 0) return null;
  return { x: Math.round(v.x), y: Math.round(v.y), width: Math.round(v.width), height: Math.round(v.height), maximized: v.maximized === true };
}

function span(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

function overlap(a: Rect, b: Rect): number {
  return span(a.x, a.x + a.width, b.x, b.x + b.width) * span(a.y, a.y + a.height, b.y, b.y + b.height);
}

/** True when enough of the window's title strip lies on the work area for the user to drag it. */
function grabbable(s: Rect, a: Rect): boolean {
  const strip = Math.min(GRAB_HEIGHT, s.height);
  return span(s.x, s.x + s.width, a.x, a.x + a.width) >= Math.min(GRAB_WIDTH, s.width) && span(s.y, s.y + strip, a.y, a.y + a.height) >= strip / 2;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), Math.max(lo, hi));

/**
 * Where to open the window, given what was stored and the displays' work areas now. The size is
 * kept within [minimum, work area]; the window is moved fully inside the display it overlaps
 * most, provided its title strip was on a display at all; otherwise it opens centred at the
 * default size.
 */
export function placeWindow(stored: unknown, workAreas: readonly Rect[], defaults = DEFAULT_WINDOW_SIZE): WindowPlacement {
  const fallbackArea = workAreas[0];
  const centred = (): WindowPlacement => ({
    bounds: fallbackArea
      ? { width: clamp(defaults.width, Math.min(MIN_WINDOW_SIZE.width, fallbackArea.width), fallbackArea.width), height: clamp(defaults.height, Math.min(MIN_WINDOW_SIZE.height, fallbackArea.height), fallbackArea.height) }
      : { width: defaults.width, height: defaults.height },
    maximized: false,
  });
  const s = readStoredWindowState(stored);
  if (!s) return centred();
  if (workAreas.length === 0) return { ...centred(), maximized: s.maximized };
  if (!workAreas.some((a) => grabbable(s, a))) return { ...centred(), maximized: s.maximized };
  let best = workAreas[0]!;
  for (const a of workAreas) if (overlap(s, a) > overlap(s, best)) best = a;
  const width = clamp(s.width, Math.min(MIN_WINDOW_SIZE.width, best.width), best.width);
  const height = clamp(s.height, Math.min(MIN_WINDOW_SIZE.height, best.height), best.height);
  const x = clamp(s.x, best.x, best.x + best.width - width);
  const y = clamp(s.y, best.y, best.y + best.height - height);
  return { bounds: { x, y, width, height }, maximized: s.maximized };
}
