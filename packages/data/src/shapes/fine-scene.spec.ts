import { renderScene, type SceneSpec } from './scene.js';
import { sceneLabels } from './scene-labels.js';
import type { ShapeSpec } from './shape-region.js';

const background = [20, 30, 40];
const red = [250, 10, 10] as const;
const green = [10, 250, 10] as const;

const scene = (shapes: ShapeSpec[]): SceneSpec => ({
  width: 100,
  height: 100,
  background: { kind: 'solid', colour: [20, 30, 40] },
  clutter: [],
  shapes,
  grain: { amplitude: 0, seed: 1 },
});

const pixel = (pixels: Uint8Array, x: number, y: number): number[] => [...pixels.subarray((y * 100 + x) * 3, (y * 100 + x) * 3 + 3)];
const shape = (spec: Partial<ShapeSpec> & Pick<ShapeSpec, 'kind'>): ShapeSpec => ({ cx: 50, cy: 50, size: 40, aspect: 0.5, rotation: 0, colour: red, ...spec });

describe('renderScene, fine variant', () => {
  it('draws an outline hexagon as a ring: background at its centre, its colour on the rim', () => {
    // corner up, diameter 40: flat sides at x = 50 +- 17.32; a stroke of 4 paints x 32.68..36.68 on the left
    const { pixels, shapes } = renderScene(scene([shape({ kind: 'hexagon', fill: { style: 'outline', stroke: 4 } })]));
    expect(pixel(pixels, 50, 50)).toEqual(background);
    expect(pixel(pixels, 40, 50)).toEqual(background);
    expect(pixel(pixels, 37, 50)).toEqual(background);
    expect(pixel(pixels, 33, 50)).toEqual([...red]);
    expect(pixel(pixels, 35, 50)).toEqual([...red]);
    expect(pixel(pixels, 64, 50)).toEqual([...red]);
    expect(pixel(pixels, 31, 50)).toEqual(background);
    expect(pixel(pixels, 50, 31)).toEqual([...red]); // the top corner
    expect(shapes[0]).toMatchObject({ kind: 'hexagon', fill: 'outline' });
    expect(shapes[0]?.box.y0).toBeCloseTo(30, 9);
    // the ring only: the hexagon covers 2.598 x 20^2 = 1039 px, its inset (radius 20 - 4 / cos 30 = 15.38) 615
    expect(shapes[0]?.area).toBeGreaterThan(400);
    expect(shapes[0]?.area).toBeLessThan(500);
  });

  it('draws a striped square whose stripes alternate with the background every half period', () => {
    // period 8 along x, a stripe on x 48..52: columns 40..43, 48..51, 56..59 painted, 44..47, 52..55 not
    const { pixels } = renderScene(scene([shape({ kind: 'square', fill: { style: 'striped', stroke: 3, period: 8, angle: 0 } })]));
    const row = Array.from({ length: 24 }, (_, i) => (pixel(pixels, 38 + i, 50)[0] === red[0] ? 1 : 0));
    expect(row).toEqual([0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0]);
    expect(pixel(pixels, 44, 50)).toEqual(background);
    expect(pixel(pixels, 31, 50)).toEqual([...red]); // the stroke x 30..33
    expect(pixel(pixels, 31, 45)).toEqual([...red]);
  });

  it('draws a two-tone circle in two colours split through its centre', () => {
    const { pixels } = renderScene(scene([shape({ kind: 'circle', fill: { style: 'two-tone', second: green, angle: 0 } })]));
    expect(pixel(pixels, 40, 50)).toEqual([...red]);
    expect(pixel(pixels, 49, 50)).toEqual([...red]);
    expect(pixel(pixels, 50, 50)).toEqual([...green]);
    expect(pixel(pixels, 60, 40)).toEqual([...green]);
    expect(pixel(pixels, 75, 50)).toEqual(background);
  });

  it('lets what shows through an outline keep its owner', () => {
    // a solid square x 42..58 inside the hole of an outline square x 30..70 drawn later
    const rendered = renderScene(scene([shape({ kind: 'square', size: 16, fill: { style: 'solid' } }), shape({ kind: 'square', colour: green, fill: { style: 'outline', stroke: 4 } })]));
    expect(rendered.shapes.map((drawn) => [drawn.area, drawn.visible])).toEqual([
      [256, 256],
      [40 * 40 - 32 * 32, 40 * 40 - 32 * 32],
    ]);
    expect(pixel(rendered.pixels, 50, 50)).toEqual([...red]);
    const names = ['square-solid', 'square-outline'];
    expect(sceneLabels(rendered.shapes, 100, 100, names, 0.6).map((label) => label.cls)).toEqual([0, 1]);
  });

  it('never labels a decoy, and a decoy drawn over a shape hides it like any shape', () => {
    const hidden = shape({ kind: 'triangle', size: 20, fill: { style: 'solid' } });
    const decoy = shape({ kind: 'rectangle', size: 40, aspect: 0.6, colour: green, fill: { style: 'solid' }, decoy: true });
    const visible = shape({ kind: 'star', cx: 85, cy: 85, size: 20, fill: { style: 'solid' } });
    const rendered = renderScene(scene([hidden, decoy, visible]));
    expect(rendered.shapes[1]).toMatchObject({ kind: 'rectangle', decoy: true });
    expect(rendered.shapes[0]?.visible).toBe(0);
    const labels = sceneLabels(rendered.shapes, 100, 100, ['triangle-solid', 'star-solid'], 0.6);
    expect(labels.map((label) => label.cls)).toEqual([1]);
    expect(() => sceneLabels(rendered.shapes, 100, 100, ['triangle-solid'], 0.6)).toThrow('a star-solid was drawn but is not one of the classes [triangle-solid]');
  });
});
