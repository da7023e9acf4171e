import { describe, expect, it } from 'vitest';
import { fitTransform, jumpTransform, minimapFrame, minimapPan, minimapViewport, needsOverview, OVERVIEW_BELOW, READABLE_FLOOR, revealTransform, zoomFloor } from '../../renderer/compute/computeViewport.ts';

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

describe('showing a graph of any size whole', () => {
  const pane = { width: 800, height: 600 };

  it('keeps the usual zoom floor for a graph that fits above it', () => {
    expect(zoomFloor({ width: 600, height: 1200 }, pane)).toBe(READABLE_FLOOR);
  });

  it('lowers the zoom floor to the scale that shows a very tall graph whole', () => {
    const floor = zoomFloor({ width: 300, height: 20_000 }, pane, 16, 24);
    expect(floor).toBeCloseTo((600 - 24 - 32) / 20_000);
    const f = fitTransform({ width: 300, height: 20_000 }, pane, 16, 1, floor, 24);
    expect(f.k).toBeCloseTo(floor);
    expect(f.y + 20_000 * f.k).toBeLessThanOrEqual(600 - 16 + 1);
    expect(f.y).toBeGreaterThanOrEqual(24 + 16);
  });

  it('asks for an overview only when the graph does not fit at reading scale, and the workbench only when it would need under half of it', () => {
    expect(needsOverview({ width: 500, height: 400 }, pane)).toBe(false);
    expect(needsOverview({ width: 500, height: 4000 }, pane)).toBe(true);
    // The workbench asks for an overview only when the whole graph would need under half reading scale.
    expect(needsOverview({ width: 500, height: 1.5 * pane.height }, pane, 16, 0, OVERVIEW_BELOW)).toBe(false);
    expect(needsOverview({ width: 500, height: 4000 }, pane, 16, 0, OVERVIEW_BELOW)).toBe(true);
    expect(needsOverview({ width: 500, height: 4000 }, { width: 0, height: 0 })).toBe(false);
  });
});

describe('the minimap', () => {
  const graph = { width: 400, height: 8000 };
  const frame = minimapFrame(graph, { width: 160, height: 240 });

  it('scales a graph into its box with the graph’s own shape', () => {
    const f = minimapFrame({ width: 800, height: 1200 }, { width: 160, height: 240 });
    expect(f.scaleX).toBeCloseTo(f.scaleY);
    expect(f.scaleY).toBeCloseTo(232 / 1200);
    expect(f.height).toBeLessThanOrEqual(240);
  });

  it('stretches a tall single column sideways so it is not a sliver', () => {
    expect(frame.scaleY).toBeCloseTo(232 / 8000);
    expect(frame.height).toBeLessThanOrEqual(240);
    expect(frame.width).toBe(48 + 8);
  });

  it('draws the part of the graph the pane shows as a rectangle', () => {
    const r = minimapViewport({ k: 1, x: 0, y: -4000 }, { width: 400, height: 800 }, frame);
    expect(r.y).toBeCloseTo(4 + 4000 * frame.scaleY);
    expect(r.height).toBeCloseTo(800 * frame.scaleY);
    expect(r.x).toBeCloseTo(4);
    expect(r.width).toBeCloseTo(400 * frame.scaleX);
  });

  it('clips the rectangle to the minimap when the pane shows more than the graph', () => {
    const r = minimapViewport({ k: 0.05, x: 300, y: 20 }, { width: 800, height: 600 }, frame);
    expect(r.x).toBe(0);
    expect(r.y).toBe(0);
    expect(r.x + r.width).toBeLessThanOrEqual(frame.width);
    expect(r.y + r.height).toBeLessThanOrEqual(frame.height);
  });

  it('centres the pane on the graph point under a click, keeping the scale', () => {
    const t = minimapPan({ x: 4 + 200 * frame.scaleX, y: 4 + 6000 * frame.scaleY }, frame, { k: 0.5, x: 0, y: 0 }, { width: 800, height: 600 });
    expect(t).toEqual({ k: 0.5, x: 300, y: 300 - 3000 });
  });
});

describe('jumping to a step found by search', () => {
  const pane = { width: 800, height: 600 };
  const box = { x: 100, y: 9000, width: 220, height: 60 };

  it('zooms a far-out view in to reading scale and centres the step', () => {
    expect(jumpTransform({ k: 0.02, x: 0, y: 0 }, box, pane)).toEqual({ k: 1, x: 400 - 210, y: 300 - 9030 });
  });

  it('centres the step below the band the tools cover', () => {
    expect(jumpTransform({ k: 0.02, x: 0, y: 0 }, box, pane, 1, 24)!.y).toBe(24 + 288 - 9030);
  });

  it('only pans at reading scale, and leaves a visible step where it is', () => {
    expect(jumpTransform({ k: 1, x: 0, y: 0 }, box, pane)).toEqual({ k: 1, x: 0, y: -(9000 + 60 - 600 + 24) });
    expect(jumpTransform({ k: 1, x: 0, y: -8800 }, box, pane)).toBeNull();
  });
});
