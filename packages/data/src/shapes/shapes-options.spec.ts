import { FINE_CLASSES } from './fine-classes.js';
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

describe('resolveShapesOptions, fine variant', () => {
  it('fills the fine defaults: all sixteen classes, objects from 11% of the side, decoys, a stricter minVisible', () => {
    const options = resolveShapesOptions({ variant: 'fine', imageSize: 128 });
    expect(options).toEqual({
      imageSize: 128,
      variant: 'fine',
      classes: [...FINE_CLASSES],
      train: 64,
      val: 16,
      objects: [1, 6],
      scale: [0.11, 0.45],
      clutter: [0, 4],
      decoys: [0, 2],
      minVisible: 0.6,
      seed: 0,
    });
    expect(options.classes.slice(0, 3)).toEqual(['circle-solid', 'circle-outline', 'circle-two-tone']);
  });

  it('takes the fine classes as a count or as names, and treats variant classic as no variant', () => {
    expect(resolveShapesOptions({ variant: 'fine', classes: 2 }).classes).toEqual(['circle-solid', 'circle-outline']);
    expect(resolveShapesOptions({ variant: 'fine', classes: ['hexagon-outline', 'pentagon-outline'] }).classes).toEqual(['hexagon-outline', 'pentagon-outline']);
    expect(resolveShapesOptions({ variant: 'classic' })).toEqual(resolveShapesOptions());
    expect('variant' in resolveShapesOptions({ variant: 'classic' })).toBe(false);
  });

  it('names the option and what was wrong, pointing at the other variant when a name is its', () => {
    expect(() => resolveShapesOptions({ variant: 'fine', classes: 17 })).toThrow('classes: expected a number of classes 1..16 or a list of names from circle-solid, circle-outline,');
    expect(() => resolveShapesOptions({ variant: 'fine', classes: ['hexagon-outline', 'hexagon'] })).toThrow(
      `classes[1]: expected one of ${FINE_CLASSES.join(', ')} ('hexagon' is a class of variant classic: set variant: classic), found string "hexagon"`,
    );
    expect(() => resolveShapesOptions({ classes: ['hexagon-outline'] })).toThrow(
      `classes[0]: expected one of circle, ellipse, square, rectangle, triangle, hexagon ('hexagon-outline' is a class of variant fine: set variant: fine), found string "hexagon-outline"`,
    );
    expect(() => resolveShapesOptions({ variant: 'fine', classes: ['star-outline'] })).toThrow(`classes[0]: expected one of ${FINE_CLASSES.join(', ')}, found string "star-outline"`);
    expect(() => resolveShapesOptions({ variant: 'fine', classes: ['star-solid', 'star-solid'] })).toThrow(`classes[1]: 'star-solid' is listed twice`);
    expect(() => resolveShapesOptions({ variant: 'fancy' as 'fine' })).toThrow('variant: expected one of "classic", "fine", found string "fancy"');
    expect(() => resolveShapesOptions({ variant: 'fine', decoys: [3, 1] })).toThrow('decoys: expected [min, max] with min <= max');
    expect(() => resolveShapesOptions({ decoys: [0, 1] })).toThrow("unknown key 'decoys'");
  });

  it('refuses objects too small to show their fill, saying what scale would do', () => {
    expect(() => resolveShapesOptions({ variant: 'fine', imageSize: 96 })).toThrow(
      'scale[0]: the fine variant needs objects of at least 12 px for their fill to show, but 0.11 x imgsz 96 = 10.6 px: use scale[0] >= 0.125 or a larger imgsz',
    );
    expect(() => resolveShapesOptions({ variant: 'fine', imageSize: 96, scale: [0.125, 0.5] })).not.toThrow();
    expect(() => resolveShapesOptions({ variant: 'fine', imageSize: 128, scale: [0.05, 0.5] })).toThrow('found number 0.05');
  });
});

describe('canonicalOptions', () => {
  it('orders keys the same way whatever order they came in', () => {
    const options = resolveShapesOptions({ seed: 3 });
    const reversed = Object.fromEntries(Object.entries(options).reverse()) as unknown as typeof options;
    expect(JSON.stringify(canonicalOptions(reversed))).toBe(JSON.stringify(options));
  });

  it('keeps the fine variant and its decoys, in their places, and writes classic as no variant', () => {
    const fine = resolveShapesOptions({ variant: 'fine', seed: 3 });
    const reversed = Object.fromEntries(Object.entries(fine).reverse()) as unknown as typeof fine;
    expect(Object.keys(canonicalOptions(reversed))).toEqual(['imageSize', 'variant', 'classes', 'train', 'val', 'objects', 'scale', 'clutter', 'decoys', 'minVisible', 'seed']);
    expect(JSON.stringify(canonicalOptions(reversed))).toBe(JSON.stringify(fine));
    expect(canonicalOptions({ ...resolveShapesOptions(), variant: 'classic' })).toEqual(resolveShapesOptions());
  });
});
