import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_SIZE, MIN_WINDOW_SIZE, placeWindow, readStoredWindowState } from '../../electron/main/policy/windowBounds.ts';

const LAPTOP = { x: 0, y: 0, width: 1440, height: 875 };
const RIGHT_MONITOR = { x: 1440, y: 0, width: 2560, height: 1415 };

describe('restoring the window placement', () => {
  it('opens where the user left it when that is still on a display', () => {
    expect(placeWindow({ x: 100, y: 80, width: 1200, height: 700, maximized: false }, [LAPTOP])).toEqual({ bounds: { x: 100, y: 80, width: 1200, height: 700 }, maximized: false });
  });

  it('keeps a window on the second monitor there, and remembers maximised', () => {
    expect(placeWindow({ x: 1600, y: 100, width: 1800, height: 1000, maximized: true }, [LAPTOP, RIGHT_MONITOR])).toEqual({ bounds: { x: 1600, y: 100, width: 1800, height: 1000 }, maximized: true });
  });

  it('centres the window at the default size when its monitor was unplugged', () => {
    const p = placeWindow({ x: 1600, y: 100, width: 1800, height: 1000, maximized: false }, [LAPTOP]);
    expect(p.bounds).toEqual({ width: DEFAULT_WINDOW_SIZE.width, height: DEFAULT_WINDOW_SIZE.height });
  });

  it('shrinks a window larger than the display and pulls it fully inside', () => {
    expect(placeWindow({ x: -50, y: 10, width: 3000, height: 2000, maximized: false }, [LAPTOP])).toEqual({ bounds: { x: 0, y: 0, width: 1440, height: 875 }, maximized: false });
    expect(placeWindow({ x: 1000, y: 500, width: 800, height: 600, maximized: false }, [LAPTOP]).bounds).toEqual({ x: 640, y: 275, width: 800, height: 600 });
  });

  it('never restores a window whose title bar is off screen', () => {
    // Title strip above the top of the only display: the user could not grab it.
    expect(placeWindow({ x: 100, y: -500, width: 800, height: 600, maximized: false }, [LAPTOP]).bounds).not.toHaveProperty('x');
    // Only a sliver at the left edge is visible.
    expect(placeWindow({ x: -790, y: 100, width: 800, height: 600, maximized: false }, [LAPTOP]).bounds).not.toHaveProperty('x');
  });

  it('grows a window below the minimum size', () => {
    expect(placeWindow({ x: 10, y: 10, width: 50, height: 20, maximized: false }, [LAPTOP]).bounds).toEqual({ x: 10, y: 10, width: MIN_WINDOW_SIZE.width, height: MIN_WINDOW_SIZE.height });
  });

  it('fits the default size onto a display smaller than it', () => {
    expect(placeWindow(null, [{ x: 0, y: 0, width: 1024, height: 600 }]).bounds).toEqual({ width: 1024, height: 600 });
  });

  it.each([
    ['nothing stored', undefined],
    ['a string', 'big'],
    ['a missing field', { x: 1, y: 2, width: 800 }],
    ['NaN', { x: Number.NaN, y: 0, width: 800, height: 600 }],
    ['Infinity', { x: 0, y: 0, width: Number.POSITIVE_INFINITY, height: 600 }],
    ['a negative size', { x: 0, y: 0, width: -800, height: 600 }],
    ['strings for numbers', { x: '0', y: '0', width: '800', height: '600' }],
    ['absurd coordinates', { x: 1e12, y: 0, width: 800, height: 600 }],
  ])('falls back to the centred default for %s', (_what, stored) => {
    expect(placeWindow(stored, [LAPTOP])).toEqual({ bounds: { ...DEFAULT_WINDOW_SIZE }, maximized: false });
  });

  it('reads only well-formed stored state, rounding fractions', () => {
    expect(readStoredWindowState({ x: 1.4, y: 2.6, width: 800.2, height: 600, maximized: 'yes' })).toEqual({ x: 1, y: 3, width: 800, height: 600, maximized: false });
  });

  it('opens at the default size, still maximised, when no display is known yet', () => {
    expect(placeWindow({ x: 1, y: 2, width: 900, height: 700, maximized: true }, [])).toEqual({ bounds: { ...DEFAULT_WINDOW_SIZE }, maximized: true });
  });
});
