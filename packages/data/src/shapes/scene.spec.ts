import { formatYoloLabels } from '../yolo-labels.js';
import { renderScene, type SceneSpec } from './scene.js';
import { sceneLabels } from './scene-labels.js';
import type { ShapeSpec } from './shape-region.js';

const square = (cx: number, cy: number, size: number, colour: readonly [number, number, number]): ShapeSpec => ({
  kind: 'square',
  cx,
  cy,
  size,
  aspect: 1,
  rotation: 0,
  colour,
});

const scene = (shapes: ShapeSpec[], grain = 0): SceneSpec => ({
  width: 100,
  height: 100,
  background: { kind: 'solid', colour: [20, 30, 40] },
  clutter: [],
  shapes,
  grain: { amplitude: grain, seed: 1 },
});

const pixel = (pixels: Uint8Array, x: number, y: number, width = 100): number[] => [...pixels.subarray((y * width + x) * 3, (y * width + x) * 3 + 3)];

describe('renderScene + sceneLabels', () => {
  it('labels a square of side 20 spanning x 30..50, y 40..60 in a 100 px image exactly', () => {
    const rendered = renderScene(scene([square(40, 50, 20, [250, 10, 10])]));
    expect(rendered.shapes).toEqual([{ kind: 'square', box: { x0: 30, y0: 40, x1: 50, y1: 60 }, area: 400, visible: 400 }]);
    const labels = sceneLabels(rendered.shapes, 100, 100, ['circle', 'square'], 0.4);
    expect(formatYoloLabels(labels)).toBe('1 0.400000 0.500000 0.200000 0.200000\n');
  });

  it('draws the shape colour at its centre and the background outside it', () => {
    const { pixels } = renderScene(scene([square(40, 50, 20, [250, 10, 10])]));
    expect(pixel(pixels, 40, 50)).toEqual([250, 10, 10]);
    expect(pixel(pixels, 30, 40)).toEqual([250, 10, 10]);
    expect(pixel(pixels, 49, 59)).toEqual([250, 10, 10]);
    expect(pixel(pixels, 29, 50)).toEqual([20, 30, 40]);
    expect(pixel(pixels, 50, 50)).toEqual([20, 30, 40]);
  });

  it('draws later shapes over earlier ones and drops a label hidden beyond minVisible', () => {
    // the first square (x 30..50, 400 px) loses x 35..50, 15 x 20 = 300 px, to the second: 25% visible
    const shapes = [square(40, 50, 20, [250, 10, 10]), square(45, 50, 20, [10, 250, 10])];
    const rendered = renderScene(scene(shapes));
    expect(rendered.shapes.map((shape) => shape.visible)).toEqual([100, 400]);
    expect(pixel(rendered.pixels, 40, 50)).toEqual([10, 250, 10]);
    expect(pixel(rendered.pixels, 32, 50)).toEqual([250, 10, 10]);
    expect(sceneLabels(rendered.shapes, 100, 100, ['square'], 0.4)).toEqual([{ cls: 0, cx: 0.45, cy: 0.5, w: 0.2, h: 0.2 }]);
    // keep it when a quarter visible is enough; the box stays the whole square
    expect(sceneLabels(rendered.shapes, 100, 100, ['square'], 0.25).map((box) => box.cx)).toEqual([0.4, 0.45]);
  });

  it('clips a box to the image', () => {
    const rendered = renderScene(scene([square(95, 5, 20, [250, 10, 10])]));
    expect(rendered.shapes[0]?.box).toEqual({ x0: 85, y0: 0, x1: 100, y1: 15 });
    expect(sceneLabels(rendered.shapes, 100, 100, ['square'], 0)).toEqual([{ cls: 0, cx: 0.925, cy: 0.075, w: 0.15, h: 0.15 }]);
  });

  it('refuses a shape that is not one of the classes', () => {
    const rendered = renderScene(scene([square(40, 50, 20, [250, 10, 10])]));
    expect(() => sceneLabels(rendered.shapes, 100, 100, ['circle'], 0.4)).toThrow('a square was drawn but is not one of the classes [circle]');
  });

  it('adds the same grain for the same seed, and only with an amplitude', () => {
    const a = renderScene(scene([square(40, 50, 20, [128, 128, 128])], 5)).pixels;
    const b = renderScene(scene([square(40, 50, 20, [128, 128, 128])], 5)).pixels;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const clean = renderScene(scene([square(40, 50, 20, [128, 128, 128])])).pixels;
    const differing = a.filter((value, i) => value !== clean[i]).length;
    expect(differing).toBeGreaterThan(a.length / 2);
  });
});
