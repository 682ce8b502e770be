import { SeededRng } from '@yolo-distill/core';
import { planScene } from './scene-plan.js';
import { shapeRegion } from './shape-region.js';
import { resolveShapesOptions } from './shapes-options.js';

describe('planScene', () => {
  const options = resolveShapesOptions({ imageSize: 96, objects: [2, 5], clutter: [1, 3], scale: [0.1, 0.5] });

  it('gives the same scene for the same rng seed, and another for another seed', () => {
    const a = planScene(options, new SeededRng(42));
    const b = planScene(options, new SeededRng(42));
    const c = planScene(options, new SeededRng(43));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('keeps counts, sizes and classes within the options, and every shape inside the image', () => {
    const rng = new SeededRng(1);
    const seenKinds = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const scene = planScene(options, rng);
      expect(scene.width).toBe(96);
      expect(scene.shapes.length).toBeGreaterThanOrEqual(2);
      expect(scene.shapes.length).toBeLessThanOrEqual(5);
      expect(scene.clutter.length).toBeGreaterThanOrEqual(1);
      expect(scene.clutter.length).toBeLessThanOrEqual(3);
      for (const shape of scene.shapes) {
        seenKinds.add(shape.kind);
        expect(shape.size).toBeGreaterThanOrEqual(0.1 * 96 - 1e-9);
        expect(shape.size).toBeLessThanOrEqual(0.5 * 96 + 1e-9);
        const box = shapeRegion(shape).bounds;
        expect(box.x0).toBeGreaterThanOrEqual(-1e-9);
        expect(box.y0).toBeGreaterThanOrEqual(-1e-9);
        expect(box.x1).toBeLessThanOrEqual(96 + 1e-9);
        expect(box.y1).toBeLessThanOrEqual(96 + 1e-9);
      }
    }
    expect([...seenKinds].sort()).toEqual(['circle', 'ellipse', 'hexagon', 'rectangle', 'square', 'triangle']);
  });

  it('draws only the configured classes', () => {
    const rng = new SeededRng(5);
    const subset = resolveShapesOptions({ imageSize: 64, classes: ['triangle', 'hexagon'] });
    const kinds = new Set(Array.from({ length: 50 }, () => planScene(subset, rng).shapes.map((shape) => shape.kind)).flat());
    expect([...kinds].sort()).toEqual(['hexagon', 'triangle']);
  });

  it('centres a shape larger than the image', () => {
    const big = resolveShapesOptions({ imageSize: 32, objects: [1, 1], scale: [1, 1], classes: ['square'] });
    // a square of side 32 fits only unturned; any rotation makes its box wider than the image
    const scene = planScene(big, new SeededRng(3));
    const shape = scene.shapes[0];
    expect(shape?.rotation).not.toBe(0);
    expect(shape?.cx).toBe(16);
    expect(shape?.cy).toBe(16);
  });
});
