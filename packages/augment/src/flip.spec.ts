import { ConfigError, type Augmentation } from '@yolo-distill/core';
import { Flip, flipAugmentation, flipImage, flipLabels } from './flip.js';
import { ScriptedRng } from './test-support/scripted-rng.js';
import { contextWith, expectRows, parseYaml, pixel, rows, solidSample } from './test-support/samples.js';

const labels = (...r: number[][]) => ({ rows: Float32Array.from(r.flat()), count: r.length });
const listed = (l: { rows: Float32Array; count: number }) => Array.from({ length: l.count }, (_, i) => Array.from(l.rows.subarray(i * 5, i * 5 + 5)));

describe('augment.Flip', () => {
  it('mirrors (0.2, 0.3, 0.1, 0.2) left-right to (0.8, 0.3, 0.1, 0.2) and top-bottom to (0.2, 0.7, 0.1, 0.2)', () => {
    expectRows(listed(flipLabels(labels([4, 0.2, 0.3, 0.1, 0.2]), 'horizontal')), [[4, 0.8, 0.3, 0.1, 0.2]], 6);
    expectRows(listed(flipLabels(labels([4, 0.2, 0.3, 0.1, 0.2]), 'vertical')), [[4, 0.2, 0.7, 0.1, 0.2]], 6);
  });

  it('swaps the two pixels of a 2x1 image, and of a 1x2 image vertically', () => {
    const wide = { data: Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]), width: 2, height: 1 };
    expect(Array.from(flipImage(wide, 'horizontal').data)).toEqual(Array.from(Float32Array.from([0.4, 0.5, 0.6, 0.1, 0.2, 0.3])));
    expect(Array.from(flipImage(wide, 'vertical').data)).toEqual(Array.from(wide.data));
    const tall = { ...wide, width: 1, height: 2 };
    expect(Array.from(flipImage(tall, 'vertical').data)).toEqual(Array.from(Float32Array.from([0.4, 0.5, 0.6, 0.1, 0.2, 0.3])));
  });

  it('flips a 3x2 image and its labels together and draws no randomness', async () => {
    const sample = solidSample(3, 2, [0, 0, 0], [[1, 1 / 6, 0.5, 1 / 3, 1]]);
    sample.image.data.set([1, 1, 1], 0); // top-left pixel white
    const rng = new ScriptedRng([]);
    const flip: Augmentation = new Flip({ p: 1, direction: 'horizontal' });
    const flipped = await flip.apply(sample, contextWith(rng));
    expect(pixel(flipped, 2, 0)).toEqual([1, 1, 1]);
    expect(pixel(flipped, 0, 0)).toEqual([0, 0, 0]);
    expectRows(rows(flipped), [[1, 5 / 6, 0.5, 1 / 3, 1]], 6);
    expect(rng.used).toBe(0);
    expect(sample.image.data[0]).toBe(1); // the input is not changed
  });

  it('parses with Ultralytics fliplr defaults and rejects an unknown direction', () => {
    expect(parseYaml(flipAugmentation, '')).toEqual({ p: 0.5, direction: 'horizontal' });
    expect(parseYaml(flipAugmentation, 'direction: vertical\np: 0.1\n')).toEqual({ p: 0.1, direction: 'vertical' });
    expect(() => parseYaml(flipAugmentation, 'direction: diagonal\n')).toThrow(ConfigError);
    expect(() => parseYaml(flipAugmentation, 'direction: diagonal\n')).toThrow(/aug\.yaml:1:\d+: direction: expected one of "horizontal", "vertical", found/);
  });
});
