import { SeededRng } from '@yolo-distill/core';
import { Hsv, hsvAugmentation, shiftHsv } from './hsv.js';
import { ScriptedRng } from './test-support/scripted-rng.js';
import { contextWith, parseYaml, pixel, rows, solidSample } from './test-support/samples.js';

const one = (rgb: readonly [number, number, number]) => ({ data: Float32Array.from(rgb), width: 1, height: 1 });
const shifted = (rgb: readonly [number, number, number], hue: number, saturation = 1, value = 1) => Array.from(shiftHsv(one(rgb), { hue, saturation, value }).data);

function expectRgb(actual: number[], expected: readonly number[]): void {
  expected.forEach((v, i) => expect(actual[i], `channel ${i}`).toBeCloseTo(v, 6));
}

describe('augment.HSV', () => {
  it('turns the hue round the full circle: red + 1/3 is green, red - 1/3 is blue', () => {
    expectRgb(shifted([1, 0, 0], 1 / 3), [0, 1, 0]);
    expectRgb(shifted([1, 0, 0], -1 / 3), [0, 0, 1]);
    expectRgb(shifted([1, 0.5, 0], 1 / 6), [0.5, 1, 0]); // orange (hue 1/12) -> chartreuse (hue 1/4)
  });

  it('scales saturation and value and clamps them to 1', () => {
    expectRgb(shifted([1, 0, 0], 0, 0.5), [1, 0.5, 0.5]);
    expectRgb(shifted([1, 0, 0], 0, 1, 0.5), [0.5, 0, 0]);
    expectRgb(shifted([0.8, 0.4, 0.4], 0, 1, 1.5), [1, 0.5, 0.5]); // v 1.2 -> 1, s stays 0.5
    expectRgb(shifted([0.8, 0.4, 0.4], 0, 3), [0.8, 0, 0]); // s 1.5 -> 1
    expectRgb(shifted([0.3, 0.3, 0.3], 0.25, 2), [0.3, 0.3, 0.3]); // grey has no hue and no saturation
  });

  it('leaves an image as it was under no shift', () => {
    const rng = new SeededRng(3);
    const image = { data: Float32Array.from({ length: 300 }, () => rng.next()), width: 10, height: 10 };
    const same = shiftHsv(image, { hue: 0, saturation: 1, value: 1 }).data;
    image.data.forEach((v, i) => expect(same[i]).toBeCloseTo(v, 6));
  });

  it('draws r = U(-1, 1)·(hgain, sgain, vgain) in that order and keeps the labels', async () => {
    // hue (-1 + 2·5/6)·0.5 = 1/3, saturation 1 + (-1)·0.5 = 0.5, value 1 + 0·0.4 = 1.
    const sample = solidSample(2, 2, [1, 0, 0], [[2, 0.5, 0.5, 0.2, 0.3]]);
    const rng = new ScriptedRng([5 / 6, 0, 0.5]);
    const out = await new Hsv({ p: 1, hgain: 0.5, sgain: 0.5, vgain: 0.4 }).apply(sample, contextWith(rng));
    expectRgb(pixel(out, 1, 1), [0.5, 1, 0.5]);
    expect(rows(out)).toEqual(rows(sample));
    expect(rng.used).toBe(3);
  });

  it('gives the same image for the same seed and another for another seed', async () => {
    const sample = solidSample(4, 4, [0.7, 0.4, 0.2]);
    const run = async (seed: number) => (await new Hsv().apply(sample, contextWith(new SeededRng(seed)))).image.data;
    expect(await run(5)).toEqual(await run(5));
    expect(await run(5)).not.toEqual(await run(6));
  });

  it('parses with the Ultralytics gains as defaults', () => {
    expect(parseYaml(hsvAugmentation, '')).toEqual({ p: 1, hgain: 0.015, sgain: 0.7, vgain: 0.4 });
    expect(() => parseYaml(hsvAugmentation, 'hgain: -0.1\n')).toThrow(/aug\.yaml:1:8: hgain: expected a number >= 0, found number -0\.1/);
    expect(() => parseYaml(hsvAugmentation, 'hsv_h: 0.1\n')).toThrow(/unknown key 'hsv_h'/);
  });
});
