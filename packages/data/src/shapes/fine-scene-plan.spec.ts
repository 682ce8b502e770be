import { SeededRng } from '@yolo-distill/core';
import { FINE_CLASSES, shapeClassName } from './fine-classes.js';
import { planScene } from './scene-plan.js';
import { shapeRegion } from './shape-region.js';
import { resolveShapesOptions } from './shapes-options.js';

describe('planScene, fine variant', () => {
  const options = resolveShapesOptions({ variant: 'fine', imageSize: 128, objects: [2, 6], decoys: [1, 2] });

  it('gives the same scene for the same rng seed, and another for another seed', () => {
    expect(planScene(options, new SeededRng(42))).toEqual(planScene(options, new SeededRng(42)));
    expect(planScene(options, new SeededRng(43))).not.toEqual(planScene(options, new SeededRng(42)));
  });

  it('draws every class, with its fill, no smaller than the scale, every shape inside the image; decoys among them', () => {
    const rng = new SeededRng(1);
    const seen = new Set<string>();
    let decoys = 0;
    for (let i = 0; i < 200; i++) {
      const scene = planScene(options, rng);
      const labelled = scene.shapes.filter((shape) => !shape.decoy);
      expect(labelled.length).toBeGreaterThanOrEqual(2);
      expect(labelled.length).toBeLessThanOrEqual(6);
      const sceneDecoys = scene.shapes.filter((shape) => shape.decoy);
      expect(sceneDecoys.length).toBeGreaterThanOrEqual(1);
      expect(sceneDecoys.length).toBeLessThanOrEqual(2);
      decoys += sceneDecoys.length;
      for (const shape of scene.shapes) {
        expect(shape.fill).toBeDefined();
        expect(shape.size).toBeGreaterThanOrEqual(0.11 * 128 - 1e-9);
        expect(shape.size).toBeLessThanOrEqual(0.45 * 128 + 1e-9);
        const box = shapeRegion(shape).bounds;
        expect(Math.min(box.x0, box.y0)).toBeGreaterThanOrEqual(-1e-9);
        expect(Math.max(box.x1, box.y1)).toBeLessThanOrEqual(128 + 1e-9);
        const name = shapeClassName(shape.kind, shape.fill?.style);
        if (shape.decoy) expect(['ellipse', 'rectangle']).toContain(shape.kind);
        else seen.add(name);
      }
    }
    expect([...seen].sort()).toEqual([...FINE_CLASSES].sort());
    expect(decoys).toBeGreaterThan(200);
  });

  it('keeps strokes of 2-5 px that leave an inside, and stripes at least 4 px apart', () => {
    const rng = new SeededRng(9);
    for (let i = 0; i < 100; i++) {
      for (const { fill, size } of planScene(options, rng).shapes) {
        if (fill?.style === 'outline' || fill?.style === 'striped') {
          expect(fill.stroke).toBeGreaterThanOrEqual(2);
          expect(fill.stroke).toBeLessThanOrEqual(Math.min(5, 0.16 * size));
        }
        if (fill?.style === 'striped') expect(fill.period).toBeGreaterThanOrEqual(4);
      }
    }
  });

  it('draws only the configured classes, and no decoys when told so', () => {
    const subset = resolveShapesOptions({ variant: 'fine', classes: ['hexagon-outline', 'pentagon-outline'], decoys: [0, 0] });
    const rng = new SeededRng(5);
    const names = new Set(Array.from({ length: 50 }, () => planScene(subset, rng).shapes.map((shape) => shapeClassName(shape.kind, shape.fill?.style))).flat());
    expect([...names].sort()).toEqual(['hexagon-outline', 'pentagon-outline']);
  });

  it('refuses a class of the other variant', () => {
    expect(() => planScene({ ...options, classes: ['circle'] }, new SeededRng(1))).toThrow("'circle' is not a class of the fine shapes variant");
    expect(() => planScene({ ...options, variant: 'classic', classes: ['circle-solid'] }, new SeededRng(1))).toThrow("'circle-solid' is not a class of the classic shapes variant");
  });
});
