// The workflow graph layout left d3 for models/ (pure folders may not import d3), so its edges are
// drawn by a B-spline written out by hand. It must write the path d3's curveBasis wrote, to the
// character, or the workbench's edges (and its path-count badges on them) would move.
import { curveBasis, line } from 'd3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { basisPath } from '../../models/index.ts';

const d3Path = line<{ x: number; y: number }>()
  .x((p) => p.x)
  .y((p) => p.y)
  .curve(curveBasis);

describe('basisPath', () => {
  it('writes the same path as d3 line().curve(curveBasis) for any list of points', () => {
    const pt = fc.record({ x: fc.double({ min: -5000, max: 5000, noNaN: true }), y: fc.double({ min: -5000, max: 5000, noNaN: true }) });
    fc.assert(fc.property(fc.array(pt, { minLength: 1, maxLength: 12 }), (pts) => {
      expect(basisPath(pts)).toBe(d3Path(pts));
    }));
  });
});
