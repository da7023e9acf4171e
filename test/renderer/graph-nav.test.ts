// Arrow keys move the keyboard focus to the nearest box in their direction.
import { describe, expect, it } from 'vitest';
import { firstBox, neighbourInDirection } from '../../renderer/compute/computeGraphNav.ts';

//   a
//   b     c
//   d
const boxes = [
  { id: 'a', x: 0, y: 0, width: 200, height: 50 },
  { id: 'b', x: 0, y: 100, width: 200, height: 50 },
  { id: 'c', x: 300, y: 100, width: 200, height: 50 },
  { id: 'd', x: 0, y: 200, width: 200, height: 50 },
];

describe('neighbourInDirection', () => {
  it('moves down and up the column the eye follows', () => {
    expect(neighbourInDirection(boxes, 'a', 'down')).toBe('b');
    expect(neighbourInDirection(boxes, 'b', 'down')).toBe('d');
    expect(neighbourInDirection(boxes, 'd', 'up')).toBe('b');
  });

  it('prefers the box straight below to a nearer one off to the side', () => {
    const skewed = [...boxes, { id: 'e', x: 600, y: 60, width: 200, height: 50 }];
    expect(neighbourInDirection(skewed, 'a', 'down')).toBe('b');
  });

  it('moves sideways to a box beside it', () => {
    expect(neighbourInDirection(boxes, 'b', 'right')).toBe('c');
    expect(neighbourInDirection(boxes, 'c', 'left')).toBe('b');
  });

  it('stays put (null) at the edge of the graph or for an unknown box', () => {
    expect(neighbourInDirection(boxes, 'a', 'up')).toBeNull();
    expect(neighbourInDirection(boxes, 'c', 'right')).toBeNull();
    expect(neighbourInDirection(boxes, 'zz', 'down')).toBeNull();
  });
});

describe('firstBox', () => {
  it('starts on the start step, else on the top-left box', () => {
    expect(firstBox(boxes, 'c')).toBe('c');
    expect(firstBox(boxes, 'gone')).toBe('a');
    expect(firstBox([], null)).toBeNull();
  });
});
