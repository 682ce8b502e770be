import { canonicalOptions, resolveShapesOptions } from './shapes-options.js';

describe('resolveShapesOptions', () => {
  it('fills the defaults', () => {
    expect(resolveShapesOptions()).toEqual({
      imageSize: 160,
      classes: ['circle', 'ellipse', 'square', 'rectangle', 'triangle', 'hexagon'],
      train: 64,
      val: 16,
      objects: [1, 6],
      scale: [0.06, 0.4],
      clutter: [0, 4],
      minVisible: 0.4,
      seed: 0,
    });
  });

  it('takes classes as a count (the first N) or as a subset of names in the given order', () => {
    expect(resolveShapesOptions({ classes: 2 }).classes).toEqual(['circle', 'ellipse']);
    expect(resolveShapesOptions({ classes: ['hexagon', 'circle'] }).classes).toEqual(['hexagon', 'circle']);
  });

  it('names the option and what was wrong', () => {
    expect(() => resolveShapesOptions({ classes: 7 })).toThrow('classes: expected a number of classes 1..6 or a list of names from circle, ellipse, square, rectangle, triangle, hexagon, found number 7');
    expect(() => resolveShapesOptions({ classes: ['circle', 'star'] })).toThrow('classes[1]: expected one of circle, ellipse, square, rectangle, triangle, hexagon, found string "star"');
    expect(() => resolveShapesOptions({ classes: ['circle', 'circle'] })).toThrow(`classes[1]: 'circle' is listed twice`);
    expect(() => resolveShapesOptions({ classes: [] })).toThrow('classes: expected at least one class name');
    expect(() => resolveShapesOptions({ objects: [5, 2] })).toThrow('objects: expected [min, max] with min <= max');
    expect(() => resolveShapesOptions({ imageSize: 8 })).toThrow('imgsz: expected a number >= 16, found number 8');
    expect(() => resolveShapesOptions({ scale: [0, 0.5] })).toThrow('scale[0]: expected a number > 0, found number 0');
    expect(() => resolveShapesOptions({ train: 2.5 })).toThrow('train: expected an integer');
  });
});

describe('canonicalOptions', () => {
  it('orders keys the same way whatever order they came in', () => {
    const options = resolveShapesOptions({ seed: 3 });
    const reversed = Object.fromEntries(Object.entries(options).reverse()) as unknown as typeof options;
    expect(JSON.stringify(canonicalOptions(reversed))).toBe(JSON.stringify(options));
  });
});
