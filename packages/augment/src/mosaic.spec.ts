import { SeededRng, type Sample } from '@yolo-distill/core';
import { FILL_VALUE, warpAffine } from './geometry/warp-affine.js';
import { randomAffine } from './random-affine.js';
import { Mosaic, MOSAIC_DEFAULTS, mosaicAugmentation } from './mosaic.js';
import { ScriptedRng } from './test-support/scripted-rng.js';
import { contextWith, coordinateSample, expectRows, parseYaml, pixel, rows, solidSample } from './test-support/samples.js';

/*
 * The worked case: the sample A is 100 x 100 (pixel (x, y) = (x, y, 500)/1000), the three drawn
 * images B, C, D are 50 x 50 green, blue and white. yc = trunc(U(50, 150) at 0.5) = 100,
 * xc = trunc(U(50, 150) at 0.3) = 80 on the 200 x 200 canvas:
 *   A: canvas [0, 80) x [0, 100)   <- A x [20, 100)   (shift -20, 0)
 *   B: canvas [80, 130) x [50, 100)                    (shift 80, 50)
 *   C: canvas [30, 80) x [100, 150)                    (shift 30, 100)
 *   D: canvas [80, 130) x [100, 150)                   (shift 80, 100)
 * The output is the canvas window [50, 150)²: output = canvas - 50.
 */
const A = coordinateSample(100, 100, [
  [0, 0.8, 0.6, 0.4, 0.4], // x 60..100, y 40..80 -> canvas 40..80, 40..80 -> output 0..30, 0..30
  [1, 0.15, 0.15, 0.3, 0.3], // x 0..30, y 0..30 -> canvas 0..10 (clipped), 0..30 -> outside the output
]);
const B = solidSample(50, 50, [0, 1, 0], [[2, 0.5, 0.4, 0.6, 0.4]], 'b'); // x 10..40, y 10..30 -> canvas 90..120, 60..80
const C = solidSample(50, 50, [0, 0, 1], [[3, 0.5, 0.5, 1, 1]], 'c'); // canvas 30..80, 100..150
const D = solidSample(50, 50, [1, 1, 1], [[4, 0.5, 0.5, 1, 1]], 'd'); // canvas 80..130, 100..150
const centre = [0.5, 0.3];
const fill = Array(3).fill(Math.fround(FILL_VALUE));

async function mosaic(values: number[], config = MOSAIC_DEFAULTS): Promise<{ out: Sample; rng: ScriptedRng }> {
  const rng = new ScriptedRng(values);
  return { out: await new Mosaic(config).apply(A, contextWith(rng, [B, C, D])), rng };
}

describe('augment.Mosaic', () => {
  it('places the four images around the centre and crops the canvas window [W/2, 3W/2) exactly', async () => {
    const { out, rng } = await mosaic([...centre, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect([out.image.width, out.image.height]).toEqual([100, 100]);
    // A's part: output (x, y) = A (x + 70, y + 50), copied, not resampled.
    expect(pixel(out, 0, 0)).toEqual(pixel(A, 70, 50));
    expect(pixel(out, 29, 49)).toEqual(pixel(A, 99, 99));
    expect(pixel(out, 30, 0)).toEqual([0, 1, 0]); // B
    expect(pixel(out, 79, 49)).toEqual([0, 1, 0]);
    expect(pixel(out, 80, 0)).toEqual(fill); // right of B: the canvas fill
    expect(pixel(out, 29, 50)).toEqual([0, 0, 1]); // C
    expect(pixel(out, 30, 50)).toEqual([1, 1, 1]); // D
    expect(pixel(out, 99, 99)).toEqual(fill);
    expect(rng.used).toBe(8); // yc, xc, then the six draws of the (zero) affine jitter
  });

  it('moves the labels with their images, clips them to the output and drops those left outside', async () => {
    const { out } = await mosaic([...centre, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expectRows(rows(out), [
      [0, 0.15, 0.15, 0.3, 0.3], // A's first box: 0..30 x 0..30 (area 900 of 1600 on the canvas: kept)
      [2, 0.55, 0.2, 0.3, 0.2], // B: 40..70 x 10..30
      [3, 0.15, 0.75, 0.3, 0.5], // C: -20..30 -> 0..30 x 50..100
      [4, 0.55, 0.75, 0.5, 0.5], // D: 30..80 x 50..100
    ]);
  });

  it('zooms the whole canvas when its affine jitter says so (Ultralytics scale 0.5 at its smallest)', async () => {
    // zoom U(0.5, 1.5) at 0 -> 0.5 about the canvas centre: output = canvas / 2, every box kept.
    const { out } = await mosaic([...centre, 0.5, 0, 0.5, 0.5, 0.5, 0.5], { ...MOSAIC_DEFAULTS, scale: 0.5 });
    expectRows(rows(out), [
      [0, 0.3, 0.3, 0.2, 0.2],
      [1, 0.025, 0.075, 0.05, 0.15], // canvas 0..10 x 0..30
      [2, 0.525, 0.35, 0.15, 0.1],
      [3, 0.275, 0.625, 0.25, 0.25],
      [4, 0.525, 0.625, 0.25, 0.25],
    ]);
    // Output pixel (0, 0) <- canvas (1, 1): the mean of A (20..21, 0..1).
    pixel(out, 0, 0).forEach((v, i) => expect(v).toBeCloseTo([0.0205, 0.0005, 0.5][i]!, 6));
  });

  it('builds only the canvas window the output samples, with the pixels the whole canvas would give', async () => {
    // Four 100 x 100 images (pixels telling where they came from, each its own scale) around (80, 100),
    // so that image content, not fill, surrounds the window on every side. The reference is the whole
    // 200 x 200 canvas placed naively and warped by the same drawn map.
    const parts = [A, coordinateSample(100, 100, [], 2000), coordinateSample(100, 100, [], 3000), coordinateSample(100, 100, [], 4000)];
    const canvas = new Float32Array(200 * 200 * 3).fill(FILL_VALUE);
    const shifts = [
      [-20, 0, 0, 80, 0, 100],
      [80, 0, 80, 180, 0, 100],
      [-20, 100, 0, 80, 100, 200],
      [80, 100, 80, 180, 100, 200],
    ] as const;
    shifts.forEach(([dx, dy, x0, x1, y0, y1], i) => {
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) canvas.set(pixel(parts[i]!, x - dx, y - dy), (y * 200 + x) * 3);
    });
    const jitter = { degrees: 30, translate: 0.1, scale: 0.5, shear: 5 };
    const draws = [0.9, 0.9, 0.7, 0.4, 0.6, 0.3]; // 24 degrees, zoom 1.4: the output's preimage is x 49..146, y 54..150
    const drawn = randomAffine(new ScriptedRng(draws), jitter, { width: 200, height: 200 }, { width: 100, height: 100 });
    const expected = warpAffine({ data: canvas, width: 200, height: 200 }, drawn.matrix, 100, 100).data;
    const rng = new ScriptedRng([...centre, ...draws]);
    const out = await new Mosaic({ p: 1, ...jitter }).apply(A, contextWith(rng, parts.slice(1)));
    let worst = 0;
    out.image.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - expected[i]!))));
    expect(worst).toBeLessThan(1e-5);
  });

  it('gives the same mosaic for the same seed and another for another seed', async () => {
    const pool = [B, C, D, solidSample(60, 40, [0.2, 0.4, 0.6], [[5, 0.5, 0.5, 0.5, 0.5]])];
    const run = async (seed: number) => {
      const rng = new SeededRng(seed);
      return new Mosaic().apply(A, { rng, drawSample: async () => pool[rng.int(pool.length)]! });
    };
    const [x, y, z] = [await run(3), await run(3), await run(4)];
    expect(x.image.data).toEqual(y.image.data);
    expect(x.labels).toEqual(y.labels);
    expect(x.image.data).not.toEqual(z.image.data);
  });

  it('parses with p 1 and no jitter by default', () => {
    expect(parseYaml(mosaicAugmentation, '')).toEqual({ p: 1, degrees: 0, translate: 0, scale: 0, shear: 0 });
    expect(parseYaml(mosaicAugmentation, 'scale: 0.5\ntranslate: 0.1\n')).toMatchObject({ scale: 0.5, translate: 0.1 });
    expect(() => parseYaml(mosaicAugmentation, 'scael: 0.5\n')).toThrow("aug.yaml:1:1: scael: unknown key 'scael'; known keys: p, degrees, translate, scale, shear");
  });
});
