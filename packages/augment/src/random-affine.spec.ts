import { SeededRng } from '@yolo-distill/core';
import { IDENTITY } from './geometry/affine.js';
import { FILL_VALUE } from './geometry/warp-affine.js';
import { RandomAffine, randomAffine, randomAffineAugmentation } from './random-affine.js';
import { ScriptedRng } from './test-support/scripted-rng.js';
import { contextWith, coordinateSample, expectRows, parseYaml, pixel, rows } from './test-support/samples.js';

const noJitter = { degrees: 0, translate: 0, scale: 0, shear: 0 };
const size = { width: 100, height: 100 };

describe('randomAffine', () => {
  it('is the identity without jitter when input and output have one size', () => {
    const { matrix, zoom } = randomAffine(new SeededRng(1), noJitter, size, size);
    expect(zoom).toBe(1);
    matrix.forEach((v, i) => expect(v).toBeCloseTo(IDENTITY[i]!, 12));
  });

  it('is the central crop without jitter when the output is half the input (Mosaic border)', () => {
    const { matrix } = randomAffine(new SeededRng(1), noJitter, { width: 200, height: 100 }, { width: 100, height: 50 });
    expect(matrix).toEqual([1, 0, -50, 0, 1, -25]);
  });

  it('draws angle, zoom, shear x, shear y, tx, ty in that order: M = T·S·R·C', () => {
    // angle U(-90, 90) at 1 -> 90 degrees; zoom U(0.5, 1.5) at 1 -> 1.5; shears 0; T U(0.3, 0.7) at 0.5 -> the centre.
    const rng = new ScriptedRng([1, 1, 0.5, 0.5, 0.5, 0.5]);
    const { matrix, zoom } = randomAffine(rng, { degrees: 90, translate: 0.2, scale: 0.5, shear: 10 }, size, size);
    expect(zoom).toBe(1.5);
    // cv2.getRotationMatrix2D(angle 90, scale 1.5): [[0, 1.5], [-1.5, 0]] about the centre (50, 50).
    [0, 1.5, -25, -1.5, 0, 125].forEach((v, i) => expect(matrix[i]).toBeCloseTo(v, 9));
    expect(rng.used).toBe(6);
  });
});

describe('augment.RandomAffine', () => {
  it('zooms by 0.5 about the centre: a known box to exact numbers, pixels averaged 2x2', async () => {
    // zoom U(0.5, 1.5) at 0 -> 0.5; translate U(0.4, 0.6) at 0.5 -> 0.5 of the size (the centre).
    const sample = coordinateSample(100, 100, [[1, 0.2, 0.3, 0.1, 0.2]]);
    const rng = new ScriptedRng([0.5, 0, 0.5, 0.5, 0.5, 0.5]);
    const out = await new RandomAffine({ p: 1, degrees: 0, translate: 0.1, scale: 0.5, shear: 0 }).apply(sample, contextWith(rng));
    // x 15..25, y 20..40 -> x' = 0.5 (x - 50) + 50: 32.5..37.5, 35..45.
    expectRows(rows(out), [[1, 0.35, 0.4, 0.05, 0.1]]);
    // Output pixel 50 (centre 50.5) <- input 51.0: the mean of pixels 50 and 51.
    pixel(out, 50, 50).forEach((v, i) => expect(v).toBeCloseTo([0.0505, 0.0505, 0.5][i]!, 6));
    pixel(out, 25, 25).forEach((v, i) => expect(v).toBeCloseTo([0.0005, 0.0005, 0.5][i]!, 6));
    expect(pixel(out, 24, 50)).toEqual(Array(3).fill(Math.fround(FILL_VALUE)));
    expect(out.image.width).toBe(100);
  });

  it('clips a box pushed half out of the image by the translation to exact numbers', async () => {
    // translate U(0.4, 0.6) at 1 -> 0.6: the image moves right by 10 px.
    const sample = coordinateSample(100, 100, [[1, 0.9, 0.5, 0.2, 0.2]]);
    const rng = new ScriptedRng([0.5, 0.5, 0.5, 0.5, 1, 0.5]);
    const out = await new RandomAffine({ p: 1, degrees: 0, translate: 0.1, scale: 0, shear: 0 }).apply(sample, contextWith(rng));
    // x 80..100 -> 90..110 -> clipped to 90..100.
    expectRows(rows(out), [[1, 0.95, 0.5, 0.1, 0.2]]);
    pixel(out, 10, 3).forEach((v, i) => expect(v).toBeCloseTo([0, 0.003, 0.5][i]!, 6));
    pixel(out, 9, 3).forEach((v) => expect(v).toBeCloseTo(FILL_VALUE, 6));
  });

  it('drops a box left 95% outside', async () => {
    // translate 0.95: U(-0.45, 1.45) at 1 -> 1.45 of the size, a shift of 95 px; the box keeps 5 x 40 of 100 x 40.
    const sample = coordinateSample(100, 100, [[0, 0.5, 0.5, 1, 0.4]]);
    const rng = new ScriptedRng([0.5, 0.5, 0.5, 0.5, 1, 0.5]);
    const out = await new RandomAffine({ p: 1, degrees: 0, translate: 0.95, scale: 0, shear: 0 }).apply(sample, contextWith(rng));
    expect(out.labels.count).toBe(0);
  });

  it('gives the same sample for the same seed and another for another seed', async () => {
    const sample = coordinateSample(32, 24, [[0, 0.5, 0.5, 0.5, 0.5]]);
    const run = (seed: number) => new RandomAffine({ p: 1, degrees: 10, translate: 0.1, scale: 0.5, shear: 2 }).apply(sample, contextWith(new SeededRng(seed)));
    const [a, b, c] = await Promise.all([run(1), run(1), run(2)]);
    expect(a.image.data).toEqual(b.image.data);
    expect(a.labels.rows).toEqual(b.labels.rows);
    expect(a.image.data).not.toEqual(c.image.data);
  });

  it('parses with the Ultralytics defaults and refuses a zoom range reaching 0', () => {
    expect(parseYaml(randomAffineAugmentation, '')).toEqual({ p: 1, degrees: 0, translate: 0.1, scale: 0.5, shear: 0 });
    expect(() => parseYaml(randomAffineAugmentation, 'scale: 1\n')).toThrow(/aug\.yaml:1:8: scale: expected a value < 1, found number 1/);
    expect(() => parseYaml(randomAffineAugmentation, 'p: 1.5\n')).toThrow(/p: expected a value <= 1/);
  });
});
