import { describe, expect, it } from 'vitest';
import { fitTransform, revealTransform } from '../../renderer/compute/computeViewport.ts';

describe('fitting the graph into its pane', () => {
  it('centres a small graph at reading size, never enlarging it', () => {
    expect(fitTransform({ width: 200, height: 100 }, { width: 800, height: 400 })).toEqual({ k: 1, x: 300, y: 150 });
  });

  it('shrinks a larger graph to fit, centred', () => {
    const f = fitTransform({ width: 1000, height: 400 }, { width: 832, height: 432 });
    expect(f.k).toBeCloseTo(0.8);
    expect(f).toMatchObject({ x: 16, y: 56 });
  });

  it('stops shrinking where names would be unreadable and shows the top of a tall graph', () => {
    const f = fitTransform({ width: 300, height: 3000 }, { width: 800, height: 400 });
    expect(f.k).toBe(0.8);
    expect(f.y).toBe(16);
    expect(f.x).toBe(Math.round((800 - 300 * 0.8) / 2));
  });
});

describe('keeping the graph clear of what is drawn over the top of its pane', () => {
  it('starts a tall graph below the band the paths note and the tools cover', () => {
    expect(fitTransform({ width: 300, height: 3000 }, { width: 800, height: 400 }, 16, 1, 0.8, 24).y).toBe(40);
  });

  it('centres a small graph in the pane below the band', () => {
    expect(fitTransform({ width: 200, height: 100 }, { width: 800, height: 424 }, 16, 1, 0.8, 24)).toEqual({ k: 1, x: 300, y: 174 });
  });

  it('pans a path up under the band down into view', () => {
    expect(revealTransform({ k: 1, x: 0, y: 0 }, { x: 100, y: 30, width: 200, height: 100 }, { width: 800, height: 400 }, 24, 24)).toEqual({ k: 1, x: 0, y: 18 });
    expect(revealTransform({ k: 1, x: 0, y: 0 }, { x: 100, y: 60, width: 200, height: 100 }, { width: 800, height: 400 }, 24, 24)).toBeNull();
  });
});

describe('bringing the selected path into view', () => {
  const pane = { width: 800, height: 400 };

  it('leaves the view alone when the path is already visible', () => {
    expect(revealTransform({ k: 1, x: 0, y: 0 }, { x: 100, y: 100, width: 200, height: 200 }, pane)).toBeNull();
  });

  it('pans down just enough to show a path below the fold, keeping the scale', () => {
    expect(revealTransform({ k: 0.8, x: 10, y: 16 }, { x: 100, y: 500, width: 200, height: 100 }, pane)).toEqual({ k: 0.8, x: 10, y: -104 });
  });

  it('shows a path taller than the pane from its first step', () => {
    expect(revealTransform({ k: 1, x: 0, y: 0 }, { x: 100, y: 300, width: 200, height: 900 }, pane)).toEqual({ k: 1, x: 0, y: -276 });
  });
});
