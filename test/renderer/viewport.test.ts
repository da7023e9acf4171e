import { describe, expect, it } from 'vitest';
import { fitTransform } from '../../renderer/compute/computeViewport.ts';

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
